"""`--statistics`: how many findings each rule has, instead of the findings (as ruff does)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from layerwise.fix import allowed
from layerwise.rules.base import Finding


@dataclass(frozen=True, slots=True)
class RuleCount:
    code: str
    name: str
    count: int
    fixable: int  # how many of them `--fix` would fix at the current safety level


def rule_counts(findings: Sequence[Finding], *, unsafe: bool = False) -> list[RuleCount]:
    """One row per rule with findings, the most frequent first (ties by code)."""
    rows: dict[str, list[Finding]] = {}
    for finding in findings:
        rows.setdefault(finding.code, []).append(finding)
    counts = [
        RuleCount(code, group[0].name, len(group), sum(allowed(f.fix, unsafe) for f in group))
        for code, group in rows.items()
    ]
    return sorted(counts, key=lambda r: (-r.count, r.code))


def render_statistics(findings: Sequence[Finding], *, unsafe: bool = False) -> str:
    """`count<TAB>code<TAB>[*] name` lines; `[*]` marks a rule with findings `--fix` would fix."""
    rows = rule_counts(findings, unsafe=unsafe)
    width = max((len(str(r.count)) for r in rows), default=1)
    return "".join(
        f"{r.count:>{width}}\t{r.code}\t{'[*]' if r.fixable else '[ ]'} {r.name}\n" for r in rows
    )


def render_statistics_json(findings: Sequence[Finding], *, unsafe: bool = False) -> str:
    """A JSON list of `{"code", "name", "count", "fixable"}`, in the same order."""
    rows = [asdict(r) for r in rule_counts(findings, unsafe=unsafe)]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
