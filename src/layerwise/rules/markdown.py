"""A rule's documentation as Markdown: one text for `layerwise rule CODE` and SARIF's help."""

from __future__ import annotations

from layerwise.rules.registry import Registered


def rule_markdown(registered: Registered, doc: str | None = None) -> str:
    """The rule's document (default: its docstring) as Markdown: the first line as the title,
    then its metadata."""
    rule = registered.rule
    title, _, body = (doc or rule.doc).partition("\n")
    fix = "no fix" if not rule.fixable else "fixable"
    meta = f"*{rule.severity}* · {fix} · {rule.status}"
    return f"# {title.strip()}\n\n{meta}\n\n{_separate_code_blocks(body.strip())}\n"


def _separate_code_blocks(text: str) -> str:
    """Blank lines around indented examples, which docstrings write right under a text line."""
    out: list[str] = []
    for line in text.splitlines():
        indented = line.startswith("    ")
        if out and out[-1].strip() and out[-1].startswith("    ") != indented:
            out.append("")
        out.append(line)
    return "\n".join(out)
