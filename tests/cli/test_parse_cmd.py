"""`layerwise parse FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layerwise.cli.app import main

DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM node:20 AS build
RUN --mount=type=cache,target=/root/.npm \\
    npm ci
COPY <<EOF /app/note.txt
hello
EOF
ONBUILD RUN echo later
FROM node:20
COPY --from=build /app /app
CMD ["node", "/app/main.js"]
"""


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(DOCKERFILE)
    return path


def test_json_lists_instructions_like_the_official_parser(
    dockerfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(dockerfile), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    instructions = out["instructions"]
    assert [i["keyword"] for i in instructions] == [
        "FROM",
        "RUN",
        "COPY",
        "ONBUILD",
        "FROM",
        "COPY",
        "CMD",
    ]
    assert instructions[1] == {
        "keyword": "RUN",
        "start_line": 3,
        "end_line": 4,
        "flags": ["--mount=type=cache,target=/root/.npm"],
        "json": False,
        "sub_keyword": None,
        "value": ["npm ci"],
        "heredocs": [],
    }
    assert instructions[2]["heredocs"] == [{"name": "EOF", "content": "hello\n"}]
    assert instructions[2]["end_line"] == 7
    assert instructions[3]["sub_keyword"] == "RUN"
    assert instructions[6]["json"] is True
    assert instructions[6]["value"] == ["node", "/app/main.js"]


def test_json_has_stages_from_the_model(
    dockerfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(dockerfile), "--json"]) == 0
    stages = json.loads(capsys.readouterr().out)["stages"]
    assert [(s["index"], s["name"], s["base"], s["depends_on"]) for s in stages] == [
        (0, "build", "node:20", []),
        (1, None, "node:20", [0]),
    ]
    assert stages[0]["platform"] == "$BUILDPLATFORM"


def test_summary_has_one_line_per_instruction(
    dockerfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(dockerfile)]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.strip() and "directive" not in ln]
    assert len(lines) == 7
    assert lines[1].split()[:2] == ["3-4", "RUN"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"FROM a\nRUN cat <<EOF\n", ":2:9: error: unterminated heredoc"),
        (b"FROM a\n\xff\n", ":2:1: error: invalid UTF-8"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    path = tmp_path / "Dockerfile"
    if content is not None:
        path.write_bytes(content)
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
