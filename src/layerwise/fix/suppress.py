"""The edit that silences one finding: an ignore comment on its own line above the instruction.

The runner reads `# layerwise: ignore=CODE` on the comment lines directly above an instruction
(rules/runner.py), so the comment goes right above the instruction's first line, after any
comments already there, with the instruction's indentation and the file's newline.
"""

from __future__ import annotations

from layerwise.rules.base import Finding
from layerwise.syntax import Dockerfile, Edit, Instruction


def instruction_at(tree: Dockerfile, offset: int) -> Instruction | None:
    """The top-level instruction whose span holds `offset` (ONBUILD holds its inner one)."""
    for instruction in tree.instructions:
        span = instruction.span
        if span.start <= offset <= span.end:
            return instruction
        if span.start > offset:
            break
    return None


def suppression_edit(tree: Dockerfile, finding: Finding) -> Edit | None:
    """The insertion of `# layerwise: ignore=<code>` above the finding's instruction, or None
    when the finding is not inside an instruction."""
    instruction = instruction_at(tree, finding.span.start)
    if instruction is None:
        return None
    line_start = instruction.start - len(instruction.indent)
    comment = f"{instruction.indent}# layerwise: ignore={finding.code}{tree.newline}"
    return Edit.insert(line_start, comment)
