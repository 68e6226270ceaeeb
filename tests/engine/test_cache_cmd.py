"""`layerwise cache du` and `cache prune --mounts` checked against `docker buildx du` on the real
builder. Each test makes a cache mount with an id of its own and prunes only that record
(`--id`: buildx has no filter on a cache mount's id, only on the record's), never the rest
of the shared builder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from layerwise.cli.app import main
from layerwise.engine import Client

from .conftest import BASE, Builder

pytestmark = pytest.mark.engine


def _raw_mounts(engine: Client) -> str:
    return engine.check("buildx", "du", "--verbose", "--filter", "type=exec.cachemount")


def _our_mount(capsys: pytest.CaptureFixture[str], dockerfile: Path, mount_id: str) -> Any:
    assert main(["cache", "du", "--json", "--dockerfile", str(dockerfile)]) == 0
    records = json.loads(capsys.readouterr().out)["records"]
    ours = [r for r in records if r.get("mount", {}).get("id") == mount_id]
    assert len(ours) == 1, [r for r in records if r["kind"] == "exec.cachemount"]
    return ours[0]


def test_du_shows_our_mounts_and_prune_mounts_removes_only_the_one_asked_for(
    engine: Client, build: Builder, tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if engine.kind != "buildx":
        pytest.skip("`buildx du` needs buildx")
    gone, kept = f"lw-du-{token}", f"lw-kept-{token}"
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        f"FROM {BASE}\nRUN --mount=type=cache,target=/c,id={gone} "
        f"head -c 300000 /dev/urandom > /c/{token}\n"
        f"RUN --mount=type=cache,target=/d,id={kept} touch /d/{token}\n"
    )
    assert build().ok

    ours = _our_mount(capsys, dockerfile, gone)
    other = _our_mount(capsys, dockerfile, kept)
    raw = _raw_mounts(engine)
    # buildx's own listing has the same records, with the ids BuildKit keeps (namespace `/`)
    assert f"ID:\t\t{ours['id']}" in raw and f"ID:\t\t{other['id']}" in raw
    assert f'with id "/{gone}"' in raw
    assert ours["kind"] == ours["type"] == "exec.cachemount"
    assert ours["size"] >= 300_000
    assert ours["mount"]["target"] == "/c"
    assert [s["line"] for s in ours["steps"]] == [2]
    assert [s["line"] for s in other["steps"]] == [3]

    assert main(["cache", "prune", "--mounts", "--id", ours["id"], "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert ours["id"] in listed and f"id={gone}" in listed and other["id"] not in listed
    assert ours["id"] in _raw_mounts(engine), "a dry run removed something"

    assert main(["cache", "prune", "--mounts", "--id", ours["id"], "--yes"]) == 0
    assert "removed 1 record(s)" in capsys.readouterr().out
    after = _raw_mounts(engine)
    assert ours["id"] not in after and f'with id "/{gone}"' not in after
    assert other["id"] in after and f'with id "/{kept}"' in after
    # leave nothing of ours behind
    assert main(["cache", "prune", "--mounts", "--id", other["id"], "--yes"]) == 0


def test_explain_names_this_builder(engine: Client, capsys: pytest.CaptureFixture[str]) -> None:
    if engine.kind != "buildx":
        pytest.skip("needs buildx")
    assert main(["cache", "explain"]) == 0
    out = capsys.readouterr().out
    assert f"Builder `{engine.builder}` uses the `{engine.driver}` driver" in out
    info = engine.check("info", "--format", "{{.DockerRootDir}}").strip()
    if engine.driver == "docker":
        assert f"{info}/buildkit" in out
