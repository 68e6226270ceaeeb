"""Reading a push back from the registry: manifests, platforms, what a later push uploads."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from layerwise.engine import (
    Blob,
    Client,
    delete_local_tag,
    new_blobs,
    pushed_layers,
    total_size,
)
from layerwise.engine.registry import image_manifests, repository_of
from layerwise.errors import EngineError

A, B, C, D = (
    Blob(f"sha256:{c * 64}", size) for c, size in zip("abcd", (10, 20, 30, 40), strict=True)
)


def manifest(*blobs: Blob) -> dict[str, object]:
    return {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"digest": "sha256:" + "f" * 64, "size": 5},
        "layers": [{"digest": b.digest, "size": b.size} for b in blobs],
    }


INDEX = {
    "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [
        {"digest": "sha256:amd", "platform": {"os": "linux", "architecture": "amd64"}},
        {
            "digest": "sha256:arm",
            "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"},
        },
        {
            "digest": "sha256:att",
            "platform": {"os": "unknown", "architecture": "unknown"},
            "annotations": {"vnd.docker.reference.type": "attestation-manifest"},
        },
    ],
}


@pytest.mark.parametrize(
    ("ref", "repository"),
    [
        ("127.0.0.1:5000/layerwise-bench:ab-src", "127.0.0.1:5000/layerwise-bench"),
        ("127.0.0.1:5000/layerwise-bench", "127.0.0.1:5000/layerwise-bench"),
        ("r.example/a/b@sha256:00", "r.example/a/b"),
        ("name:tag", "name"),
    ],
)
def test_repository_of(ref: str, repository: str) -> None:
    assert repository_of(ref) == repository


def test_attestations_are_not_image_manifests() -> None:
    assert image_manifests(INDEX) == [
        ("linux/amd64", "sha256:amd"),
        ("linux/arm64/v8", "sha256:arm"),
    ]


def fake_imagetools(tmp_path: Path, documents: dict[str, object]) -> Client:
    """A docker client whose `buildx imagetools inspect --raw REF` prints documents[REF]."""
    store = tmp_path / "docs.json"
    store.write_text(json.dumps(documents))
    script = tmp_path / "docker"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"docs = json.load(open({str(store)!r}))\n"
        "ref = sys.argv[-1]\n"
        "if ref not in docs:\n"
        "    sys.exit('ERROR: ' + ref + ': not found')\n"
        "print(json.dumps(docs[ref]))\n"
    )
    script.chmod(0o755)
    return Client(str(script), "buildx", "default", "v0.13.1", "26.1.5", True, "docker", True)


def test_an_index_is_read_per_platform(tmp_path: Path) -> None:
    client = fake_imagetools(
        tmp_path,
        {
            "r:5000/app:1": INDEX,
            "r:5000/app@sha256:amd": manifest(A, B),
            "r:5000/app@sha256:arm": manifest(A, C),
        },
    )
    layers = pushed_layers(client, "r:5000/app:1", single_platform="linux/amd64")
    assert layers == {"linux/amd64": (A, B), "linux/arm64/v8": (A, C)}


def test_a_single_manifest_is_the_requested_platform(tmp_path: Path) -> None:
    client = fake_imagetools(tmp_path, {"r:5000/app:1": manifest(A)})
    assert pushed_layers(client, "r:5000/app:1", single_platform="linux/arm64") == {
        "linux/arm64": (A,)
    }


def test_a_missing_image_is_an_engine_error(tmp_path: Path) -> None:
    client = fake_imagetools(tmp_path, {})
    with pytest.raises(EngineError, match="not found"):
        pushed_layers(client, "r:5000/app:gone", single_platform="linux/amd64")


def test_new_blobs_are_those_no_earlier_platform_pushed() -> None:
    previous = {"linux/amd64": (A, B), "linux/arm64": (A, C)}
    current = {"linux/amd64": (A, B, D), "linux/arm64": (A, B, D)}
    fresh = new_blobs(current, previous)
    # B was pushed for amd64 before: the arm64 push mounts it, nothing is uploaded again.
    assert fresh == {"linux/amd64": (D,), "linux/arm64": (D,)}
    assert total_size(fresh) == (1, 40)
    assert new_blobs(current, None)["linux/arm64"] == (A, B, D)
    assert total_size(new_blobs(current, None)) == (3, 70)


@pytest.mark.parametrize(
    "ref",
    [
        "registry.example.com/app:cache-main",  # someone else's registry: never touched
        "ghcr.io/o/r:tag",
        "127.0.0.1:5000/app@sha256:" + "0" * 64,  # a digest, not a tag the bench made
        "127.0.0.1:5000/app",  # no tag
        "app:latest",  # Docker Hub
    ],
)
def test_only_tags_on_this_machines_registry_are_deleted(ref: str) -> None:
    assert delete_local_tag(ref) is False


@pytest.mark.engine
def test_a_pushed_tag_is_deleted_from_the_local_registry(
    buildkit: Client, require_image: Callable[[str], None], tmp_path: Path
) -> None:
    require_image("debian:bookworm-slim")
    try:
        with urllib.request.urlopen("http://127.0.0.1:5000/v2/", timeout=5):
            pass
    except OSError as exc:
        pytest.skip(f"no registry at 127.0.0.1:5000: {exc} (run scripts/engine-up)")
    token = uuid.uuid4().hex
    (tmp_path / "Dockerfile").write_text(f"FROM debian:bookworm-slim\nRUN echo {token} > /t\n")
    ref = f"127.0.0.1:5000/layerwise-test:{token[:16]}"
    pushed = buildkit.run(
        "buildx", "build", "--provenance=false", "--push", "-t", ref, str(tmp_path), timeout=300
    )
    assert pushed.returncode == 0, pushed.stderr
    assert pushed_layers(buildkit, ref, single_platform="linux/amd64")
    assert delete_local_tag(ref) is True
    with pytest.raises(EngineError):
        pushed_layers(buildkit, ref, single_platform="linux/amd64")
    assert delete_local_tag(ref) is True  # gone already: nothing left to do
