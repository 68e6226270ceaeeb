"""`replay` with a builder that keeps every earlier build (`cache_holds="all"`) against one
that holds only the parent's: a step hits when any earlier replayed build had its key."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from layerwise.cache.replay import CommitReplay, History, replay

from .app_histories import HISTORIES
from .histories import make_history

GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@layerwise"]
DOCKERFILE = """\
FROM alpine:3.20
WORKDIR /app
COPY config.json ./
RUN cat config.json
COPY src/ ./src/
RUN ls src
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)


def missed(replayed: CommitReplay) -> list[int]:
    return [v.line for v in replayed.predictions[0].verdicts if not v.cached]


@pytest.fixture(scope="module")
def reverted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """import; a source edit; a config edit; the source edit reverted."""
    repo = tmp_path_factory.mktemp("revert")
    git(repo, "init", "-q", "-b", "main")
    (repo / "Dockerfile").write_text(DOCKERFILE)
    (repo / "config.json").write_text("{}\n")
    (repo / "src").mkdir()
    (repo / "src" / "main.py").write_text("print('hello')\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "import")
    (repo / "src" / "main.py").write_text("print('hello, world')\n")
    git(repo, "commit", "-qam", "src: a longer greeting")
    git(repo, "revert", "--no-edit", "HEAD")
    return repo


def test_a_revert_hits_the_build_before_the_reverted_commit(reverted: Path) -> None:
    history = History(reverted / "Dockerfile", reverted)
    parent = replay(history, 2, cache_holds="parent")
    every = replay(history, 2, cache_holds="all")
    # The edit rebuilds from `COPY src/` either way.
    assert missed(parent[0]) == missed(every[0]) == [5, 6]
    # Its revert differs from its parent, but is the import commit's build again.
    assert missed(parent[1]) == [5, 6]
    assert missed(every[1]) == []
    flipped = [v for v in every[1].predictions[0].verdicts if v.line in (5, 6)]
    assert all(v.cached and v.cause is None for v in flipped)
    causes = [v.cause for v in parent[1].predictions[0].verdicts if not v.cached]
    assert causes[0] is not None and "src/main.py" in causes[0].render("en")


def test_only_the_replayed_builds_are_held(reverted: Path) -> None:
    # Replaying only the revert: the cache holds its parent (the edit), not the import.
    history = History(reverted / "Dockerfile", reverted)
    assert missed(replay(history, 1, cache_holds="all")[0]) == [5, 6]


def test_a_dockerignore_edit_that_brings_back_the_first_selection(tmp_path: Path) -> None:
    # python-web: app/test_main.py arrives after the import; `**/test_*.py` keeps it out
    # again, so `COPY app/ ./app/` (line 11 then) selects what the import's build selected.
    repo = tmp_path / "python-web"
    make_history(HISTORIES["python-web"], repo)
    history = History(repo / "Dockerfile", repo)
    count = len(HISTORIES["python-web"].commits)
    subject = "dockerignore: keep tests out of the image"
    parent = next(r for r in replay(history, count, cache_holds="parent") if r.subject == subject)
    every = next(r for r in replay(history, count) if r.subject == subject)
    assert missed(parent) == [11]
    assert missed(every) == []


def test_an_unknown_holding_is_refused(reverted: Path) -> None:
    with pytest.raises(ValueError, match="cache_holds"):
        replay(History(reverted / "Dockerfile", reverted), 1, cache_holds="some")


def test_a_miss_after_an_earlier_hit_is_explained_against_that_build(tmp_path: Path) -> None:
    # python-web's requirements.txt back as imported: its COPY (line 9) hits the import's
    # build, and the install misses that build for the ENV added since, not for its parent.
    repo = tmp_path / "python-web"
    make_history(HISTORIES["python-web"], repo)
    history = History(repo / "Dockerfile", repo)
    count = len(HISTORIES["python-web"].commits)
    subject = "deps: werkzeug 3.1.9 again"
    parent = next(r for r in replay(history, count, cache_holds="parent") if r.subject == subject)
    every = next(r for r in replay(history, count) if r.subject == subject)
    assert missed(parent) == [9, 10, 12]
    assert missed(every) == [10, 12]

    def cause(replayed: CommitReplay, line: int) -> str:
        verdict = next(v for v in replayed.predictions[0].verdicts if v.line == line)
        assert verdict.cause is not None
        return verdict.cause.render("en")

    assert cause(parent, 10) == "parent step at line 9 missed"
    assert cause(every, 10) == "ENV PIP_DISABLE_PIP_VERSION_CHECK changed (line 5)"
    assert cause(every, 12) == "parent step at line 10 missed"
