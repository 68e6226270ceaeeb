"""LW401 from-as-casing

## What it finds
A `FROM ... AS name` whose `AS` keyword is cased differently from `FROM` (`FROM node:20 as
build`), the pattern Docker's build check FromAsCasing reports.

## Why it matters
Keywords are case-insensitive, so the build is the same; but `docker build --check` (and every
BuildKit build with checks on) warns about it, and a consistent file is easier to scan for stage
names. Keeping layerwise's output free of those warnings keeps real ones visible.

## Example
    FROM node:20 as build
After the fix:
    FROM node:20 AS build

A `FROM` whose second word is not `as` in some casing (a template line such as
`FROM {{ item.image }}`) is not a stage name at all: LW404 reports it, this rule stays silent.

## Fix safety
Safe: only the casing of the `AS` keyword changes. A `FROM` keyword in mixed case (`From`) is
left alone, as BuildKit does.

## References
- Docker docs, Build checks: FromAsCasing"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW401",
    name="from-as-casing",
    severity=Severity.INFO,
    message="`{as_word}` and `{keyword}` keywords' casing do not match",
    fix_title="Replace `{as_word}` with `{wanted}`",
    summary="`AS` cased differently from `FROM` (FromAsCasing)",
    message_ko="`{as_word}` 키워드와 `{keyword}` 키워드의 대소문자가 일치하지 않습니다",
    fix_title_ko="`{as_word}` 대신 `{wanted}` 사용",
    summary_ko="`FROM`과 대소문자가 다른 `AS`(FromAsCasing)",
    fix_safety=(Safety.SAFE,),
)
_WORD = re.compile(r"\S+")


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for instruction in tree.instructions:
        value = instruction.value
        # Only a real `AS` keyword: `FROM {{ item.image }}` is a template (LW404 reports it), and
        # upper-casing its words would break the template's variables.
        if instruction.name != "FROM" or len(value) != 3 or value[1].lower() != "as":
            continue
        keyword = instruction.keyword
        if keyword == keyword.lower():
            wanted = value[1].lower()
        elif keyword == keyword.upper():
            wanted = value[1].upper()
        else:
            continue  # mixed-case FROM: BuildKit's ConsistentInstructionCasing territory
        if value[1] == wanted:
            continue
        span = instruction.args_span
        words = [
            m for m in _WORD.finditer(tree.text, span.start, span.end) if m.group() != tree.escape
        ]
        if len(words) < 2 or words[1].group() != value[1]:
            continue
        as_span = tree.span(words[1].start(), words[1].end())
        fix = Fix(Safety.SAFE, [Edit.replace(as_span, wanted)])
        yield RULE.finding(as_span, fix=fix, as_word=value[1], keyword=keyword, wanted=wanted)
