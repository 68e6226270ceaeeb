"""`cache du` as text for people and as JSON."""

from __future__ import annotations

from typing import Any

from layerwise.buildcache.records import KIND_TITLES, cache_mount_parts, kind, totals
from layerwise.buildcache.steps import StepMatch
from layerwise.engine.cache_usage import CACHE_MOUNT, Record, Usage, format_size
from layerwise.engine.storage import Storage
from layerwise.model import Model

PLACE_TITLES = {
    "buildkit": "BuildKit's state and metadata",
    "snapshots": "layer and cache-mount files (containerd snapshots)",
    "volume": "the builder's state volume",
}

Matches = dict[str, tuple[StepMatch, ...]]


def record_line(record: Record) -> str:
    """One record in a line: id, size, last use, what it is."""
    used = record.last_used or "never used"
    return f"{record.id}  {format_size(record.size):>8}  {used:<20}  {_what(record)}"


def _what(record: Record) -> str:
    parts = cache_mount_parts(record)
    if parts is not None:
        shown = f" id={parts.shown_id}" if parts.shown_id is not None else ""
        return f"cache mount {parts.target}{shown} (RUN {_short(parts.command)})"
    return record.description or "(no description: a parent layer)"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def storage_lines(storage: Storage) -> list[str]:
    store = "containerd image store" if storage.containerd_store else "classic image store"
    head = f"Builder `{storage.builder}`: {storage.driver} driver, host {storage.host}"
    if storage.driver == "docker":
        head += f", Docker {storage.server_version}, {store} ({storage.snapshotter})"
    if storage.container:
        head += f", container {storage.container}"
    lines = [head]
    for place in storage.places:
        missing = " (not found)" if place.exists is False else ""
        lines.append(f"  {PLACE_TITLES[place.what]}: {place.path}{missing}")
    if storage.volume:
        lines.append(f"  volume: {storage.volume}")
    if not storage.local:
        lines.append("  (the daemon is not on this machine: paths are on its host)")
    return lines


def du_text(
    storage: Storage,
    usage: Usage,
    matches: Matches | None,
    dockerfile: str | None,
    model: Model | None,
) -> str:
    lines = storage_lines(storage)
    rows = totals(usage.records)
    width = max([len(KIND_TITLES.get(t.kind, t.kind)) for t in rows] + [5]) + 2
    lines += ["", f"{'KIND':<{width}}{'RECORDS':>8}{'SIZE':>10}{'NOT IN USE':>12}"]
    for total in rows:
        title = KIND_TITLES.get(total.kind, total.kind)
        lines.append(
            f"{title:<{width}}{total.count:>8}{format_size(total.size):>10}"
            f"{format_size(total.reclaimable):>12}"
        )
    all_size = sum(r.size for r in usage.records)
    lines.append(f"{'total':<{width}}{len(usage.records):>8}{format_size(all_size):>10}")
    mounts = [r for r in usage.records if kind(r) == CACHE_MOUNT]
    if mounts:
        lines += ["", "Cache mounts:"]
        for record in mounts:
            lines.append("  " + record_line(record))
            for match in (matches or {}).get(record.id, ()):
                lines.append(f"      {dockerfile}:{match.line} ({match.stage}) {match.instruction}")
    if matches is not None and model is not None:
        lines += ["", *_steps(usage, matches, dockerfile or "Dockerfile")]
    return "\n".join(lines) + "\n"


def _steps(usage: Usage, matches: Matches, dockerfile: str) -> list[str]:
    """Per step of the Dockerfile: its records (layers per platform, cache mounts)."""
    per_step: dict[tuple[int, str, str], list[Record]] = {}
    for record in usage.records:
        for match in matches.get(record.id, ()):
            per_step.setdefault((match.line, match.stage, match.instruction), []).append(record)
    lines = [f"Records made by steps of {dockerfile}:"]
    if not per_step:
        lines.append("  none (no record's command or step name is one of this file's)")
    for (line, stage, instruction), records in sorted(per_step.items()):
        lines.append(f"  {dockerfile}:{line} ({stage}) {instruction}")
        for record in records:
            lines.append(f"      {format_size(record.size):>8}  {kind(record):<16} {_what(record)}")
    unmatched = [r for r in usage.records if r.id not in matches]
    size = format_size(sum(r.size for r in unmatched))
    lines.append(f"  other records (base images, other builds): {len(unmatched)}, {size}")
    return lines


def du_json(
    storage: Storage, usage: Usage, matches: Matches | None, dockerfile: str | None
) -> dict[str, Any]:
    records = []
    for record in usage.records:
        entry: dict[str, Any] = {
            "id": record.id,
            "kind": kind(record),
            "type": record.type,
            "size": record.size,
            "description": record.description,
            "reclaimable": record.reclaimable,
            "shared": record.shared,
            "usage_count": record.usage_count,
            "last_used": record.last_used,
        }
        parts = cache_mount_parts(record)
        if parts is not None:
            entry["mount"] = {"target": parts.target, "id": parts.shown_id}
        if matches is not None:
            entry["steps"] = [
                {"stage": m.stage, "line": m.line, "instruction": m.instruction}
                for m in matches.get(record.id, ())
            ]
        records.append(entry)
    return {
        "builder": storage.builder,
        "driver": storage.driver,
        "host": storage.host,
        "containerd_store": storage.containerd_store,
        "places": [{"what": p.what, "path": p.path, "exists": p.exists} for p in storage.places],
        "volume": storage.volume,
        "dockerfile": dockerfile,
        "kinds": [
            {"kind": t.kind, "records": t.count, "size": t.size, "reclaimable": t.reclaimable}
            for t in totals(usage.records)
        ],
        "summary": usage.summary,
        "records": records,
    }
