"""`layerwise cache` from the command line, on the captured listing (the engine's answers are
replaced; tests/engine/test_cache_cmd.py runs the same against the real builder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layerwise.cli.app import main
from layerwise.engine import cache_usage, client, storage
from layerwise.engine.cache_usage import parse_du_verbose
from layerwise.engine.storage import Place, Storage

DATA = Path(__file__).parent.parent / "buildcache" / "data" / "du-verbose-docker26.txt"
AFTER = Path(__file__).parent.parent / "apps" / "node-nest" / "Dockerfile.after"
DOCKER = Storage(
    builder="default", driver="docker", nodes=("default",), platforms=("linux/amd64",),
    host="ci-7", local=True, server_version="26.1.5", architecture="x86_64",
    root_dir="/data/docker", containerd_store=True, snapshotter="overlayfs",
    places=(Place("buildkit", "/data/docker/buildkit", True),),
)  # fmt: skip
CLIENT = client.Client("/bin/docker", "buildx", "default", "0.13.1", "26.1.5", True, "docker")


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The captured listing as the builder's; returns the prunes asked for."""
    pruned: list[list[str]] = []
    usage = parse_du_verbose(DATA.read_text())

    def prune(_: client.Client, filters: list[str]) -> str:
        pruned.append(list(filters))
        return ""

    monkeypatch.setattr("layerwise.engine.find_client", lambda *a, **k: CLIENT)
    monkeypatch.setattr(storage, "inspect_storage", lambda _: DOCKER)
    monkeypatch.setattr(cache_usage, "disk_usage", lambda *a: usage)
    monkeypatch.setattr(cache_usage, "prune", prune)
    return pruned


def test_du_by_kind_mounts_and_steps(
    engine: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "du", "--dockerfile", str(AFTER)]) == 0
    out = capsys.readouterr().out
    assert "Builder `default`: docker driver, host ci-7" in out
    assert "/data/docker/buildkit" in out
    assert "77xxivtq74uuzz8b5wii4rfno   166.7MB  59 seconds ago" in out
    assert "cache mount /root/.npm id=/root/.npm (RUN /bin/sh -c npm ci)" in out
    assert f"{AFTER}:17 (build) RUN --mount=type=cache,target=/root/.npm npm ci" in out


def test_du_json(engine: list[list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "du", "--json", "--dockerfile", str(AFTER)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["driver"] == "docker" and len(data["records"]) == 59
    (mount,) = [r for r in data["records"] if r["kind"] == "exec.cachemount"]
    assert mount["mount"] == {"target": "/root/.npm", "id": "/root/.npm"}
    assert mount["steps"] == [
        {"stage": "build", "line": 17, "instruction": mount["steps"][0]["instruction"]}
    ]


def test_prune_dry_run_lists_and_removes_nothing(
    engine: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "prune", "--mounts", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        "`docker buildx prune --filter type=exec.cachemount` would remove 1 record(s), 166.7MB"
        in out
    )
    assert "77xxivtq74uuzz8b5wii4rfno" in out
    assert engine == []


def test_prune_asks_first_and_runs_the_filtered_prune(
    engine: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    # stdin is no terminal under pytest: no prune without --yes
    assert main(["cache", "prune", "--mounts"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert engine == []
    assert main(["cache", "prune", "--mounts", "--yes"]) == 0
    assert engine == [["type=exec.cachemount"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["prune"], "say what to prune"),
        (["prune", "--mounts", "--layers"], "prune everything"),
        (["prune", "--older-than", "7d"], "not a duration"),
        (["du", "--dockerfile", "no/such/Dockerfile"], "Dockerfile not found"),
    ],
)
def test_user_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", *args]) == 2
    assert message in capsys.readouterr().err
