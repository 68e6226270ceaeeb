"""Checking a document's text: findings, errors located, no exception for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.errors import LayerwiseError
from layerwise.lsp.analysis import analyze, error_offset, fixed_text
from layerwise.rules.base import Settings


def test_a_file_document_uses_its_directory_as_the_context(tmp_path: Path) -> None:
    text = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
    (tmp_path / "package.json").write_text('{"name": "x"}\n')
    (tmp_path / "package-lock.json").write_text("{}\n")
    result = analyze(text, path=tmp_path / "Dockerfile", settings=Settings(), version=3)
    assert result.context is not None
    assert result.context.root == tmp_path
    assert result.version == 3
    assert "LW101" in {f.code for f in result.findings}
    assert analyze(text, path=None, settings=Settings(), version=1).context is None


@pytest.mark.parametrize("text", ["FROM a\nRUN <<EOF\n", "FROM a\nRUN <<EOF\nx\n", ""])
def test_text_the_parser_rejects_gives_an_error_not_an_exception(text: str) -> None:
    result = analyze(text, path=None, settings=Settings(), version=1)
    assert result.error is not None
    assert result.tree is None
    assert result.findings == ()
    assert fixed_text(result) == (text, ())


@pytest.mark.parametrize(
    ("text", "code"),
    [("FROM a\nRUN x\nFROM\n", "LW404"), ("RUN x\n", "LW405"),
     ("FROM a b\n", "LW404")],
)  # fmt: skip
def test_what_buildkit_would_refuse_is_a_finding(text: str, code: str) -> None:
    result = analyze(text, path=None, settings=Settings(), version=1)
    assert result.error is None
    assert code in {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("text", "line", "col", "expected"),
    [
        ("ab\ncd\n", 2, 2, 4),
        ("\ufeffab\n", 1, 2, 2),  # the BOM takes no column
        ("a\r\nb\n", 2, 1, 3),  # layerwise counts lines at \n only
        ("ab\n", 1, 9, 2),  # past the line: its end
        ("ab\n", 5, 1, 3),
    ],
)
def test_error_offset(text: str, line: int, col: int, expected: int) -> None:
    error = LayerwiseError("x", line=line, col=col)
    assert error_offset(text, error) == expected


def test_a_parse_error_speaks_the_servers_language() -> None:
    from layerwise.lsp.diagnostics import _error_message

    text = "FROM a\nRUN <<EOF\n"
    english = _error_message(analyze(text, path=None, settings=Settings(), version=1))
    korean = _error_message(analyze(text, path=None, settings=Settings(lang="ko"), version=1))
    assert english != korean
    assert any("\uac00" <= ch <= "\ud7a3" for ch in korean)
