"""A change read from disk: the work tree against a git commit (`--since REF`), a list of
files said to have changed (`--changed FILE`), or one commit against another (`replay`).

Against a commit, the previous build is the commit's tree: the Dockerfile and .dockerignore as
committed, tracked files as committed, untracked files absent. Files git ignores (node_modules,
build outputs) are not in any commit, so they count as unchanged. Git keeps one mode bit (0644
or 0755) and no empty folders, so those are what a file's mode and the context can differ by.
Only the files that differ are read, plus, when .dockerignore changed, the list of context
paths (to find the ones it now lets in or keeps out).
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from layerwise.cache.change import Build, Change, FileChange, FileState, blob_digest
from layerwise.context.build_context import BuildContext
from layerwise.context.dockerignore import IgnoreMatcher
from layerwise.errors import LayerwiseError
from layerwise.syntax.files import read_text

# The state of a changed file whose previous content is not known (`--changed FILE`).
UNKNOWN_BEFORE = FileState("<before>", 0)


def disk_state(path: Path) -> FileState | None:
    """A file on disk as git would record it; None when absent or a folder."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return FileState(blob_digest(str(path.readlink()).encode()), 0o120000)
    if not stat.S_ISREG(info.st_mode):
        return None
    mode = 0o100755 if info.st_mode & stat.S_IXUSR else 0o100644
    return FileState(blob_digest(path.read_bytes()), mode)


