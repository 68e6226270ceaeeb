"""What a targeted prune asks buildx for, and which records it takes (BuildKit's rules)."""

from __future__ import annotations

import pytest

from layerwise.buildcache.prune import Selection, chosen
from layerwise.engine.cache_usage import CACHE_MOUNT, REGULAR, Record, Usage
from layerwise.errors import LayerwiseError


def _record(id_: str, type_: str = REGULAR, **fields: object) -> Record:
    values: dict[str, object] = {
        "id": id_, "parents": (), "created_at": "", "mutable": False, "reclaimable": True,
        "shared": False, "size": 10, "description": "", "usage_count": 1,
        "last_used": "3 hours ago", "type": type_,
    }  # fmt: skip
    values.update(fields)
    return Record(**values)  # type: ignore[arg-type]


def test_options_become_buildx_filters() -> None:
    assert Selection.of(mounts=True, layers=False, older_than=None).filters() == [
        "type=exec.cachemount"
    ]
    assert Selection.of(mounts=False, layers=True, older_than="24h").filters() == [
        "type=regular",
        "until=24h",
    ]
    only = Selection.of(mounts=True, layers=False, older_than=None, ids=["a", "b"])
    assert only.prune_runs() == [
        ["type=exec.cachemount", "id=a"],
        ["type=exec.cachemount", "id=b"],
    ]


@pytest.mark.parametrize(
    ("mounts", "layers", "older_than", "message"),
    [
        (False, False, None, "say what to prune"),
        (True, True, None, "prune everything"),
        (True, False, "7d", "not a duration"),
    ],
)
def test_unclear_requests_are_user_errors(
    mounts: bool, layers: bool, older_than: str | None, message: str
) -> None:
    with pytest.raises(LayerwiseError, match=message):
        Selection.of(mounts=mounts, layers=layers, older_than=older_than)


def test_records_a_prune_keeps() -> None:
    records = [
        _record("mount", CACHE_MOUNT, size=30),
        _record("busy", CACHE_MOUNT, reclaimable=False),
        _record("layer"),
        _record("image", shared=True),  # shared with an image: kept without --all
        _record("frontend", "frontend"),
        _record("fresh", last_used="5 minutes ago"),
        _record("never", last_used=None, size=20),  # never used: old enough for any age
    ]
    mounts = Selection.of(mounts=True, layers=False, older_than=None)
    assert [r.id for r in chosen(records, mounts)] == ["mount"]
    old = Selection.of(mounts=False, layers=False, older_than="1h")
    assert [r.id for r in chosen(records, old)] == ["mount", "never", "layer"]
    layers = Selection.of(mounts=False, layers=True, older_than="1h", ids=["layer", "fresh"])
    assert [r.id for r in chosen(records, layers)] == ["layer"]


def test_the_captured_listing(usage: Usage) -> None:
    """Mid-build most records are in use: only the idle cache mount would go."""
    mounts = chosen(usage.records, Selection.of(mounts=True, layers=False, older_than=None))
    assert [r.id for r in mounts] == ["77xxivtq74uuzz8b5wii4rfno"]
    layers = chosen(usage.records, Selection.of(mounts=False, layers=True, older_than=None))
    assert layers and all(r.reclaimable and not r.shared and r.type == REGULAR for r in layers)
