"""Throughput of `check` + `fix` (safe and unsafe fixes, to a fixed point) on one core.

Inputs: every file under tests/fixtures/corpus (the syntax corpus), every rule fixture
(tests/fixtures/rules/*/*.Dockerfile), the examples and the fixture apps' Dockerfiles. Each
round processes every file once as `layerwise check --fix --unsafe-fixes` does (without the
disk): parse, build the model, run every rule, fix to a fixed point (re-parse and re-check after
each pass), unsafe fixes on (the most work).

One unmeasured warm-up round comes first (imports, regex compilation, tree-sitter set-up). Every
round, the warm-up included, starts with the per-text caches cleared (shell scripts, instruction
lines, image references), so a file seen in an earlier round is not answered from memory: the
figure is what a scan of that many distinct files costs in a warm interpreter. The median of the
measured rounds is reported. files/s is computed from the process's CPU time, so other work on a
shared machine does not skew it; wall time is shown too.

    uv run python benchmarks/check.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from layerwise.ecosystems import base as ecosystem_base
from layerwise.errors import LayerwiseError
from layerwise.fix import fix_text
from layerwise.model import reference
from layerwise.shell import parse as shell_parse
from layerwise.syntax import values

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


def clear_text_caches() -> None:
    """Forget everything cached per input text, so repeated files cost what new ones do."""
    shell_parse.parse_script.cache_clear()
    reference.reference_error.cache_clear()
    values.parse_logical.cache_clear()
    ecosystem_base._cache_mount.cache_clear()


def one_round(files: list[tuple[str, str]]) -> tuple[float, float, int, int]:
    """CPU seconds and wall seconds for one pass over `files`, files processed, findings."""
    clear_text_caches()
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
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (after a warm-up)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    files = inputs()
    print(f"{len(files)} files")
    one_round(files)  # warm-up: imports, regex compilation, tree-sitter; not measured
    rates = []
    for n in range(1, args.rounds + 1):
        cpu, wall, done, findings = one_round(files)
        rates.append(done / cpu)
        print(
            f"round {n}: {done} files checked + fixed in {cpu:.3f} s of CPU = "
            f"{done / cpu:,.0f} files/s (wall {wall:.3f} s; {findings} findings)"
        )
    print(f"median: {statistics.median(rates):,.0f} files/s (caches cleared every round)")


if __name__ == "__main__":
    main()
