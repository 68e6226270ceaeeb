"""Run the enabled rules over one parsed Dockerfile, honouring inline suppressions.

Suppression: a comment `# layerwise: ignore=LW101,LW2` (codes or prefixes, or `all`) on the
comment line(s) directly above an instruction silences those findings inside that instruction.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from layerwise.model import build_model
from layerwise.rules.base import Finding, RuleContext, Settings
from layerwise.rules.registry import Registered, all_rules
from layerwise.syntax import Dockerfile

if TYPE_CHECKING:
    from layerwise.context import BuildContext

_IGNORE = re.compile(r"#\s*layerwise:\s*ignore\s*=\s*([A-Za-z0-9_,\s]+)", re.I)


def check_tree(
    tree: Dockerfile,
    *,
    context: BuildContext | None = None,
    settings: Settings | None = None,
    rules: Sequence[Registered] | None = None,
) -> list[Finding]:
    """All findings of the enabled rules (default: the registry's) on `tree`, sorted by
    position, suppressions removed, their texts in `settings.lang`."""
    settings = settings or Settings()
    model = build_model(tree, build_args=settings.build_args or None)
    ctx = RuleContext(model=model, tree=tree, context=context, settings=settings)
    found: list[Finding] = []
    if rules is None:
        chosen = _enabled(settings.select, settings.ignore)
    else:
        chosen = tuple(r for r in rules if settings.enabled(r.code))
    if not model.stages:
        chosen = tuple(r for r in chosen if not r.rule.needs_stages)
    for registered in chosen:
        found.extend(
            dataclasses.replace(f.localized(settings.lang), path=tree.path)
            for f in registered.module.check(ctx)
        )
    return sorted(_unsuppressed(tree, found), key=Finding.sort_key)


@functools.lru_cache(maxsize=64)
def _enabled(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[Registered, ...]:
    settings = Settings(select=select, ignore=ignore)
    return tuple(r for r in all_rules() if settings.enabled(r.code))


def suppressions(tree: Dockerfile) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, patterns) for every instruction with an ignore comment directly above it."""
    out: list[tuple[int, int, frozenset[str]]] = []
    for instruction in tree.instructions:
        patterns: set[str] = set()
        for node in reversed(instruction.leading):
            text = node.text.strip()
            if not text.startswith("#"):
                break  # a blank line ends "directly above"
            match = _IGNORE.search(text)
            if match:
                patterns.update(p.strip().upper() for p in match.group(1).split(",") if p.strip())
        if patterns:
            out.append((instruction.span.start, instruction.span.end, frozenset(patterns)))
    return out


def _unsuppressed(tree: Dockerfile, findings: Iterable[Finding]) -> Iterable[Finding]:
    ranges = suppressions(tree)
    if not ranges:
        yield from findings
        return
    starts = [r[0] for r in ranges]
    for finding in findings:
        i = bisect.bisect_right(starts, finding.span.start) - 1
        if i >= 0:
            start, end, patterns = ranges[i]
            silenced = "ALL" in patterns or any(finding.code.startswith(p) for p in patterns)
            if start <= finding.span.start <= end and silenced:
                continue
        yield finding
