"""What the compiled-language and other non-Python installers (Go, Cargo, Maven, Gradle, .NET,
Bundler, Composer) share: a cache directory moved by an env variable, an `rm` of it, and the
project files a download step reads from the build context.

Not an ecosystem (no `NAME`): the modules import it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from layerwise.ecosystems import base
from layerwise.ecosystems.base import (
    HOME_SPELLINGS,
    DependencyInstall,
    deletes_inside,
    removed_paths,
)
from layerwise.shell import Command

if TYPE_CHECKING:
    from layerwise.context import BuildContext


def under_home(home: str, rel: str) -> str:
    return f"{home.rstrip('/')}/{rel}"


def env_dir(env: Mapping[str, str], name: str, default: str, suffix: str = "") -> str:
    """`$name` (plus `suffix`) when the environment sets it, else `default`."""
    value = env.get(name)
    if not value or "$" in value:
        return default
    return value.rstrip("/") + suffix if suffix else value


def removes_dir(cmd: Command, caches: Sequence[str], home: str) -> bool:
    """An `rm` of one of `caches` or of a path inside one, with `~`/`$HOME` spelled out."""
    for word in removed_paths(cmd):
        path = word.text
        for spelled in HOME_SPELLINGS:
            if path == spelled or path.startswith(spelled + "/"):
                path = home.rstrip("/") + path[len(spelled) :]
        if deletes_inside(path, caches):
            return True
    return False


def project_files(
    context: BuildContext | None,
    project_dir: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    sound: Callable[[str], bool] = lambda _text: True,
) -> DependencyInstall | None:
    """A download step that reads `required` and, when the context has them, `optional` files
    of `project_dir` (directories end with `/`). Proven when the context has every required
    file; None when `sound` rejects the first one's text (it names more the step reads, so
    copying these files first would break the step)."""
    files = base.project_files(context, project_dir, required, optional)
    first = files.texts[0]
    if first is not None and not sound(first):
        return None
    return files.install(files.complete)


def folders_up(project_dir: str) -> tuple[str, ...]:
    """The path prefixes of `project_dir` and of each parent up to the context root
    (`a/b/`, `a/`, ``): where a tool that searches upward for its files (Cargo's
    `.cargo/config.toml`, Go's go.work) finds them in the context."""
    parts = project_dir.split("/") if project_dir else []
    return tuple("".join(f"{p}/" for p in parts[:depth]) for depth in range(len(parts), -1, -1))


# Installers whose cache is also where builds read the packages from (Go's module cache,
# Cargo's registry, Maven's local repository, Gradle's caches, NuGet's packages folder): with
# a mount, the packages are no longer in the image, so every later use needs the mount too.
STORE_CACHES = frozenset({"go", "cargo", "maven", "gradle", "dotnet"})


# Debian releases by the code name an image tag carries (`golang:1.22-bookworm`), for the
# distroless runtime built from the same release (same glibc).
DEBIAN_RELEASES = {"bookworm": "12", "bullseye": "11"}


def debian_release(tag: str) -> str | None:
    """`12` for a tag naming bookworm (`1.22-bookworm`, `1-slim-bookworm`); None otherwise: an
    untagged variant follows whatever Debian the image's makers moved to."""
    return next((DEBIAN_RELEASES[p] for p in tag.lower().split("-") if p in DEBIAN_RELEASES), None)


def resolve(path: str, cwd: str) -> str:
    return posixpath.normpath(posixpath.join(cwd, path))
