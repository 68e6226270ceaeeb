"""What changed between two builds: files of the context, build args, base images, the
Dockerfile and its .dockerignore.

Only what differs is recorded. BuildKit keys a COPY on the content of the files it selects, so a
selection's key differs between two builds exactly when a selected path differs; unchanged files
add the same to both sides and are never read (a 1,000-file context with one edit hashes one
file). A file's state is its content digest and its mode bits: BuildKit's content hash covers
content, mode, size and symlink target, never mtime (buildkit-facts.md, "Cache keys").
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from layerwise.context.dockerignore import IgnoreMatcher


@dataclass(frozen=True, slots=True)
class FileState:
    """One context file as BuildKit's content hash sees it: `digest` of the content (or of the
    symlink target) and `mode` (permission and type bits; git gives 0o100644 / 0o100755 /
    0o120000). For a symlink, `followed` is the state of the file it points to when known: a
    COPY source that names the link (or a wildcard that matches it) is followed, so its
    content counts there, not the target's name (BuildKit copies with FollowSymlinks)."""

    digest: str
    mode: int = 0o100644
    followed: FileState | None = None

    def as_copied(self, follow: bool) -> FileState:
        """The state a copy hashes: the target's when it follows a known link, else the
        entry's own (a link inside a copied folder stays a link)."""
        if follow and self.followed is not None:
            return self.followed
        return self if self.followed is None else FileState(self.digest, self.mode)

    @classmethod
    def of(cls, content: bytes, mode: int = 0o100644) -> FileState:
        return cls(blob_digest(content), mode)


def blob_digest(content: bytes) -> str:
    """The git blob id of `content`, so a file on disk compares equal to the same file in a
    commit without reading the commit's blob."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class FileChange:
    """A path whose state differs: `old` or `new` is None when it is absent on that side
    (added, deleted) or .dockerignore keeps it out of that side's context."""

    path: str
    old: FileState | None
    new: FileState | None
    # The side whose .dockerignore keeps the file out while it is on disk ("old", "new").
    ignored: str | None = None

    @property
    def kind(self) -> str:
        """One of: added, deleted, included / excluded (by a .dockerignore edit), mode (only
        the mode bits differ), changed."""
        if self.ignored == "old" and self.old is None:
            return "included"
        if self.ignored == "new" and self.new is None:
            return "excluded"
        if self.old is None:
            return "added"
        if self.new is None:
            return "deleted"
        if self.old.digest == self.new.digest and self.old.mode != self.new.mode:
            return "mode"
        return "changed"


@dataclass(frozen=True, slots=True)
class Build:
    """One side of the comparison: the Dockerfile text, its build args, the .dockerignore
    matcher, and a token per base image (equal tokens mean the same digest; a token that is
    the digest, `sha256:...`, also makes two names of one image equal)."""

    dockerfile: str
    build_args: Mapping[str, str] = field(default_factory=dict)
    ignore: IgnoreMatcher = field(default_factory=lambda: IgnoreMatcher([]))
    bases: Mapping[str, str] = field(default_factory=dict)

    def base_token(self, image: str) -> str:
        return self.bases.get(image, "")


@dataclass(frozen=True, slots=True)
class Change:
    """The previous build, the next one, and the context paths whose state differs between
    them (context-relative, slash-separated; ignored paths already dropped per side).

    `same` holds paths in one state on both sides that the keys cover anyway: keys made over
    the same paths compare across any builds, not only these two (`replay` against every
    earlier build)."""

    old: Build
    new: Build
    files: Mapping[str, FileChange] = field(default_factory=dict)
    same: Mapping[str, FileState] = field(default_factory=dict)

    @classmethod
    def between(
        cls,
        old: Build,
        new: Build,
        states: Mapping[str, tuple[FileState | None, FileState | None]],
        *,
        keep_same: bool = False,
    ) -> Change:
        """The change from `old` to `new` given each path's (old, new) state; a path its
        side's .dockerignore keeps out counts as absent there, and equal states are dropped
        (or, with `keep_same`, kept in `same` when present)."""
        files: dict[str, FileChange] = {}
        same: dict[str, FileState] = {}
        for path, (before, after) in states.items():
            ignored = None
            if before is not None and old.ignore.is_ignored(path):
                before, ignored = None, "old"
            if after is not None and new.ignore.is_ignored(path):
                after, ignored = None, "new"
            if before != after:
                files[path] = FileChange(path, before, after, ignored)
            elif keep_same and after is not None:
                same[path] = after
        return cls(old, new, files, same)

    @classmethod
    def simple(
        cls,
        dockerfile: str,
        *,
        files: Mapping[str, tuple[FileState | None, FileState | None]] | None = None,
        old_args: Mapping[str, str] | None = None,
        new_args: Mapping[str, str] | None = None,
        new_bases: frozenset[str] = frozenset(),
        ignore: IgnoreMatcher | None = None,
        old_ignore: IgnoreMatcher | None = None,
        new_dockerfile: str | None = None,
    ) -> Change:
        """A change built from plain values (the library's entry point; the CLI reads git).

        `files` maps a path to its (old, new) state; `new_bases` names the images whose digest
        moved; `old_ignore` is the previous .dockerignore when it changed.
        """
        new_ignore = ignore or IgnoreMatcher([])
        old = Build(dockerfile, dict(old_args or {}), old_ignore or new_ignore, {})
        new = Build(
            new_dockerfile if new_dockerfile is not None else dockerfile,
            dict(new_args or {}),
            new_ignore,
            dict.fromkeys(new_bases, "new"),
        )
        return cls.between(old, new, files or {})