def _git(cwd: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise LayerwiseError("`--since` needs git, and git was not found") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        raise LayerwiseError(
            f"git: {lines[-1] if lines else f'exit {proc.returncode}'}", path=str(cwd)
        )
    return proc.stdout


def _split(raw: bytes) -> list[str]:
    return [item.decode() for item in raw.split(b"\0") if item]


class Repository:
    """The git work tree holding a build context."""

    def __init__(self, context: Path, purpose: str = "`--since` compares with a commit") -> None:
        try:
            proc = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=context,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise LayerwiseError("`--since` needs git, and git was not found") from None
        if proc.returncode != 0:
            raise LayerwiseError(
                f"not inside a git repository ({purpose})",
                path=str(context),
            )
        self.root = Path(proc.stdout.decode().strip()).resolve()

    def commit(self, ref: str) -> str:
        proc = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            cwd=self.root,
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            raise LayerwiseError(f"`{ref}` names no commit of this repository", path=str(self.root))
        return proc.stdout.decode().strip()

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def changed(self, commit: str, under: str) -> list[str]:
        """Repository paths under `under` that differ between `commit` and the work tree
        (tracked changes, deletions, and untracked files git does not ignore)."""
        spec = ["--", under or "."]
        diff = _split(_git(self.root, "diff", "--no-renames", "--name-only", "-z", commit, *spec))
        others = _split(_git(self.root, "ls-files", "--others", "--exclude-standard", "-z", *spec))
        return sorted(set(diff) | set(others))

    def states(self, commit: str, paths: Iterable[str]) -> dict[str, FileState]:
        """The committed state of each path that exists in `commit`."""
        wanted = list(paths)
        if not wanted:
            return {}
        raw = _git(self.root, "ls-tree", "-z", "--full-tree", commit, "--", *wanted)
        out: dict[str, FileState] = {}
        for entry in _split(raw):
            meta, _, name = entry.partition("\t")
            mode, kind, blob = meta.split(" ")
            if kind == "blob":
                out[name] = FileState(blob, int(mode, 8))
        return out

    def first_parent(self, count: int) -> list[tuple[str, str]]:
        """The last `count` commits of HEAD's first-parent history and the parent of the
        oldest, oldest first, as (commit, subject): `count` + 1 entries."""
        raw = _git(
            self.root, "log", "--first-parent", f"--max-count={count + 1}", "--format=%H %s", "HEAD"
        )
        commits = [line.partition(" ")[::2] for line in raw.decode(errors="replace").splitlines()]
        if len(commits) <= count:
            raise LayerwiseError(
                f"the history has {len(commits) - 1} commit(s) with a parent, "
                f"fewer than the {count} asked for",
                path=str(self.root),
            )
        return list(reversed(commits))

    def diff(
        self, old: str, new: str, under: str
    ) -> dict[str, tuple[FileState | None, FileState | None]]:
        """Repository paths under `under` whose state differs between two commits, with their
        (old, new) states from git's raw diff (no blob is read)."""
        raw = _git(
            self.root,
            "diff-tree",
            "-r",
            "-z",
            "--raw",
            "--no-renames",
            old,
            new,
            "--",
            under or ".",
        )
        items = raw.split(b"\0")
        out: dict[str, tuple[FileState | None, FileState | None]] = {}
        for meta, name in zip(items[::2], items[1::2], strict=False):
            if not meta.startswith(b":"):
                continue
            old_mode, new_mode, old_blob, new_blob, _ = meta[1:].decode().split(" ")
            out[name.decode()] = (_entry(old_mode, old_blob), _entry(new_mode, new_blob))
        return out

    def tree(self, commit: str, under: str) -> dict[str, FileState]:
        """Every file under `under` in `commit`, with its state."""
        raw = _git(self.root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", under or ".")
        out: dict[str, FileState] = {}
        for entry in _split(raw):
            meta, _, name = entry.partition("\t")
            mode, kind, blob = meta.split(" ")
            if kind == "blob":
                out[name] = FileState(blob, int(mode, 8))
        return out

    def folders(self, commit: str, under: str) -> list[str]:
        """Every folder under `under` in `commit` (repository paths)."""
        raw = _git(
            self.root,
            "ls-tree",
            "-r",
            "-d",
            "--name-only",
            "-z",
            "--full-tree",
            commit,
            "--",
            under or ".",
        )
        return _split(raw)

    def texts(self, commit: str, paths: Iterable[str]) -> dict[str, str | None]:
        """Several files' text in `commit` with one git process (None when not there)."""
        wanted = list(paths)
        request = "".join(f"{commit}:{path}\n" for path in wanted).encode()
        try:
            proc = subprocess.run(
                ["git", "cat-file", "--batch"],
                cwd=self.root,
                input=request,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise LayerwiseError("git was not found") from None
        out: dict[str, str | None] = {}
        raw, at = proc.stdout, 0
        for path in wanted:
            end = raw.index(b"\n", at)
            header = raw[at:end]
            at = end + 1
            if header.endswith(b" missing") or header.endswith(b" ambiguous"):
                out[path] = None  # the answer echoes the request, which may hold spaces
                continue
            _, kind, size = header.split(b" ")
            body = raw[at : at + int(size)]
            at += int(size) + 1
            out[path] = body.decode("utf-8", "replace") if kind == b"blob" else None
        return out

    def text(self, commit: str, path: str) -> str | None:
        """A file's text in `commit`, None when it is not there."""
        proc = subprocess.run(
            ["git", "show", f"{commit}:{path}"], cwd=self.root, capture_output=True, check=False
        )
        return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None


def _entry(mode: str, blob: str) -> FileState | None:
    """A side of git's raw diff: mode 000000 means the path is absent there."""
    return None if int(mode, 8) == 0 else FileState(blob, int(mode, 8))


def change_since(
    ref: str,
    dockerfile: Path,
    context: BuildContext,
    *,
    build_args: Mapping[str, str],
    new_bases: frozenset[str],
) -> Change:
    """The work tree's build against the build of commit `ref`."""
    repo = Repository(context.root)
    commit = repo.commit(ref)
    root = context.root.resolve()
    under = repo.rel(root)
    prefix = "" if under == "." else under + "/"
    paths = repo.changed(commit, "" if under == "." else under)
    before = repo.states(commit, paths)
    new_text = read_text(dockerfile)
    old_text = _committed(repo, commit, dockerfile)
    ignore_file = context.ignore_file
    old_ignore = context.matcher
    if ignore_file is not None and _inside(ignore_file, repo.root):
        committed = repo.text(commit, repo.rel(ignore_file))
        old_ignore = IgnoreMatcher.from_text(committed or "")
    states: dict[str, tuple[FileState | None, FileState | None]] = {}
    for path in paths:
        rel = path[len(prefix) :] if path.startswith(prefix) else path
        states[rel] = (before.get(path), disk_state(root / rel))
    if old_ignore.patterns != context.matcher.patterns:
        for rel in _ignore_flips(root, old_ignore, context.matcher):
            if rel not in states:
                state = disk_state(root / rel)
                states[rel] = (state, state)
    return _change(old_text, new_text, build_args, new_bases, old_ignore, context.matcher, states)


def change_from_files(
    files: Iterable[Path],
    dockerfile: Path,
    context: BuildContext,
    *,
    build_args: Mapping[str, str],
    new_bases: frozenset[str],
    base: Change | None = None,
) -> Change:
    """The build after `files` changed (their previous content unknown), on top of `base`."""
    text = read_text(dockerfile)
    root = context.root.resolve()
    states: dict[str, tuple[FileState | None, FileState | None]] = {}
    for file in files:
        absolute = file.resolve() if file.exists() else file.parent.resolve() / file.name
        try:
            rel = absolute.relative_to(root).as_posix()
        except ValueError:
            raise LayerwiseError("is outside the build context", path=str(file)) from None
        states[rel] = (UNKNOWN_BEFORE, disk_state(absolute))
    if base is None:
        matcher = context.matcher
        return _change(text, text, build_args, new_bases, matcher, matcher, states)
    merged = dict(base.files)
    for rel, (old, new) in states.items():
        if rel not in merged and not context.matcher.is_ignored(rel):
            merged[rel] = FileChange(rel, old, new)
    return Change(base.old, base.new, merged)


def _committed(repo: Repository, commit: str, dockerfile: Path) -> str:
    if not _inside(dockerfile, repo.root):
        return read_text(dockerfile)  # not in the repository: the same file both times
    return repo.text(commit, repo.rel(dockerfile)) or ""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _ignore_flips(root: Path, old: IgnoreMatcher, new: IgnoreMatcher) -> list[str]:
    """Context files one .dockerignore keeps out and the other lets in."""
    out = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        rel_dir = Path(folder).relative_to(root).as_posix()
        for name in names:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if old.is_ignored(rel) != new.is_ignored(rel):
                out.append(rel)
    return out


def _change(
    old_text: str,
    new_text: str,
    build_args: Mapping[str, str],
    new_bases: frozenset[str],
    old_ignore: IgnoreMatcher,
    new_ignore: IgnoreMatcher,
    states: Mapping[str, tuple[FileState | None, FileState | None]],
) -> Change:
    old = Build(old_text, {}, old_ignore, {})
    new = Build(new_text, dict(build_args), new_ignore, dict.fromkeys(new_bases, "new"))
    return Change.between(old, new, states)
