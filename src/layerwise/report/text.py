"""Findings as text for a terminal, in the manner of ruff: location, code frame, summary, fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from layerwise.fix import allowed
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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(counts: Counts) -> str:
    """`Found 3 findings (2 fixable with `--fix`, 1 more with `--unsafe-fixes`).` and the like."""
    if counts.fixed:
        total = counts.fixed + counts.remaining
        head = f"Found {_plural(total, 'finding')} ({counts.fixed} fixed, {counts.remaining} left)."
    elif counts.remaining == 0:
        return "All checks passed."
    else:
        head = f"Found {_plural(counts.remaining, 'finding')}."
    hints = []
    if counts.fixable and not counts.fixed:
        hints.append(f"{counts.fixable} fixable with `--fix`")
    if counts.unsafe_only:
        hints.append(f"{counts.unsafe_only} more with `--unsafe-fixes`")
    return head + (f"\n[*] {', '.join(hints)}." if hints else "")


def code_frame(source: str, finding: Finding, *, context_lines: int = 1) -> str:
    """The lines around a finding with line numbers and a caret under its first line's part."""
    lines = source.splitlines()
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


def render_finding(finding: Finding, source: str | None, *, unsafe: bool) -> str:
    """One finding: `path:line:col: CODE [*] message`, the frame, the rule summary, the fix."""
    mark = " [*]" if allowed(finding.fix, unsafe) else ""
    head = f"{finding.path}:{finding.line}:{finding.col}: {finding.code}{mark} {finding.message}"
    parts = [head]
    if source is not None:
        parts.append(code_frame(source, finding))
    registered = get(finding.code)
    if registered is not None and registered.rule.summary:
        parts.append(f"  = {finding.name}: {registered.rule.summary}")
    if finding.fix is not None:
        note = "" if finding.fix.safety == "safe" else " (unsafe)"
        parts.append(f"  = fix{note}: {finding.fix.title}")
    return "\n".join(parts)


def render_text(
    findings: Sequence[Finding], sources: Mapping[str, str], *, unsafe: bool = False
) -> str:
    """Every finding, sorted by file and position, each followed by a blank line."""
    blocks = [
        render_finding(f, sources.get(f.path or ""), unsafe=unsafe)
        for f in sorted(findings, key=Finding.sort_key)
    ]
    return "".join(block + "\n\n" for block in blocks)


def render_applied(applied: Sequence[Finding]) -> str:
    """`--show-fixes`: one line per fix that went in."""
    if not applied:
        return ""
    lines = [f"Fixed {_plural(len(applied), 'finding')}:"]
    for f in sorted(applied, key=lambda f: (f.path or "", f.line, f.col, f.code)):
        title = f.fix.title if f.fix is not None else ""
        lines.append(f"  {f.path}:{f.line}:{f.col}: {f.code} {title}")
    return "\n".join(lines) + "\n"
