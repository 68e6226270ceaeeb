"""Findings as text for a terminal, in the manner of ruff: location, code frame, summary, fix."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from layerwise.fix import allowed
from layerwise.report.wording import wording
from layerwise.rules.base import Finding
from layerwise.rules.registry import get


@dataclass(frozen=True, slots=True)
class Counts:
    """What a run found and did, for the closing summary line."""

    remaining: int
    fixable: int  # remaining findings a `--fix` would fix at the current safety level
    unsafe_only: int  # remaining findings only `--unsafe-fixes` would fix
    fixed: int = 0

    @classmethod
    def of(cls, findings: Sequence[Finding], *, unsafe: bool, fixed: int = 0) -> Counts:
        fixable = sum(allowed(f.fix, unsafe) for f in findings)
        unsafe_only = 0 if unsafe else sum(allowed(f.fix, True) for f in findings) - fixable
        return cls(len(findings), fixable, unsafe_only, fixed)


def summary_line(counts: Counts, lang: str = "en") -> str:
    """`Found 3 findings (2 fixable with `--fix`, 1 more with `--unsafe-fixes`).` and the like."""
    words = wording(lang)
    if counts.fixed:
        total = words.findings(counts.fixed + counts.remaining)
        head = words.found_fixed.format(findings=total, fixed=counts.fixed, left=counts.remaining)
    elif counts.remaining == 0:
        return words.all_passed
    else:
        head = words.found.format(findings=words.findings(counts.remaining))
    hints = []
    if counts.fixable and not counts.fixed:
        hints.append(words.fixable.format(count=counts.fixable))
    if counts.unsafe_only:
        hints.append(words.unsafe_more.format(count=counts.unsafe_only))
    return head + (f"\n[*] {', '.join(hints)}." if hints else "")


def would_fix_line(count: int, lang: str = "en") -> str:
    """`--diff`'s closing line: `Would fix 2 findings.`"""
    words = wording(lang)
    return words.would_fix.format(findings=words.findings(count))


def unchecked_line(count: int, lang: str = "en") -> str:
    """`2 files could not be checked.`: said instead of a pass when some files were not."""
    words = wording(lang)
    return words.unchecked.format(files=words.files(count))


@functools.lru_cache(maxsize=4)
def _lines(source: str) -> tuple[str, ...]:
    """A file's lines, split once for all its findings (they come sorted by file)."""
    return tuple(source.splitlines())


def code_frame(source: str, finding: Finding, *, context_lines: int = 1) -> str:
    """The lines around a finding with line numbers and a caret under its first line's part."""
    lines = _lines(source)
    first = finding.span.start_line
    last = min(finding.span.end_line, first + 2)  # long spans: show their start only
    lo, hi = max(1, first - context_lines), min(len(lines), last)
    width = len(str(hi))
    out = [f"{' ' * width} |"]
    for n in range(lo, hi + 1):
        text = lines[n - 1].lstrip("\ufeff").expandtabs(1) if n <= len(lines) else ""
        out.append(f"{n:>{width}} | {text}")
        if n == first:
            start = finding.span.start_col - 1
            end_col = finding.span.end_col - 1 if finding.span.end_line == first else len(text)
            carets = "^" * max(1, min(end_col, len(text)) - start)
            out.append(f"{' ' * width} | {' ' * start}{carets}")
    return "\n".join(out)


def render_finding(finding: Finding, source: str | None, *, unsafe: bool, lang: str = "en") -> str:
    """One finding: `path:line:col: CODE [*] message`, the frame, the rule summary, the fix."""
    mark = " [*]" if allowed(finding.fix, unsafe) else ""
    head = f"{finding.path}:{finding.line}:{finding.col}: {finding.code}{mark} {finding.message}"
    parts = [head]
    if source is not None:
        parts.append(code_frame(source, finding))
    registered = get(finding.code)
    if registered is not None and registered.rule.summary:
        parts.append(f"  = {finding.name}: {registered.rule.summary_in(lang)}")
    if finding.fix is not None:
        words = wording(lang)
        note = "" if finding.fix.safety == "safe" else f" ({words.unsafe})"
        parts.append(f"  = {words.fix}{note}: {finding.fix.title}")
    return "\n".join(parts)


def render_text(
    findings: Sequence[Finding],
    sources: Mapping[str, str],
    *,
    unsafe: bool = False,
    lang: str = "en",
) -> str:
    """Every finding, sorted by file and position, each followed by a blank line; the report's
    own words in `lang` (the findings come in the language the runner rendered them in)."""
    blocks = [
        render_finding(f, sources.get(f.path or ""), unsafe=unsafe, lang=lang)
        for f in sorted(findings, key=Finding.sort_key)
    ]
    return "".join(block + "\n\n" for block in blocks)


def render_applied(applied: Sequence[Finding], lang: str = "en") -> str:
    """`--show-fixes`: one line per fix that went in."""
    if not applied:
        return ""
    words = wording(lang)
    lines = [words.applied.format(findings=words.findings(len(applied)))]
    for f in sorted(applied, key=lambda f: (f.path or "", f.line, f.col, f.code)):
        title = f.fix.title if f.fix is not None else ""
        lines.append(f"  {f.path}:{f.line}:{f.col}: {f.code} {title}")
    return "\n".join(lines) + "\n"
