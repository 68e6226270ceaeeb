"""The pieces of code actions that need no client: the one-edit diff and the kind filter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.lsp.actions import FIX_ALL_KIND, minimal_edit, wanted
from layerwise.syntax import apply_edits

texts = st.text(alphabet=st.sampled_from(["a", "b", "\r", "\n", "😀"]), max_size=12)


@given(texts, texts)
def test_minimal_edit_turns_before_into_after_without_splitting_crlf(
    before: str, after: str
) -> None:
    edit = minimal_edit(before, after)
    assert apply_edits(before, [edit]) == after
    for offset in (edit.start, edit.end):
        assert before[offset - 1 : offset + 1] != "\r\n" or offset == 0


def test_minimal_edit_is_small() -> None:
    before = "FROM a as b\nRUN x\n"
    edit = minimal_edit(before, before.replace(" as ", " AS "))
    assert (edit.start, edit.end, edit.new_text) == (7, 9, "AS")


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        (None, True),
        (["source.fixAll"], True),
        (["source"], True),
        (["source.fixAll.layerwise"], True),
        (["quickfix"], False),
        (["source.fixAllX"], False),
    ],
)
def test_kind_filter(only: list[str] | None, expected: bool) -> None:
    assert wanted(FIX_ALL_KIND, only) is expected
