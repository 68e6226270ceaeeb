"""Reading `buildx du --verbose` back: fields, sizes, ages and what each record is."""

from __future__ import annotations

import pytest

from layerwise.buildcache.records import cache_mount_parts, kind, run_result_command, totals
from layerwise.engine.cache_usage import (
    CACHE_MOUNT,
    LOCAL_SOURCE,
    REGULAR,
    Record,
    Usage,
    duration_seconds,
    format_size,
    parse_du_verbose,
    parse_go_duration,
    parse_size,
)
from layerwise.errors import LayerwiseError


def _record(description: str, type_: str = REGULAR, **fields: object) -> Record:
    values: dict[str, object] = {
        "id": "x", "parents": (), "created_at": "", "mutable": False, "reclaimable": True,
        "shared": False, "size": 1, "description": description, "usage_count": 0,
        "last_used": None, "type": type_,
    }  # fmt: skip
    values.update(fields)
    return Record(**values)  # type: ignore[arg-type]


def test_every_record_and_the_summary_are_read(usage: Usage) -> None:
    assert len(usage.records) == 59
    assert set(usage.summary) == {"Shared", "Private", "Reclaimable", "Total"}
    # The summary's total is the records' sizes added up, within HumanSize's rounding.
    assert sum(r.size for r in usage.records) == pytest.approx(usage.summary["Total"], rel=1e-3)
    (mount,) = [r for r in usage.records if r.type == CACHE_MOUNT]
    assert mount.id == "77xxivtq74uuzz8b5wii4rfno"
    assert (mount.mutable, mount.reclaimable, mount.shared) == (True, True, False)
    assert (mount.size, mount.usage_count, mount.last_used) == (166_700_000, 2, "59 seconds ago")
    assert mount.last_used_seconds == 59
    with_parent = next(r for r in usage.records if r.parents)
    assert all(len(p) == 25 for p in with_parent.parents)


def test_the_description_tells_the_kind_where_moby_says_regular(usage: Usage) -> None:
    sources = [r for r in usage.records if r.description.startswith("local source for")]
    assert sources and all(r.type == REGULAR for r in sources)
    assert {kind(r) for r in sources} == {LOCAL_SOURCE}
    by_kind = {t.kind: t.count for t in totals(usage.records)}
    assert by_kind == {REGULAR: 55, CACHE_MOUNT: 1, LOCAL_SOURCE: 3}


def test_a_cache_mount_record_gives_target_command_and_id(usage: Usage) -> None:
    (mount,) = [r for r in usage.records if kind(r) == CACHE_MOUNT]
    parts = cache_mount_parts(mount)
    assert parts is not None
    assert (parts.target, parts.command, parts.id) == (
        "/root/.npm",
        "/bin/sh -c npm ci",
        "//root/.npm",
    )
    assert parts.shown_id == "/root/.npm"
    assert parts.is_of("/root/.npm") and not parts.is_of("npm")
    # before BuildKit 0.13 the description stops at the command: any id may be it
    old = cache_mount_parts(_record("cached mount /c from exec /bin/sh -c make"))
    assert old is not None and old.id is None and old.command == "/bin/sh -c make"
    quoted = _record('cached mount /c from exec sh -c echo "a b" with id "/x \\"y\\""')
    parts = cache_mount_parts(quoted)
    assert parts is not None and parts.id == '/x "y"' and parts.command == 'sh -c echo "a b"'


def test_run_results_and_other_records() -> None:
    assert run_result_command(_record("mount / from exec /bin/sh -c npm ci")) == "/bin/sh -c npm ci"
    assert run_result_command(_record("[linux/amd64 build 3/6] COPY . .")) is None
    assert kind(_record("git snapshot for https://x/y.git#main")) == "source.git.checkout"
    assert kind(_record("http url https://x/y.tgz")) == "source.http"
    assert kind(_record("pulled from docker/dockerfile:1", "frontend")) == "frontend"


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("532.9MB", 532_900_000),
        ("8.192kB", 8192),
        ("235B", 235),
        ("1.011GB", 1_011_000_000),
        ("50MB*", 50_000_000),
        ("0B", 0),
    ],
)
def test_sizes_read_back(text: str, size: int) -> None:
    assert parse_size(text) == size
    assert parse_size(format_size(size)) == size


def test_what_is_no_size() -> None:
    assert parse_size("true") is None
    assert parse_size("12 MB") == 12_000_000
    assert parse_size("1.2 GiB") is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("Less than a second ago", 0),
        ("1 second ago", 1),
        ("59 seconds ago", 59),
        ("About a minute ago", 60),
        ("3 minutes ago", 180),
        ("About an hour ago", 3600),
        ("5 hours ago", 18000),
        ("3 days ago", 259200),
        ("2 weeks ago", 1209600),
        ("4 months ago", 4 * 30 * 86400),
        ("2 years ago", 2 * 365 * 86400),
        ("soon", None),
    ],
)
def test_ages_read_back(text: str, seconds: int | None) -> None:
    assert duration_seconds(text) == seconds


def test_go_durations() -> None:
    assert parse_go_duration("24h") == 86400
    assert parse_go_duration("1h30m") == 5400
    assert parse_go_duration("90s") == 90
    for bad in ("", "7d", "24", "h", "1h 30m"):
        with pytest.raises(LayerwiseError, match="not a duration"):
            parse_go_duration(bad)


def test_an_empty_listing() -> None:
    assert parse_du_verbose("") == Usage((), {})
