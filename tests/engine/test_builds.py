"""Real builds on the engine: step parsing, cache behaviour, layer diffing, discovery."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from layerwise.engine import (
    Client,
    find_client,
    image_layers,
    image_size,
    new_layers,
    probe,
)
from layerwise.errors import EngineError

from .conftest import BASE, Builder

pytestmark = pytest.mark.engine


def write(path: Path, text: str) -> None:
    path.write_text(text)


def test_first_build_executes_and_second_is_cached(
    build: Builder, tmp_path: Path, token: str
) -> None:
    write(tmp_path / "a.txt", "hello\n")
    write(
        tmp_path / "Dockerfile",
        f"FROM {BASE} AS base\nWORKDIR /app\nCOPY a.txt ./\n"
        f"RUN echo {token} && cat a.txt > b.txt\n\n"
        "FROM base AS final\nRUN cat /app/b.txt\n",
    )
    lines: list[str] = []
    first = build(progress_sink=lines.append)
    assert first.ok, first.log
    assert first.image_id is not None and first.image_id.startswith("sha256:")
    assert lines and "".join(f"{line}\n" for line in lines) == first.log
    steps = {s.name: s for s in first.steps if s.keyword != "FROM"}
    assert set(steps) == {
        "[base 2/4] WORKDIR /app",
        "[base 3/4] COPY a.txt ./",
        f"[base 4/4] RUN echo {token} && cat a.txt > b.txt",
        "[final 1/1] RUN cat /app/b.txt",
    }
    run = steps[f"[base 4/4] RUN echo {token} && cat a.txt > b.txt"]
    assert (run.stage, run.cached, run.status) == ("base", False, "done")
    assert run.output == (token,)
    # The COPY and WORKDIR may hit an earlier run's cache; the token makes the RUNs new.
    assert not steps["[final 1/1] RUN cat /app/b.txt"].cached

    second = build()
    assert second.ok and second.image_id == first.image_id
    assert all(s.cached for s in second.steps if s.keyword != "FROM")
    assert second.cached_steps >= 4


def test_copy_is_busted_by_content_not_by_touch(build: Builder, tmp_path: Path, token: str) -> None:
    source = tmp_path / "app.txt"
    write(source, f"{token} v1\n")
    write(tmp_path / "Dockerfile", f"FROM {BASE}\nCOPY app.txt /app/\nRUN cat /app/app.txt\n")
    assert build().ok

    later = time.time() + 3600
    os.utime(source, (later, later))
    touched = {s.keyword: s for s in build().steps}
    assert touched["COPY"].cached and touched["RUN"].cached

    write(source, f"{token} v2\n")
    edited = build()
    changed = {s.keyword: s for s in edited.steps}
    assert not changed["COPY"].cached and not changed["RUN"].cached
    assert changed["RUN"].output == (f"{token} v2",)


BLOCK = 4096


def test_source_only_change_yields_one_new_layer_of_its_size(
    engine: Client, build: Builder, tmp_path: Path, token: str
) -> None:
    write(tmp_path / "deps.txt", token)
    write(tmp_path / "src.txt", "x" * 1000)
    write(
        tmp_path / "Dockerfile",
        f"FROM {BASE}\nENV APP=demo\nWORKDIR /srv\nCOPY deps.txt ./\n"
        'RUN head -c 200000 /dev/zero > deps.bin\nCOPY src.txt ./\nCMD ["cat", "src.txt"]\n',
    )
    before = build(tag=f"layerwise-test/diff:{token[:12]}-1")
    assert before.ok, before.log
    write(tmp_path / "src.txt", "y" * 4321)
    after = build(tag=f"layerwise-test/diff:{token[:12]}-2")
    assert after.ok, after.log

    old = image_layers(engine, f"layerwise-test/diff:{token[:12]}-1")
    new = image_layers(engine, f"layerwise-test/diff:{token[:12]}-2")
    base = image_layers(engine, BASE)
    # base + WORKDIR (a 0-byte layer) + COPY + RUN + COPY; ENV and CMD make none.
    assert len(new) == len(base) + 4
    assert new[: len(base)] == base
    # The containerd store reports disk usage: whole 4 KiB blocks, the layer's directories too.
    content = [0, len(token), 200000, 4321]
    sizes = [layer.size for layer in new[len(base) :]]
    assert all(0 <= size - exact < 4 * BLOCK for size, exact in zip(sizes, content, strict=True))
    assert new[-1].created_by.startswith("COPY src.txt")

    (fresh,) = new_layers(new, old)
    assert fresh == new[-1] and 4321 <= fresh.size < 4321 + 4 * BLOCK
    assert new_layers(new, None) == new
    assert new_layers(old, old) == []
    assert image_size(engine, f"layerwise-test/diff:{token[:12]}-2") == sum(
        layer.size for layer in new
    )


def test_failed_build_reports_the_step_and_message(
    build: Builder, tmp_path: Path, token: str
) -> None:
    write(tmp_path / "Dockerfile", f"FROM {BASE}\nRUN echo {token} && ls /nowhere\n")
    result = build()
    assert not result.ok and result.image_id is None
    assert result.error is not None and "exit code: 2" in result.error
    (failed,) = [s for s in result.steps if s.status == "error"]
    assert failed.instruction == f"RUN echo {token} && ls /nowhere"
    # stdout and stderr reach BuildKit on two pipes read apart, so their lines may come in either
    # order (CI once printed the ls error first); each line must be there, whole and once.
    assert sorted(failed.output) == sorted(
        [token, "ls: cannot access '/nowhere': No such file or directory"]
    )


def test_dockerfile_syntax_error_is_reported(build: Builder, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {BASE}\nNOPE something\n")
    result = build()
    assert not result.ok
    assert result.error is not None and "unknown instruction" in result.error.lower()


def test_inline_cache_build_pushes_to_the_local_registry(
    engine: Client, build: Builder, tmp_path: Path, token: str
) -> None:
    registry_tag = f"127.0.0.1:5000/layerwise-test:{token[:12]}"
    write(tmp_path / "Dockerfile", f"FROM {BASE}\nRUN echo {token} > /t\n")
    result = build(tag=registry_tag, cache_to=("type=inline",))
    assert result.ok, result.log
    push = subprocess.run(
        [engine.path, "push", registry_tag], capture_output=True, text=True, check=False
    )
    if push.returncode != 0 and "connection refused" in push.stderr:
        pytest.skip("no registry on 127.0.0.1:5000 (run scripts/engine-up)")
    assert push.returncode == 0, push.stderr
    again = build(tag=registry_tag, cache_from=(f"type=registry,ref={registry_tag}",))
    assert again.ok, again.log
    assert all(s.cached for s in again.steps if s.keyword == "RUN")


# --- client discovery on this machine ---------------------------------------------------------

LEGACY = "/usr/bin/docker"
NEW_CLI = "/usr/local/bin/docker"


def machine_has(path: str) -> None:
    if not Path(path).exists():
        pytest.skip(f"{path} not on this machine")


def test_discovery_finds_a_working_client(engine: Client) -> None:
    client = find_client()
    assert client.server_version
    if client.kind == "legacy":
        assert client.env()["DOCKER_BUILDKIT"] == "1"


# A Docker 23+ CLI whose buildx plugin is missing: it answers `version` and refuses `buildx`.
# (This machine's own CLIs all find the plugin now, so the rejected one is stood in for.)
CLI_WITHOUT_BUILDX = """#!/bin/sh
case "$1" in
  buildx) echo "docker: 'buildx' is not a docker command." >&2; exit 1 ;;
  version) echo '{"Client": {"Version": "28.2.2"}}' ;;
  *) exit 1 ;;
esac
"""


def test_discovery_skips_a_new_cli_without_buildx(
    engine: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub = tmp_path / "docker"
    stub.write_text(CLI_WITHOUT_BUILDX)
    stub.chmod(0o755)
    rejected, reason = probe(str(stub))
    assert rejected is None and "only through buildx" in reason
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    client = find_client()  # the stub is first on PATH; a client that can build follows it
    assert client.path != str(stub)
    assert client.server_version


def test_explicit_client_is_honoured_and_never_replaced(engine: Client) -> None:
    machine_has(LEGACY)
    assert find_client(LEGACY).path == LEGACY
    machine_has(NEW_CLI)
    if probe(NEW_CLI)[0] is None:
        with pytest.raises(EngineError, match="only through buildx"):
            find_client(NEW_CLI)
