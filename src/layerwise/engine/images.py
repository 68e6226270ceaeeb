"""An image's layers and sizes, what a push would upload, and pruning the builder cache.

`docker image inspect` gives the layers' diff ids (RootFS.Layers, base first) but no sizes;
`docker history` gives one row per history entry with the layer's size but no diff id, and
includes entries that made no layer (ENV, CMD, ...: "empty layers"). The two line up once the
empty entries are dropped. Size alone cannot tell them apart, because real layers can be 0 B
(`WORKDIR`, a `RUN` that only makes symlinks), so entries are classified by the instruction
that made them, and the count is checked against the diff ids; when it does not match, the
image's config (read from `docker save`) says exactly which entries are empty.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from layerwise.engine.client import Client
from layerwise.errors import EngineError

# Instructions that only change the image config. The legacy builder writes them as
# "/bin/sh -c #(nop)  CMD [...]"; BuildKit as "CMD [...]".
_METADATA = frozenset(
    {
        "ARG", "CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "MAINTAINER",
        "ONBUILD", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
    }
)  # fmt: skip
_NOP = "/bin/sh -c #(nop) "


@dataclass(frozen=True, slots=True)
class Layer:
    """One filesystem layer: its diff id, its uncompressed size in bytes as the daemon reports
    it, and the history entry that made it.

    The size is the sum of the files' sizes on the classic store (Docker 20.10's overlay2) and
    the disk usage of the layer's snapshot on the containerd image store: whole 4 KiB blocks,
    directories included, so a 32-byte file makes a layer of 8-12 KiB there."""

    diff_id: str
    size: int
    created_by: str


@dataclass(frozen=True, slots=True)
class _HistoryRow:
    size: int
    created_by: str


def image_layers(client: Client, image: str) -> list[Layer]:
    """The image's layers, base first."""
    diff_ids = _diff_ids(client, image)
    rows = _history(client, image)
    layer_rows = [row for row in rows if not _is_empty_entry(row)]
    if len(layer_rows) != len(diff_ids):
        flags = _empty_flags_from_config(client, image)
        if len(flags) != len(rows):
            raise EngineError(
                f"cannot line up the {len(rows)} history entries of {image} with its "
                f"{len(diff_ids)} layers",
                path=client.path,
            )
        layer_rows = [row for row, empty in zip(rows, flags, strict=True) if not empty]
        if len(layer_rows) != len(diff_ids):
            raise EngineError(
                f"{image}: its config names {len(layer_rows)} layers, RootFS {len(diff_ids)}",
                path=client.path,
            )
    return [
        Layer(diff_id, row.size, row.created_by)
        for diff_id, row in zip(diff_ids, layer_rows, strict=True)
    ]


def new_layers(current: Sequence[Layer], previous: Sequence[Layer] | None) -> list[Layer]:
    """Layers of `current` that `previous` lacks: the blobs a push after `previous` uploads."""
    known = {layer.diff_id for layer in previous or ()}
    seen: set[str] = set()
    fresh: list[Layer] = []
    for layer in current:
        if layer.diff_id not in known and layer.diff_id not in seen:
            seen.add(layer.diff_id)
            fresh.append(layer)
    return fresh


def image_size(client: Client, image: str) -> int:
    """The image's size in bytes: its layers uncompressed, as `docker history` sizes them.

    Not `docker image inspect`'s `.Size`: on the containerd image store (Docker 26 here) that is
    the size of the stored (compressed) content, 50 MB for an image whose layers unpack to
    133 MB, while the classic store reports the unpacked sum. The layers' sum means the same on
    both.
    """
    return sum(layer.size for layer in image_layers(client, image))


def prune_build_cache(client: Client) -> None:
    """Empty the builder's cache (layers and cache mounts). Images and containers stay."""
    if client.kind == "buildx":
        args = ["buildx", "prune", "--all", "--force"]
        if client.builder:
            args += ["--builder", client.builder]
        client.check(*args)
    else:
        client.check("builder", "prune", "--all", "--force")


def _diff_ids(client: Client, image: str) -> list[str]:
    out = client.check("image", "inspect", "--format", "{{json .RootFS.Layers}}", image)
    layers = json.loads(out or "null")
    return [str(d) for d in layers] if isinstance(layers, list) else []


def _history(client: Client, image: str) -> list[_HistoryRow]:
    """History entries, oldest first, with exact byte sizes."""
    out = client.check(
        "history", "--no-trunc", "--human=false", "--format", "{{.Size}}\t{{.CreatedBy}}", image
    )
    rows: list[_HistoryRow] = []
    for line in out.splitlines():
        size, _, created_by = line.partition("\t")
        rows.append(_HistoryRow(int(size or 0), created_by))
    rows.reverse()
    return rows


def _is_empty_entry(row: _HistoryRow) -> bool:
    if row.size > 0:
        return False
    created_by = row.created_by.strip()
    if created_by.startswith(_NOP):
        created_by = created_by[len(_NOP) :].strip()
    keyword = created_by.split(" ", 1)[0].upper()
    return keyword in _METADATA


def _empty_flags_from_config(client: Client, image: str) -> list[bool]:
    """`empty_layer` of each history entry, oldest first, from the config inside `docker save`."""
    proc = subprocess.Popen(
        client.command("save", image),
        env=client.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    try:
        config = _config_from_save(proc.stdout)
    finally:
        proc.stdout.close()
        proc.wait()
    if config is None:
        raise EngineError(f"`docker save {image}` gave no image config", path=client.path)
    history = config.get("history") or []
    return [bool(entry.get("empty_layer")) for entry in history]


def _config_from_save(stream: IO[bytes]) -> dict[str, Any] | None:
    # The archive is read as a stream (layers are not kept): the manifest names the config file.
    jsons: dict[str, bytes] = {}
    manifest: list[dict[str, Any]] | None = None
    with tarfile.open(fileobj=stream, mode="r|") as archive:
        for member in archive:
            if not member.isfile() or member.name.endswith("layer.tar"):
                continue
            if member.size > 8 * 1024 * 1024:  # a layer blob in the OCI layout, not JSON
                continue
            data = archive.extractfile(member)
            if data is None:
                continue
            content = data.read()
            if member.name == "manifest.json":
                manifest = json.loads(content)
            else:
                jsons[member.name] = content
    if not manifest:
        return None
    config_name = str(manifest[0].get("Config", ""))
    raw = jsons.get(config_name)
    if raw is None:
        return None
    config = json.loads(raw)
    return config if isinstance(config, dict) else None
