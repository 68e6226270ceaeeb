"""The real BuildKit in the loop: find a client, run builds, read progress and image layers."""

from layerwise.engine.build import BuildRequest, BuildResult, build_command, run_build
from layerwise.engine.client import Client, find_client, probe
from layerwise.engine.images import (
    Layer,
    image_layers,
    image_size,
    new_layers,
    prune_build_cache,
)
from layerwise.engine.progress import BuildStep, ProgressParser, Vertex, parse_progress
from layerwise.engine.registry import (
    Blob,
    PushedLayers,
    delete_local_tag,
    new_blobs,
    pushed_layers,
    total_size,
)

__all__ = [
    "Blob",
    "BuildRequest",
    "BuildResult",
    "BuildStep",
    "Client",
    "Layer",
    "ProgressParser",
    "PushedLayers",
    "Vertex",
    "build_command",
    "delete_local_tag",
    "find_client",
    "image_layers",
    "image_size",
    "new_blobs",
    "new_layers",
    "parse_progress",
    "probe",
    "prune_build_cache",
    "pushed_layers",
    "run_build",
    "total_size",
]
