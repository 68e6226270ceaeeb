import pytest

from layerwise import __version__
from layerwise.cli.app import build_app, main


def test_version(capsys: object) -> None:
    assert main(["--version"]) == 0


def test_unknown_command_is_a_user_error() -> None:
    assert main(["no-such-command"]) == 2


def test_version_string() -> None:
    assert __version__.count(".") == 2


def _commands(argv: list[str] | None) -> set[str]:
    import typer.main

    group = typer.main.get_group(build_app(argv))
    return set(group.commands)


def test_full_app_lists_every_subcommand() -> None:
    assert {"check", "parse", "rule", "bench"} <= _commands([])
    assert _commands(["--help"]) == _commands([])


def test_invoked_subcommand_is_loaded_alone() -> None:
    assert _commands(["check", "Dockerfile"]) == {"check"}
    assert _commands(["rule", "LW101"]) == {"rule"}


def test_unknown_subcommand_loads_everything_for_the_suggestion() -> None:
    assert "check" in _commands(["chek"])


def test_subcommand_help_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    assert "--fix" in capsys.readouterr().out
