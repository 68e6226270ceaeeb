"""Checking many Dockerfiles at once: one job per file, spread over a pool of processes.

A monorepo scan is thousands of small independent files, and the work per file is pure Python
(parse, model, rules), so threads would wait on the GIL: processes use every core. Small runs
stay in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from layerwise.errors import LayerwiseError
from layerwise.fix.files import FileOutcome, run_file
from layerwise.fix.loop import FixResult
from layerwise.rules.base import Finding, Settings
from layerwise.rules.registry import dockerfile_rules

# Below this many files a pool costs more (starting workers, sending results back) than it saves.
POOL_THRESHOLD = 8
# Files per chunk, the unit a worker (or this process) takes: large enough to amortise a
# worker's round trip, small enough that both cores stay busy to the end of a run of a few
# hundred files.
CHUNK = 8
# Checking a file allocates some hundred thousand small objects and frees nearly all of them by
# reference counting: at the collector's default pace (a young collection every 700 new
# objects) a scan of many files spends about 2% of its time looking for cycles it rarely finds.
YOUNG_COLLECTION_EVERY = 20_000


@dataclass(frozen=True, slots=True)
class FileJob:
    """One file to check (and maybe fix); every field crosses a process boundary by pickling."""

    path: Path
    settings: Settings
    context_dir: Path | None = None
    fix: bool = False
    unsafe: bool = False
    write: bool = False


@dataclass(frozen=True, slots=True)
class JobResult:
    """The outcome of a job, or the user error that stopped it (one bad file must not hide
    the others)."""

    job: FileJob
    outcome: FileOutcome | None = None
    error: LayerwiseError | None = None


def available_cores() -> int:
    """The cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_job(job: FileJob) -> JobResult:
    try:
        outcome = run_file(
            job.path,
            settings=job.settings,
            context_dir=job.context_dir,
            fix=job.fix,
            unsafe=job.unsafe,
            write=job.write,
        )
    except LayerwiseError as exc:
        return JobResult(job, error=exc)
    return JobResult(job, outcome=outcome)


# What a worker sends back for a job: the outcome without its path (text, findings, fix), or
# the error.
_Sent = tuple[tuple[str, tuple[Finding, ...], FixResult | None] | None, LayerwiseError | None]


def _run_job_in_worker(job: FileJob) -> _Sent:
    """`run_job`, made lighter to send back: the job stays out, the outcome's path too (the
    parent has them: a Path is slow to unpickle), and the findings' messages are already in
    the run's language, so the templates behind them (kept to render another language) would
    be most of what the parent unpickles, on a core the other workers need."""
    result = run_job(job)
    outcome = result.outcome
    if outcome is None:
        return None, result.error
    fix = outcome.fix
    if fix is not None:
        fix = replace(fix, applied=_rendered(fix.applied), remaining=_rendered(fix.remaining))
    return (outcome.source, _rendered(outcome.findings), fix), None


def _rendered(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return tuple(replace(f, message_text=None, fix_title_text=None) for f in findings)


def run_jobs(jobs: Sequence[FileJob], *, processes: int | None = None) -> Iterator[JobResult]:
    """Every job's result, in the order of `jobs`. `processes` (default: the available cores)
    of 1, or fewer jobs than POOL_THRESHOLD, runs them here, one after the other."""
    workers = min(processes or available_cores(), len(jobs))
    threshold = gc.get_threshold()
    _fewer_collections()  # forked workers inherit it, spawned ones run it first
    try:
        if workers <= 1 or len(jobs) < POOL_THRESHOLD:
            yield from map(run_job, jobs)
        else:
            yield from _run_in_pool(jobs, workers)
    finally:
        gc.set_threshold(*threshold)


def _fewer_collections() -> None:
    gen0, *older = gc.get_threshold()
    gc.set_threshold(max(gen0, YOUNG_COLLECTION_EVERY), *older)


def _run_in_pool(jobs: Sequence[FileJob], workers: int) -> Iterator[JobResult]:
    """`workers` processes check the jobs, this one among them: it starts `workers - 1` and
    takes the chunks none of them has started, from the last one back, while they take them
    from the first one on. What this process checks is neither pickled nor sent, and a run on
    two cores starts one process, not two."""
    # Imported here: a check of one file (pre-commit, editors) never starts a pool.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with layerwise already imported, which is most of a worker's
    # start-up; spawn (the only choice elsewhere) re-imports it in each.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        # The rules too (their modules and documents, loaded on first use): forked workers
        # inherit them instead of each loading them again, and the report needs them here.
        dockerfile_rules()
        # Out of the collector's sight while the workers fork: their collections then never
        # walk (and, by touching their headers, copy) the objects they inherit. Unfrozen
        # after, so that this process still collects its own garbage.
        gc.freeze()
    context = multiprocessing.get_context(method)
    chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    try:
        with ProcessPoolExecutor(
            max_workers=workers - 1, mp_context=context, initializer=_fewer_collections
        ) as pool:
            futures = [pool.submit(_run_chunk_in_worker, chunk) for chunk in chunks]
            here: dict[int, list[JobResult]] = {}
            for index in reversed(range(len(chunks))):
                # A chunk a worker has taken cannot be cancelled; the workers take them in
                # order, so every chunk before it is taken too.
                if not futures[index].cancel():
                    break
                here[index] = [run_job(job) for job in chunks[index]]
            for index, chunk in enumerate(chunks):
                if index in here:
                    yield from here.pop(index)
                    continue
                for job, (sent, error) in zip(chunk, futures[index].result(), strict=True):
                    outcome = None if sent is None else FileOutcome(job.path, *sent)
                    yield JobResult(job, outcome, error)
    finally:
        gc.unfreeze()


def _run_chunk_in_worker(chunk: Sequence[FileJob]) -> list[_Sent]:
    return [_run_job_in_worker(job) for job in chunk]
