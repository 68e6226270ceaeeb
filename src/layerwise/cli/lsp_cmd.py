"""`layerwise lsp`: run the language server for editors over stdin/stdout."""

from __future__ import annotations

from typing import Annotated

import typer


def lsp(
    stdio: Annotated[
        bool,
        typer.Option("--stdio", help="Talk over stdin/stdout (the only transport; the default)."),
    ] = False,
) -> None:
    """Run the language server (LSP) over stdin/stdout: diagnostics, fixes, rule docs."""
    del stdio  # editors' clients pass --stdio; stdio is what the server speaks
    from layerwise.lsp import serve  # pygls loads only for this command

    serve()


def register(app: typer.Typer) -> None:
    """Add `lsp` to the app."""
    app.command(name="lsp")(lsp)
