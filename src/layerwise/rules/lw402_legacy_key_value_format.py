"""LW402 legacy-key-value-format

## What it finds
`ENV key value` or `LABEL key value`: a key and its value separated by whitespace instead of
`=`, the legacy form Docker's build check LegacyKeyValueFormat reports.

## Why it matters
The legacy form is deprecated and takes the whole rest of the line as one value, so
`ENV A b C=d` does not mean what it seems to. BuildKit warns about it on every build with checks
on; `key=value` is the form the Dockerfile reference documents and the only one that can set
several variables in one instruction.

## Example
    ENV APP_ENV development
    ENV GREETING hello world
After the fix:
    ENV APP_ENV=development
    ENV GREETING="hello world"

## Fix safety
Safe: the value is the same string after BuildKit's processing. A one-word value gets `=` in
place of the whitespace; a value of several words is wrapped in double quotes when it contains
no quotes or escapes. Values spread over continuation lines, or with quotes inside several
words, are reported without a fix (leading whitespace of continuation lines is part of a legacy
value; see the Docker docs' note).

## References
- Docker docs, Build checks: LegacyKeyValueFormat
- Dockerfile reference: ENV, LABEL"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW402",
    name="legacy-key-value-format",
    severity=Severity.INFO,
    message="`{keyword} {key} ...` separates key and value with whitespace (legacy format)",
    fix_title="Write `{key}={value}`",
    summary="`ENV`/`LABEL` in the legacy `key value` form (LegacyKeyValueFormat)",
    message_ko="`{keyword} {key} ...` 형식은 키와 값을 공백으로 구분합니다(레거시 형식)",
    fix_title_ko="`{key}={value}` 형식으로 작성",
    summary_ko="레거시 `key value` 형식의 `ENV`/`LABEL`(LegacyKeyValueFormat)",
    fix_safety=(Safety.SAFE,),
)
_LEGACY = re.compile(r"(\S+)([ \t]+)(\S.*)", re.S)


def words(text: str, escape: str) -> list[str]:
    """Split like BuildKit's parseWords: on whitespace outside quotes, escapes kept."""
    if escape not in text and "'" not in text and '"' not in text:
        # Nothing quoted or escaped: str.split cuts at the same (str.isspace) characters, in C;
        # most ENV and LABEL lines take this way.
        return text.split()
    return _parse_words(text, escape)


def _parse_words(text: str, escape: str) -> list[str]:
    out: list[str] = []
    current = ""
    quote = ""
    i = 0
    while i < len(text):
        char = text[i]
        if char == escape and i + 1 < len(text):
            current += text[i : i + 2]
            i += 2
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char.isspace():
            if current:
                out.append(current)
            current = ""
            i += 1
            continue
        current += char
        i += 1
    if current:
        out.append(current)
    return out


_BLANK_OR_QUOTE = re.compile(r"[\s'\"]")  # \s: what str.isspace() calls a blank


def not_legacy(text: str, escape: str) -> bool:
    """No words, or the first word holds a `=` (`KEY=value`, the form BuildKit recommends)."""
    eq = text.find("=")
    if eq > 0 and not _BLANK_OR_QUOTE.search(text, 0, eq) and escape not in text[:eq]:
        # Nothing before the `=` could end or quote the first word: it holds the `=`. Most
        # lines are such, and splitting a long LABEL into words only to learn that was most of
        # this rule's cost.
        return True
    first = words(text, escape)
    return not first or "=" in first[0]


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for instruction in tree.instructions:
        if instruction.name not in ("ENV", "LABEL") or not_legacy(instruction.args, tree.escape):
            continue
        span = instruction.args_span
        raw = tree.text[span.start : span.end]
        match = _LEGACY.fullmatch(raw)
        if match is None:
            continue
        key, gap, value = match.groups()
        fix = None
        if "\n" not in raw:
            sep_start = span.start + match.start(2)
            sep = tree.span(sep_start, sep_start + len(gap))
            if len(words(value, tree.escape)) == 1:
                fix = Fix(Safety.SAFE, [Edit.replace(sep, "=")])
                shown = value
            elif not re.search(r"['\"]", value) and tree.escape not in value:
                fix = Fix(Safety.SAFE, [Edit.replace(sep, '="'), Edit.insert(span.end, '"')])
                shown = f'"{value}"'
        yield RULE.finding(
            tree.span(span.start, span.start + len(key)),
            fix=fix,
            keyword=instruction.keyword,
            key=key,
            value=shown if fix is not None else "<value>",
        )
