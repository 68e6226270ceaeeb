"""How long `layerwise context` and the context rules (LW601, LW602, LW702) take on a large
context: a generated tree of 10,000 files (by default) in a temporary directory, shaped like a
Node monorepo: sources in nested folders, a `.git` folder, a `node_modules` with half of the
files, logs and a dist/ folder.

Two runs per measurement: without a .dockerignore (LW601's case, where the survey never enters
the clutter folders but `context` counts every file) and with one that leaves the clutter out.
Each figure is the median of the rounds, in CPU seconds of this process (wall time beside).

    uv run python benchmarks/context_walk.py [--files 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from layerwise.context import BuildContext
from layerwise.context.inventory import Selector, take_inventory
from layerwise.rules.base import Settings
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

DOCKERFILE = """FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
COPY config/app.env.example ./config/
"""
IGNORE = ".git\nnode_modules\n**/*.log\ndist\n"


def make_tree(root: Path, files: int) -> None:
    half = files // 2
    for i in range(half):  # node_modules: half the files, many small packages
        path = root / "node_modules" / f"pkg{i // 20}" / "lib" / f"f{i % 20}.js"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("module.exports = 1\n")
    rest = files - half
    for i in range(rest - 200):
        path = root / "packages" / f"p{i // 100}" / "src" / f"d{(i // 10) % 10}" / f"m{i}.ts"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("export const x = 1\n" * 5)
    for i in range(100):
        path = root / ".git" / "objects" / f"{i:02x}" / f"obj{i}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 512)
    for i in range(100):
        (root / "dist").mkdir(exist_ok=True)
        (root / "dist" / f"chunk{i}.js").write_text("x\n" * 50)
    (root / "package.json").write_text('{"name": "app", "scripts": {"build": "tsc"}}')
    (root / "package-lock.json").write_text('{"lockfileVersion": 3}')
    (root / "npm-debug.log").write_text("log\n")


def measure(label: str, rounds: int, run: Callable[[], object]) -> None:
    cpu, wall = [], []
    for _ in range(rounds + 1):
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    cpu, wall = cpu[1:], wall[1:]  # the first round warms imports and the page cache
    print(f"{label:<48} {statistics.median(cpu) * 1000:8.1f} ms CPU "
          f"{statistics.median(wall) * 1000:8.1f} ms wall")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tree = parse(DOCKERFILE, path="Dockerfile")
    settings = Settings(select=("LW6", "LW7"))
    selectors = [Selector(3, "package.json"), Selector(3, "package-lock.json"), Selector(5, "")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_tree(root, args.files)
        print(f"{args.files:,} files under {root}")
        for ignore in (False, True):
            if ignore:
                (root / ".dockerignore").write_text(IGNORE)
            name = "with .dockerignore" if ignore else "without .dockerignore"

            def inventory() -> object:
                return take_inventory(BuildContext.open(root), selectors)

            def rules() -> object:
                return check_tree(tree, context=BuildContext.open(root), settings=settings)

            measure(f"context inventory, {name}", args.rounds, inventory)
            measure(f"LW6xx + LW7xx check, {name}", args.rounds, rules)


if __name__ == "__main__":
    main()
