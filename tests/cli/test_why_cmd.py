"""`layerwise why`: the table, the JSON shape, git revisions and user errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from layerwise.cli.app import main

DOCKERFILE = """\
FROM debian:bookworm-slim AS base
ARG GIT_SHA=1
WORKDIR /app
COPY package.json ./
RUN echo install
COPY . .
RUN echo build

FROM base AS final
RUN echo final
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "package.json").write_text("{}\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.ts").write_text("a\n")
    (tmp_path / "README.md").write_text("readme\n")
    (tmp_path / ".dockerignore").write_text("*.md\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["why", *args, "--output-format", "json"]) == 0
    steps: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["steps"]
    return steps


def test_since_a_source_edit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "src" / "a.ts").write_text("b\n")
    (repo / "README.md").write_text("ignored by .dockerignore\n")
    steps = run_json(capsys, str(repo / "Dockerfile"), "--since", "HEAD")
    assert [(s["stage"], s["line"], s["cached"]) for s in steps] == [
        ("base", 3, True),
        ("base", 4, True),
        ("base", 5, True),
        ("base", 6, False),
        ("base", 7, False),
        ("final", 10, False),
    ]
    assert steps[3] == {
        "stage": "base",
        "line": 6,
        "instruction": "COPY . .",
        "cached": False,
        "cause": "`src/a.ts` changed (copied at line 6)",
    }


def test_since_sees_untracked_files_mode_bits_and_a_dockerfile_edit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "package.json").chmod(0o755)
    steps = run_json(capsys, str(repo / "Dockerfile"), "--since", "HEAD")
    assert steps[1]["cause"] == "`package.json` mode changed (copied at line 4)"
    (repo / "package.json").chmod(0o644)
    (repo / "src" / "new.ts").write_text("new\n")
    steps = run_json(capsys, str(repo / "Dockerfile"), "--since", "HEAD")
    assert steps[3]["cause"] == "`src/new.ts` added (copied at line 6)"
    (repo / "src" / "new.ts").unlink()
    edited = DOCKERFILE.replace("RUN echo build", "RUN echo build2")
    (repo / ".dockerignore").write_text("*.md\nDockerfile\n")
    git(repo, "add", ".dockerignore")
    git(repo, "commit", "-qm", "ignore the Dockerfile")
    (repo / "Dockerfile").write_text(edited)
    steps = run_json(capsys, str(repo / "Dockerfile"), "--since", "HEAD")
    assert [(s["line"], s["cause"]) for s in steps if not s["cached"]] == [
        (7, "instruction changed (line 7)"),
        (10, "base stage `base` rebuilt (line 7 missed)"),
    ]


def test_since_dockerignore_edit_lets_files_in(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".dockerignore").write_text("# nothing ignored\n")
    steps = run_json(capsys, str(repo / "Dockerfile"), "--since", "HEAD")
    # `.dockerignore` itself changed and README.md now reaches the context.
    assert steps[3]["cause"] == "`.dockerignore` changed (copied at line 6)"
    # Ignoring itself, the file leaves the context: the old one was copied, the new one is not.
    (repo / ".dockerignore").write_text(".dockerignore\n*.md\n")
    steps = run_json(capsys, str(repo / "Dockerfile"), "--since", "HEAD")
    assert steps[3]["cause"] == "`.dockerignore` now excluded by .dockerignore (copied at line 6)"
    git(repo, "commit", "-qam", "ignore itself")
    (repo / ".dockerignore").write_text(".dockerignore\n")
    steps = run_json(capsys, str(repo / "Dockerfile"), "--since", "HEAD")
    assert steps[3]["cause"] == "`README.md` no longer excluded by .dockerignore (copied at line 6)"


def test_changed_files_build_args_and_bases(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = str(repo / "Dockerfile")
    steps = run_json(capsys, dockerfile, "--changed", str(repo / "package.json"))
    assert steps[1]["cause"] == "`package.json` changed (copied at line 4)"
    steps = run_json(capsys, dockerfile, "--build-arg", "GIT_SHA=2")
    assert steps[2]["cause"] == "ARG GIT_SHA changed (declared at line 2)"
    same = run_json(capsys, dockerfile, "--build-arg", "GIT_SHA=2", "--old-build-arg", "GIT_SHA=2")
    assert all(s["cached"] for s in same)
    steps = run_json(capsys, dockerfile, "--base-changed", "debian:bookworm-slim")
    assert not any(s["cached"] for s in steps)
    steps = run_json(capsys, dockerfile, "--target", "base", "--changed", str(repo / "src/a.ts"))
    assert {s["stage"] for s in steps} == {"base"}


def test_text_table_and_first_misses(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "src" / "a.ts").write_text("b\n")
    assert main(["why", str(repo / "Dockerfile"), "--since", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "COPY . ." in out and "MISS" in out and "HIT" in out
    assert "stage base: first miss at line 6: `src/a.ts` changed (copied at line 6)" in out
    assert "3 of 6 steps rebuild." in out
    assert main(["why", str(repo / "Dockerfile"), "--lang", "ko"]) == 0
    assert "모든 단계가 캐시를 씁니다." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "no-such-ref"], "`no-such-ref` names no commit of this repository"),
        (["--build-arg", "NOVALUE"], "`NOVALUE` in --build-arg is not KEY=VALUE"),
        (["--target", "nope"], "target stage 'nope' could not be found"),
        (["--changed", "/etc/hostname"], "/etc/hostname: error: is outside the build context"),
    ],
)
def test_user_errors_are_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["why", str(repo / "Dockerfile"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_since_outside_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine\nRUN echo a\n")
    code = main(["why", str(tmp_path / "Dockerfile"), "--since", "HEAD"])
    assert code == 2
    assert "not inside a git repository" in capsys.readouterr().err


def test_broken_dockerfile_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine\nFOO bar\n")
    assert main(["why", str(tmp_path / "Dockerfile")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'Dockerfile'}:2:1: error:" in err
    assert main(["why", str(tmp_path / "missing")]) == 2
    assert "Dockerfile not found" in capsys.readouterr().err


def test_since_with_a_context_below_the_repository_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = tmp_path / "services" / "api"
    app.mkdir(parents=True)
    (app / "Dockerfile").write_text("FROM alpine\nCOPY main.py /app/\nRUN echo x\n")
    (app / "main.py").write_text("print(1)\n")
    (tmp_path / "elsewhere.py").write_text("x\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    (tmp_path / "elsewhere.py").write_text("y\n")
    assert all(s["cached"] for s in run_json(capsys, str(app / "Dockerfile"), "--since", "HEAD"))
    (app / "main.py").write_text("print(2)\n")
    steps = run_json(capsys, str(app / "Dockerfile"), "--since", "HEAD")
    assert steps[0]["cause"] == "`main.py` changed (copied at line 2)"
