"""Parse (and model, when `layerwise.model.build_model` exists) many typical Dockerfiles.

Prints files/s on one core. Usage: `uv run python benchmarks/parse.py [N]` (default 3000 files).
The inputs are the hand-written corpus fixtures of 15-45 lines, cycled.
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
    return [t for t in texts if 15 <= t.count("\n") <= 45]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    texts = typical_files()
    lines = sum(t.count("\n") for t in texts) / len(texts)
    build_model = getattr(importlib.import_module("layerwise.model"), "build_model", None)
    inputs = [texts[i % len(texts)] for i in range(n)]

    start = time.perf_counter()
    trees = [parse(t) for t in inputs]
    parse_s = time.perf_counter() - start
    print(f"{len(texts)} distinct files, {lines:.0f} lines on average, {n} parses")
    print(f"parse:         {n / parse_s:8.0f} files/s")
    if build_model is None:
        print("model:         layerwise.model.build_model not available; parse only")
        return
    start = time.perf_counter()
    failed = 0
    for tree in trees:
        try:
            build_model(tree)
        except LayerwiseError:
            failed += 1
    model_s = time.perf_counter() - start
    print(f"model:         {n / model_s:8.0f} files/s ({failed} raised LayerwiseError)")
    print(f"parse + model: {n / (parse_s + model_s):8.0f} files/s")


if __name__ == "__main__":
    main()
