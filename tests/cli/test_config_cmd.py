"""`layerwise config` output, and `check` reading configuration and hadolint's ignores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layerwise.cli.app import main
from layerwise.rules.registry import all_rules

APT = "FROM debian:12\nRUN apt install -y curl\nCMD node x.js\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A monorepo as the working directory, and a home without hadolint files."""
    files = {
        "pyproject.toml": (
            '[project]\nname = "m"\n\n[tool.layerwise]\nselect = ["LW4", "LW5"]\n'
            '[tool.layerwise.per-file-ignores]\n"legacy/*" = ["LW403"]\n'
        ),
        "svc/.layerwise.toml": 'select = ["LW501"]\nlanguage = "en"\n',
        "Dockerfile": APT,
        "legacy/Dockerfile": APT,
        "svc/Dockerfile": APT,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return tmp_path


def codes(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, str]]]:
    code = main(["check", "--output-format", "json", *args])
    report = json.loads(capsys.readouterr().out)
    return code, sorted((f["path"], f["code"]) for f in report["findings"])


def test_check_uses_each_files_configuration(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, found = codes(capsys, ".")
    assert code == 1
    assert found == [
        ("Dockerfile", "LW403"), ("Dockerfile", "LW501"), ("Dockerfile", "LW503"),
        ("legacy/Dockerfile", "LW501"), ("legacy/Dockerfile", "LW503"),
        ("svc/Dockerfile", "LW501"),
    ]  # fmt: skip


def test_command_line_select_overrides_and_isolated_ignores_files(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, found = codes(capsys, "--select", "LW403", ".")
    assert found == [("Dockerfile", "LW403"), ("svc/Dockerfile", "LW403")]
    _, found = codes(capsys, "--isolated", "--select", "LW403", ".")
    assert [name for name, _ in found] == ["Dockerfile", "legacy/Dockerfile", "svc/Dockerfile"]


def test_explicit_config(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "only.toml").write_text('select = ["LW403"]\n')
    _, found = codes(capsys, "--config", "only.toml", "svc")
    assert found == [("svc/Dockerfile", "LW403")]


def test_hadolint_yaml_in_the_working_directory(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".hadolint.yaml").write_text("ignored:\n  - DL3027\n  - DL3015\n")
    _, found = codes(capsys, "Dockerfile")
    assert found == [("Dockerfile", "LW403")]  # LW501 by DL3027, LW503's finding by DL3015
    _, found = codes(capsys, "--isolated", "--select", "LW501", "Dockerfile")
    assert found == [("Dockerfile", "LW501")]


def test_hadolint_pragma_in_the_dockerfile(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "Dockerfile").write_text(APT.replace("RUN", "# hadolint ignore=DL3027\nRUN"))
    _, found = codes(capsys, "Dockerfile")
    assert found == [("Dockerfile", "LW403"), ("Dockerfile", "LW503")]


def test_bad_configuration_is_one_line_and_exit_2(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "svc/.layerwise.toml").write_text('select = ["LW501"]\nlangauge = "en"\n')
    assert main(["check", "."]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f'{repo / "svc/.layerwise.toml"}:2:1: error: unknown key "langauge"',
        'hint: did you mean "language"?',
    ]


def test_bad_hadolint_yaml_is_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".hadolint.yaml").write_text("ignored: DL3027\n")
    assert main(["check", "Dockerfile"]) == 2
    assert ':1:10: error: "ignored" must be a list of rule codes' in capsys.readouterr().err


def test_config_text_for_a_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "legacy/Dockerfile"]) == 0
    out = capsys.readouterr().out
    pyproject = repo / "pyproject.toml"
    assert out.splitlines() == [
        "settings for file legacy/Dockerfile",
        f"configuration: {pyproject} [tool.layerwise]",
        "hadolint configuration: (none)",
        "",
        f"select            LW4, LW5  [{pyproject}:5]",
        "ignore            LW403  [per-file-ignores]",
        f'per-file-ignores  "legacy/*" = LW403 (applies)  [{pyproject}:6]',
        "language          en  [default]",
        "target-engine     modern  [default]",
        "platforms         (not said)  [default]",
        "context           (each Dockerfile's directory)  [default]",
        "build-args        (none)  [default]",
        "hadolint          on, pragmas honoured; ignored: (none)  [default]",
        "",
        f"rules enabled (14 of {len(all_rules())}): LW400, LW401, LW402, LW404, LW405, LW406, "
        "LW407, LW408, LW409, "
        "LW410, LW501, LW502, LW503, LW504",
    ]


def test_config_json_for_a_directory(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".hadolint.yaml").write_text("ignored: [DL3014, DL3008]\n")
    assert main(["config", "svc", "--output-format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["config"] == str(repo / "svc/.layerwise.toml")
    assert data["config_table"] is None
    assert data["hadolint_config"] == str(repo / ".hadolint.yaml")
    settings = data["settings"]
    assert settings["select"] == ["LW501"]
    assert settings["per_file_ignores_applied"] is None  # a directory: nothing to match
    assert settings["hadolint_ignore"] == ["DL3014", "DL3008"]
    assert data["origins"]["language"] == f"{repo / 'svc/.layerwise.toml'}:2"
    assert data["rules"] == ["LW501"]


def test_config_shows_what_hadolint_codes_silence(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".hadolint.yaml").write_text("ignored: [DL3014, DL3008]\n")
    assert main(["config", "--isolated"]) == 0
    out = capsys.readouterr().out
    assert "hadolint          off  [default]" in out
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "ignored: DL3014 (LW503 -y), DL3008 (no overlap)" in out


def test_config_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "missing"]) == 2
    assert "missing: error: no such file or directory" in capsys.readouterr().err
    assert main(["config", "--config", "pyproject.toml", "--config", "x.toml"]) == 2
    assert "x.toml" in capsys.readouterr().err


def test_fix_leaves_what_per_file_ignores_silence(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--fix", "--select", "LW403", "legacy/Dockerfile", "Dockerfile"]) == 0
    assert (repo / "legacy/Dockerfile").read_text() == APT  # LW403 ignored there
    assert 'CMD ["node", "x.js"]' in (repo / "Dockerfile").read_text()


def test_a_per_file_ignored_cache_rule_hands_over_to_lw504(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """LW504 (lists left in the layer) stays quiet while LW202 (apt cache mounts) is the
    remedy; ignoring LW202 for a file brings LW504 back there, as `--ignore LW202` does."""
    update = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends x\n"
    (repo / "legacy/Dockerfile").write_text(update)
    (repo / "Dockerfile").write_text(update)
    (repo / "layerwise.toml").write_text(
        'select = ["LW202", "LW504"]\n[per-file-ignores]\n"legacy/*" = ["LW202"]\n'
    )
    _, found = codes(capsys, "legacy/Dockerfile", "Dockerfile")
    assert found == [("Dockerfile", "LW202"), ("legacy/Dockerfile", "LW504")]
