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


def test_a_file_that_is_not_utf8_is_a_user_error_and_others_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not text at all, unlike a file BuildKit's parser rejects (an LW400 finding, exit 1).
    project(tmp_path)
    (tmp_path / "bad.Dockerfile").write_bytes(b"FROM a\nRUN \xff\n")
    assert main(["check", "--select", "LW101", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "bad.Dockerfile:2" in captured.err and "Traceback" not in captured.err
    assert "LW101" in captured.out


UNTERMINATED = "FROM debian:bookworm\nRUN <<EOF\napt-get update\nEOR\n"


def test_a_file_the_parser_rejects_is_one_finding_and_the_others_are_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path)
    (tmp_path / "bad.Dockerfile").write_text(UNTERMINATED)
    # Reported whatever --select says: the file was not checked at all.
    assert main(["check", "--select", "LW101", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert f"{tmp_path / 'bad.Dockerfile'}:2:5: LW400 unterminated heredoc" in out
    assert "LW101" in out and "could not be checked" not in out
    assert err == ""


def test_a_file_the_parser_rejects_is_a_json_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(UNTERMINATED)
    assert main(["check", "--output-format", "json", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    (finding,) = data["findings"]
    assert (finding["code"], finding["name"]) == ("LW400", "dockerfile-syntax-error")
    assert finding["location"] == {"line": 2, "column": 5}
    assert data["errors"] == []


def test_a_file_the_parser_rejects_is_reported_in_the_run_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(UNTERMINATED)
    assert main(["check", "--lang", "ko", str(path)]) == 1
    assert f"{path}:2:5: LW400 heredoc이 닫히지 않았습니다" in capsys.readouterr().out


def test_fix_leaves_a_file_the_parser_rejects_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    data = ("\ufeff" + UNTERMINATED.replace("\n", "\r\n")).encode()
    path.write_bytes(data)
    assert main(["check", "--fix", "--unsafe-fixes", str(path)]) == 1
    assert path.read_bytes() == data
    assert main(["check", "--diff", str(path)]) == 0  # nothing to change: no diff
    assert "LW400" in capsys.readouterr().out


def test_what_buildkit_refuses_in_the_model_is_a_finding_and_the_rest_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project(tmp_path, "FROM node:%%NODE%%\nWORKDIR /app\nCOPY . .\nRUN npm ci\n")
    assert main(["check", "--select", "LW101,LW406", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1:1: LW406 failed to parse stage name 'node:%%NODE%%'" in out
    assert f"{path}:4:5: LW101" in out


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


def test_lang_ko_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project(tmp_path)
    assert main(["check", "--lang", "ko", "--select", "LW101", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:4:5: LW101 [*] `npm ci` 명령이 3번 줄의 `COPY . .` 뒤에서 실행되어" in out
    assert "  = install-after-broad-copy: 같은 스테이지에서 빌드 컨텍스트 전체를" in out
    assert (
        "  = 수정: `package.json`, `package-lock.json`부터 복사하고 `COPY . .` 앞에서 설치" in out
    )
    assert out.endswith("문제 1건을 찾았습니다.\n[*] `--fix`로 1건 수정 가능.\n")


def test_lang_ko_json_keeps_codes_and_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project(tmp_path)
    argv = ["check", "--output-format", "json", "--select", "LW101", str(path)]
    assert main([*argv, "--lang", "ko"]) == 1
    (korean,) = json.loads(capsys.readouterr().out)["findings"]
    assert main(argv) == 1
    (english,) = json.loads(capsys.readouterr().out)["findings"]
    assert korean["message"].startswith("`npm ci` 명령이 3번 줄의 `COPY . .` 뒤에서")
    assert korean["fix"]["title"].endswith("`COPY . .` 앞에서 설치")
    assert english["message"].startswith("`npm ci` runs after `COPY . .` at line 3")
    same = ("code", "name", "severity", "path", "location", "end_location")
    assert {k: korean[k] for k in same} == {k: english[k] for k in same}
    assert korean["fix"]["edits"] == english["fix"]["edits"]
    assert korean["fix"]["applicability"] == "safe"


@pytest.mark.parametrize(
    ("environ", "korean"),
    [({"LANG": "ko_KR.UTF-8"}, True), ({"LC_MESSAGES": "ko", "LANG": "en_US.UTF-8"}, True),
     ({"LC_ALL": "C", "LANG": "ko_KR.UTF-8"}, False), ({"LANG": "en_US.UTF-8"}, False)],
)  # fmt: skip
def test_language_follows_the_locale(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    environ: dict[str, str],
    korean: bool,
) -> None:
    for var, value in environ.items():
        monkeypatch.setenv(var, value)
    path = project(tmp_path)
    assert main(["check", "--select", "LW101", str(path)]) == 1
    out = capsys.readouterr().out
    assert ("문제 1건을 찾았습니다." in out) is korean
    assert ("Found 1 finding." in out) is not korean


def test_lang_option_wins_over_the_locale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    path = project(tmp_path, "FROM node:20\n")
    assert main(["check", "--lang", "en", str(path)]) == 0
    assert "All checks passed." in capsys.readouterr().out
    assert main(["check", str(path)]) == 0
    assert "모든 검사를 통과했습니다." in capsys.readouterr().out


def test_korean_diff_and_show_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project(tmp_path)
    assert main(["check", "--lang", "ko", "--diff", "--select", "LW101", str(path)]) == 1
    assert "문제 1건을 수정할 수 있습니다." in capsys.readouterr().err
    argv = ["check", "--lang", "ko", "--fix", "--show-fixes", "--select", "LW101", str(path)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "수정한 문제 1건:\n" in out
    assert "문제 1건을 찾았습니다(1건 수정, 0건 남음)." in out


def test_unknown_lang_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project(tmp_path)
    assert main(["check", "--lang", "fr", str(path)]) == 2
    assert "unknown language `fr` for --lang" in capsys.readouterr().err


GO_API = Path(__file__).resolve().parents[1] / "apps" / "go-api" / "Dockerfile"


def test_platform_option_makes_a_build_multi_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(GO_API.read_text())
    assert main(["check", "--isolated", "--select", "LW8", str(path)]) == 0
    platforms = ["--platform", "linux/amd64", "--platform", "linux/arm64"]
    assert main(["check", "--isolated", "--select", "LW8", *platforms, str(path)]) == 1
    assert "LW801" in capsys.readouterr().out
    both = "--platform=linux/amd64,linux/arm64"
    assert main(["check", "--isolated", "--select", "LW8", both, "--fix", str(path)]) == 0
    fixed = path.read_text()
    assert fixed.startswith("FROM --platform=$BUILDPLATFORM golang:1.19 AS build\n")
    assert "ARG TARGETOS TARGETARCH\n" in fixed
    assert "CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build" in fixed


def test_a_bad_platform_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM debian\n")
    assert main(["check", "--platform", "linux/amd64,linux/arm64/v8/x", str(path)]) == 2
    err = capsys.readouterr().err
    assert "`linux/arm64/v8/x` in --platform is not a platform (os/arch[/variant])" in err
    assert "Traceback" not in err


def test_a_clean_check_loads_no_optional_library(tmp_path: Path) -> None:
    """PyYAML, Rich, docker-py and multiprocessing load only when a file, an error or many
    files need them: each costs every `layerwise check FILE` (pre-commit, editors) some
    milliseconds of start-up."""
    import subprocess
    import sys

    path = project(tmp_path, "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n")
    script = (
        "import sys\n"
        "from layerwise.cli.app import main\n"
        f"code = main(['check', {str(path)!r}])\n"
        "optional = ('yaml', 'rich', 'docker', 'multiprocessing')\n"
        "print(code, *sorted(m for m in optional if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split()[-1] in ("0", "1"), done.stdout + done.stderr
