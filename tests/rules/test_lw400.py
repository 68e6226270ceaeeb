"""LW400: where a parser error lands as a finding (the CLI side is in tests/cli)."""

from __future__ import annotations

import pytest

from layerwise.rules.lw400_dockerfile_syntax_error import syntax_error
from layerwise.syntax import DockerfileSyntaxError, parse
from layerwise.syntax.messages import NO_INSTRUCTIONS


def error_of(text: str) -> DockerfileSyntaxError:
    with pytest.raises(DockerfileSyntaxError) as info:
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
    finding = syntax_error(DockerfileSyntaxError(NO_INSTRUCTIONS, line=9, col=40), "FROM a\n")
    assert (finding.line, finding.col, finding.span.start, finding.span.end) == (1, 7, 6, 6)


@pytest.mark.parametrize(
    ("text", "english", "korean"),
    [
        ("FROM a\nRUN <<EOF\nx\n", "unterminated heredoc", "heredoc이 닫히지 않았습니다"),
        ("# escape=x\nFROM a\n", "invalid escape token 'x' does not match ` or \\", "`x` 문자는"),
        ("# syntax=a\n# syntax=b\nFROM a\n", "only one syntax parser directive", "`syntax` 파서"),
        ("FROM a\nENV ONLY\n", "ENV must have two arguments", "`ENV`에는 인수가 두 개"),
        ("FROM a\nENV A=1 B\n", "can't find = in 'B'", "`B`에 `=`가 없습니다"),
        ('FROM a\nCMD ["a", 1]\n', "arrays must be comprised of strings only", "문자열만"),
        ("# a comment\n", "file with no instructions", "명령어가 하나도 없는 파일"),
    ],
)
def test_the_message_is_buildkits_in_english_and_said_in_korean(
    text: str, english: str, korean: str
) -> None:
    error = error_of(text)
    finding = syntax_error(error, text)
    assert english in finding.message
    assert finding.message == error.message  # `str(error)`, on exit 2, says the same
    assert korean in finding.localized("ko").message
