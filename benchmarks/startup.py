"""Wall time of one `layerwise check FILE` as pre-commit and editors run it: a new process.

The goal is under 0.25 s. Each run is a fresh interpreter started through the installed
`layerwise` console script, so imports are counted. Bytecode caching is switched on for the runs
(PYTHONDONTWRITEBYTECODE removed from the environment) as it is on a user's machine, and one
unmeasured warm-up run writes the .pyc files first; without them every run would also pay for
compiling the sources, which no installed copy does twice.

    uv run python benchmarks/startup.py [FILE] [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "examples" / "seed-before" / "Dockerfile"


def run_once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"startup: {' '.join(command)} exited {done.returncode}: {done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    exe = shutil.which("layerwise") or str(Path(sys.executable).with_name("layerwise"))
    command = [exe, "check", str(args.file)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run_once(command, env)  # warm-up: writes bytecode caches
    times = sorted(run_once(command, env) for _ in range(args.runs))
    print(f"layerwise check {args.file.name}: {args.runs} runs, wall time per run")
    median = statistics.median(times)
    print(f"  median {median:.3f} s   min {times[0]:.3f} s   max {times[-1]:.3f} s")
    print("  goal: under 0.250 s")


if __name__ == "__main__":
    main()
