"""`replay` over every fixture app's history (app_histories.py): each history is made the same
twice, is real-shaped, and every commit rebuilds what its kind says, in the committed
Dockerfile and in the app's manifests-first one (Dockerfile.fixed, replayed from disk).

What a kind says (histories.py): a source, config or README edit the image receives rebuilds
from the COPY that sends it (its cause names a file the commit changed) and leaves the
dependency install of the manifests-first file cached; a dependency bump rebuilds the install
in every file; a change only to files no COPY sends rebuilds nothing; a Dockerfile edit
rebuilds from the edited step on, and nothing in the untracked file (the Dockerfile is kept out
of the context by then); a .dockerignore edit rebuilds from a COPY, the cause naming it.
Those kinds are against the parent's build (`cache_holds="parent"`). Against every earlier
build (`"all"`, the default) a commit rebuilds at most what it does against its parent, and
less exactly where it brings back what an earlier build had (EARLIER_HITS).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from layerwise.cache.predict import Prediction, Verdict
from layerwise.cache.replay import CommitReplay, History, Variant, replay, tracked_or_disk

from .app_histories import HISTORIES
from .histories import KINDS, AppHistory, make_history

APPS = sorted(HISTORIES)
# (app, subject) -> the lines that miss against the parent but hit an earlier build's record.
EARLIER_HITS = {
    # `**/test_*.py` keeps app/test_main.py (added after the import) out again: `COPY app/`
    # (python-web line 11 then; python-uv's install and copy of the project, 18-19) selects what the
    # import commit's build selected.
    ("python-web", "dockerignore: keep tests out of the image"): [11],
    ("python-uv", "dockerignore: keep tests out of the image"): [18, 19],
    # requirements.txt as in the import commit: its COPY (line 9) hits that build; the install
    # still misses, its environment has the later PIP_DISABLE_PIP_VERSION_CHECK.
    ("python-web", "deps: werkzeug 3.1.9 again"): [9],
}


@pytest.fixture(scope="module", params=APPS)
def made(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[AppHistory, Path]:
    history = HISTORIES[request.param]
    repo = tmp_path_factory.mktemp("apps") / history.app
    make_history(history, repo)
    return history, repo


def commits(repo: Path) -> list[str]:
    out = subprocess.run(
        ["git", "rev-list", "--reverse", "HEAD"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.split()


def touched(repo: Path, commit: str) -> set[str]:
    out = subprocess.run(
        ["git", "diff-tree", "--no-commit-id", "--name-only", "-r", commit],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return set(out.stdout.split())


def replayed(history: AppHistory, repo: Path, holds: str = "parent") -> list[CommitReplay]:
    source = History(repo / "Dockerfile", repo)
    variants = [Variant("Dockerfile")]
    if history.fixed is not None:
        variants.append(Variant("fixed", tracked_or_disk(source, history.folder / history.fixed)))
    return replay(source, len(history.commits), variants=tuple(variants), cache_holds=holds)


def missed(prediction: Prediction) -> list[Verdict]:
    return [v for v in prediction.verdicts if not v.cached]


def install(prediction: Prediction, word: str) -> Verdict:
    """The dependency install: the first RUN (in build order) that says `word`."""
    found = [
        v for v in prediction.verdicts if v.instruction.startswith("RUN") and word in v.instruction
    ]
    assert found, f"no install step ({word}) in {[v.instruction for v in prediction.verdicts]}"
    return found[0]


def first_cause(prediction: Prediction) -> str:
    first = missed(prediction)[0]
    assert first.cause is not None
    return first.cause.render("en")


def names_one_of(cause: str, paths: set[str]) -> bool:
    return any(f"`{path}`" in cause for path in paths)


def first_difference(old: str, new: str) -> int:
    """The first line (1-based) where two Dockerfile texts differ."""
    for n, (a, b) in enumerate(zip(old.splitlines(), new.splitlines(), strict=False), start=1):
        if a != b:
            return n
    return min(len(old.splitlines()), len(new.splitlines())) + 1


def test_the_history_is_deterministic_and_real_shaped(
    made: tuple[AppHistory, Path], tmp_path: Path
) -> None:
    history, repo = made
    again = tmp_path / history.app
    kinds = make_history(history, again)
    assert commits(again) == commits(repo)
    assert len(commits(repo)) == len(kinds) >= 21
    assert set(kinds) - {"root"} <= set(KINDS)
    assert {"src", "config", "dep", "dockerfile", "dockerignore"} <= set(kinds)
    subjects = subprocess.run(
        ["git", "log", "--reverse", "--format=%s"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert subjects == [f"import {history.app}", *(c.subject for c in history.commits)]


def test_every_commit_rebuilds_as_its_kind_says(made: tuple[AppHistory, Path]) -> None:
    history, repo = made
    replays = replayed(history, repo)
    assert [r.subject for r in replays] == [c.subject for c in history.commits]
    for n, (commit, result) in enumerate(zip(history.commits, replays, strict=True)):
        ours, fixed = result.predictions[0], result.predictions[-1]
        changed = touched(repo, result.commit)
        why = f"{history.app}: {commit.subject}"
        if commit.kind == "ignored":
            assert all(not missed(p) for p in result.predictions), why
            continue
        assert missed(ours), why
        if commit.kind in ("src", "config", "docs"):
            assert names_one_of(first_cause(ours), changed), (why, first_cause(ours))
            assert missed(fixed), why
            if history.install is not None:
                assert install(fixed, history.install).cached, why
        elif commit.kind == "dep":
            assert names_one_of(first_cause(ours), changed), (why, first_cause(ours))
            if history.install is not None:
                for prediction in result.predictions:
                    assert not install(prediction, history.install).cached, why
        elif commit.kind == "dockerfile":
            old_text = replays[n - 1].texts[0] if n else (repo / "Dockerfile").read_text()
            # The step the first edited line belongs to (a RUN's continuation line is its).
            edited = max(
                (
                    v.line
                    for v in ours.verdicts
                    if v.line <= first_difference(old_text, result.texts[0])
                ),
                default=0,
            )
            assert all(v.cached for v in ours.verdicts if v.line < edited), why
            assert missed(ours)[0].line >= edited, why
            if history.fixed is not None:
                assert not missed(fixed), why
        else:
            assert commit.kind == "dockerignore", why
            assert ".dockerignore" in first_cause(ours), (why, first_cause(ours))
            if history.install is not None:
                assert install(fixed, history.install).cached, why


def test_every_earlier_build_only_adds_hits(made: tuple[AppHistory, Path]) -> None:
    history, repo = made
    parent = replayed(history, repo)
    every = replayed(history, repo, "all")
    for before, after in zip(parent, every, strict=True):
        for index, (p, a) in enumerate(zip(before.predictions, after.predictions, strict=True)):
            flipped = [
                x.line for x, y in zip(p.verdicts, a.verdicts, strict=True) if x.cached != y.cached
            ]
            why = (history.app, before.subject, index)
            assert all(not x.cached for x in p.verdicts if x.line in flipped), why
            assert all(y.cause is None for y in a.verdicts if y.line in flipped), why
            expected = EARLIER_HITS.get((history.app, before.subject), []) if index == 0 else []
            assert flipped == expected, why
