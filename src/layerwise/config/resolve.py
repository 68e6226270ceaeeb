"""The settings for each checked file: its configuration file, hadolint's, and the command line.

How the sources combine (documented in the README):
- `select`: the command line's `--select` replaces the file's `select`; no select: every rule.
- `ignore`: the file's `ignore`, the command line's `--ignore`, and the codes of every
  `per-file-ignores` pattern that matches the file all add up.
- `language`, `target-engine`, `platforms`, `context`, `build-args`: the command line wins, then
  the file, then the defaults (`en`, `modern`, none, the Dockerfile's directory, none).
  Build args merge by name, the command line's value first.
- hadolint's ignores (`hadolint = true` by default) come from hadolint's own configuration file.
`--isolated` reads no file at all; `--config PATH` uses that file for every checked file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from layerwise.config import hadolint
from layerwise.config.files import ConfigFile, ConfigFinder
from layerwise.config.hadolint import HadolintConfig
from layerwise.config.options import Options
from layerwise.context.dockerignore import Pattern
from layerwise.rules.base import DEFAULT_TARGET_ENGINE, Settings

DEFAULT = "default"
COMMAND_LINE = "command line"


@dataclass(frozen=True, slots=True)
class Overrides:
    """What the command line said; None (or empty) where it said nothing."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    context: Path | None = None
    lang: str | None = None
    # The language when neither the command line nor a config file names one: the locale's.
    locale_lang: str = "en"
    target_engine: str | None = None
    platforms: tuple[str, ...] | None = None
    build_args: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    """The settings of one file (or directory) and where each came from."""

    path: Path
    settings: Settings
    context: Path | None  # the build context directory; None: the Dockerfile's directory
    config: ConfigFile | None
    hadolint: HadolintConfig | None
    hadolint_compat: bool  # whether hadolint's ignores count at all (`hadolint = false`: no)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]  # the patterns that matched
    origins: Mapping[str, str]  # option -> "path:line", "command line" or "default"


_Key = tuple[Path | None, tuple[tuple[str, tuple[str, ...]], ...]]
_Answer = tuple[Settings, Path | None, HadolintConfig | None, bool, Mapping[str, str]]


class Resolver:
    """Resolves settings per file, reading each configuration file once."""

    def __init__(
        self,
        overrides: Overrides | None = None,
        *,
        config: Path | None = None,
        isolated: bool = False,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.overrides = overrides or Overrides()
        self.isolated = isolated
        self._finder = ConfigFinder()
        # --config is read now: a bad file named on the command line fails the run at once.
        self._explicit = None if config is None else self._finder.read(config, explicit=True)
        self._explicit_given = config is not None
        self._cwd = cwd or Path.cwd()
        self._env = os.environ if env is None else env
        self._hadolint: HadolintConfig | None = None
        self._hadolint_read = False
        # What a file's settings depend on (its configuration file and the per-file-ignores
        # that match it) -> what they are: files alike share one answer, worked out once.
        self._known: dict[_Key, _Answer] = {}

    def config_for(self, path: Path, *, is_dir: bool = False) -> ConfigFile | None:
        if self.isolated:
            return None
        if self._explicit_given:
            return self._explicit
        return self._finder.for_directory(path if is_dir else path.absolute().parent)

    def hadolint_config(self) -> HadolintConfig | None:
        """hadolint's configuration file, read once per run (hadolint's is per run too)."""
        if not self._hadolint_read:
            found = hadolint.find(self._cwd, self._env)
            self._hadolint = None if found is None else hadolint.load(found)
            self._hadolint_read = True
        return self._hadolint

    def for_file(self, path: Path, *, is_dir: bool = False) -> Resolved:
        """The settings for the Dockerfile `path` (or for files in the directory `path`)."""
        config = self.config_for(path, is_dir=is_dir)
        matched = () if is_dir else _matching(config, path)
        key = (None if config is None else config.path, matched)
        answer = self._known.get(key)
        if answer is None:
            answer = self._known[key] = self._answer(config, matched)
        settings, context, found, use_hadolint, origins = answer
        return Resolved(path, settings, context, config, found, use_hadolint, matched, origins)

    def _answer(
        self, config: ConfigFile | None, matched: tuple[tuple[str, tuple[str, ...]], ...]
    ) -> _Answer:
        cli = self.overrides
        opts = config.options if config is not None else Options()

        def at(option: str) -> str | None:
            line = opts.lines.get(option)
            return None if config is None or line is None else f"{config.path}:{line}"

        origins = {
            option: COMMAND_LINE if given else (at(option) or DEFAULT)
            for option, given in (
                ("select", cli.select is not None),
                ("per-file-ignores", False),
                ("language", cli.lang is not None),
                ("target-engine", cli.target_engine is not None),
                ("platforms", cli.platforms is not None),
                ("context", cli.context is not None),
                ("build-args", bool(cli.build_args)),
                ("hadolint", False),
            )
        }
        select = cli.select if cli.select is not None else opts.select or ()
        sources = (at("ignore"), cli.ignore and COMMAND_LINE, matched and "per-file-ignores")
        origins["ignore"] = " + ".join(s for s in sources if s) or DEFAULT
        ignore = (*opts.ignore, *cli.ignore, *(code for _, codes in matched for code in codes))
        use_hadolint = not self.isolated and opts.hadolint is not False
        found = self.hadolint_config() if use_hadolint else None
        settings = Settings(
            select=tuple(dict.fromkeys(select)),
            ignore=tuple(dict.fromkeys(ignore)),
            build_args={**opts.build_args, **cli.build_args},
            target=cli.target,
            lang=cli.lang or opts.language or cli.locale_lang,
            target_engine=cli.target_engine or opts.target_engine or DEFAULT_TARGET_ENGINE,
            platforms=cli.platforms if cli.platforms is not None else opts.platforms or (),
            hadolint_ignore=found.ignored if found else (),
            hadolint_pragmas=use_hadolint and not (found and found.disable_ignore_pragma),
        )
        context = cli.context
        if context is None and config is not None and opts.context is not None:
            context = Path(os.path.normpath(config.directory / opts.context))
        return settings, context, found, use_hadolint, dict(sorted(origins.items()))


def _matching(config: ConfigFile | None, path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The per-file-ignores entries whose glob matches `path`: relative to the configuration
    file's directory, with .dockerignore's glob syntax (`*` stays within a directory, `**`
    spans any number); a glob without `/` also matches the file's name alone, wherever the
    file is."""
    if config is None:
        return ()
    relative = Path(os.path.relpath(path.absolute(), config.directory)).as_posix()
    inside = not relative.startswith("../")  # with --config, a file may lie outside
    out = []
    for glob, codes in config.options.per_file_ignores:
        pattern = Pattern.parse(glob.removeprefix("./"))
        if (inside and pattern.match(relative)) or ("/" not in glob and pattern.match(path.name)):
            out.append((glob, codes))
    return tuple(out)
