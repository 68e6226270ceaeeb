"""The fixture apps build on the real BuildKit and their images hold a working program.

node-nest is built by the bench test in tests/cli/test_bench_cmd.py (its slowest app). go-api's
cross-compiling Dockerfile.cross is also built for linux/arm64 and run under QEMU. The apps of
issue 9 (FIXED_APPS) build from their naive Dockerfile.before and from layerwise's
Dockerfile.fixed (tests/golden/test_apps_fixed.py keeps it the fixer's output): the fixed image
keeps the naive one's runtime configuration and app files, and serves HTTP.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from layerwise.engine import BuildRequest, Client, run_build

APPS = Path(__file__).resolve().parents[1] / "apps"

# app -> (base image it needs, entrypoint override or None, arguments): a run of the built image
# that proves the program is in it.
SMOKE: dict[str, tuple[str, str | None, list[str]]] = {
    "python-web": (
        "python:3.11-slim",
        None,
        ["python3", "-c", "from app.main import app; print(app.name)"],
    ),
    "python-uv": (
        "python:3.11-slim",
        None,
        ["python", "-c", "from webapp.main import app; print(app.title)"],
    ),
    "go-api": ("golang:1.19", "/bin/ls", ["-l", "/usr/local/bin/go-api"]),
}


# app -> (base image, port it serves on, files under WORKDIR that may differ between the naive
# and the fixed image: each records when it was written, or in what order, not what was
# installed; cargo writes its cache of `rustc -vV` from a hash map, in no fixed order).
FIXED_APPS: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "go-replace": ("golang:1.19", 8080, ()),
    "node-pnpm": ("node:20", 8080, ("node_modules/.modules.yaml",)),
    "node-yarn": ("node:20", 3000, ()),
    "node-yarn-berry": ("node:20", 3000, ()),
    "python-pipenv": ("python:3.11-slim", 8080, ()),
    "python-poetry": ("python:3.11-slim", 8000, ()),
    "rust-api": ("rust:1.63", 8080, ("target/.rustc_info.json",)),
}
# app -> (folder under WORKDIR that the fixed image keeps in a cache mount instead, the files
# of it the fixed image copies back): the naive image's build intermediates there (cargo's
# deps, fingerprints) are not the app's files, and the fixed image may lack them.
KEPT_IN_MOUNT: dict[str, tuple[str, tuple[str, ...]]] = {
    "rust-api": ("target/", ("target/release/rust-api",)),
}
# What a deployment sees of an image besides its files.
RUNTIME_CONFIG = ("Cmd", "Entrypoint", "Env", "User", "WorkingDir", "ExposedPorts")


@pytest.fixture(scope="module")
def engine(buildkit: Client) -> Client:
    return buildkit


@pytest.mark.engine
@pytest.mark.parametrize("app", sorted(SMOKE))
def test_fixture_app_builds_and_runs(engine: Client, app: str) -> None:
    base, entrypoint, args = SMOKE[app]
    if engine.run("image", "inspect", base).returncode != 0:
        pytest.skip(f"base image {base} missing (run scripts/engine-up)")
    tag = f"layerwise-fixture-test/{app}:{uuid.uuid4().hex[:12]}"
    result = run_build(engine, BuildRequest(APPS / app / "Dockerfile", APPS / app, tag=tag))
    try:
        assert result.ok, result.error
        override = ["--entrypoint", entrypoint] if entrypoint else []
        proc = engine.run("run", "--rm", *override, tag, *args, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip()
    finally:
        engine.run("image", "rm", tag)


@pytest.mark.engine
@pytest.mark.parametrize("app", sorted(FIXED_APPS))
def test_fixed_app_keeps_the_naive_image_and_serves(
    engine: Client, require_image: Callable[[str], None], app: str
) -> None:
    base, port, may_differ = FIXED_APPS[app]
    require_image(base)
    run = uuid.uuid4().hex[:12]
    tags = {v: f"layerwise-fixture-test/{app}-{v}:{run}" for v in ("before", "fixed")}
    container = ""
    try:
        # Both at once: BuildKit runs their common steps once and the rest overlap.
        requests = [
            BuildRequest(APPS / app / f"Dockerfile.{variant}", APPS / app, tag=tag)
            for variant, tag in tags.items()
        ]
        with ThreadPoolExecutor(max_workers=len(requests)) as pool:
            results = list(pool.map(lambda r: run_build(engine, r), requests))
        for variant, result in zip(tags, results, strict=True):
            assert result.ok, f"{variant}: {result.error}\n{result.log[-3000:]}"
        before, fixed = (_config(engine, tags[v]) for v in ("before", "fixed"))
        assert {k: fixed.get(k) for k in RUNTIME_CONFIG} == {
            k: before.get(k) for k in RUNTIME_CONFIG
        }
        workdir = str(before["WorkingDir"])
        before_files, fixed_files = (
            _files(engine, tags[v], workdir, may_differ) for v in ("before", "fixed")
        )
        assert before_files
        folder, copied = KEPT_IN_MOUNT.get(app, ("", ()))
        if folder:
            kept = {p for p in fixed_files if p.startswith(folder)}
            assert kept <= {p for p in before_files if p.startswith(folder)}
            assert set(copied) <= kept
            before_files = {p: d for p, d in before_files.items() if not p.startswith(folder)}
            fixed_files = {p: d for p, d in fixed_files.items() if not p.startswith(folder)}
        assert fixed_files == before_files
        container = engine.check("run", "-d", "-p", f"127.0.0.1::{port}", tags["fixed"]).strip()
        assert _ask(engine, container, port, "/health") == {"status": "ok"}
        assert _ask(engine, container, port, "/?name=layerwise") == {"message": "Hello, layerwise!"}
    finally:
        if container:
            engine.run("rm", "--force", container)
        engine.run("image", "rm", *tags.values())


def _config(engine: Client, tag: str) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(engine.check("image", "inspect", tag))[0]["Config"]
    return config


def _files(engine: Client, tag: str, directory: str, may_differ: tuple[str, ...]) -> dict[str, str]:
    """sha256 of every file (and target of every symlink) under `directory`, as root."""
    script = (
        f"cd {directory} && find . -type f -print0 | xargs -0 -r sha256sum"
        " && find . -type l -printf 'link %p -> %l\\n'"
    )
    out = engine.check("run", "--rm", "--user", "0", "--entrypoint", "sh", tag, "-c", script)
    files: dict[str, str] = {}
    for line in out.splitlines():
        if line.startswith("link "):
            path, _, target = line[5:].partition(" -> ")
            files[path.removeprefix("./")] = f"-> {target}"
        else:
            digest, _, path = line.partition("  ")
            files[path.removeprefix("./")] = digest
    return {p: d for p, d in files.items() if p not in may_differ}


# ELF e_machine (bytes 18-19, little endian) of an arm64 program.
ELF_AARCH64 = 0xB7


@pytest.mark.engine
def test_go_api_cross_compiled_for_arm64_runs_under_qemu(engine: Client, tmp_path: Path) -> None:
    """Dockerfile.cross compiles on the build platform for $TARGETARCH; its arm64 image holds an
    arm64 program (an amd64 one would run natively and prove nothing) that serves HTTP."""
    if "linux/arm64" not in engine.platforms:
        pytest.skip("the builder cannot build linux/arm64 (QEMU not registered)")
    if engine.run("image", "inspect", "golang:1.19").returncode != 0:
        pytest.skip("base image golang:1.19 missing (run scripts/engine-up)")
    app = APPS / "go-api"
    tag = f"layerwise-fixture-test/go-api-cross:{uuid.uuid4().hex[:12]}"
    result = run_build(
        engine, BuildRequest(app / "Dockerfile.cross", app, platform="linux/arm64", tag=tag)
    )
    container = ""
    try:
        assert result.ok, result.error
        compile_step = next(s for s in result.steps if "go build" in s.instruction)
        assert compile_step.platform is None or compile_step.platform == "linux/arm64"
        container = engine.check(
            "run", "-d", "--platform", "linux/arm64", "-p", "127.0.0.1::8080", tag
        ).strip()
        engine.check("cp", f"{container}:/usr/local/bin/go-api", str(tmp_path / "go-api"))
        header = (tmp_path / "go-api").read_bytes()[:20]
        assert header[:4] == b"\x7fELF"
        assert int.from_bytes(header[18:20], "little") == ELF_AARCH64
        assert _ask(engine, container, 8080, "/health") == {"status": "ok"}
    finally:
        if container:
            engine.run("rm", "--force", container)
        engine.run("image", "rm", tag)


def _ask(engine: Client, container: str, port: int, path: str) -> object:
    """The JSON the container answers on `path` of its published `port`."""
    address = engine.check("port", container, str(port)).splitlines()[0].strip()
    return _get_json(f"http://{address}{path}")


def _get_json(url: str) -> object:
    """GET `url` and decode its JSON, retrying while the emulated server starts."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.engine
