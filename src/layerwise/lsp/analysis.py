"""One document checked: its findings, or the error that stopped the parser.

The editor's text is checked as `layerwise check` checks a file, with the document's directory
as the build context when the document is a file on disk. Nothing here knows about LSP.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from layerwise.errors import LayerwiseError
from layerwise.fix import fix_text
from layerwise.fix.files import open_context
from layerwise.rules.base import Finding, Settings
from layerwise.rules.runner import check_tree
from layerwise.syntax import Dockerfile, parse

if TYPE_CHECKING:
    from layerwise.context import BuildContext


@dataclass(frozen=True, slots=True)
class Analysis:
    """A document's text at one version and what layerwise found in it."""

    text: str
    version: int | None
    path: Path | None  # None for documents that are not files (untitled:, ...)
    settings: Settings
    context: BuildContext | None
    tree: Dockerfile | None  # None when the text could not be checked
    findings: tuple[Finding, ...] = ()
    error: LayerwiseError | None = None  # why it could not be checked


def analyze(text: str, *, path: Path | None, settings: Settings, version: int | None) -> Analysis:
    """Check `text`. A text the parser or the model rejects (`FROM` with two arguments) comes
    back with the error in `error`; it is never raised."""
    context = _context(path)
    name = str(path) if path is not None else None
    try:
        tree = parse(text, path=name)
        findings = check_tree(tree, context=context, settings=settings)
    except LayerwiseError as exc:
        return Analysis(text, version, path, settings, context, None, error=exc)
    return Analysis(text, version, path, settings, context, tree, tuple(findings))


def _context(path: Path | None) -> BuildContext | None:
    if path is None:
        return None
    try:
        return open_context(path, None)
    except LayerwiseError:  # the directory went away: check without a context
        return None


def fixed_text(analysis: Analysis, *, unsafe: bool = False) -> tuple[str, tuple[str, ...]]:
    """The text after every fix of the chosen safety level, to a fixed point, and the fixes
    dropped as layerwise bugs."""
    if analysis.tree is None:
        return analysis.text, ()
    result = fix_text(
        analysis.text,
        path=analysis.tree.path,
        context=analysis.context,
        settings=analysis.settings,
        unsafe=unsafe,
    )
    return result.text, result.bugs


def error_offset(text: str, error: LayerwiseError) -> int:
    """The code-point offset of a parse error's line and column (layerwise counts lines at
    `\\n` only, columns in code points, and a BOM takes no column)."""
    if error.line is None:
        return 0
    start = 0
    for _ in range(error.line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    col = (error.col or 1) - 1
    if start == 0 and text.startswith("\ufeff"):
        col += 1
    end = text.find("\n", start)
    return min(start + col, len(text) if end < 0 else end)
