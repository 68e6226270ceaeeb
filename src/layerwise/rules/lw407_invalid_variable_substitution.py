"""LW407 invalid-variable-substitution

## What it finds
A word BuildKit cannot expand, in an instruction whose arguments it expands (`FROM`, `ARG`,
`ENV`, `COPY`, `ADD`, `WORKDIR`, `USER`, `LABEL`...): a modifier it does not know
(`${templateOption:imageVariant}`), a `${` without its `}`, an unterminated quote, or a
`${NAME:?message}` whose variable is unset or empty. A `${NAME:?}` on an `ARG` declared without
a default is not reported: the build may set it with `--build-arg`.

## Why it matters
BuildKit stops with "failed to process ...: unsupported modifier" or "missing '}'": in a `FROM`
line or a global `ARG` every build fails, inside a stage every build that needs the stage.
Template syntax of another tool is the usual cause. layerwise keeps the word as written and
checks the rest.

## Example
    ENV IMAGE_VARIANT=${templateOption:imageVariant}
BuildKit knows `${NAME:-default}`, `${NAME:+alt}`, `${NAME:?message}` and, in newer frontends,
`#`, `%` and `/` patterns; `:i` is none of them. Fill in the template first.

## References
- Dockerfile reference: Environment replacement
- moby/buildkit frontend/dockerfile/shell/lex.go (processDollar)"""

from __future__ import annotations

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import refusal_rule

# BuildKit's "failed to process {word!r}: ...", the word as written.
_NOT_EXPANDED = "`{word}` 단어를 확장할 수 없습니다: "
RULE, check = refusal_rule(
    code="LW407",
    name="invalid-variable-substitution",
    kind=DiagnosticKind.INVALID_VARIABLE_SUBSTITUTION,
    summary="a `$` substitution BuildKit cannot expand",
    summary_ko="BuildKit이 확장할 수 없는 `$` 변수 치환",
    korean={
        "unmatched": _NOT_EXPANDED + "짝이 되는 `{stop}` 없이 끝납니다",
        "unmatched-single-quote": _NOT_EXPANDED + "작은따옴표가 닫히지 않았습니다",
        "unmatched-double-quote": _NOT_EXPANDED + "큰따옴표가 닫히지 않았습니다",
        "missing-brace": _NOT_EXPANDED + "구문 오류, 닫는 `}}`가 없습니다",
        "missing-slash": _NOT_EXPANDED + "구문 오류, `${{}}` 안에 `/`가 없습니다",
        "bad-substitution": _NOT_EXPANDED + "구문 오류, 잘못된 변수 치환입니다",
        "unsupported-modifier": _NOT_EXPANDED + "지원하지 않는 변수 치환 수식자 `{modifier}`",
        "invalid-pattern": _NOT_EXPANDED
        + "변수 치환 패턴 `{pattern}`에 이스케이프할 수 없는 `\\{escaped}`가 있습니다",
        "unset-with-reason": _NOT_EXPANDED + "`{name}` 변수가 설정되지 않았습니다(`{reason}`)",
        "empty-with-reason": _NOT_EXPANDED + "`{name}` 변수가 비어 있습니다(`{reason}`)",
        "unset": _NOT_EXPANDED + "`{name}` 변수는 설정되지 않은 채로 둘 수 없습니다",
        "empty": _NOT_EXPANDED + "`{name}` 변수는 비어 있을 수 없습니다",
    },
)
