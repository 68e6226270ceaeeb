"""The `layerwise` command: one Typer app, one module per subcommand."""

from __future__ import annotations

import importlib
import os
import sys
from typing import NoReturn

import typer

from layerwise.errors import LayerwiseError

# Each module defines `register(app)`; adding a subcommand is adding a module and a name here.
COMMAND_MODULES = (
    "parse_cmd",
    "check_cmd",
    "rule_cmd",
    "bench_cmd",
    "config_cmd",
    "lsp_cmd",
    "ci_cmd",
    "cache_cmd",
    "why_cmd",
    "replay_cmd",
    "context_cmd",
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USER_ERROR = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


def _print_version(value: bool) -> None:
    if value:
        from layerwise import __version__

        typer.echo(f"layerwise {__version__}")
        raise typer.Exit()


def _command_module(name: str) -> str:
    """`check` -> `check_cmd`: a subcommand's module is named after it."""
    return f"{name.replace('-', '_')}_cmd"


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The app with every subcommand, or, when `argv` names one, with that one alone.

    Loading only the invoked subcommand keeps `layerwise check FILE` quick enough for
    pre-commit and editors: `rule` pulls in Rich's Markdown and `bench` the engine layer.
    """
    app = typer.Typer(
        name="layerwise",
        help="Find what makes container builds slow under BuildKit, fix it, prove the gain.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False,
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ) -> None:
        """layerwise: BuildKit build-speed linter, fixer and bench."""

    wanted = _invoked(argv)
    for name in COMMAND_MODULES if wanted is None else (wanted,):
        module = importlib.import_module(f"layerwise.cli.{name}")
        module.register(app)
    return app


def _invoked(argv: list[str] | None) -> str | None:
    """The module of the subcommand `argv` starts with, or None (help, version, unknown)."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0].startswith("-"):
        return None
    module = _command_module(args[0])
    return module if module in COMMAND_MODULES else None


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 findings, 2 user error, 3 bug).

    Subcommands end with `raise typer.Exit(code)`; a `LayerwiseError` becomes one line on
    stderr and exit 2, never a traceback.
    """
    app = build_app(argv)
    try:
        # Standalone mode lets Typer print usage errors itself; it always ends in SystemExit.
        app(args=argv, prog_name="layerwise", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USER_ERROR)
    except LayerwiseError as exc:
        _error(str(exc))
        if exc.hint:
            _error(f"hint: {exc.hint}")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    return EXIT_OK


def _error(message: str) -> None:
    # Rich is imported on this path only: loading it costs every run a few hundredths of a
    # second, and a clean `check` never prints through it.
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


def run() -> None:
    """Console-script entry point."""
    code = main()
    if _invoked(None) == "check_cmd":
        _leave(code)
    sys.exit(code)


def _leave(code: int) -> NoReturn:
    """Exit at once once the output is out, as mypy does: tearing the interpreter down frees
    every object one by one (a scan's files, findings, parsed scripts) and took a check of a
    thousand files some 30 ms. `check` leaves nothing behind for that teardown to do: its
    worker pool is shut down and files it writes are closed before main returns. When a flush
    fails (a closed pipe), the interpreter's ordinary exit reports it as it always did."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        sys.exit(code)
    os._exit(code)
