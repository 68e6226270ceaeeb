"""Deterministic git histories of real-shaped commits on copies of the fixture apps, for
`replay` (tests/cache/test_replay*.py).

    python tests/cache/histories.py APP DEST      # APP: a folder of tests/apps; DEST must not exist

A history is the app (its files but its Dockerfiles) with one of its Dockerfiles committed as
`Dockerfile` (the root commit, "import APP"), then one commit per change a team makes, each
with its kind. Author, committer and dates are fixed: the same history gives the same commit
ids on every machine. The histories themselves: node_nest_history.py and app_histories.py.

Kinds, and what they promise about the build (test_replay_apps.py holds every commit to it):
    src, config, docs  files the image's COPY sends, none the dependency install of the
                  manifests-first Dockerfile reads (docs: a README once .dockerignore lets it in)
    dep           a manifest, lockfile or installer setting the dependency install reads
    ignored       only files no COPY sends (kept out by .dockerignore, or selected by none):
                  nothing rebuilds
    dockerfile    the Dockerfile (which .dockerignore keeps out) edits a step
    dockerignore  .dockerignore itself, changing what a COPY sends
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

APPS = Path(__file__).resolve().parents[1] / "apps"
START = 1_780_000_000  # the root commit's time; each commit is an hour later
KINDS = ("src", "config", "docs", "dep", "ignored", "dockerfile", "dockerignore")

Edit = Callable[[Path], None]


def replace(path: str, old: str, new: str) -> Edit:
    """Replace the one occurrence of `old` in `path` (a fixture drift fails loudly)."""

    def apply(root: Path) -> None:
        target = root / path
        text = target.read_text()
        if text.count(old) != 1:
            raise AssertionError(f"{path}: expected one `{old}`, found {text.count(old)}")
        target.write_text(text.replace(old, new))

    return apply


def write(path: str, text: str, mode: int = 0o644) -> Edit:
    def apply(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        target.chmod(mode)

    return apply


def delete(path: str) -> Edit:
    return lambda root: (root / path).unlink()


def chmod(path: str, mode: int) -> Edit:
    return lambda root: (root / path).chmod(mode)


@dataclass(frozen=True)
class Commit:
    kind: str  # one of KINDS
    subject: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class AppHistory:
    """An app's history: `dockerfile` (in the app folder) is the root commit's Dockerfile;
    `fixed` is the app's manifests-first Dockerfile, never committed (replayed from disk), or
    None when `dockerfile` is already that; `install` is a word of the dependency install's
    RUN in the manifests-first file, None when the app installs nothing."""

    app: str
    commits: tuple[Commit, ...]
    install: str | None
    dockerfile: str = "Dockerfile.before"
    fixed: str | None = "Dockerfile.fixed"

    @property
    def folder(self) -> Path:
        return APPS / self.app

    def taken(self) -> list[str]:
        """What the repository takes from the fixture: all but its Dockerfiles."""
        return sorted(p.name for p in self.folder.iterdir() if not p.name.startswith("Dockerfile"))


def _git(root: Path, *args: str, when: int) -> None:
    stamp = f"@{when} +0000"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "fixture",
        "GIT_AUTHOR_EMAIL": "fixture@layerwise",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": "fixture",
        "GIT_COMMITTER_EMAIL": "fixture@layerwise",
        "GIT_COMMITTER_DATE": stamp,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def checkout(repo: Path, commit: str) -> None:
    """The work tree at `commit` (detached), as a build of that commit sees it."""
    subprocess.run(
        ["git", "checkout", "-q", "--detach", commit], cwd=repo, check=True, capture_output=True
    )


def make_history(
    history: AppHistory,
    dest: Path,
    commits: tuple[Commit, ...] | None = None,
    dockerfile: str | None = None,
) -> list[str]:
    """Create the repository at `dest` (which must not exist); returns the commits' kinds,
    root commit first (`root`). `commits` replaces the history's commits and `dockerfile` the
    root commit's Dockerfile text (the engine tests' tiny variants)."""
    dest.mkdir(parents=True)
    for name in history.taken():
        source = history.folder / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    shutil.copy2(history.folder / history.dockerfile, dest / "Dockerfile")
    if dockerfile is not None:
        (dest / "Dockerfile").write_text(dockerfile)
    for path in dest.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    _git(dest, "init", "-q", "-b", "main", when=START)
    _git(dest, "config", "core.fileMode", "true", when=START)
    _git(dest, "add", "-A", when=START)
    _git(dest, "commit", "-q", "-m", f"import {history.app}", when=START)
    chosen = history.commits if commits is None else commits
    for n, commit in enumerate(chosen, start=1):
        for edit in commit.edits:
            edit(dest)
        _git(dest, "add", "-A", when=START + 3600 * n)
        _git(dest, "commit", "-q", "-m", commit.subject, when=START + 3600 * n)
    return ["root", *(commit.kind for commit in chosen)]


if __name__ == "__main__":
    # Run as a script: import the histories as the tests do (tests/ on the path).
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from cache.app_histories import HISTORIES

    if len(sys.argv) != 3 or sys.argv[1] not in HISTORIES:
        sys.exit(f"usage: histories.py {{{','.join(HISTORIES)}}} DEST")
    make_history(HISTORIES[sys.argv[1]], Path(sys.argv[2]))
