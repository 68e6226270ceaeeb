"""hadolint's configuration file, found and read the way hadolint does, for its ignores.

hadolint (src/Hadolint/Config/Configfile.hs) uses the first of these that exists, and only it:
`.hadolint.yaml` and `.hadolint.yml` in the working directory; `hadolint.yaml` and
`hadolint.yml` in the XDG config directory (`$XDG_CONFIG_HOME`, default `~/.config`);
`hadolint.yaml`, `hadolint.yml`, `config.yaml`, `config.yml` in `~/.hadolint`; `.hadolint.yaml`
and `.hadolint.yml` in the home directory. layerwise reads two of its keys: `ignored` (rule
codes) and `disable-ignore-pragma`; the others are hadolint's business and are not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from layerwise.errors import LayerwiseError

if TYPE_CHECKING:
    import yaml

HIDDEN = (".hadolint.yaml", ".hadolint.yml")
VISIBLE = ("hadolint.yaml", "hadolint.yml")
MORE = ("config.yaml", "config.yml")


@dataclass(frozen=True, slots=True)
class HadolintConfig:
    path: Path
    ignored: tuple[str, ...]
    disable_ignore_pragma: bool = False


def candidates(cwd: Path, env: Mapping[str, str]) -> list[Path]:
    """Where hadolint looks, in its order."""
    out = [cwd / name for name in HIDDEN]
    home = Path(env["HOME"]) if env.get("HOME") else None
    xdg = env.get("XDG_CONFIG_HOME", "")
    # Haskell's getXdgDirectory ignores a relative XDG_CONFIG_HOME, as the XDG spec says.
    config_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else (home and home / ".config")
    if config_dir is not None:
        out += [config_dir / name for name in VISIBLE]
    if home is not None:
        out += [home / ".hadolint" / name for name in (*VISIBLE, *MORE)]
        out += [home / name for name in HIDDEN]
    return out


def find(cwd: Path, env: Mapping[str, str]) -> Path | None:
    return next((p for p in candidates(cwd, env) if p.is_file()), None)


def load(path: Path) -> HadolintConfig:
    """The ignores of one hadolint configuration file; bad YAML or a bad `ignored` is an error
    at its line (hadolint would stop on it too)."""
    import yaml  # only when a hadolint file is found: PyYAML costs every start ~10 ms

    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except OSError as exc:
        raise LayerwiseError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    except UnicodeDecodeError:
        raise LayerwiseError("cannot read: not UTF-8", path=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise LayerwiseError(
            f"invalid YAML: {problem}", path=str(path), line=line, col=col
        ) from None
    if node is None:  # an empty file: hadolint's defaults
        return HadolintConfig(path, ())
    if not isinstance(node, yaml.MappingNode):
        raise _error(path, node, "hadolint's configuration must be a mapping")
    ignored: tuple[str, ...] = ()
    disable = False
    for key, value in node.value:
        if key.value == "ignored":
            ignored = _codes(path, value)
        elif key.value == "disable-ignore-pragma":
            if value.tag != "tag:yaml.org,2002:bool":
                raise _error(path, value, '"disable-ignore-pragma" must be true or false')
            disable = value.value.lower() in ("true", "yes", "on")
    return HadolintConfig(path, ignored, disable)


def _codes(path: Path, node: yaml.Node) -> tuple[str, ...]:
    import yaml  # only when a hadolint file is found: PyYAML costs every start ~10 ms

    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return ()
    if not isinstance(node, yaml.SequenceNode) or not all(
        isinstance(item, yaml.ScalarNode) and item.tag == "tag:yaml.org,2002:str"
        for item in node.value
    ):
        raise _error(path, node, '"ignored" must be a list of rule codes')
    return tuple(str(item.value).strip().upper() for item in node.value)


def _error(path: Path, node: yaml.Node, message: str) -> LayerwiseError:
    mark = node.start_mark
    return LayerwiseError(message, path=str(path), line=mark.line + 1, col=mark.column + 1)
