"""`--target-engine` on `layerwise check`: the default (modern), the configuration file's value,
the command line winning, and a misspelt engine as a one-line user error."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.cli.app import main
from layerwise.cli.engine_option import chosen_engine
from layerwise.errors import LayerwiseError

CASE = Path(__file__).resolve().parents[1] / "fixtures/rules/LW304/build_stage_installed_first"
LINKED = "COPY --link --from=prod-deps /usr/src/app/node_modules ./node_modules"
PLAIN = "COPY --from=prod-deps /usr/src/app/node_modules ./node_modules"


def _diff(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    path = tmp_path / "Dockerfile"
    path.write_text(CASE.with_suffix(".Dockerfile").read_text())
    argv = ["check", "--diff", "--unsafe-fixes", "--select", "LW304", *args, str(path)]
    assert main(argv) == 1
    return capsys.readouterr().out


def test_modern_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert f"+{LINKED}\n" in _diff(tmp_path, capsys, "--isolated")


def test_docker_20_10_keeps_the_plain_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _diff(tmp_path, capsys, "--isolated", "--target-engine", "docker-20.10")
    assert f"+{PLAIN}\n" in out and "--link" not in out


def test_configuration_file_and_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".layerwise.toml").write_text('target-engine = "docker-20.10"\n')
    assert "--link" not in _diff(tmp_path, capsys)
    assert f"+{LINKED}\n" in _diff(tmp_path, capsys, "--target-engine", "modern")


def test_unknown_engine_is_a_one_line_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM scratch\n")
    assert main(["check", "--target-engine", "docker-20.1", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "error: unknown target engine `docker-20.1` for --target-engine",
        'hint: did you mean "docker-20.10"?',
    ]


def test_chosen_engine() -> None:
    assert chosen_engine(None) is None
    assert chosen_engine("modern") == "modern"
    with pytest.raises(LayerwiseError, match="unknown target engine `buildkit`") as info:
        chosen_engine("buildkit")
    assert info.value.hint == "available: docker-20.10, modern"
