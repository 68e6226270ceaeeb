"""Reading `docker buildx inspect` for the builder and its nodes (no engine needed)."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from pathlib import Path

import pytest

from layerwise.engine import Client, storage
from layerwise.engine.storage import Place, inspect_nodes, inspect_storage

DOCKER_CONTAINER = """Name:          ci
Driver:        docker-container
Last Activity: 2026-12-03 13:14:37 +0000 UTC

Nodes:
Name:                  ci0
Endpoint:              unix:///var/run/docker.sock
Status:                running
Buildkit daemon flags: --allow-insecure-entitlement=network.host
BuildKit version:      v0.13.2
Platforms:             linux/amd64, linux/arm64
Labels:
 org.mobyproject.buildkit.worker.executor:         oci
GC Policy rule#0:
 All:           false
"""


def test_builder_fields_and_node_names() -> None:
    fields, nodes = inspect_nodes(DOCKER_CONTAINER)
    assert fields["name"] == "ci"
    assert fields["driver"] == "docker-container"
    assert nodes == ("ci0",)
    assert "endpoint" not in fields  # a node's field, not the builder's


def _fake_docker(tmp_path: Path, inspect: str, info: Mapping[str, object], host: str) -> Client:
    """A docker client script answering the questions `inspect_storage` asks."""
    mounts = [
        {"Type": "volume", "Name": "buildx_buildkit_ci0_state",
         "Source": "/srv/docker/volumes/buildx_buildkit_ci0_state/_data",
         "Destination": "/var/lib/buildkit"},
    ]  # fmt: skip
    script = tmp_path / "docker"
    script.write_text(
        f"""#!/bin/sh
case "$1 $2" in
  "buildx inspect") printf '%s' {shlex.quote(inspect)} ;;
  "info --format") echo {shlex.quote(json.dumps(info))} ;;
  "context inspect") echo '"{host}"' ;;
  "inspect --format") [ "$4" = buildx_buildkit_ci0 ] && echo {shlex.quote(json.dumps(mounts))} ;;
  *) exit 1 ;;
esac
"""
    )
    script.chmod(0o755)
    return Client(str(script), "buildx", None, "0.13.1", "26.1.5", True, "docker-container")


INFO: dict[str, object] = {
    "Name": "agent-3",
    "ServerVersion": "26.1.5",
    "Architecture": "x86_64",
    "DockerRootDir": "/srv/docker",
    "Driver": "overlay2",
    "DriverStatus": [["Backing Filesystem", "extfs"]],
}


def test_a_docker_container_builder_keeps_its_cache_in_its_volume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    client = _fake_docker(tmp_path, DOCKER_CONTAINER, INFO, "tcp://10.0.0.5:2376")
    found = inspect_storage(client)
    assert (found.builder, found.driver, found.nodes) == ("ci", "docker-container", ("ci0",))
    assert (found.container, found.volume) == ("buildx_buildkit_ci0", "buildx_buildkit_ci0_state")
    assert found.places == (
        Place("volume", "/srv/docker/volumes/buildx_buildkit_ci0_state/_data", None),
    )
    # a daemon behind tcp:// is elsewhere: nothing is checked or read on this machine
    assert not found.local and found.daemon_json is None
    assert (found.host, found.containerd_store, found.snapshotter) == ("agent-3", False, "overlay2")


def test_the_docker_driver_on_the_containerd_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setattr(storage, "containerd_root", lambda root: f"{root}/containerd/daemon")
    inspect = "Name:   default\nDriver: docker\n\nNodes:\nName:   default\n"
    info: dict[str, object] = {**INFO, "Driver": "overlayfs",
            "DriverStatus": [["driver-type", "io.containerd.snapshotter.v1"]]}  # fmt: skip
    found = inspect_storage(_fake_docker(tmp_path, inspect, info, "unix:///run/docker.sock"))
    assert found.local and found.containerd_store
    assert [(p.what, p.path) for p in found.places] == [
        ("buildkit", "/srv/docker/buildkit"),
        ("snapshots", "/srv/docker/containerd/daemon/io.containerd.snapshotter.v1.overlayfs"),
    ]
    assert found.container is None
