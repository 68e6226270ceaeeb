"""LW400: where a parser error lands as a finding (the CLI side is in tests/cli)."""

from __future__ import annotations

import pytest

from layerwise.errors import LayerwiseError
from layerwise.rules.lw400_dockerfile_syntax_error import syntax_error
from layerwise.syntax import parse


def error_of(text: str) -> LayerwiseError:
    with pytest.raises(LayerwiseError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "col", "covered"),
    [
        ("FROM a\nRUN <<EOF\nx\n", 2, 5, "<<EOF"),
        ("\ufeffFROM a\r\nRUN <<EOF\r\nx\r\n", 2, 5, "<<EOF"),
        ("# escape=x\nFROM a\n", 1, 1, "# escape=x"),
        ("\ufeff# escape=x\nFROM a\n", 1, 1, "# escape=x"),
        ("FROM a\nENV ONLY\n", 2, 1, "ENV ONLY"),
        ("\n# only a comment\n", 2, 1, "# only a comment"),
        ("", 1, 1, ""),
    ],
)
def test_the_finding_covers_the_error_to_the_end_of_its_line(
    text: str, line: int, col: int, covered: str
) -> None:
    error = error_of(text)
    assert (error.line, error.col) == (line, col)
    finding = syntax_error(error, text)
    assert (finding.code, finding.line, finding.col) == ("LW400", line, col)
    assert finding.message == error.message
    assert text[finding.span.start : finding.span.end] == covered
    assert finding.span.end_col - finding.span.start_col == len(covered)
    assert finding.fix is None


def test_a_position_past_the_text_is_clamped() -> None:
    finding = syntax_error(LayerwiseError("x", line=9, col=40), "FROM a\n")
    assert (finding.line, finding.col, finding.span.start, finding.span.end) == (1, 7, 6, 6)
