"""LW400 dockerfile-syntax-error

## What it finds
A file BuildKit's Dockerfile parser rejects: an unterminated heredoc, a line longer than 64 KiB,
a second `# syntax=` or `# escape=` directive, an invalid escape character, `ENV` or `LABEL`
without a value, a JSON form holding something other than strings, or no instruction at all.

## Why it matters
Nothing in the file builds. layerwise reports the first error BuildKit's parser meets, at its
line and column, like a compiler's syntax error; the other files of the run are still checked.
The file is never fixed or written (`--fix` leaves it byte for byte as it was). This finding is
reported whatever `--select` and `--ignore` say: the file was not checked at all, and a clean
run must not claim otherwise.

## Example
    RUN <<EOF
    apt-get update
    EOR
The heredoc opened on line 1 never ends (`EOR` is not `EOF`).

## References
- moby/buildkit frontend/dockerfile/parser/parser.go
- ruff's syntax errors and hadolint's invalid-Dockerfile error, reported the same way"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.rules._diagnostics import error_phrases
from layerwise.rules.base import Finding, Rule, RuleContext, Severity
from layerwise.syntax.messages import SYNTAX_ERRORS, DockerfileSyntaxError
from layerwise.syntax.span import Span

RULE = Rule(
    code="LW400",
    name="dockerfile-syntax-error",
    severity=Severity.ERROR,
    message="{message}",
    message_ko="{message}",
    summary="a file BuildKit's Dockerfile parser rejects",
    summary_ko="BuildKit의 Dockerfile 파서가 거부하는 파일",
    phrases=error_phrases(
        SYNTAX_ERRORS,
        {
            "unterminated-heredoc": "heredoc이 닫히지 않았습니다: 끝을 알리는 구분자 줄이 없습니다",
            "line-too-long": "한 줄이 허용되는 최대 크기 {limit}바이트를 넘습니다",
            "duplicate-directive": "`{directive}` 파서 지시어는 한 번만 쓸 수 있습니다",
            "invalid-escape": "`{token}` 문자는 이스케이프 문자로 쓸 수 없습니다: "
            "백틱이나 `\\`여야 합니다",
            "two-arguments": "`{keyword}`에는 인수가 두 개 있어야 합니다",
            "missing-equals": "구문 오류: `{word}`에 `=`가 없습니다(`name=value` 형식이어야 함)",
            "json-not-strings": "JSON 배열 문법에서는 배열에 문자열만 넣을 수 있습니다",
            "no-instructions": "명령어가 하나도 없는 파일입니다",
        },
    ),
    needs_stages=False,
)
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")  # the parser's lines: only "\n" ends one


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A parsed tree has no syntax error: findings come from `syntax_error` instead."""
    return iter(())


def syntax_error(error: DockerfileSyntaxError, text: str) -> Finding:
    """The finding for a parser error in `text`: at its line and column, to the end of that
    line (the whole first line when the error has no position)."""
    lines = _LINE.findall(text) or [""]
    line = min(max(error.line or 1, 1), len(lines))
    start = sum(len(x) for x in lines[: line - 1])
    content = lines[line - 1].rstrip("\r\n")
    bom = 1 if line == 1 and content.startswith("\ufeff") else 0
    col = min(max(error.col or 1, 1), len(content) - bom + 1)
    offset = start + bom + col - 1
    end = start + len(content)
    span = Span(offset, end, line, col, line, col + end - offset)
    return RULE.finding(span, message=RULE.text(error.text.key, **error.fields))
