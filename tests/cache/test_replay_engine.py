"""`replay` against the real BuildKit: build a history's commits in order and compare every
step of every commit's build with the replay's prediction for that commit.

The repository is the node-nest history machinery (node_nest_history.py) with a tiny
two-stage Dockerfile on the matrix's base image, so each build takes seconds: a source edit, a
README edit .dockerignore keeps out, a dependency bump (package.json and lockfile), a
Dockerfile edit, a .dockerignore edit and a mode change. Each stage starts with
`COPY token /token`, an untracked file unique to the run (the same in every commit), so no
earlier run's cache answers a step; the build stage's last RUN writes the time, so when it
runs again its output differs, as the model (which cannot run it) assumes.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from layerwise.cache.observed import observed
from layerwise.cache.replay import History, replay
from layerwise.engine import BuildRequest, Client, run_build

from .histories import checkout
from .node_nest_history import Commit, chmod, make_history, replace

pytestmark = pytest.mark.engine

BASE = "debian:bookworm-slim"
TINY = f"""\
FROM {BASE} AS build
COPY token /token
WORKDIR /app
COPY package.json package-lock.json ./
RUN sha256sum package.json package-lock.json > deps.txt
COPY . .
RUN (date +%s%N; find . -type f | sort) > built.txt

FROM {BASE}
COPY token /token
WORKDIR /app
COPY package*.json ./
RUN echo install > installed.txt
COPY --from=build /app/built.txt ./
"""

COMMITS = (
    Commit(
        "src",
        "service: trim the greeting",
        (
            replace(
                "src/app.service.ts",
                "return this.config.greeting;",
                "return this.config.greeting.trim();",
            ),
        ),
    ),
    Commit(
        "docs", "readme: a line", (replace("README.md", "## Deviations", "Hi.\n\n## Deviations"),)
    ),
    Commit(
        "dep",
        "deps: rxjs ^7.8.2",
        (
            replace("package.json", '"rxjs": "^7.8.1"', '"rxjs": "^7.8.2"'),
            replace("package-lock.json", '"rxjs": "^7.8.1"', '"rxjs": "^7.8.2"'),
        ),
    ),
    Commit(
        "dockerfile",
        "dockerfile: the install says more",
        (replace("Dockerfile", "RUN echo install >", "RUN echo install, quietly >"),),
    ),
    Commit(
        "dockerignore",
        "dockerignore: send the README",
        (replace(".dockerignore", "README.md\n", ""),),
    ),
    Commit("src", "main: executable", (chmod("src/main.ts", 0o755),)),
)


def test_replay_agrees_with_buildkit_commit_by_commit(engine: Client, tmp_path: Path) -> None:
    repo = tmp_path / "app"
    make_history(repo, COMMITS, dockerfile=TINY)
    token = uuid.uuid4().hex
    (repo / "token").write_text(token)  # untracked: the same in every commit's context
    replays = replay(History(repo / "Dockerfile", repo), len(COMMITS))
    tag = f"layerwise-replay-engine:{token[:12]}"
    checkout(repo, f"{replays[0].commit}~1")
    disagreements = []
    try:
        first = run_build(engine, BuildRequest(repo / "Dockerfile", repo, tag=tag))
        assert first.ok, first.log
        for replayed in replays:
            checkout(repo, replayed.commit)
            result = run_build(engine, BuildRequest(repo / "Dockerfile", repo, tag=tag))
            assert result.ok, result.log
            pairs = observed(replayed.predictions[0], result.steps, single_stage=False)
            for verdict, step in pairs:
                assert step is not None, f"{replayed.subject}: no step for line {verdict.line}"
                if verdict.cached != step.cached:
                    disagreements.append(
                        (replayed.subject, verdict.line, verdict.cached, step.cached)
                    )
    finally:
        engine.run("image", "rm", "--force", tag)
    assert disagreements == []
    # The history exercised what it is for: some commits rebuild, the README one does not.
    rebuilt = [sum(not v.cached for v in r.predictions[0].verdicts) for r in replays]
    assert rebuilt[1] == 0 and all(n > 0 for i, n in enumerate(rebuilt) if i != 1)
