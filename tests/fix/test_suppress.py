"""The ignore comment that silences one finding, checked by running the rules again."""

from __future__ import annotations

import pytest

from layerwise.fix.suppress import instruction_at, suppression_edit
from layerwise.rules.base import Finding
from layerwise.rules.runner import check_tree
from layerwise.syntax import apply_edits, parse

NODE = "FROM node:20\nWORKDIR /app\nCOPY . .\n{pre}RUN npm ci\n"


def _suppress(text: str, code: str) -> tuple[str, list[Finding]]:
    tree = parse(text)
    finding = next(f for f in check_tree(tree) if f.code == code)
    edit = suppression_edit(tree, finding)
    assert edit is not None
    fixed = apply_edits(text, [edit])
    return fixed, check_tree(parse(fixed))


def test_comment_goes_right_above_and_silences_only_that_code() -> None:
    text = NODE.format(pre="")
    before = {f.code for f in check_tree(parse(text))}
    fixed, after = _suppress(text, "LW201")
    assert fixed == NODE.format(pre="# layerwise: ignore=LW201\n")
    assert {f.code for f in after} == before - {"LW201"}


def test_existing_comments_stay_above_and_still_count() -> None:
    text = NODE.format(pre="# layerwise: ignore=LW101\n# why: tiny app\n")
    fixed, after = _suppress(text, "LW201")
    assert fixed == NODE.format(
        pre="# layerwise: ignore=LW101\n# why: tiny app\n# layerwise: ignore=LW201\n"
    )
    assert not {"LW101", "LW201"} & {f.code for f in after}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_keeps_indentation_and_the_files_newline(newline: str) -> None:
    text = f"FROM node:20 as app{newline}ONBUILD RUN true{newline}  \tFROM alpine as two{newline}"
    tree = parse(text)
    second = [f for f in check_tree(tree) if f.code == "LW401"][1]
    edit = suppression_edit(tree, second)
    assert edit is not None
    fixed = apply_edits(text, [edit])
    assert fixed.splitlines(keepends=True)[2] == f"  \t# layerwise: ignore=LW401{newline}"
    assert [f.line for f in check_tree(parse(fixed)) if f.code == "LW401"] == [1]


def test_instruction_at_finds_the_one_holding_the_offset() -> None:
    text = "FROM a\n\n# c\nRUN x \\\n  y\n"
    tree = parse(text)
    run = tree.instructions[1]
    assert instruction_at(tree, text.index("y")) is run
    assert instruction_at(tree, text.index("# c")) is None


def test_a_comment_on_the_first_line_is_not_taken_for_a_directive() -> None:
    fixed, after = _suppress("FROM node:20 as app\nRUN true\n", "LW401")
    assert fixed == "# layerwise: ignore=LW401\nFROM node:20 as app\nRUN true\n"
    assert parse(fixed).directives == ()
    assert "LW401" not in {f.code for f in after}
