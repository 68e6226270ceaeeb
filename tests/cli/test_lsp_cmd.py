"""`layerwise lsp` is registered; the server itself is tested over stdio in tests/lsp."""

from __future__ import annotations

import pytest

from layerwise.cli.app import main


def test_lsp_is_a_subcommand_that_takes_stdio(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lsp", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--stdio" in out
    assert "language server" in out
