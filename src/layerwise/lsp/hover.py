"""Hover on a finding: the rule's documentation, in the editor's language when translated."""

from __future__ import annotations

from lsprotocol import types

from layerwise.lsp.analysis import Analysis
from layerwise.lsp.positions import LineTable
from layerwise.rules.registry import Registered, get, translated_doc


def rule_markdown(registered: Registered, lang: str) -> str:
    """The rule's documentation as Markdown: a heading with code and name, then the sections
    (the docstring's first line, `LW101 name`, becomes the heading)."""
    rule = registered.rule
    doc = translated_doc(registered, lang) or rule.doc
    first, _, rest = doc.partition("\n")
    body = rest.strip() if first.strip().startswith(rule.code) else doc
    return f"### {rule.code} `{rule.name}`\n\n{body}"


def hover(analysis: Analysis, table: LineTable, offset: int) -> types.Hover | None:
    """The documentation of every rule with a finding under `offset`, or None."""
    under = [f for f in analysis.findings if f.span.start <= offset <= f.span.end]
    if not under:
        return None
    lang = analysis.settings.lang
    parts: list[str] = []
    seen: set[str] = set()
    for finding in under:
        registered = get(finding.code)
        if registered is None or finding.code in seen:
            continue
        seen.add(finding.code)
        parts.append(f"**{finding.message}**\n\n{rule_markdown(registered, lang)}")
    if not parts:
        return None
    start = min(f.span.start for f in under)
    end = max(f.span.end for f in under)
    markdown = "\n\n---\n\n".join(parts)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
        range=table.range(start, end),
    )
