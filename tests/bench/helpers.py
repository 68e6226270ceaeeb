"""A tiny git-tracked app and a stand-in engine for the bench's unit tests.

`FakeBackend` stands in for the engine only (the engine's behaviour is tested for real in
tests/engine and by the engine-marked tests here): it derives cache hits and layers from the
bytes of the context's files, so an edit really shows up as a rebuilt step and a new layer. It
keeps a registry too: a push stores each platform's layers under the tag, a registry or local
cache export stores the cache keys under its ref, and an import brings them back after a prune.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from layerwise.engine import Blob, BuildRequest, BuildResult, BuildStep, Layer

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


def _step(
    number: int,
    total: int,
    instruction: str,
    cached: bool,
    seconds: float,
    platform: str | None = None,
) -> BuildStep:
    prefix = f"{platform} " if platform else ""
    return BuildStep(
        vertex=number,
        name=f"[{prefix}{number}/{total}] {instruction}",
        stage=None,
        instruction=instruction,
        index=number,
        total=total,
        cached=cached,
        seconds=0.0 if cached else seconds,
        error=None,
        status="cached" if cached else "done",
        platform=platform,
    )


def _cache_ref(spec: str) -> str:
    """`type=registry,ref=R,mode=max` -> R; `type=local,dest=D` / `src=D` -> D."""
    fields = dict(part.split("=", 1) for part in spec.split(","))
    return fields.get("ref") or fields.get("dest") or fields.get("src") or ""


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
        self.registry: dict[str, dict[str, tuple[Blob, ...]]] = {}  # tag -> platform -> blobs
        self.remote_caches: dict[str, set[str]] = {}  # cache ref or directory -> keys
        self.forgotten: list[str] = []
        self.keeps: Callable[[str], bool] = lambda ref: False  # refs the registry won't delete

    def describe(self) -> str:
        return "fake"

    def builder_name(self) -> str:
        return "fake builder"

    def default_platform(self) -> str:
        return "linux/amd64"

    def pushed(self, ref: str, platform: str) -> dict[str, tuple[Blob, ...]]:
        return self.registry[ref]

    def forget(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        self.events.append("forget")
        self.forgotten += refs
        for ref in refs:
            if not self.keeps(ref):
                self.registry.pop(ref, None)
                self.remote_caches.pop(ref, None)
        return tuple(ref for ref in refs if self.keeps(ref))

    def build(self, request: BuildRequest) -> BuildResult:
        self.builds.append(request)
        self.events.append("build")
        tree = snapshot(request.context)
        self.seen_trees.append(tree)
        if self.fail_on(len(self.builds)):
            raise RuntimeError("engine exploded")
        for spec in request.cache_from:
            self.cache |= self.remote_caches.get(_cache_ref(spec), set())
        platforms = (request.platform or "").split(",") if request.platform else [None]
        app_files = b"".join(rel.encode() + tree[rel] for rel in tree if rel.startswith("app/"))
        steps: list[BuildStep] = []
        keys: dict[str, tuple[str, str]] = {}
        for platform in platforms:
            arch = (platform or "native").encode()
            deps_key = _digest(b"deps", arch, tree["requirements.txt"])
            app_key = _digest(b"app", deps_key.encode(), app_files)
            keys[platform or "linux/amd64"] = (deps_key, app_key)
            labelled = platform if len(platforms) > 1 else None
            steps.append(_step(1, 3, "FROM python:3.11-slim", False, 0.0, labelled))
            steps.append(
                _step(
                    2, 3, "RUN pip install -r requirements.txt", deps_key in self.cache, 5, labelled
                )
            )
            steps.append(_step(3, 3, "COPY app/ ./app/", app_key in self.cache, 1, labelled))
        built = {key for pair in keys.values() for key in pair}
        self.cache |= built
        for spec in request.cache_to:
            if not spec.startswith("type=inline"):
                self.remote_caches[_cache_ref(spec)] = set(built)
        native_deps, native_app = next(iter(keys.values()))
        image = _digest(b"image", native_app.encode())
        self.images[image] = [
            Layer("sha256:base", 100_000, "base"),
            Layer(native_deps, 50_000, "RUN pip"),
            Layer(_digest(b"layer", app_files), len(app_files), "COPY"),
        ]
        if request.push and request.tag:
            self.registry[request.tag] = {
                platform: (
                    Blob("sha256:base-" + platform, 40_000),
                    Blob(deps + "-gz", 20_000),
                    Blob(_digest(b"gz", app.encode(), app_files), 1_000),
                )
                for platform, (deps, app) in keys.items()
            }
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
