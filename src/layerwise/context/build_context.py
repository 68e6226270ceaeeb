"""The build context on disk, as BuildKit will see it after .dockerignore."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layerwise.context.dockerignore import IgnoreMatcher, clean
from layerwise.errors import LayerwiseError

if TYPE_CHECKING:
    from layerwise.context.npm_project import NpmProject


def mode_of(path: str) -> int:
    """`os.stat(path).st_mode`, 0 when nothing is there: the errors `Path.is_file()` and
    `Path.is_dir()` take for "no", taken the same way, without making a Path (a scan of a
    thousand Dockerfiles asks this several times about each)."""
    try:
        return os.stat(path).st_mode  # noqa: PTH116 (the point: no Path)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            raise
        return 0
    except ValueError:  # a NUL in the name
        return 0


# Larger files are not read: install-time files (manifests, .npmrc, schemas) are small, and a
# lint must not stall on a stray dump in the context.
MAX_READ_BYTES = 8 * 1024 * 1024


class BuildContext:
    """A directory sent to BuildKit as the build context.

    Paths are relative to the root, slash-separated (`"src/app.ts"`, `""` for the root itself).
    Callers without a context pass `None` around; see `layerwise.context.npm_copy_sources`.
    """

    def __init__(self, root: Path, matcher: IgnoreMatcher, ignore_file: Path | None) -> None:
        self.root = root
        self.matcher = matcher
        self.ignore_file = ignore_file
        self._projects: dict[str, NpmProject | None] = {}

    @classmethod
    def open(
        cls, root: Path, dockerfile: Path | None = None, *, hint: str | None = "pass --context DIR"
    ) -> BuildContext:
        """Open a context directory; the ignore file is `<dockerfile>.dockerignore` when it
        exists (BuildKit's Dockerfile-specific ignore file), else `<root>/.dockerignore`.
        `hint` goes with the error for a root that is not a directory."""
        root = root if isinstance(root, Path) else Path(root)  # a Path made again is parsed again
        folder = str(root)
        if not stat.S_ISDIR(mode_of(folder)):
            raise LayerwiseError("build context is not a directory", path=folder, hint=hint)
        names = []
        if dockerfile is not None:
            names.append(f"{dockerfile}.dockerignore")
        names.append(f"{folder.rstrip('/')}/.dockerignore")
        for name in names:  # strings: a Path only for the file found, most have none
            if stat.S_ISREG(mode_of(name)):
                candidate = Path(name)
                text = candidate.read_bytes().decode("utf-8", "replace")
                return cls(root, IgnoreMatcher.from_text(text), candidate)
        return cls(root, IgnoreMatcher([]), None)

    def _rel(self, rel: str) -> str | None:
        """Normalised relative path, or None when it leaves the context (`../x`)."""
        path = clean(rel.replace("\\", "/")).lstrip("/")
        if path == ".":
            return ""
        if path == ".." or path.startswith("../"):
            return None
        return path

    def is_ignored(self, rel: str) -> bool:
        """True when .dockerignore keeps `rel` out of the context (whether or not it exists)."""
        path = self._rel(rel)
        return path is not None and path != "" and self.matcher.is_ignored(path)

    def exists(self, rel: str) -> bool:
        """True when `rel` (file, directory or symlink) is on disk and reaches the builder."""
        path = self._rel(rel)
        if path is None:
            return False
        return os.path.lexists(self.root / path) and not (path and self.matcher.is_ignored(path))

    def is_dir(self, rel: str) -> bool:
        path = self._rel(rel)
        return path is not None and self.exists(path) and (self.root / path).is_dir()

    def files(
        self, under: str = "", *, max_depth: int | None = None, skip: frozenset[str] = frozenset()
    ) -> Iterator[str]:
        """Every file (and symlink) that reaches the builder, in sorted walk order.

        `max_depth` limits how many directories deep below `under` to look (0: its own files);
        directories named in `skip` (e.g. node_modules) are not entered.
        """
        start = self._rel(under)
        if start is None or not self.is_dir(start):
            return
        yield from self._walk(start, max_depth, skip)

    def _walk(self, directory: str, depth: int | None, skip: frozenset[str]) -> Iterator[str]:
        try:
            entries = sorted(os.scandir(self.root / directory), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            rel = f"{directory}/{entry.name}" if directory else entry.name
            ignored = self.matcher.is_ignored(rel)
            if entry.is_dir(follow_symlinks=False):
                if entry.name in skip or depth == 0:
                    continue
                if not ignored or self.matcher.may_include_below(rel):
                    yield from self._walk(rel, None if depth is None else depth - 1, skip)
            elif not ignored:
                yield rel

    def read_bytes(self, rel: str) -> bytes | None:
        """The content of a file that reaches the builder; None when absent, ignored, not a
        regular file, unreadable or too large."""
        path = self._rel(rel)
        if path is None or not self.exists(path):
            return None
        full = self.root / path
        try:
            if not full.is_file() or full.stat().st_size > MAX_READ_BYTES:
                return None
            return full.read_bytes()
        except OSError:
            return None

    def is_executable(self, rel: str) -> bool | None:
        """True when the owner's execute bit of a file that reaches the builder is set (BuildKit
        keeps mode bits); None when the file is absent, ignored or not a regular file."""
        path = self._rel(rel)
        if path is None or not self.exists(path):
            return None
        try:
            mode = (self.root / path).stat().st_mode
        except OSError:
            return None
        return bool(mode & stat.S_IXUSR) if stat.S_ISREG(mode) else None

    def read_text(self, rel: str) -> str | None:
        """Like `read_bytes`, decoded as UTF-8 (undecodable bytes replaced)."""
        data = self.read_bytes(rel)
        return None if data is None else data.decode("utf-8", "replace").removeprefix("\ufeff")

    def read_json(self, rel: str) -> Any:
        """The parsed JSON of a file, or None when it is missing or not valid JSON."""
        text = self.read_text(rel)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def first_existing(self, directory: str, names: tuple[str, ...]) -> str | None:
        """The first of `names` present in `directory` (e.g. which lockfile a project has)."""
        for name in names:
            rel = join(directory, name)
            if self.exists(rel):
                return rel
        return None

    def npm_project(self, dir: str = "") -> NpmProject | None:
        """The npm project whose package.json is in `dir`, or None when there is none."""
        key = self._rel(dir)
        if key is None:
            return None
        if key not in self._projects:
            from layerwise.context.npm_project import load_npm_project

            self._projects[key] = load_npm_project(self, key)
        return self._projects[key]


def join(directory: str, name: str) -> str:
    """Join context-relative paths: `join("", "a")` is `"a"`, `join("web", "../a")` is `"a"`."""
    joined = f"{directory}/{name}" if directory else name
    return clean(joined).lstrip("/") if joined else ""
