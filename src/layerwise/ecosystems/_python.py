"""What Python's package managers (pip, uv, Poetry, Pipenv) share: the XDG cache location,
the project files an install reads from the build context, and signs that it reads more.

Not an ecosystem (no `NAME`): the modules import it. Cache facts: each tool's documentation
(pip "Caching", uv "Caching", Poetry "Configuration: cache-dir", Pipenv `PIPENV_CACHE_DIR`) put
the cache in `$XDG_CACHE_HOME/<tool>`, default `<home>/.cache/<tool>`, unless the tool's own
variable says otherwise.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from layerwise.ecosystems.base import (
    HOME_SPELLINGS,
    DependencyInstall,
    deletes_inside,
    project_files,
    removed_paths,
)
from layerwise.shell import Command

if TYPE_CHECKING:
    from layerwise.context import BuildContext

# A manifest entry that installs from a folder or file of the context: `{ path = "../lib" }`
# (Poetry, Pipenv, uv sources), `file:` URLs, `-e .` in a Pipfile's `editable = true`.
_LOCAL_SOURCE = re.compile(
    r"\bpath\s*=|file:|\beditable\s*=\s*true|\bworkspace\s*=|\[tool\.uv\.workspace\]", re.I
)
# The project's version or dependencies come from its sources (`dynamic = ["version"]`).
_DYNAMIC = re.compile(r"^\s*dynamic\s*=", re.M)
# A virtual environment folder a later `COPY . .` would lay over the one the install made.
VENV_DIRS = (".venv", "venv")


def cache_dir(tool: str, variable: str, home: str, env: Mapping[str, str]) -> str:
    """`$<variable>`, else `$XDG_CACHE_HOME/<tool>`, else `<home>/.cache/<tool>`."""
    if env.get(variable):
        return env[variable]
    if env.get("XDG_CACHE_HOME"):
        return f"{env['XDG_CACHE_HOME'].rstrip('/')}/{tool}"
    return f"{home.rstrip('/')}/.cache/{tool}"


def names_home_cache(path: str, tool: str) -> bool:
    """`~/.cache/<tool>` (or below it, or `~/.cache` itself) spelled with `~` or `$HOME`."""
    for home in HOME_SPELLINGS:
        for spelled in (f"{home}/.cache", f"{home}/.cache/{tool}"):
            if path.rstrip("/") == spelled:
                return True
        if path.startswith(f"{home}/.cache/{tool}/"):
            return True
    return False


def removes_cache(cmd: Command, tool: str, cache: str) -> bool:
    """An `rm` of the tool's cache: `~/.cache/<tool>`, a path in `cache`, or `cache`'s parent
    when that is `.cache` (`rm -rf /root/.cache`)."""
    parent = cache.rstrip("/").rsplit("/", 1)[0]
    whole = parent if parent.startswith("/") and parent.endswith("/.cache") else None
    return any(
        names_home_cache(w.text, tool)
        or deletes_inside(w.text, (cache,))
        or w.text.rstrip("/") == whole
        for w in removed_paths(cmd)
    )


def project_install(
    context: BuildContext | None,
    project_dir: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    before: str | None = None,
    movable: bool = True,
) -> DependencyInstall | None:
    """A project-manifest install (`uv sync`, `poetry install`, `pipenv install`): it reads
    `required` and, when the context has them, `optional` files of `project_dir`. None when a
    manifest names a local source (a `path`, `file:` or editable dependency, a uv workspace):
    the install needs those sources, which only come with the broad COPY, so above it it
    fails. Proven when the context has every required file, no manifest names dynamic
    metadata, no virtual environment folder would be laid over the installed one, and
    `movable` (the install itself reads nothing else)."""
    files = project_files(context, project_dir, required, optional)
    if any(_LOCAL_SOURCE.search(t) for t in files.texts if t):
        return None
    proven = (
        movable
        and context is not None
        and files.complete
        and not any(_DYNAMIC.search(t) for t in files.texts if t)
        and not any(context.exists(files.prefix + d) for d in VENV_DIRS)
    )
    return files.install(proven, before)


def relative_inside(path: str, project_dir: str) -> str | None:
    """A context path for `path` as seen from `project_dir`; None when absolute, leaving the
    context, or not known before the shell runs."""
    if path.startswith("/") or "$" in path:
        return None
    joined = posixpath.normpath(posixpath.join(project_dir or ".", path))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def read_toml(context: BuildContext | None, path: str) -> dict[str, Any] | None:
    """A TOML file of the context as a table; None when missing, unreadable or not TOML."""
    text = context.read_text(path) if context is not None else None
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def table(data: object, *keys: str) -> dict[str, Any]:
    """`data[k1][k2]...` when each level is a table, else {}."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


# Later steps that run code from the project's environment: its development tools may be
# what they run (`poetry run pytest`, `uv run mypy`, `pipenv run test`).
RUN_VERBS = frozenset({"run", "shell"})