def test_rust_api_source_edit_recompiles_the_app_alone_and_ships_the_edit(
    engine: Client, require_image: Callable[[str], None], tmp_path: Path
) -> None:
    """Dockerfile.fixed keeps cargo's target folder in a cache mount: after a source edit the
    build compiles the package and no crate, and the image serves the edited program (cargo
    judges freshness by the sources' times: a stale binary copied out would still say Hello)."""
    require_image("rust:1.63")
    app = tmp_path / "rust-api"
    shutil.copytree(APPS / "rust-api", app)
    tag = f"layerwise-fixture-test/rust-api-edit:{uuid.uuid4().hex[:12]}"
    request = BuildRequest(app / "Dockerfile.fixed", app, tag=tag)
    container = ""
    try:
        first = run_build(engine, request)
        assert first.ok, f"{first.error}\n{first.log[-3000:]}"
        greet = app / "src" / "greet.rs"
        greet.write_text(greet.read_text().replace('"Hello, {}!"', '"Hi, {}!"'))
        second = run_build(engine, request)
        assert second.ok, f"{second.error}\n{second.log[-3000:]}"
        assert "Compiling rust-api" in second.log
        assert "Compiling serde" not in second.log, second.log[-3000:]
        container = engine.check("run", "-d", "-p", "127.0.0.1::8080", tag).strip()
        assert _ask(engine, container, 8080, "/?name=layerwise") == {"message": "Hi, layerwise!"}
    finally:
        if container:
            engine.run("rm", "--force", container)
        engine.run("image", "rm", tag)
