"""Offsets to LSP positions and back, in the three encodings, against Python's own codecs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol.types import Position

from layerwise.lsp.positions import UTF8, UTF16, UTF32, LineTable, units

ENCODINGS = (UTF8, UTF16, UTF32)
# Line breaks of every kind LSP knows, next to characters of 1-4 UTF-8 bytes and 1-2 UTF-16 units.
texts = st.text(alphabet=st.sampled_from(["a", " ", "é", "한", "😀", "\n", "\r", "\u2028"]))


def codec_units(text: str, encoding: str) -> int:
    data = text.encode({UTF16: "utf-16-le", UTF32: "utf-32-le"}.get(encoding, "utf-8"))
    return len(data) // {UTF8: 1, UTF16: 2, UTF32: 4}[encoding]


@given(texts)
def test_units_agree_with_the_codecs(text: str) -> None:
    for encoding in ENCODINGS:
        assert units(text, encoding) == codec_units(text, encoding)


@given(texts, st.data())
def test_offsets_round_trip_outside_crlf(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)))
    for encoding in ENCODINGS:
        table = LineTable(text, encoding)
        pos = table.position(offset)
        lines = re.split(r"\r\n|\r|\n", text[:offset])
        if text[offset - 1 : offset + 1] == "\r\n":  # between \r and \n: LSP cannot say it
            assert pos == table.position(offset - 1)
            continue
        assert pos == Position(len(lines) - 1, codec_units(lines[-1], encoding))
        assert table.offset(pos) == offset


def test_emoji_and_crlf() -> None:
    text = "a😀b\r\nxé\rz"
    table = LineTable(text, UTF16)
    assert table.position(text.index("b")) == Position(0, 3)
    assert table.position(text.index("x")) == Position(1, 0)
    assert table.position(text.index("z")) == Position(2, 0)
    assert LineTable(text, UTF8).position(text.index("b")) == Position(0, 5)
    assert LineTable(text, UTF32).position(text.index("b")) == Position(0, 2)


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (Position(0, 99), 3),  # past the line's end: its end, not the next line
        (Position(7, 0), 9),  # past the last line: the end of the text
        (Position(0, 2), 1),  # inside the surrogate pair of 😀: the emoji's start
        (Position(1, 1), 6),
    ],
)
def test_offsets_of_positions_outside_the_text_are_clamped(
    position: Position, expected: int
) -> None:
    assert LineTable("a😀b\r\nxé\rz", UTF16).offset(position) == expected


def test_u2028_is_not_a_line_break_for_lsp() -> None:
    # Python's splitlines() breaks there; LSP (and pygls' own lines) must not be trusted for it.
    table = LineTable("a\u2028b\nc", UTF16)
    assert table.position(2) == Position(0, 2)
    assert table.position(4) == Position(1, 0)
