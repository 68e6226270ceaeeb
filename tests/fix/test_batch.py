"""Many files at once: the pool gives the same outcomes as one process, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.cli.app import main
from layerwise.fix.batch import POOL_THRESHOLD, YOUNG_COLLECTION_EVERY, FileJob, run_jobs
from layerwise.rules.base import Settings

BROAD = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
APT = "FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n"


def tree(tmp_path: Path, count: int) -> list[Path]:
    """`count` projects, each with a Dockerfile that has findings; every third one is binary."""
    paths = []
    for i in range(count):
        folder = tmp_path / f"p{i:03}"
        folder.mkdir()
        (folder / "package.json").write_text('{"name": "x"}\n')
        (folder / "package-lock.json").write_text("{}\n")
        path = folder / "Dockerfile"
        if i % 3 == 2:
            path.write_bytes(b"FROM x\n\0")
        else:
            path.write_text(BROAD if i % 2 else APT)
        paths.append(path)
    return paths


def summary(jobs: list[FileJob], processes: int) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for result in run_jobs(jobs, processes=processes):
        if result.outcome is not None:
            outcome = result.outcome
            out.append((str(outcome.path), [(f.code, f.line) for f in outcome.findings]))
        else:
            out.append((str(result.job.path), str(result.error)))
    return out


def test_pool_equals_serial_in_order(tmp_path: Path) -> None:
    jobs = [FileJob(p, Settings()) for p in tree(tmp_path, POOL_THRESHOLD * 3)]
    serial = summary(jobs, processes=1)
    assert [path for path, _ in serial] == [str(j.path) for j in jobs]
    assert any(isinstance(found, str) for _, found in serial)  # binary files: user errors
    assert any(found for _, found in serial if isinstance(found, list))
    assert summary(jobs, processes=2) == serial


@pytest.mark.parametrize("processes", [1, 2])
def test_the_collectors_pace_is_left_as_found(tmp_path: Path, processes: int) -> None:
    """A run collects garbage less often (fix.batch.YOUNG_COLLECTION_EVERY), then puts the
    caller's thresholds back."""
    import gc

    jobs = [FileJob(p, Settings()) for p in tree(tmp_path, POOL_THRESHOLD)]
    before = gc.get_threshold()
    try:
        gc.set_threshold(600, 9, 8)
        seen = []
        for _ in run_jobs(jobs, processes=processes):
            seen.append(gc.get_threshold()[0])
        assert seen and min(seen) >= YOUNG_COLLECTION_EVERY
        assert gc.get_threshold() == (600, 9, 8)
    finally:
        gc.set_threshold(*before)


def test_pool_workers_write_fixes(tmp_path: Path) -> None:
    paths = [p for p in tree(tmp_path, POOL_THRESHOLD * 2) if b"\0" not in p.read_bytes()]
    before = {p: p.read_text() for p in paths}
    jobs = [FileJob(p, Settings(), fix=True, write=True) for p in paths]
    results = list(run_jobs(jobs, processes=2))
    assert all(r.outcome is not None and r.outcome.fix is not None for r in results)
    changed = [
        r.job.path
        for r in results
        if r.outcome is not None and r.outcome.fixed_text != r.outcome.source
    ]
    assert changed
    for path in changed:
        assert path.read_text() != before[path]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_jobs_option_gives_the_same_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    tree(tmp_path, POOL_THRESHOLD * 2)
    code = main(["check", "--jobs", jobs, "--output-format", "json", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 2  # the binary files are user errors; the others are still reported
    assert '"LW101"' in out


def test_jobs_below_one_is_a_usage_error() -> None:
    assert main(["check", "--jobs", "0", "."]) == 2
