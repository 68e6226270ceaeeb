"""Physical lines and logical lines: the two views of a Dockerfile BuildKit switches between.

A physical line is cut at `\\n` only (a lone `\\r` is not a line break) and its line ending is
every `\\r`/`\\n` at its end, as BuildKit's trimNewline sees it. A logical line is one instruction
with its continuations joined; it remembers the file offset of each of its pieces.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from layerwise.syntax.span import MappedText


@dataclass(frozen=True, slots=True)
class PhysicalLine:
    start: int  # offset of the first character
    content_end: int  # offset of the line ending
    end: int  # offset after the line ending
    content: str  # without the line ending


def split_lines(text: str) -> list[PhysicalLine]:
    """Every physical line; a final line without a newline counts, an empty tail does not."""
    lines: list[PhysicalLine] = []
    pos, n = 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl + 1
        content_end = end
        while content_end > pos and text[content_end - 1] in "\r\n":
            content_end -= 1
        lines.append(PhysicalLine(pos, content_end, end, text[pos:content_end]))
        pos = end
    return lines


class LogicalLine:
    """A logical line built from pieces of physical lines, each mapped to its file offset."""

    __slots__ = ("_file_starts", "_length", "_logical_starts", "parts", "text")

    def __init__(self) -> None:
        self._length = 0
        self.parts: list[str] = []
        self._logical_starts: list[int] = []
        self._file_starts: list[int] = []
        self.text = ""

    def add(self, file_offset: int, piece: str) -> None:
        if piece:
            self._logical_starts.append(self._length)
            self._file_starts.append(file_offset)
            self.parts.append(piece)
            self._length += len(piece)

    def finish(self) -> str:
        self.text = "".join(self.parts)
        return self.text

    def offset(self, i: int) -> int:
        """The file offset of logical character `i` (`i == len` maps just past the last one)."""
        if not self.parts:
            raise IndexError("empty logical line")
        if i >= len(self.text):
            return self._file_starts[-1] + len(self.parts[-1]) + (i - len(self.text))
        k = bisect.bisect_right(self._logical_starts, i) - 1
        return self._file_starts[k] + i - self._logical_starts[k]

    def end_offset(self, i: int) -> int:
        """The file offset just after logical character `i - 1` (the end of a range)."""
        return self.offset(i - 1) + 1 if i > 0 else self.offset(0)

    def mapped(self, start: int, end: int) -> MappedText:
        """`text[start:end]` with the file offset of each character."""
        offsets: list[int] = []
        for k, piece in enumerate(self.parts):
            ls, fs = self._logical_starts[k], self._file_starts[k]
            lo, hi = max(start, ls), min(end, ls + len(piece))
            if lo < hi:
                offsets.extend(range(fs + lo - ls, fs + hi - ls))
        offsets.append(offsets[-1] + 1 if offsets else self.end_offset(start))
        return MappedText(self.text[start:end], tuple(offsets))
