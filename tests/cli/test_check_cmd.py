"""`layerwise check`: discovery, output formats, --fix/--diff, selection and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layerwise.cli.app import main
from layerwise.fix.files import discover, is_dockerfile_name

BROAD = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"


def project(tmp_path: Path, dockerfile: str = BROAD) -> Path:
    (tmp_path / "package.json").write_text('{"name": "x"}\n')
    (tmp_path / "package-lock.json").write_text("{}\n")
    path = tmp_path / "Dockerfile"
    path.write_text(dockerfile)
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Dockerfile", True), ("Dockerfile.prod", True), ("api.Dockerfile", True),
     ("x.dockerfile", True), ("Dockerfile-old", False), ("dockerfile.md", False),
     ("Dockerfile.dockerignore", False), ("api.Dockerfile.dockerignore", False)],
)  # fmt: skip
def test_names(name: str, expected: bool) -> None:
    assert is_dockerfile_name(name) is expected


def test_discover_skips_git_and_node_modules(tmp_path: Path) -> None:
    for rel in ("Dockerfile", "svc/api.Dockerfile", "node_modules/x/Dockerfile", ".git/Dockerfile",
                "svc/README.md"):  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("FROM scratch\n")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["Dockerfile", "svc/api.Dockerfile"]


def test_findings_exit_1_and_text_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project(tmp_path)
    assert main(["check", "--select", "LW101", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:4:5: LW101 [*] `npm ci` runs after `COPY . .` at line 3" in out
    assert "Found 1 finding." in out


def test_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project(tmp_path, "FROM node:20\nCOPY package.json package-lock.json ./\n")
    assert main(["check", "--select", "LW1", str(path)]) == 0
    assert "All checks passed." in capsys.readouterr().out


def test_fix_writes_and_exits_0_when_nothing_left(tmp_path: Path) -> None:
    path = project(tmp_path)
    assert main(["check", "--fix", "--select", "LW101", str(path)]) == 0
    assert path.read_text() == (
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n"
    )


def test_diff_prints_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project(tmp_path)
    assert main(["check", "--diff", "--select", "LW101", str(path)]) == 1
    captured = capsys.readouterr()
    assert "+COPY package.json package-lock.json ./\n" in captured.out
    assert "Would fix 1 finding." in captured.err
    assert path.read_text() == BROAD


def test_ignore_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project(tmp_path)
    assert main(["check", "--ignore", "LW1,LW2", "--select", "LW1", str(path)]) == 0
    capsys.readouterr()
    assert main(["check", "--output-format", "json", "--select", "LW101", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in data["findings"]] == ["LW101"]


def test_context_option_changes_what_is_copied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "docker" / "Dockerfile"
    path.parent.mkdir()
    path.write_text(BROAD)
    (tmp_path / "app").mkdir()
    project(tmp_path / "app")
    main(["check", "--diff", "--unsafe-fixes", "--select", "LW101", str(path)])
    assert "+COPY package*.json ./" in capsys.readouterr().out
    main(["check", "--diff", "--select", "LW101", "--context", str(tmp_path / "app"), str(path)])
    assert "+COPY package.json package-lock.json ./" in capsys.readouterr().out


def test_missing_path_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_unparsable_file_is_reported_and_others_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path)
    (tmp_path / "bad.Dockerfile").write_bytes(b"FROM a\nRUN \xff\n")
    assert main(["check", "--select", "LW101", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "bad.Dockerfile:2" in captured.err and "Traceback" not in captured.err
    assert "LW101" in captured.out


def test_unreadable_file_is_a_user_error_and_never_all_passed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_bytes(b"FROM debian:bookworm\nRUN echo \xff\n")
    assert main(["check", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert f"{bad}:2:" in err and "invalid UTF-8" in err
    assert "All checks passed" not in out and "1 file could not be checked." in out


def test_unknown_rule_code_in_select_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project(tmp_path)
    assert main(["check", "--select", "LW1,LWX", str(path)]) == 2
    assert "error: `LWX` in --select names no rule" in capsys.readouterr().err


def test_no_dockerfile_found_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path)]) == 0
    assert f"warning: no Dockerfiles found under {tmp_path}" in capsys.readouterr().err
