"""`layerwise ci check` and `layerwise ci generate` from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from layerwise.cli.app import main

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ci"


def repo(tmp_path: Path, fixture: str, name: str) -> Path:
    """A repository holding one fixture pipeline under its CI name, with the folder's
    Dockerfiles."""
    source = FIXTURES / fixture
    for dockerfile in source.parent.glob("*Dockerfile"):
        shutil.copy(dockerfile, tmp_path / dockerfile.name)
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, path)
    return path


def test_discovery_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo(tmp_path, "LW904/ecr_plain.Jenkinsfile", "Jenkinsfile")
    repo(tmp_path, "LW905/one_ref.gitlab-ci.yml", ".gitlab-ci.yml")
    repo(tmp_path, "LW902/no_mode.workflow.yml", ".github/workflows/build.yaml")
    assert main(["ci", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    for where in ("Jenkinsfile:14:36: LW904", ".gitlab-ci.yml:5:106: LW905", "build.yaml:12:21"):
        assert where in out
    assert main(["ci", "check", str(tmp_path), "--select", "LW909"]) == 0
    assert "All checks passed" in capsys.readouterr().out


def test_json_and_sarif(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo(tmp_path, "LW904/ecr_plain.Jenkinsfile", "Jenkinsfile")
    assert main(["ci", "check", str(path), "--output-format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    codes = {f["code"] for f in report["findings"]}
    assert codes == {"LW904", "LW911"}
    assert main(["ci", "check", str(path), "--output-format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"LW904", "LW911"}
    assert "LW904" in {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}


@pytest.mark.parametrize("fmt", ["github", "gitlab", "junit"])
def test_ci_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    path = repo(tmp_path, "LW909/prune_all.Jenkinsfile", "Jenkinsfile")
    assert main(["ci", "check", str(path), "--output-format", fmt]) == 1
    assert "LW909" in capsys.readouterr().out


def test_fix_writes_and_diff_does_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo(tmp_path, "LW904/ecr_plain.Jenkinsfile", "Jenkinsfile")
    before = path.read_text()
    assert main(["ci", "check", str(path), "--diff"]) == 1
    assert "+" in capsys.readouterr().out
    assert path.read_text() == before
    assert main(["ci", "check", str(path), "--fix", "--select", "LW904"]) == 0
    assert path.read_text() == (FIXTURES / "LW904/ecr_plain.Jenkinsfile.fixed").read_text()


def test_korean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo(tmp_path, "LW909/prune_all.Jenkinsfile", "Jenkinsfile")
    assert main(["ci", "check", str(path), "--lang", "ko"]) == 1
    assert "빌드 캐시" in capsys.readouterr().out


def test_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ci", "check", str(tmp_path / "nope.yml")]) == 2
    bad = tmp_path / ".gitlab-ci.yml"
    bad.write_text("build: [\n")
    assert main(["ci", "check", str(bad)]) == 2
    assert "not valid YAML" in capsys.readouterr().err
    assert main(["ci", "check", str(tmp_path), "--select", "LW999"]) == 2


def test_bake_is_noted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Jenkinsfile"
    path.write_text("node {\n    sh 'docker buildx bake --push'\n}\n")
    assert main(["ci", "check", str(path)]) == 0
    assert "no bake file beside it" in capsys.readouterr().err
    bake = tmp_path / "docker-bake.hcl"
    bake.write_text('target "app" {\n  cache-from = ["type=gha"]\n}\n')
    assert main(["ci", "check", str(path)]) == 0
    assert f"its targets are in {bake}" in capsys.readouterr().err
    # Checking the directory reads the bake file too: nothing left to note.
    assert main(["ci", "check", str(tmp_path)]) == 0
    assert "bake" not in capsys.readouterr().err


def test_generate_writes_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FIXTURES / "LW902" / "Dockerfile", tmp_path / "Dockerfile")
    monkeypatch.chdir(tmp_path)
    args = ["ci", "generate", "--provider", "github", "--platform", "linux/amd64,linux/arm64"]
    assert main(args) == 0
    capsys.readouterr()
    workflow = tmp_path / ".github" / "workflows" / "image.yml"
    assert "docker/setup-qemu-action" in workflow.read_text()
    assert main(args) == 2  # exists
    assert "exists" in capsys.readouterr().err
    assert main([*args, "--stdout"]) == 0
    assert capsys.readouterr().out.startswith(
        "# Generated by `layerwise ci generate --provider github --platform "
        "linux/amd64,linux/arm64`."
    )
    assert main(["ci", "check", str(tmp_path)]) == 0


def test_configuration_files_apply_as_for_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`[tool.layerwise]` select, ignore and per-file-ignores hold for pipelines too; the
    command line adds to them, `--isolated` reads none, a bad file is a user error."""
    path = repo(tmp_path, "LW904/ecr_plain.Jenkinsfile", "Jenkinsfile")
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.layerwise]\nignore = ["LW911"]\n')

    def codes(*args: str) -> set[str]:
        main(["ci", "check", str(path), "--output-format", "json", *args])
        return {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}

    assert codes() == {"LW904"}
    assert codes("--ignore", "LW904") == set()
    assert codes("--isolated") == {"LW904", "LW911"}
    config.write_text('[tool.layerwise]\nselect = ["LW911"]\n')
    assert codes() == {"LW911"}
    assert codes("--select", "LW904") == {"LW904"}
    config.write_text('[tool.layerwise.per-file-ignores]\n"Jenkinsfile" = ["LW904"]\n')
    assert codes() == {"LW911"}
    other = tmp_path / "elsewhere.toml"
    other.write_text('ignore = ["LW9"]\n')
    assert codes("--config", str(other)) == set()
    config.write_text('[tool.layerwise]\nignore = ["LW977"]\n')
    assert main(["ci", "check", str(path)]) == 2
    assert "LW977" in capsys.readouterr().err
