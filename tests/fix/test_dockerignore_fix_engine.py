"""The .dockerignore the LW601 and LW702 fixes write, against the real BuildKit: the files it
leaves out no longer reach the image, and every other file still does."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from layerwise.context import BuildContext
from layerwise.engine.client import Client
from layerwise.fix.files import run_file
from layerwise.rules.base import Settings

pytestmark = pytest.mark.engine

BASE = "debian:bookworm-slim"
# The app stage is the image; the scratch stage exports what its `COPY . .` put in /app.
DOCKERFILE = f"""FROM {BASE} AS app
WORKDIR /app
COPY . .
RUN test -f main.py

FROM scratch
COPY --from=app /app /
"""
FILES = {
    "main.py": "print('hi')\n",
    "pkg/util.py": "X = 1\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".git/objects/ab/cdef": "blob\n",
    "pkg/__pycache__/util.cpython-311.pyc": "bytecode\n",
    ".pytest_cache/v/cache/lastfailed": "{}\n",
    "debug.log": "log\n",
    "deploy/id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\n",
}
LEFT_OUT = {
    ".git/HEAD", ".git/objects/ab/cdef", "pkg/__pycache__/util.cpython-311.pyc",
    ".pytest_cache/v/cache/lastfailed", "debug.log", "deploy/id_ed25519",
}  # fmt: skip


def _exported(client: Client, context: Path, out: Path) -> set[str]:
    argv = ["buildx", "build"] if client.kind == "buildx" else ["build"]
    client.check(*argv, "-q", "-o", f"type=local,dest={out}", str(context), timeout=600)
    return {
        (Path(d) / name).relative_to(out).as_posix()
        for d, _, names in os.walk(out)
        for name in names
    }


def test_fixed_dockerignore_keeps_the_clutter_and_the_key_out(
    buildkit: Client, require_image: Callable[[str], None], tmp_path: Path
) -> None:
    require_image(BASE)
    context = tmp_path / "ctx"
    for rel, text in {**FILES, "Dockerfile": DOCKERFILE}.items():
        (context / rel).parent.mkdir(parents=True, exist_ok=True)
        (context / rel).write_text(text)
    before = _exported(buildkit, context, tmp_path / "before")
    assert before >= LEFT_OUT  # without a .dockerignore, all of it is in the image

    outcome = run_file(
        context / "Dockerfile", settings=Settings(select=("LW6", "LW7")), fix=True, write=True
    )
    assert outcome.fix is not None and outcome.fix.bugs == ()
    assert (context / "Dockerfile").read_text() == DOCKERFILE
    assert (context / ".dockerignore").is_file()

    after = _exported(buildkit, context, tmp_path / "after")
    assert not after & LEFT_OUT
    assert after == (before - LEFT_OUT) | {".dockerignore"}
    predicted = set(BuildContext.open(context, context / "Dockerfile").files())
    assert after == predicted


GO_BASE = "golang:1.19"
# `go build` stamps the commit from .git into the binary (-buildvcs=auto); the scratch stage
# exports what `go version -m` reads back.
GO_DOCKERFILE = f"""FROM {GO_BASE} AS build
WORKDIR /src
COPY . .
RUN go build -o /app . && go version -m /app > /buildinfo.txt

FROM scratch
COPY --from=build /buildinfo.txt /
"""


def _revision(out: Path) -> list[str]:
    return [
        ln.strip() for ln in (out / "buildinfo.txt").read_text().splitlines() if "vcs.rev" in ln
    ]


def test_fixed_dockerignore_keeps_git_for_go_vcs_stamping(
    buildkit: Client, require_image: Callable[[str], None], tmp_path: Path
) -> None:
    require_image(GO_BASE)
    context = tmp_path / "ctx"
    files = {
        "go.mod": "module example.com/app\n\ngo 1.19\n",
        "main.go": "package main\n\nfunc main() {}\n",
        "debug.log": "log\n",
        "Dockerfile": GO_DOCKERFILE,
    }
    for rel, text in files.items():
        (context / rel).parent.mkdir(parents=True, exist_ok=True)
        (context / rel).write_text(text)
    git = ["git", "-C", str(context), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "init"], check=True)
    before = _revision(_built(buildkit, context, tmp_path / "before"))
    assert before, "the original build stamps the commit"

    outcome = run_file(
        context / "Dockerfile", settings=Settings(select=("LW6",)), fix=True, write=True
    )
    assert outcome.fix is not None and outcome.fix.bugs == ()
    assert _revision(_built(buildkit, context, tmp_path / "after")) == before
    ignore = (context / ".dockerignore").read_text().split()
    assert "*.log" in ignore and ".git" not in ignore


def _built(client: Client, context: Path, out: Path) -> Path:
    _exported(client, context, out)
    return out
