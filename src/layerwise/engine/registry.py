"""What a push put in the registry: each platform's layer blobs with their compressed sizes.

Read back through `docker buildx imagetools inspect --raw`, so any registry the client can reach
(with its credentials and TLS settings) works. A multi-platform push, and a one-platform push
with the default provenance attestation, is an image index; its attestation manifests (platform
`unknown/unknown`) carry no image layers and are left out.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from layerwise.engine.client import Client
from layerwise.errors import EngineError

_INDEX_TYPES = frozenset(
    {
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    }
)
_ATTESTATION = "attestation-manifest"


@dataclass(frozen=True, slots=True)
class Blob:
    """A layer as the registry stores it: digest of the compressed blob, and its size."""

    digest: str
    size: int


# platform ("linux/arm64") -> its layer blobs, base first
PushedLayers = Mapping[str, tuple[Blob, ...]]


def repository_of(ref: str) -> str:
    """`host:5000/name:tag` or `name@sha256:...` -> the repository (`host:5000/name`)."""
    name = ref.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def format_platform(platform: Mapping[str, Any]) -> str:
    """An OCI platform object as `os/arch[/variant]`."""
    parts = [str(platform.get("os", "")), str(platform.get("architecture", ""))]
    if platform.get("variant"):
        parts.append(str(platform["variant"]))
    return "/".join(parts)


def image_manifests(index: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(platform, digest) of each image manifest an index lists; attestations left out."""
    found: list[tuple[str, str]] = []
    for entry in index.get("manifests") or ():
        annotations = entry.get("annotations") or {}
        if annotations.get("vnd.docker.reference.type") == _ATTESTATION:
            continue
        platform = format_platform(entry.get("platform") or {})
        if platform in {"unknown/unknown", "/"}:
            continue
        found.append((platform, str(entry["digest"])))
    return found


def manifest_layers(manifest: Mapping[str, Any]) -> tuple[Blob, ...]:
    """The layer blobs an image manifest names, base first."""
    return tuple(Blob(str(layer["digest"]), int(layer["size"])) for layer in manifest["layers"])


def pushed_layers(client: Client, ref: str, *, single_platform: str) -> dict[str, tuple[Blob, ...]]:
    """Each platform's layer blobs of the image `ref` points to in its registry.

    `single_platform` names the platform when `ref` is one image manifest rather than an index
    (a push without attestations).
    """
    top = _raw(client, ref)
    if top.get("mediaType") not in _INDEX_TYPES and "manifests" not in top:
        return {single_platform: manifest_layers(top)}
    repository = repository_of(ref)
    return {
        platform: manifest_layers(_raw(client, f"{repository}@{digest}"))
        for platform, digest in image_manifests(top)
    }


def new_blobs(current: PushedLayers, previous: PushedLayers | None) -> dict[str, tuple[Blob, ...]]:
    """Per platform, the blobs of `current` that `previous` (any platform) did not hold: what a
    push after `previous` to the same repository uploads. No previous push: all of them."""
    known = {blob.digest for blobs in (previous or {}).values() for blob in blobs}
    fresh: dict[str, tuple[Blob, ...]] = {}
    for platform, blobs in current.items():
        fresh[platform] = tuple(_unique(b for b in blobs if b.digest not in known))
    return fresh


def total_size(per_platform: PushedLayers) -> tuple[int, int]:
    """(count, bytes) of the distinct blobs over every platform: a blob two platforms share
    is uploaded once."""
    blobs = _unique(b for group in per_platform.values() for b in group)
    return len(blobs), sum(b.size for b in blobs)


def _unique(blobs: Iterable[Blob]) -> list[Blob]:
    return list({blob.digest: blob for blob in blobs}.values())


def _raw(client: Client, ref: str) -> dict[str, Any]:
    if client.kind != "buildx":
        raise EngineError("reading a pushed image needs docker buildx", path=client.path)
    out = client.check("buildx", "imagetools", "inspect", "--raw", ref, timeout=120)
    try:
        value = json.loads(out)
    except ValueError:
        raise EngineError(
            f"the registry returned no manifest for {ref}", path=client.path
        ) from None
    if not isinstance(value, dict):
        raise EngineError(f"unexpected manifest for {ref}", path=client.path)
    return value


# What a manifest GET may answer with; the registry says which one `ref` is.
_MANIFEST_TYPES = (
    *_INDEX_TYPES,
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})


def delete_local_tag(ref: str, timeout: float = 30) -> bool:
    """Delete the manifest `ref` (`host:port/repo:tag`) names from a registry on this machine,
    through the registry API (plain HTTP, as the local registry serves it).

    Only for a registry on the loopback address: a bench's own pushes there would otherwise pile
    up run after run. Elsewhere (credentials, TLS, other people's tags) nothing is touched and
    the answer is False, as it is when the registry refuses (deletion off) or cannot be reached.
    A missing tag counts as deleted. The blobs stay until the registry's garbage collection.
    """
    host, _, rest = ref.partition("/")
    repository, colon, tag = rest.rpartition(":")
    if host.rsplit(":", 1)[0] not in _LOOPBACK or not colon or not repository or "@" in ref:
        return False
    base = f"http://{host}/v2/{repository}/manifests"
    head = urllib.request.Request(
        f"{base}/{tag}", method="HEAD", headers={"Accept": ", ".join(_MANIFEST_TYPES)}
    )
    try:
        with urllib.request.urlopen(head, timeout=timeout) as answer:
            digest = answer.headers.get("Docker-Content-Digest")
        if not digest:
            return False
        delete = urllib.request.Request(f"{base}/{digest}", method="DELETE")
        with urllib.request.urlopen(delete, timeout=timeout):
            return True
    except urllib.error.HTTPError as exc:
        return exc.code == 404
    except OSError:
        return False
