"""Throughput of `check` + `fix` (safe and unsafe fixes, to a fixed point) on one core.

Inputs: every file under tests/fixtures/corpus (the syntax corpus), every rule fixture
(tests/fixtures/rules/*/*.Dockerfile), the examples and the fixture apps' Dockerfiles. Each
round processes every file once as `layerwise check --fix --unsafe-fixes` does (without the
disk): parse, build the model, run every rule, fix to a fixed point (re-parse and re-check after
each pass), unsafe fixes on (the most work). The first round starts with empty caches (what a
one-off monorepo scan sees); later rounds show the warm figure. files/s is computed from the
process's CPU time, so other work on a shared machine does not skew it; wall time is shown too.

    uv run python benchmarks/check.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from layerwise.errors import LayerwiseError
from layerwise.fix import fix_text
from layerwise.shell import parse as shell_parse

ROOT = Path(__file__).resolve().parents[1]


def inputs() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "tests" / "fixtures" / "corpus").rglob("*"))
    paths += sorted((ROOT / "tests" / "fixtures" / "rules").glob("*/*.Dockerfile"))
    paths += sorted((ROOT / "examples").glob("*/Dockerfile"))
    paths += sorted((ROOT / "tests" / "apps").glob("*/Dockerfile*"))
    out = []
    for path in paths:
        if path.is_file():
            try:
                out.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
            except UnicodeDecodeError:
                continue  # corpus files that are not text on purpose
    return out


def one_round(files: list[tuple[str, str]]) -> tuple[float, float, int, int]:
    """CPU seconds and wall seconds for one pass over `files`, files processed, findings."""
    findings = 0
    done = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for name, text in files:
        try:
            result = fix_text(text, path=name, unsafe=True)
        except LayerwiseError:
            continue  # corpus files that are not valid Dockerfiles on purpose
        findings += len(result.applied) + len(result.remaining)
        done += 1
    return time.process_time() - cpu_start, time.perf_counter() - start, done, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    files = inputs()
    print(f"{len(files)} files")
    for n in range(1, args.rounds + 1):
        if n == 1:
            shell_parse.parse_script.cache_clear()
        cpu, wall, done, findings = one_round(files)
        label = "cold" if n == 1 else "warm"
        print(
            f"round {n} ({label}): {done} files checked + fixed in {cpu:.3f} s of CPU = "
            f"{done / cpu:,.0f} files/s (wall {wall:.3f} s; {findings} findings)"
        )


if __name__ == "__main__":
    main()
