"""Parse (and model, when `layerwise.model.build_model` exists) many typical Dockerfiles.

Prints files/s on one core, from CPU time (`time.process_time`, robust when other processes
share the machine) and from wall time. Usage: `uv run python benchmarks/parse.py [N]`
(default 3000 files). The inputs (~30 lines) are built from the hand-written corpus fixtures.
They repeat, so what is remembered per instruction line or image name is forgotten before each
file (outside the timed part): every file costs what a new one would.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

from layerwise.errors import LayerwiseError
from layerwise.model import reference
from layerwise.syntax import Dockerfile, parse, values

CORPUS = Path(__file__).parent.parent / "tests" / "fixtures" / "corpus"


def typical_files(min_lines: int = 24) -> list[str]:
    """~30-line Dockerfiles: each hand-written fixture, followed by the next ones (as further
    stages) until it has `min_lines` lines. Windows (escape directive) files are left out, and
    so are joins the model rejects (two stages with one name)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.Dockerfile"))]
    texts = [t for t in texts if "escape=" not in t]
    build_model = _build_model()
    out = []
    for i, text in enumerate(texts):
        j = i + 1
        while text.count("\n") < min_lines:
            text += texts[j % len(texts)]
            j += 1
        try:
            if build_model is not None:
                build_model(parse(text))
        except LayerwiseError:
            continue
        out.append(text)
    return out


def _build_model() -> Callable[[Dockerfile], object] | None:
    model = importlib.import_module("layerwise.model")
    build: Callable[[Dockerfile], object] | None = getattr(model, "build_model", None)
    return build


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    texts = typical_files()
    lines = sum(t.count("\n") for t in texts) / len(texts)
    build_model = _build_model()
    inputs = [texts[i % len(texts)] for i in range(n)]

    # One file at a time, as a scan does: parse, model, drop (keeping thousands of trees alive
    # would mostly measure the garbage collector walking them).
    clock = time.process_time
    parse_cpu = model_cpu = 0.0
    failed = 0
    wall = time.perf_counter()
    for text in inputs:
        values.parse_logical.cache_clear()
        reference.reference_error.cache_clear()
        t0 = clock()
        tree = parse(text)
        t1 = clock()
        parse_cpu += t1 - t0
        if build_model is not None:
            try:
                build_model(tree)
            except LayerwiseError:
                failed += 1
            model_cpu += clock() - t1
    wall = time.perf_counter() - wall
    print(f"{len(texts)} distinct files, {lines:.0f} lines on average, {n} files")
    print(f"parse:         {n / parse_cpu:8.0f} files/s (CPU time)")
    if build_model is None:
        print("model:         layerwise.model.build_model not available; parse only")
        print(f"wall:          {n / wall:8.0f} files/s")
        return
    print(f"model:         {n / model_cpu:8.0f} files/s (CPU time, {failed} raised LayerwiseError)")
    print(f"parse + model: {n / (parse_cpu + model_cpu):8.0f} files/s (CPU time)")
    print(f"parse + model: {n / wall:8.0f} files/s (wall time, includes the clock calls)")


if __name__ == "__main__":
    main()
