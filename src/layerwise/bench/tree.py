"""Touching the user's tree safely: claim files, edit them, put the exact bytes back.

The bench edits tracked files of a git work tree only. Before touching a file it refuses to go
on when the file has uncommitted changes (the edit and the restore would clobber them), then it
keeps the file's bytes and mode; restoring writes them back through a temp file and a rename,
whatever happened in between (a failed build, an exception, Ctrl-C: `with TreeGuard(...)`).
A dependency command may touch any file, so for it the whole context must be clean and every
tracked file's bytes are kept; new untracked files it leaves are removed (ignored ones, such as
node_modules/, are not: git cannot tell which of them the command made).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from layerwise.errors import LayerwiseError


@dataclass(frozen=True, slots=True)
class Saved:
    data: bytes
    mode: int


def _git(context: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=context, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError as exc:
        raise LayerwiseError("git is needed to bench a context and was not found") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip().splitlines()
        raise LayerwiseError(
            f"`git {' '.join(args)}` failed: {message[-1] if message else proc.returncode}",
            path=str(context),
        )
    return proc.stdout


def _split_z(raw: bytes) -> list[str]:
    return [item.decode() for item in raw.split(b"\0") if item]


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` with `data` through a temp file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".layerwise", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).chmod(mode if mode is not None else path.stat().st_mode & 0o7777)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class TreeGuard:
    """Claims files of a git-tracked context before edits and restores them on exit."""

    def __init__(self, context: Path) -> None:
        self.context = context.resolve()
        inside = _git(self.context, "rev-parse", "--is-inside-work-tree").strip()
        if inside != b"true":
            raise LayerwiseError(
                "the build context is not inside a git work tree", path=str(context)
            )
        self._tracked: list[str] | None = None
        self._saved: dict[str, Saved] = {}
        self._untracked_before: set[str] | None = None

    def tracked_files(self) -> list[str]:
        """Files git tracks under the context, relative to it, `/`-separated."""
        if self._tracked is None:
            self._tracked = _split_z(_git(self.context, "ls-files", "-z", "--", "."))
        return self._tracked

    def _untracked(self) -> set[str]:
        return set(
            _split_z(
                _git(self.context, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
            )
        )

    def _path(self, rel: str) -> Path:
        path = (self.context / rel).resolve()
        if not path.is_relative_to(self.context):
            raise LayerwiseError(f"{rel} is outside the build context {self.context}")
        return path

    def claim(self, rel: str) -> None:
        """Make `rel` safe to edit: tracked, unchanged since the last commit, bytes kept."""
        if rel in self._saved:
            return
        path = self._path(rel)
        if rel not in set(self.tracked_files()):
            raise LayerwiseError(
                "the bench only edits files git tracks, so that they can be checked and restored",
                path=str(path),
            )
        if _git(self.context, "status", "--porcelain", "-z", "--", rel):
            raise LayerwiseError(
                "has uncommitted changes the bench would overwrite",
                path=str(path),
                hint="commit or set aside your changes first",
            )
        self._save(rel)

    def _save(self, rel: str) -> None:
        path = self._path(rel)
        self._saved[rel] = Saved(path.read_bytes(), path.stat().st_mode & 0o7777)

    def claim_context(self) -> None:
        """Make the whole context safe for an arbitrary command (the user's `--dep-command`)."""
        dirty = _split_z(
            _git(self.context, "status", "--porcelain", "-z", "--untracked-files=no", "--", ".")
        )
        if dirty:
            raise LayerwiseError(
                f"the context has uncommitted changes ({dirty[0][3:]} ...) that --dep-command "
                "could overwrite",
                path=str(self.context),
                hint="commit or set aside your changes first",
            )
        for rel in self.tracked_files():  # all clean (checked above): no git call per file
            path = self.context / rel
            if path.is_file() and not path.is_symlink() and rel not in self._saved:
                self._save(rel)
        self._untracked_before = self._untracked()

    def read(self, rel: str) -> bytes:
        """Current bytes of a claimed file."""
        return self._path(rel).read_bytes()

    def write(self, rel: str, data: bytes) -> None:
        """Replace a claimed file's content (atomically, mode kept)."""
        if rel not in self._saved:
            raise ValueError(f"{rel} was not claimed before writing")
        write_atomic(self._path(rel), data, self._saved[rel].mode)

    def restore(self) -> list[str]:
        """Put every claimed file back byte for byte; remove untracked files a command left.

        Returns the paths that had to be rewritten or removed.
        """
        with _no_interrupts():
            changed: list[str] = []
            for rel, saved in self._saved.items():
                path = self.context / rel
                try:
                    same = path.read_bytes() == saved.data and (
                        path.stat().st_mode & 0o7777 == saved.mode
                    )
                except FileNotFoundError:
                    same = False
                if not same:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(path, saved.data, saved.mode)
                    changed.append(rel)
            if self._untracked_before is not None:
                for rel in sorted(self._untracked() - self._untracked_before):
                    (self.context / rel).unlink(missing_ok=True)
                    changed.append(rel)
            return changed

    def __enter__(self) -> TreeGuard:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.restore()


@contextlib.contextmanager
def _no_interrupts() -> Iterator[None]:
    """A second Ctrl-C must not stop a restore half way; it is delivered after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if pending:
            raise KeyboardInterrupt
