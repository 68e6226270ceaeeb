"""The builder's cache records, read from `docker buildx du --verbose`, and a filtered prune.

buildx 0.13 has no `du --format`: `--verbose` prints one block of `Key:<tabs>value` lines per
record, a blank line between them, then a summary (Shared, Private, Reclaimable, Total). Sizes
are go-units' HumanSize (decimal units, 4 significant digits: "532.9MB", "8.192kB", "235B"), so
a size read back is within 0.05% of the real one. "Last used" is go-units' HumanDuration
("About a minute ago", "3 hours ago"), absent when the record was never used.

What a prune removes (BuildKit cache/manager.go `prune`): never a record in use; without
`--all`, no internal or frontend record and no record shared with an image; with
`until=DURATION`, every record not used within DURATION, records never used included; other
filters (`type=`, `id=`) must all match. buildx turns `id=X` into the regex `id~=X`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from layerwise.engine.client import Client
from layerwise.errors import LayerwiseError

# BuildKit's record types (client.UsageRecordType).
CACHE_MOUNT = "exec.cachemount"
LOCAL_SOURCE = "source.local"
GIT_CHECKOUT = "source.git.checkout"
FRONTEND = "frontend"
INTERNAL = "internal"
REGULAR = "regular"

_UNITS = {"B": 1, "kB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "PB": 10**15}
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*([kMGTP]?B)$")
# go-units HumanDuration, the words before " ago"
_DURATION_WORDS = {
    "less than a second": 0,
    "about a minute": 60,
    "about an hour": 3600,
}
_DURATION = re.compile(r"^(\d+) (second|minute|hour|day|week|month|year)s?$")
_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}
_GO_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|m|s|ms)")


@dataclass(frozen=True, slots=True)
class Record:
    """One record of the builder's cache, as `buildx du --verbose` printed it."""

    id: str
    parents: tuple[str, ...]
    created_at: str
    mutable: bool
    reclaimable: bool  # not in use by a running build (buildx prints !InUse)
    shared: bool  # its data is also an image's: a prune without --all keeps it
    size: int  # bytes, read back from a rounded human size
    description: str
    usage_count: int
    last_used: str | None  # "About a minute ago"; None when never used
    type: str

    @property
    def last_used_seconds(self) -> int | None:
        """How long ago it was used, as far as the rounded text tells; None if never."""
        return None if self.last_used is None else duration_seconds(self.last_used)


@dataclass(frozen=True, slots=True)
class Usage:
    records: tuple[Record, ...]
    # The summary lines buildx prints after the records ("Total" -> bytes).
    summary: dict[str, int]


def parse_du_verbose(text: str) -> Usage:
    """Read `docker buildx du --verbose` output."""
    records: list[Record] = []
    summary: dict[str, int] = {}
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip()] = value.strip()
        if "ID" in fields:
            records.append(_record(fields))
        else:
            for key, value in fields.items():
                size = parse_size(value)
                if size is not None:
                    summary[key] = size
    return Usage(tuple(records), summary)


def _record(fields: dict[str, str]) -> Record:
    parents = fields.get("Parent") or fields.get("Parents") or ""
    return Record(
        id=fields["ID"],
        parents=tuple(p for p in re.split(r"[,;]\s*", parents) if p),
        created_at=fields.get("Created at", ""),
        mutable=fields.get("Mutable") == "true",
        reclaimable=fields.get("Reclaimable") == "true",
        shared=fields.get("Shared") == "true",
        size=parse_size(fields.get("Size", "")) or 0,
        description=fields.get("Description", ""),
        usage_count=int(fields.get("Usage count") or 0),
        last_used=fields.get("Last used"),
        type=fields.get("Type") or REGULAR,
    )


def parse_size(text: str) -> int | None:
    """go-units HumanSize back to bytes: "532.9MB" -> 532900000; None if it is no size."""
    m = _SIZE.match(text.strip().rstrip("*"))
    if m is None:
        return None
    return round(float(m.group(1)) * _UNITS[m.group(2)])


def format_size(size: int) -> str:
    """Bytes as go-units HumanSize prints them (what `buildx du` shows)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000:
            return f"{value:.4g}{unit}"
        value /= 1000
    return f"{value:.4g}PB"


def duration_seconds(text: str) -> int | None:
    """go-units HumanDuration ("3 hours ago", "About a minute ago") as seconds, the lower
    end of what it rounds from; None for text it cannot print."""
    words = text.strip().lower().removesuffix(" ago")
    if words in _DURATION_WORDS:
        return _DURATION_WORDS[words]
    m = _DURATION.match(words)
    return int(m.group(1)) * _SECONDS[m.group(2)] if m else None


def parse_go_duration(text: str) -> int:
    """A Go duration as buildx's `until` filter takes it ("24h", "90m", "1h30m") in seconds;
    LayerwiseError otherwise (Go has no days: 7 days is "168h")."""
    pieces = _GO_DURATION.findall(text)
    if not text or "".join(n + u for n, u in pieces) != text:
        raise LayerwiseError(
            f"`{text}` is not a duration", hint="hours, minutes or seconds: 24h, 90m, 1h30m"
        )
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return round(sum(float(n) * scale[u] for n, u in pieces))


def _builder_args(client: Client) -> list[str]:
    return ["--builder", client.builder] if client.builder else []


def disk_usage(client: Client, filters: Sequence[str] = ()) -> Usage:
    """The builder's records (`buildx du --verbose`, each `filters` entry a `--filter`)."""
    if client.kind != "buildx":
        raise LayerwiseError("reading the build cache needs docker buildx", path=client.path)
    args = ["buildx", "du", "--verbose", *_builder_args(client)]
    for each in filters:
        args += ["--filter", each]
    return parse_du_verbose(client.check(*args, timeout=120))


def prune(client: Client, filters: Sequence[str]) -> str:
    """`buildx prune --force` with `filters` (never without one: this never empties the whole
    builder); returns what buildx printed (the removed records and the total)."""
    if not filters:
        raise LayerwiseError("a prune needs a filter")
    if client.kind != "buildx":
        raise LayerwiseError("pruning the build cache needs docker buildx", path=client.path)
    args = ["buildx", "prune", "--force", *_builder_args(client)]
    for each in filters:
        args += ["--filter", each]
    return client.check(*args, timeout=600)
