"""The `layerwise` command: one Typer app, one module per subcommand."""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from layerwise import __version__
from layerwise.errors import LayerwiseError

# Each module defines `register(app)`; adding a subcommand is adding a module and a name here.
COMMAND_MODULES = (
    "parse_cmd",
    "check_cmd",
    "rule_cmd",
    "bench_cmd",
    "config_cmd",
    "lsp_cmd",
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USER_ERROR = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"layerwise {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
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

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"layerwise.cli.{name}")
        module.register(app)
    return app


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 findings, 2 user error, 3 bug).

    Subcommands end with `raise typer.Exit(code)`; a `LayerwiseError` becomes one line on
    stderr and exit 2, never a traceback.
    """
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    app = build_app()
    try:
        # Standalone mode lets Typer print usage errors itself; it always ends in SystemExit.
        app(args=argv, prog_name="layerwise", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USER_ERROR)
    except LayerwiseError as exc:
        err.print(str(exc), markup=False)
        if exc.hint:
            err.print(f"hint: {exc.hint}", markup=False)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return EXIT_INTERRUPTED
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
