"""How long `layerwise replay` takes per commit on a 20-step Dockerfile and a 1,000-file
context.

Builds benchmarks/why.py's throw-away repository (1,000 source files, a two-stage 20-step
Dockerfile), commits it, then 20 commits on top: source edits in different folders, a
manifest edit, a config edit, a Dockerfile edit and a .dockerignore edit (which lists the
tree to find the files it lets in or keeps out). Measures:

- in process: `replay` over the 20 commits (git log, each commit's raw diff, Dockerfile and
  .dockerignore, and the model for both sides), the median of the rounds after one warm-up,
  and per commit, with the cache holding every earlier build (the default: keys cover every
  path the history changes) and only the parent's;
- the whole command, `layerwise replay --commits 20 --output-format json`, as a user runs it.

    uv run python benchmarks/replay.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from layerwise.cache.replay import History, replay

sys.path.insert(0, str(Path(__file__).parent))
from why import make_repo

COMMITS = 20
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@layerwise"]


def make_history(root: Path) -> Path:
    dockerfile = make_repo(root)  # one uncommitted source edit: it is the first commit
    for n in range(COMMITS):
        if n == 5:
            (root / "package.json").write_text('{"name": "bench", "version": "1.0.1"}\n')
        elif n == 9:
            (root / "config" / "app.yaml").write_text("a: 2\n")
        elif n == 12:
            text = dockerfile.read_text().replace("RUN ls\n", "RUN ls -la\n")
            dockerfile.write_text(text)
        elif n == 15:
            (root / ".dockerignore").write_text("node_modules\n*.log\nsrc/mod19/\n")
        elif n:
            path = root / "src" / f"mod{n:02d}" / f"file{n:02d}.ts"
            path.write_text(f"export const x{n} = 'edit {n}';\n")
        subprocess.run([*GIT, "commit", "-qam", f"commit {n}"], cwd=root, check=True)
    return dockerfile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="layerwise-replay-bench-") as tmp:
        dockerfile = make_history(Path(tmp))
        times: dict[str, list[float]] = {"all": [], "parent": []}
        replays = []
        for holds, measured in times.items():
            for round_ in range(options.rounds + 1):
                started = time.perf_counter()
                replays = replay(History(dockerfile, dockerfile.parent), COMMITS, cache_holds=holds)
                if round_:
                    measured.append(time.perf_counter() - started)
        steps = len(replays[-1].predictions[0].verdicts)
        rebuilt = [sum(not v.cached for v in r.predictions[0].verdicts) for r in replays]
        command = [str(Path(sys.executable).parent / "layerwise"), "replay", str(dockerfile)]
        command += ["--commits", str(COMMITS), "--output-format", "json"]
        walls = []
        for _ in range(options.runs):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            walls.append(time.perf_counter() - started)
    files = 1000 + 7
    print(f"context: {files} files; Dockerfile: {steps} steps; {COMMITS} commits")
    print(f"steps rebuilt per commit: {rebuilt}")
    for holds, measured in times.items():
        inside = statistics.median(measured)
        print(
            f"in process, cache holds {holds}, median of {options.rounds}: "
            f"{inside * 1000:.0f} ms for {COMMITS} commits, "
            f"{inside / COMMITS * 1000:.1f} ms per commit"
        )
    wall = statistics.median(walls)
    print(
        f"whole command (cache holds all), median of {options.runs}: {wall * 1000:.0f} ms, "
        f"{wall / COMMITS * 1000:.1f} ms per commit"
    )


if __name__ == "__main__":
    main()
