"""Run the pipeline rules (LW9xx) over one pipeline file, and apply their fixes.

Suppression: a comment `layerwise: ignore=LW901,LW9` (after `#` or `//`) on the line above a
finding, or at the end of its line, silences those codes there; `layerwise: ignore-file=LW911`
anywhere silences them in the whole file (a comment cannot sit inside a continued shell line).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from layerwise.ci.context import PipelineContext
from layerwise.ci.dockerfiles import root_of
from layerwise.ci.model import Pipeline
from layerwise.ci.read import parse_pipeline, provider_of
from layerwise.rules.base import Finding, Safety, Settings
from layerwise.rules.registry import Registered, all_rules
from layerwise.syntax.span import Edit, Span, apply_edits, find_overlaps

_IGNORE = re.compile(r"(?:#|//)\s*layerwise:\s*ignore\s*=\s*([A-Za-z0-9_,\s]+)", re.I)
_IGNORE_FILE = re.compile(r"(?:#|//)\s*layerwise:\s*ignore-file\s*=\s*([A-Za-z0-9_, \t]+)", re.I)
MAX_PASSES = 4


class PipelineRuleModule(Protocol):
    def check(self, ctx: PipelineContext) -> Iterator[Finding]: ...


def pipeline_rules(settings: Settings) -> tuple[Registered, ...]:
    return tuple(r for r in all_rules() if r.rule.scope == "pipeline" and settings.enabled(r.code))


def check_pipeline(
    pipeline: Pipeline, root: Path, settings: Settings | None = None
) -> list[Finding]:
    """The enabled pipeline rules' findings, sorted, suppressions removed, in `settings.lang`."""
    settings = settings or Settings()
    ctx = PipelineContext(pipeline, root, settings)
    found: list[Finding] = []
    for registered in pipeline_rules(settings):
        module = cast(PipelineRuleModule, registered.module)
        found.extend(
            dataclasses.replace(f.localized(settings.lang), path=pipeline.path)
            for f in module.check(ctx)
        )
    ignored = _ignores(pipeline.text)
    everywhere = {
        c.strip().upper()
        for m in _IGNORE_FILE.finditer(pipeline.text)
        for c in m.group(1).split(",")
        if c.strip()
    }
    kept = [
        f
        for f in found
        if not any(
            f.code.startswith(p) or p == "ALL" for p in (*ignored.get(f.line, ()), *everywhere)
        )
    ]
    return sorted(kept, key=Finding.sort_key)


def _ignores(text: str) -> dict[int, frozenset[str]]:
    """Line -> the codes silenced on it (a comment on the line, or alone on the line above)."""
    out: dict[int, set[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _IGNORE.search(line)
        if match is None:
            continue
        codes = {c.strip().upper() for c in match.group(1).split(",") if c.strip()}
        out.setdefault(number, set()).update(codes)
        if line.lstrip().startswith(("#", "//")):
            out.setdefault(number + 1, set()).update(codes)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True, slots=True)
class PipelineOutcome:
    """One file checked, and fixed when asked: the findings left and the fixes applied."""

    path: Path
    source: str
    fixed_text: str
    findings: tuple[Finding, ...]
    applied: tuple[Finding, ...]
    notes: tuple[tuple[Span, str], ...] = ()  # what was seen but not read (`buildx bake`)


def run_pipeline_file(
    path: Path, text: str, settings: Settings, *, fix: bool, unsafe: bool
) -> PipelineOutcome:
    """Check `text` (the file at `path`); with `fix`, apply the fixes allowed, re-reading the
    file after each pass until nothing more applies."""
    provider = provider_of(path, text)
    root = root_of(path)
    current = text
    applied: list[Finding] = []
    pipeline = parse_pipeline(str(path), current, provider)
    findings = check_pipeline(pipeline, root, settings)
    for _ in range(MAX_PASSES if fix else 0):
        chosen = [f for f in findings if _allowed(f, unsafe)]
        edits: list[Edit] = []
        taken: list[Finding] = []
        for finding in chosen:
            assert finding.fix is not None
            candidate = [*edits, *finding.fix.edits]
            if find_overlaps(candidate):
                continue
            edits = candidate
            taken.append(finding)
        if not edits:
            break
        current = apply_edits(current, edits)
        applied.extend(taken)
        pipeline = parse_pipeline(str(path), current, provider)
        findings = check_pipeline(pipeline, root, settings)
    return PipelineOutcome(path, text, current, tuple(findings), tuple(applied), pipeline.notes)


def _allowed(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    return fix is not None and bool(fix.edits) and (unsafe or fix.safety is Safety.SAFE)
