"""The fixed words of the text report in each language (finding texts come from the rules)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Wording:
    """`str.format` templates; `{findings}` and `{files}` are counted nouns from `findings()`
    and `files()`."""

    findings: Callable[[int], str]
    files: Callable[[int], str]
    found: str
    found_fixed: str
    all_passed: str
    fixable: str
    unsafe_more: str
    fix: str
    unsafe: str
    applied: str
    would_fix: str
    unchecked: str


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


ENGLISH = Wording(
    findings=lambda n: _count(n, "finding"),
    files=lambda n: _count(n, "file"),
    found="Found {findings}.",
    found_fixed="Found {findings} ({fixed} fixed, {left} left).",
    all_passed="All checks passed.",
    fixable="{count} fixable with `--fix`",
    unsafe_more="{count} more with `--unsafe-fixes`",
    fix="fix",
    unsafe="unsafe",
    applied="Fixed {findings}:",
    would_fix="Would fix {findings}.",
    unchecked="{files} could not be checked.",
)

KOREAN = Wording(
    findings=lambda n: f"문제 {n}건",
    files=lambda n: f"파일 {n}개",
    found="{findings}을 찾았습니다.",
    found_fixed="{findings}을 찾았습니다({fixed}건 수정, {left}건 남음).",
    all_passed="모든 검사를 통과했습니다.",
    fixable="`--fix`로 {count}건 수정 가능",
    unsafe_more="`--unsafe-fixes`로 {count}건 추가 수정 가능",
    fix="수정",
    unsafe="안전하지 않음",
    applied="수정한 {findings}:",
    would_fix="{findings}을 수정할 수 있습니다.",
    unchecked="{files}를 검사하지 못했습니다.",
)


def wording(lang: str) -> Wording:
    return KOREAN if lang == "ko" else ENGLISH
