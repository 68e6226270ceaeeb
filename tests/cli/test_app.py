from layerwise import __version__
from layerwise.cli.app import main


def test_version(capsys: object) -> None:
    assert main(["--version"]) == 0


def test_unknown_command_is_a_user_error() -> None:
    assert main(["no-such-command"]) == 2


def test_version_string() -> None:
    assert __version__.count(".") == 2
