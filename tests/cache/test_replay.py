"""`replay` on the node-nest history (tests/cache/node_nest_history.py): each commit against its
parent, checked against what the Dockerfile says by hand, and step costs from a bench JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from layerwise.cache.replay import (
    CommitReplay,
    History,
    Variant,
    bench_costs,
    commit_cost,
    frequencies,
    replay,
    tracked_or_disk,
)
from layerwise.errors import LayerwiseError

from .node_nest_history import APP, COMMITS, make_history

# Dockerfile.before's steps, in build order: (stage, line).
BUILD = [("build", 3), ("build", 10), ("build", 12), ("build", 14), ("build", 16)]
RUNTIME = [(1, 20), (1, 22), (1, 26), (1, 28), (1, 30), (1, 31), (1, 32)]
# `COPY . .` (line 10) sees the edit: the rest of the build stage reruns, and the runtime
# stage's `COPY --from=build` (30-32) cannot know the rerun RUNs wrote the same bytes.
SOURCE_EDIT = [10, 12, 14, 16, 30, 31, 32]
# A dependency bump also reaches the runtime stage's `COPY package*.json` (26) and its install.
DEPENDENCY_BUMP = [10, 12, 14, 16, 26, 28, 30, 31, 32]
# The Dockerfile edit changes the runtime stage's RUN (22): it and every later step of that
# stage rerun; the build stage is untouched (Dockerfile* is in .dockerignore).
DOCKERFILE_EDIT = [22, 26, 28, 30, 31, 32]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history") / "node-nest"
    make_history(root)
    return root


@pytest.fixture(scope="module")
def replays(repo: Path) -> list[CommitReplay]:
    history = History(repo / "Dockerfile", repo)
    return replay(history, len(COMMITS))


def missed(replayed: CommitReplay, index: int = 0) -> list[int]:
    return [v.line for v in replayed.predictions[index].verdicts if not v.cached]


def by_subject(replays: list[CommitReplay], subject: str) -> CommitReplay:
    return next(r for r in replays if r.subject == subject)


def test_the_history_is_real_shaped(replays: list[CommitReplay]) -> None:
    assert len(replays) == len(COMMITS) >= 20
    assert [r.subject for r in replays] == [c.subject for c in COMMITS]
    kinds = {c.kind for c in COMMITS}
    assert {"src", "dep", "config", "dockerfile", "dockerignore"} <= kinds
    steps = [(v.stage_label, v.line) for v in replays[0].predictions[0].verdicts]
    assert steps == BUILD + RUNTIME


@pytest.mark.parametrize(
    ("subject", "expected", "cause"),
    [
        (
            "controller: a version route",
            SOURCE_EDIT,
            "`src/app.controller.ts` changed (copied at line 10)",
        ),
        (
            "config: a friendlier greeting",
            SOURCE_EDIT,
            "`config/default.json` changed (copied at line 10)",
        ),
        ("deps: rxjs ^7.8.2", DEPENDENCY_BUMP, "`package-lock.json` changed (copied at line 10)"),
        ("readme: how to run", [], None),
        ("main: log the port", SOURCE_EDIT, "`src/banner.ts` added (copied at line 10)"),
        (
            "dockerfile: dumb-init without recommends",
            DOCKERFILE_EDIT,
            "instruction changed (line 22)",
        ),
        (
            "dockerignore: send the README (the image documents itself)",
            SOURCE_EDIT,
            "`README.md` no longer excluded by .dockerignore (copied at line 10)",
        ),
        # The same README edit as "readme: how to run", now that .dockerignore lets it in.
        ("readme: routes", SOURCE_EDIT, "`README.md` changed (copied at line 10)"),
        (
            "main: drop the unused banner",
            SOURCE_EDIT,
            "`src/banner.ts` deleted (copied at line 10)",
        ),
        (
            "scripts: make start.sh executable",
            SOURCE_EDIT,
            "`scripts/start.sh` mode changed (copied at line 10)",
        ),
    ],
)
def test_each_commit_against_its_parent(
    replays: list[CommitReplay], subject: str, expected: list[int], cause: str | None
) -> None:
    replayed = by_subject(replays, subject)
    assert missed(replayed) == expected
    first = next((v for v in replayed.predictions[0].verdicts if not v.cached), None)
    assert (None if first is None else first.cause.render("en") if first.cause else None) == cause


def test_every_commit_is_one_of_the_hand_derived_shapes(replays: list[CommitReplay]) -> None:
    shapes = {
        "src": SOURCE_EDIT,
        "config": SOURCE_EDIT,
        "docs": SOURCE_EDIT,  # the README once .dockerignore lets it in
        "ignored": [],  # the README before
        "dep": DEPENDENCY_BUMP,
        "dockerfile": DOCKERFILE_EDIT,
        "dockerignore": SOURCE_EDIT,
    }
    for commit, replayed in zip(COMMITS, replays, strict=True):
        assert missed(replayed) == shapes[commit.kind], commit.subject


def test_the_dockerfile_edit_is_keyed_by_each_side(replays: list[CommitReplay]) -> None:
    """The parent's cache is keyed by the parent's Dockerfile: after the edit the new RUN line
    is the one that hits on later commits."""
    edit = next(i for i, c in enumerate(COMMITS) if c.kind == "dockerfile")
    before = [v.instruction for v in replays[edit - 1].predictions[0].verdicts]
    after = [v.instruction for v in replays[edit].predictions[0].verdicts]
    assert [a for a, b in zip(before, after, strict=True) if a != b] == [before[6]]
    assert "--no-install-recommends" in after[6]
    assert 22 not in missed(replays[edit + 1])


def test_frequencies(replays: list[CommitReplay]) -> None:
    every = frequencies(replays, 0, None)
    rows = {(f.stage, f.instruction): f for f in every}
    docs_ignored = 1  # "readme: how to run", before .dockerignore let the README in
    assert rows[("build", "WORKDIR /usr/src/app")].rebuilt == 0
    assert rows[("build", "COPY . .")].rebuilt == len(COMMITS) - docs_ignored - 1
    assert rows[(1, "RUN npm ci --omit=dev")].rebuilt == 3  # two bumps and the Dockerfile edit
    apt = [f for f in every if f.instruction.startswith("RUN apt update")]
    # The RUN before the edit (in 7 commits' builds) and after it (in 13), once each.
    assert sorted((f.rebuilt, f.commits) for f in apt) == [(0, 7), (1, 13)]


def test_compare_with_a_file_not_in_the_repository(repo: Path) -> None:
    """Dockerfile.after (the hand-optimised one) is not tracked: the same text for every
    commit, so the Dockerfile edit rebuilds nothing there, and its install (after copying the
    manifests) survives source edits."""
    history = History(repo / "Dockerfile", repo)
    other = Variant("Dockerfile.after", tracked_or_disk(history, APP / "Dockerfile.after"))
    replays = replay(history, len(COMMITS), variants=(Variant("Dockerfile"), other))
    for commit, replayed in zip(COMMITS, replays, strict=True):
        after = replayed.predictions[1]
        install = next(v for v in after.verdicts if "npm ci" in v.instruction)
        assert install.cached == (commit.kind != "dep"), commit.subject
        if commit.kind == "dockerfile":
            assert all(v.cached for v in after.verdicts)


def test_fixed_keeps_the_install_on_source_edits(repo: Path) -> None:
    from layerwise.context import BuildContext
    from layerwise.fix import fix_text

    context = BuildContext.open(repo, repo / "Dockerfile")
    history = History(repo / "Dockerfile", repo)
    fixed = Variant("fixed", lambda _, text: fix_text(text, context=context).text)
    replays = replay(history, 3, variants=(Variant("Dockerfile"), fixed))
    for replayed in replays:  # source edits
        first_install = next(
            v for v in replayed.predictions[1].verdicts if "npm ci" in v.instruction
        )
        assert first_install.cached
        assert sum(not v.cached for v in replayed.predictions[1].verdicts) < len(missed(replayed))


def bench_json(steps: list[dict[str, Any]], *, key: str = "steps") -> dict[str, Any]:
    run = {"repetition": 0, "seconds": 30.0, key: steps}
    return {
        "version": 1,
        "dockerfiles": [
            {
                "dockerfile": "/somewhere/Dockerfile",
                "label": "Dockerfile",
                "scenarios": {"cold": {"runs": [run]}},
            }
        ],
    }


COLD_STEPS = [
    ("[build 1/6] FROM docker.io/library/node:20", 0.5),
    ("[build 2/6] WORKDIR /usr/src/app", 0.1),
    ("[build 3/6] COPY . .", 0.2),
    ("[build 4/6] RUN npm ci", 12.0),
    ("[build 5/6] RUN npm run build", 3.0),
    ("[build 6/6] RUN npx prisma generate", 2.0),
    ("[stage-1 2/8] WORKDIR /usr/src/app", 0.1),
    ("[stage-1 3/8] RUN apt update     && apt install -y --no-install-recommends dumb-init", 4.0),
    ("[stage-1 4/8] COPY package*.json ./", 0.1),
    ("[stage-1 5/8] RUN npm ci --omit=dev", 8.0),
    ("[stage-1 6/8] COPY --from=build /usr/src/app/dist/ ./dist/", 0.3),
    ("[stage-1 7/8] COPY --from=build /usr/src/app/config/ ./config/", 0.1),
    (
        "[stage-1 8/8] COPY --from=build /usr/src/app/node_modules/.prisma/"
        " ./node_modules/.prisma/",
        0.4,
    ),
]


def test_costs_from_a_bench_json(replays: list[CommitReplay]) -> None:
    data = bench_json([{"step": n, "seconds": s, "cached": False} for n, s in COLD_STEPS])
    costs = bench_costs(data, replays[-1].texts[0], name="Dockerfile", target=None, source="b")
    assert costs is not None and not costs.has_bytes
    src = commit_cost(by_subject(replays, "controller: a version route").predictions[0], costs)
    # COPY . . + npm ci + build + prisma + the three COPY --from.
    assert src.seconds == pytest.approx(0.2 + 12.0 + 3.0 + 2.0 + 0.3 + 0.1 + 0.4)
    assert (src.missed, src.unknown, src.bytes) == (7, 0, None)
    dep = commit_cost(by_subject(replays, "deps: rxjs ^7.8.2").predictions[0], costs)
    assert dep.seconds == pytest.approx(18.0 + 0.1 + 8.0)
    # The Dockerfile edit reruns the new apt RUN (the one the bench measured) and what follows.
    edit = commit_cost(
        by_subject(replays, "dockerfile: dumb-init without recommends").predictions[0], costs
    )
    assert edit.unknown == 0 and edit.seconds == pytest.approx(4.0 + 0.1 + 8.0 + 0.8)


def test_costs_with_bytes_and_an_old_bench_json(replays: list[CommitReplay]) -> None:
    sized = bench_json(
        [{"step": n, "seconds": s, "cached": False, "bytes": 1000} for n, s in COLD_STEPS]
    )
    costs = bench_costs(sized, replays[-1].texts[0], name="Dockerfile", target=None, source="b")
    assert costs is not None and costs.has_bytes
    assert commit_cost(replays[0].predictions[0], costs).bytes == 7000
    # Before per-step times, a bench JSON kept the three slowest steps only.
    slowest = [{"step": n, "seconds": s} for n, s in COLD_STEPS if s >= 3.0]
    old = bench_json(slowest, key="slowest")
    costs = bench_costs(old, replays[-1].texts[0], name="Dockerfile", target=None, source="b")
    assert costs is not None
    src = commit_cost(replays[0].predictions[0], costs)
    assert src.seconds == pytest.approx(15.0) and src.unknown == 5


def test_a_bench_json_of_something_else_is_a_user_error(replays: list[CommitReplay]) -> None:
    with pytest.raises(LayerwiseError, match="is not a `layerwise bench --json` report"):
        bench_costs({"steps": []}, replays[-1].texts[0], name="D", target=None, source="x.json")
    no_cold = bench_json([])
    no_cold["dockerfiles"][0]["scenarios"] = {"src": {}}
    with pytest.raises(LayerwiseError, match="has no cold build"):
        bench_costs(no_cold, replays[-1].texts[0], name="Dockerfile", target=None, source="x")


def test_the_engine_history_by_hand(tmp_path: Path) -> None:
    """What test_replay_engine.py checks against BuildKit, derived by hand from its Dockerfile:
    lines 6-7 are `COPY . .` and the build's RUN, 4-5 the manifests and their RUN, 12-13 the
    runtime's, 14 the `COPY --from=build` of a file the build's RUN rewrites."""
    from .test_replay_engine import COMMITS as ENGINE_COMMITS
    from .test_replay_engine import TINY

    make_history(tmp_path / "app", ENGINE_COMMITS, dockerfile=TINY)
    history = History(tmp_path / "app" / "Dockerfile", tmp_path / "app")
    replays = replay(history, len(ENGINE_COMMITS))
    assert [missed(r) for r in replays] == [
        [6, 7, 14],  # a source edit
        [],  # the README, kept out by .dockerignore
        [4, 5, 6, 7, 12, 13, 14],  # package.json and the lockfile
        [13, 14],  # the runtime RUN edited (the Dockerfile itself is kept out)
        [6, 7, 14],  # README.md let in
        [6, 7, 14],  # src/main.ts made executable
    ]


def test_git_reads_between_two_commits(repo: Path) -> None:
    """The git helpers replay stands on: texts in one batch, the raw diff's states, folders."""
    from layerwise.cache.git import Repository

    git = Repository(repo)
    texts = git.texts("HEAD", ["Dockerfile", "missing file", "src", "package.json"])
    assert texts["Dockerfile"] == (repo / "Dockerfile").read_text()
    assert texts["package.json"] == (repo / "package.json").read_text()
    assert texts["missing file"] is None and texts["src"] is None  # absent, a folder
    chmod = git.diff("HEAD~2", "HEAD~1", "")  # "scripts: make start.sh executable"
    (before, after) = chmod["scripts/start.sh"]
    assert before is not None and after is not None
    assert (before.digest, before.mode, after.mode) == (after.digest, 0o100644, 0o100755)
    added = git.diff("HEAD~3", "HEAD~2", "")["scripts/start.sh"]
    assert added[0] is None and added[1] == before
    assert set(git.folders("HEAD", "")) == {"config", "prisma", "scripts", "src"}
    assert set(git.diff("HEAD~3", "HEAD~1", "src")) == set()
