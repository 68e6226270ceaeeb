"""Offsets into a document to LSP positions and back.

Layerwise counts offsets in code points of the Python `str`. LSP counts a position as a line
and a character in the negotiated encoding's code units (UTF-16 unless the client offered
another), and splits lines at `\\n`, `\\r\\n` and `\\r`, whatever the Dockerfile parser does.
"""

from __future__ import annotations

import bisect
import re

from lsprotocol import types

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

UTF8 = types.PositionEncodingKind.Utf8.value
UTF16 = types.PositionEncodingKind.Utf16.value
UTF32 = types.PositionEncodingKind.Utf32.value


def units(text: str, encoding: str) -> int:
    """The length of `text` in code units of `encoding`."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)  # surrogate pairs


class LineTable:
    """A document's lines as LSP sees them, for one position encoding."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0]
        self.ends: list[int] = []  # where each line's content stops (before its line break)
        for match in _LINE_BREAK.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))

    def position(self, offset: int) -> types.Position:
        """The LSP position of a code-point offset (clamped into the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        offset = min(offset, self.ends[line])  # inside a `\r\n`: the end of the line
        start = self.starts[line]
        return types.Position(line, units(self.text[start:offset], self.encoding))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))

    def offset(self, position: types.Position) -> int:
        """The code-point offset of an LSP position. A line past the end means the end of the
        text; a character past the line's end means its end (LSP's rule); a character inside a
        surrogate pair or a UTF-8 sequence means the start of that character."""
        if position.line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[position.line], self.ends[position.line]
        if self.encoding == UTF32:
            return min(start + position.character, end)
        counted = 0
        for offset in range(start, end):
            counted += units(self.text[offset], self.encoding)
            if counted > position.character:
                return offset
        return end
