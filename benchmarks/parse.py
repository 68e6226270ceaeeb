"""Parse (and model, when `layerwise.model.build_model` exists) many typical Dockerfiles.

Prints files/s on one core, from CPU time (`time.process_time`, robust when other processes
share the machine) and from wall time. Usage: `uv run python benchmarks/parse.py [N]`
(default 3000 files). The inputs are the hand-written corpus fixtures of 20-45 lines, cycled.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from layerwise.errors import LayerwiseError
from layerwise.syntax import parse

CORPUS = Path(__file__).parent.parent / "tests" / "fixtures" / "corpus"


def typical_files() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.Dockerfile"))]
    return [t for t in texts if 20 <= t.count("\n") <= 45]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    texts = typical_files()
    lines = sum(t.count("\n") for t in texts) / len(texts)
    build_model = getattr(importlib.import_module("layerwise.model"), "build_model", None)
    inputs = [texts[i % len(texts)] for i in range(n)]

    cpu, wall = time.process_time(), time.perf_counter()
    trees = [parse(t) for t in inputs]
    parse_cpu, parse_wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{len(texts)} distinct files, {lines:.0f} lines on average, {n} parses")
    print(f"parse:         {n / parse_cpu:8.0f} files/s CPU   {n / parse_wall:8.0f} files/s wall")
    if build_model is None:
        print("model:         layerwise.model.build_model not available; parse only")
        return
    failed = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for tree in trees:
        try:
            build_model(tree)
        except LayerwiseError:
            failed += 1
    model_cpu, model_wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"model:         {n / model_cpu:8.0f} files/s CPU   {n / model_wall:8.0f} files/s wall"
        f"   ({failed} raised LayerwiseError)"
    )
    both_cpu, both_wall = parse_cpu + model_cpu, parse_wall + model_wall
    print(f"parse + model: {n / both_cpu:8.0f} files/s CPU   {n / both_wall:8.0f} files/s wall")


if __name__ == "__main__":
    main()
