"""Code actions: each finding's fix (safe or unsafe), its ignore comment, and "fix all safe".

Fix edits come from the rules, on the analysed text; the server only offers actions for the
document version it analysed, so the offsets hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lsprotocol import types

from layerwise.fix.suppress import suppression_edit
from layerwise.lsp.analysis import Analysis, fixed_text
from layerwise.lsp.diagnostics import diagnostic
from layerwise.lsp.options import ServerOptions
from layerwise.lsp.positions import LineTable
from layerwise.rules.base import Finding, Safety
from layerwise.syntax import Edit, find_overlaps

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.layerwise"
KINDS = (types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND)


@dataclass(frozen=True, slots=True)
class Request:
    """What the client asked for and how it takes edits."""

    uri: str
    start: int  # the requested range, as offsets
    end: int
    only: Sequence[str] | None = None  # CodeActionContext.only
    document_changes: bool = False  # the client takes versioned TextDocumentEdits


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP's kind filter: `source.fixAll` asks for `source.fixAll.layerwise` too."""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def code_actions(
    analysis: Analysis, table: LineTable, request: Request, options: ServerOptions
) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    if wanted(types.CodeActionKind.QuickFix, request.only):
        for finding in analysis.findings:
            if finding.span.start <= request.end and request.start <= finding.span.end:
                actions.extend(_quick_fixes(analysis, table, request, options, finding))
    explicit = request.only is not None and wanted(FIX_ALL_KIND, request.only)
    has_safe = any(f.fix is not None and f.fix.safety is Safety.SAFE for f in analysis.findings)
    if explicit or (request.only is None and has_safe):
        fix_all = _fix_all(analysis, table, request)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def _quick_fixes(
    analysis: Analysis,
    table: LineTable,
    request: Request,
    options: ServerOptions,
    finding: Finding,
) -> list[types.CodeAction]:
    diag = diagnostic(table, finding, options)
    out: list[types.CodeAction] = []
    fix = finding.fix
    # A fix that also writes a context file (a .dockerignore entry) is not offered: the edit
    # would change the Dockerfile alone. `check --fix` applies it whole.
    if fix is not None and fix.edits and not fix.files and not find_overlaps(fix.edits):
        title = fix.title or f"Fix {finding.code}"
        safe = fix.safety is Safety.SAFE
        out.append(
            types.CodeAction(
                title=f"Fix: {title}" if safe else f"Fix (unsafe): {title}",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=safe,
                edit=_workspace_edit(analysis, table, request, fix.edits),
            )
        )
    if analysis.tree is not None:
        edit = suppression_edit(analysis.tree, finding)
        if edit is not None:
            out.append(
                types.CodeAction(
                    title=f"Ignore {finding.code} for this instruction",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=_workspace_edit(analysis, table, request, [edit]),
                )
            )
    return out


def _fix_all(analysis: Analysis, table: LineTable, request: Request) -> types.CodeAction | None:
    text, _bugs = fixed_text(analysis)
    if text == analysis.text:
        return None
    return types.CodeAction(
        title="Fix all safe layerwise findings",
        kind=FIX_ALL_KIND,
        edit=_workspace_edit(analysis, table, request, [minimal_edit(analysis.text, text)]),
    )


def minimal_edit(before: str, after: str) -> Edit:
    """One edit turning `before` into `after`: the span between their common prefix and
    suffix, never splitting a `\\r\\n` (an LSP position cannot point between them)."""
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    start, end = prefix, len(before) - suffix
    if start > 0 and before[start - 1] == "\r" and before[start : start + 1] == "\n":
        start -= 1
    if 0 < end < len(before) and before[end - 1] == "\r" and before[end] == "\n":
        end += 1
    new_end = len(after) - (len(before) - end)
    return Edit(start, end, after[start:new_end])


def _workspace_edit(
    analysis: Analysis, table: LineTable, request: Request, edits: Sequence[Edit]
) -> types.WorkspaceEdit:
    text_edits = [
        types.TextEdit(range=table.range(e.start, e.end), new_text=e.new_text)
        for e in sorted(edits, key=lambda e: (e.start, e.end))
    ]
    if request.document_changes:
        document = types.OptionalVersionedTextDocumentIdentifier(
            uri=request.uri, version=analysis.version
        )
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=document, edits=text_edits)]
        )
    return types.WorkspaceEdit(changes={request.uri: text_edits})
