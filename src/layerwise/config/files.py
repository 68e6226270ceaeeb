"""layerwise's configuration files: which one applies to a directory, and reading one.

A file is configured by the closest of these, looking in its directory and then each parent up
to the filesystem root; in one directory the first that exists wins (ruff's order):

1. `.layerwise.toml`  (options at the top level)
2. `layerwise.toml`   (options at the top level)
3. `pyproject.toml`, only when it has a `[tool.layerwise]` table (else the search goes on)

Only that one file applies: files further up are not merged into it.
"""

from __future__ import annotations

import itertools
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from layerwise.config.locate import Positions
from layerwise.config.options import Options, read_options
from layerwise.context.build_context import mode_of
from layerwise.errors import LayerwiseError

CONFIG_NAMES = (".layerwise.toml", "layerwise.toml", "pyproject.toml")
PYPROJECT_TABLE = ("tool", "layerwise")
_END = " (at end of document)"
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """One configuration file read and checked."""

    path: Path  # absolute
    table: tuple[str, ...]  # where the options sit: () or ("tool", "layerwise")
    options: Options

    @property
    def directory(self) -> Path:
        return self.path.parent

    @property
    def label(self) -> str:
        """`path` or `path [tool.layerwise]`, for messages."""
        return f"{self.path} [{'.'.join(self.table)}]" if self.table else str(self.path)


def _read_toml(path: Path) -> tuple[str, dict[str, object]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else exc.strerror or exc
        raise LayerwiseError(f"cannot read configuration: {reason}", path=str(path)) from None
    import tomllib  # only when there is a file to read: most runs have none

    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _AT.search(message)
        line, col = (int(at.group(1)), int(at.group(2))) if at else (None, None)
        if message.endswith(_END):
            line, col = Positions(text, {}).line_col(len(text))
        message = _AT.sub("", message).removesuffix(_END)
        raise LayerwiseError(
            f"invalid TOML: {message[:1].lower()}{message[1:]}", path=str(path), line=line, col=col
        ) from None


def load(path: Path, *, explicit: bool = False) -> ConfigFile | None:
    """The configuration in `path`; None for a pyproject.toml without `[tool.layerwise]` (an
    error when the file was named with `--config`)."""
    path = path.absolute()
    text, data = _read_toml(path)
    if path.name != "pyproject.toml":
        return ConfigFile(path, (), read_options(data, path=str(path), text=text))
    tool = data.get("tool")
    table = tool.get("layerwise") if isinstance(tool, dict) else None
    if table is None:
        if explicit:
            raise LayerwiseError("no [tool.layerwise] table", path=str(path))
        return None
    if not isinstance(table, dict):
        line, col = Positions.of(text).key(PYPROJECT_TABLE)
        raise LayerwiseError("[tool.layerwise] must be a table", path=str(path), line=line, col=col)
    options = read_options(table, path=str(path), text=text, table=PYPROJECT_TABLE)
    return ConfigFile(path, PYPROJECT_TABLE, options)


class ConfigFinder:
    """Finds and reads the configuration of each directory, each directory and file once."""

    def __init__(self) -> None:
        self._dirs: dict[Path, ConfigFile | None] = {}
        self._files: dict[Path, ConfigFile | None] = {}

    def for_directory(self, directory: Path) -> ConfigFile | None:
        """The configuration that applies to files in `directory` (None: defaults)."""
        start = directory.absolute()
        walked: list[Path] = []
        found: ConfigFile | None = None
        # Lazily: most walks stop at the first parent, already known from a sibling directory.
        for current in itertools.chain((start,), start.parents):
            if current in self._dirs:
                found = self._dirs[current]
                break
            walked.append(current)
            found = self._in(current)
            if found is not None:
                break
        for current in walked:  # every directory on the way shares the answer
            self._dirs[current] = found
        return found

    def _in(self, directory: Path) -> ConfigFile | None:
        # Names as strings, a Path only for a file that is there: a scan of a thousand
        # Dockerfiles asks about a thousand directories, and most hold none of them.
        folder = str(directory).rstrip("/")
        for name in CONFIG_NAMES:
            if stat.S_ISREG(mode_of(f"{folder}/{name}")):
                config = self.read(directory / name)
                if config is not None:
                    return config
        return None

    def read(self, path: Path, *, explicit: bool = False) -> ConfigFile | None:
        key = path.absolute()
        if key not in self._files:
            self._files[key] = load(key, explicit=explicit)
        return self._files[key]
