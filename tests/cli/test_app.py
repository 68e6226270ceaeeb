import subprocess
import sys
from pathlib import Path

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


def _console(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`layerwise ARGS` as the console script runs it: `run()` in a new interpreter."""
    script = (
        f"import sys; sys.argv = ['layerwise', *{args!r}]; from layerwise.cli.app import run; run()"
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("files", [1, 12])  # in this process, and through a worker pool
def test_check_through_the_console_entry_prints_everything(tmp_path: Path, files: int) -> None:
    """`check` leaves with os._exit once its output is flushed: all of it arrives, with the
    exit code, on one file and on many."""
    for i in range(files):
        folder = tmp_path / f"p{i}"
        folder.mkdir()
        (folder / "Dockerfile").write_text("FROM debian\nRUN apt-get install curl\n")
    done = _console(["check", "--jobs", "2", "."], tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("LW503") == 2 * files
    assert done.stdout.rstrip().endswith("more with `--unsafe-fixes`.")  # the last line
    assert _console(["check", "--output-format", "json", "."], tmp_path).stdout.endswith("}\n")


def test_a_user_error_through_the_console_entry(tmp_path: Path) -> None:
    done = _console(["check", "missing"], tmp_path)
    assert done.returncode == 2
    assert "no such file or directory" in done.stderr
