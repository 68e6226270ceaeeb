"""Resolve the settings of many Dockerfiles in a monorepo layout, as `check` does per file.

Builds a temporary tree of `D` service directories (default 200), each two levels below the
root with one Dockerfile, a root `pyproject.toml` with `[tool.layerwise]` and per-file-ignores,
a `layerwise.toml` in every tenth service, and a `.hadolint.yaml`. Prints the CPU time per file
for a fresh `Resolver` (the first file of a directory walks upward and reads the config once;
the cache answers the rest). Usage: `uv run python benchmarks/config.py [D]`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from layerwise.config import Resolver

ROOT_CONFIG = """[project]
name = "mono"

[tool.layerwise]
ignore = ["LW203"]
language = "en"

[tool.layerwise.per-file-ignores]
"legacy/**" = ["LW5"]
"services/*/Dockerfile" = ["LW1"]
"*.dev.Dockerfile" = ["LW403"]
"""


def build(root: Path, services: int) -> list[Path]:
    (root / "pyproject.toml").write_text(ROOT_CONFIG)
    (root / ".hadolint.yaml").write_text("ignored:\n  - DL3008\n  - DL3027\n")
    files = []
    for i in range(services):
        directory = root / "services" / f"svc{i:04d}"
        directory.mkdir(parents=True)
        if i % 10 == 0:
            (directory / "layerwise.toml").write_text('select = ["LW1", "LW5"]\n')
        for name in ("Dockerfile", "app.dev.Dockerfile"):
            (directory / name).write_text("FROM scratch\n")
            files.append(directory / name)
    return files


def main() -> None:
    services = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = build(root, services)
        os.chdir(root)
        start = time.process_time()
        resolver = Resolver(env={"HOME": str(root / "home")})
        settings = [resolver.for_file(f).settings for f in files]
        cpu = time.process_time() - start
    distinct = len({(s.select, s.ignore) for s in settings})
    print(f"{len(files)} files in {services} directories, {distinct} distinct selections")
    print(f"resolve: {cpu * 1000:.1f} ms CPU total, {cpu / len(files) * 1e6:.0f} us per file")


if __name__ == "__main__":
    main()
