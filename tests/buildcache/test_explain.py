"""The answers are worded from what was inspected: change a value, the answer changes."""

from __future__ import annotations

from dataclasses import replace

from layerwise.buildcache.explain import Inspected, answers
from layerwise.engine.cache_usage import Usage
from layerwise.engine.storage import Place, Storage

DOCKER = Storage(
    builder="default",
    driver="docker",
    nodes=("default",),
    platforms=("linux/amd64", "linux/arm64"),
    host="ci-7",
    local=True,
    server_version="26.1.5",
    architecture="x86_64",
    root_dir="/data/docker",
    containerd_store=True,
    snapshotter="overlayfs",
    places=(
        Place("buildkit", "/data/docker/buildkit", True),
        Place(
            "snapshots",
            "/data/docker/containerd/daemon/io.containerd.snapshotter.v1.overlayfs",
            True,
        ),
    ),
    daemon_json="/etc/docker/daemon.json",
)
CONTAINER = replace(
    DOCKER,
    builder="ci",
    driver="docker-container",
    nodes=("ci0",),
    places=(Place("volume", "/data/docker/volumes/buildx_buildkit_ci0_state/_data", True),),
    container="buildx_buildkit_ci0",
    volume="buildx_buildkit_ci0_state",
)


def _text(storage: Storage, usage: Usage, lang: str = "en", registry: bool = True) -> str:
    seen = Inspected(storage, usage.records, registry)
    return "\n".join(f"{a.question}\n{a.text}" for a in answers(seen, lang))


def test_docker_driver_answers_name_what_was_read(usage: Usage) -> None:
    text = _text(DOCKER, usage)
    for value in ("`default`", "ci-7", "26.1.5", "/data/docker/buildkit",
                  "io.containerd.snapshotter.v1.overlayfs", "`/root/.npm` 166.7MB",
                  "arm64 steps run under QEMU", "before 28.2", "mode=max"):  # fmt: skip
        assert value in text, value
    assert "Targets such as `/root/.npm` are paths inside the container" in text
    # moby stores the local-source records as `regular`: the prune answer says so
    assert "3 record(s) whose description shows a source" in text


def test_other_setups_give_other_answers(usage: Usage) -> None:
    container = _text(CONTAINER, usage)
    assert "buildx_buildkit_ci0_state" in container and "docker buildx rm" in container
    assert "/data/docker/buildkit" not in container
    gc = _text(replace(DOCKER, gc={"enabled": True, "defaultKeepStorage": "20GB"}), usage)
    assert "builder.gc (enabled=True, defaultKeepStorage=20GB)" in gc
    assert "before 28.2" not in gc
    unread = _text(replace(DOCKER, daemon_json=None, local=False), usage)
    assert "could not be read" in unread and "paths are the daemon host's" in unread
    classic = _text(replace(DOCKER, containerd_store=False), usage, registry=False)
    assert "exports only inline cache" in classic
    native = _text(replace(DOCKER, architecture="aarch64", platforms=("linux/arm64",)), usage)
    assert "QEMU" not in native


def test_korean_answers_carry_the_same_values(usage: Usage) -> None:
    text = _text(DOCKER, usage, "ko")
    assert "빌드 캐시는 어디에 있나요?" in text
    for value in ("ci-7", "/data/docker/buildkit", "`/root/.npm` 166.7MB", "28.2 이전"):
        assert value in text, value
    assert "Where is the build cache?" not in text
