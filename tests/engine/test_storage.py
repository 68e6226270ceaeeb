"""Reading `docker buildx inspect` for the builder and its nodes (no engine needed)."""

from __future__ import annotations

from layerwise.engine.storage import inspect_nodes

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
