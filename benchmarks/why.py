"""How long `layerwise why` takes on a 20-step Dockerfile, a 1,000-file context and one edit.

Builds a throw-away git repository (1,000 source files in 20 folders, a manifest, a lockfile
and a two-stage, 20-step Dockerfile), commits it, edits one source file, then measures:

- in process: `change_since` (git diff, the changed files' states) plus `predict`, the median
  of the rounds after one warm-up;
- the whole command, `layerwise why --since HEAD --output-format json`, as a user runs it
  (interpreter start and imports included), the median of a few runs;
- how many files were hashed (the model reads only the files that differ).

    uv run python benchmarks/why.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from layerwise.cache import blob_digest, predict
from layerwise.cache import git as cache_git
from layerwise.context import BuildContext

DOCKERFILE = """\
FROM node:20-slim AS deps
ARG NODE_ENV=production
ENV CI=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
RUN npm ls --depth=0
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --omit=dev
RUN echo built > /app/marker

FROM node:20-slim
ARG GIT_SHA
WORKDIR /srv
USER root
RUN mkdir -p /srv/data
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/dist ./dist
COPY config/ ./config/
RUN chown -R node /srv
USER node
RUN node --version
RUN echo $GIT_SHA > /srv/version
COPY README.md ./
RUN ls
RUN du -sh /srv
CMD ["node", "dist/main.js"]
"""


def make_repo(root: Path) -> Path:
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / "package.json").write_text('{"name": "bench"}\n')
    (root / "package-lock.json").write_text('{"lockfileVersion": 3}\n')
    (root / "tsconfig.json").write_text("{}\n")
    (root / "README.md").write_text("bench\n")
    (root / ".dockerignore").write_text("node_modules\n*.log\n")
    (root / "config").mkdir()
    (root / "config" / "app.yaml").write_text("a: 1\n")
    for folder in range(20):
        base = root / "src" / f"mod{folder:02d}"
        base.mkdir(parents=True)
        for index in range(50):
            (base / f"file{index:02d}.ts").write_text(f"export const x{index} = {folder};\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@layerwise"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    (root / "src" / "mod07" / "file13.ts").write_text("export const x13 = 'edited';\n")
    return root / "Dockerfile"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="layerwise-why-bench-") as tmp:
        dockerfile = make_repo(Path(tmp))
        hashed = 0
        original = blob_digest

        def counting(content: bytes) -> str:
            nonlocal hashed
            hashed += 1
            return original(content)

        vars(cache_git)["blob_digest"] = counting  # disk_state looks it up at call time
        times = []
        prediction = None
        for round_ in range(options.rounds + 1):
            hashed = 0
            started = time.perf_counter()
            context = BuildContext.open(dockerfile.parent, dockerfile)
            change = cache_git.change_since(
                "HEAD", dockerfile, context, build_args={}, new_bases=frozenset()
            )
            prediction = predict(change, is_dir=context.is_dir)
            if round_:
                times.append(time.perf_counter() - started)
        vars(cache_git)["blob_digest"] = original
        assert prediction is not None
        steps = len(prediction.verdicts)
        missed = sum(not v.cached for v in prediction.verdicts)
        files = sum(1 for p in (dockerfile.parent / "src").rglob("*") if p.is_file())
        command = [str(Path(sys.executable).parent / "layerwise"), "why", str(dockerfile)]
        command += ["--since", "HEAD", "--output-format", "json"]
        walls = []
        for _ in range(options.runs):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            walls.append(time.perf_counter() - started)
    print(f"context: {files + 7} files; Dockerfile: {steps} steps; 1 file edited")
    print(f"prediction: {missed} of {steps} steps rebuild; files hashed: {hashed}")
    inside = statistics.median(times) * 1000
    print(f"in process (git diff + model), median of {options.rounds}: {inside:.1f} ms")
    print(f"whole command, median of {options.runs}: {statistics.median(walls) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
