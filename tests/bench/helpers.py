"""A tiny git-tracked app and a stand-in engine for the bench's unit tests.

`FakeBackend` stands in for the engine only (the engine's behaviour is tested for real in
tests/engine and by the engine-marked tests here): it derives cache hits and layers from the
bytes of the context's files, so an edit really shows up as a rebuilt step and a new layer.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from layerwise.engine import BuildRequest, BuildResult, BuildStep, Layer

APP_FILES = {
    "Dockerfile": (
        "FROM python:3.11-slim\n"
        "WORKDIR /app\n"
        "COPY requirements.txt ./\n"
        "RUN pip install -r requirements.txt\n"
        "COPY app/ ./app/\n"
        'CMD ["python", "-m", "app.main"]\n'
    ),
    ".dockerignore": "README.md\n",
    "README.md": "# tiny\n",
    "requirements.txt": "# no dependencies\n",
    "app/__init__.py": "",
    "app/main.py": 'print("hello")\n',
}


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    return subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout


def make_repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "init")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root (but .git) with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _digest(*parts: bytes) -> str:
    return "sha256:" + hashlib.sha256(b"\0".join(parts)).hexdigest()


def _step(number: int, total: int, instruction: str, cached: bool, seconds: float) -> BuildStep:
    return BuildStep(
        vertex=number,
        name=f"[{number}/{total}] {instruction}",
        stage=None,
        instruction=instruction,
        index=number,
        total=total,
        cached=cached,
        seconds=0.0 if cached else seconds,
        error=None,
        status="cached" if cached else "done",
    )


class FakeBackend:
    """Two cacheable steps keyed on file bytes: deps (requirements.txt), then the app (app/)."""

    def __init__(self, fail_on: Callable[[int], bool] = lambda n: False) -> None:
        self.cache: set[str] = set()
        self.builds: list[BuildRequest] = []
        self.seen_trees: list[dict[str, bytes]] = []
        self.events: list[str] = []
        self.removed: list[str] = []
        self.fail_on = fail_on
        self.images: dict[str, list[Layer]] = {}

    def describe(self) -> str:
        return "fake"

    def builder_name(self) -> str:
        return "fake builder"

    def build(self, request: BuildRequest) -> BuildResult:
        self.builds.append(request)
        self.events.append("build")
        tree = snapshot(request.context)
        self.seen_trees.append(tree)
        if self.fail_on(len(self.builds)):
            raise RuntimeError("engine exploded")
        deps_key = _digest(b"deps", tree["requirements.txt"])
        app_files = b"".join(rel.encode() + tree[rel] for rel in tree if rel.startswith("app/"))
        app_key = _digest(b"app", deps_key.encode(), app_files)
        steps = [_step(1, 3, "FROM python:3.11-slim", False, 0.0)]
        steps.append(_step(2, 3, "RUN pip install -r requirements.txt", deps_key in self.cache, 5))
        steps.append(_step(3, 3, "COPY app/ ./app/", app_key in self.cache, 1))
        self.cache.update({deps_key, app_key})
        image = _digest(b"image", app_key.encode())
        self.images[image] = [
            Layer("sha256:base", 100_000, "base"),
            Layer(deps_key, 50_000, "RUN pip"),
            Layer(_digest(b"layer", app_files), len(app_files), "COPY"),
        ]
        seconds = 1.0 + sum(s.seconds for s in steps)
        return BuildResult(True, seconds, steps, image, request.tag, "", None)

    def prune(self) -> None:
        self.events.append("prune")
        self.cache.clear()

    def layers(self, image: str) -> list[Layer]:
        return self.images[image]

    def size(self, image: str) -> int:
        return sum(layer.size for layer in self.images[image])

    def remove(self, image: str) -> None:
        self.removed.append(image)
