"""Edits: replace/insert/delete, overlap detection, and bytes outside edits kept exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.errors import OverlappingEditsError
from layerwise.syntax import Edit, MappedText, Span, apply_edits, find_overlaps, parse


def test_replace_insert_delete() -> None:
    text = "RUN npm install\n"
    span = Span(8, 15, 1, 9, 1, 16)
    assert apply_edits(text, [Edit.replace(span, "ci")]) == "RUN npm ci\n"
    assert apply_edits(text, [Edit.insert(0, "# x\n")]) == "# x\nRUN npm install\n"
    assert apply_edits(text, [Edit.delete(Span(3, 7, 1, 4, 1, 8))]) == "RUN install\n"


def test_edits_apply_in_position_order_whatever_the_list_order() -> None:
    edits = [Edit(4, 5, "B"), Edit(0, 1, "A")]
    assert apply_edits("abcdef", edits) == "AbcdBf"


def test_overlaps_are_detected_and_refused() -> None:
    a, b = Edit(0, 4, "x"), Edit(3, 6, "y")
    assert find_overlaps([b, a]) == [(a, b)]
    with pytest.raises(OverlappingEditsError):
        apply_edits("abcdefgh", [a, b])


def test_two_insertions_at_one_offset_overlap_but_touching_edits_do_not() -> None:
    assert find_overlaps([Edit.insert(2, "a"), Edit.insert(2, "b")])
    assert not find_overlaps([Edit(0, 2, "x"), Edit(2, 4, "y")])
    assert not find_overlaps([Edit(0, 2, "x"), Edit.insert(2, "y")])


def test_edit_past_the_end_is_refused() -> None:
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit(2, 5, "")])


def test_span_checks_its_range() -> None:
    with pytest.raises(ValueError):
        Span(3, 2, 1, 4, 1, 3)
    assert Span(0, 3, 1, 1, 1, 4).text("FROM") == "FRO"


def test_mapped_text_file_range() -> None:
    mapped = MappedText("ab", (10, 14, 15))
    assert mapped.file_range(0, 2) == (10, 15)
    assert mapped.file_range(1, 1) == (14, 14)


@st.composite
def text_and_disjoint_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(st.text(max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    prev_end = -1
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a == prev_end and a == b:
            continue  # two insertions at one offset would be ambiguous
        edits.append(Edit(a, b, draw(st.text(max_size=5))))
        prev_end = b
    return text, draw(st.permutations(edits))


@given(text_and_disjoint_edits())
def test_non_overlapping_edits_keep_every_byte_outside_them(
    case: tuple[str, list[Edit]],
) -> None:
    text, edits = case
    assert find_overlaps(edits) == []
    out = apply_edits(text, edits)
    pos = 0
    rebuilt: list[str] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        kept = text[pos : edit.start]
        assert kept in out
        rebuilt += (kept, edit.new_text)
        pos = edit.end
    rebuilt.append(text[pos:])
    assert out == "".join(rebuilt)
    assert len(out) == len(text) + sum(len(e.new_text) - (e.end - e.start) for e in edits)


def test_an_edit_on_a_node_span_changes_only_that_node() -> None:
    text = 'FROM node:20\n# keep me\nRUN npm install \\\n    --no-audit\nCMD ["node"]\n'
    tree = parse(text)
    run = tree.instructions[1]
    out = apply_edits(text, [Edit.replace(run.args_span, "npm ci")])
    assert out == 'FROM node:20\n# keep me\nRUN npm ci\nCMD ["node"]\n'
    assert str(parse(out)) == out
