"""Physical lines and logical lines: the two views of a Dockerfile BuildKit switches between.

A physical line is cut at `\\n` only (a lone `\\r` is not a line break) and its line ending is
every `\\r`/`\\n` at its end, as BuildKit's trimNewline sees it. A logical line is one instruction
with its continuations joined; it remembers the file offset of each of its pieces.
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

from layerwise.syntax.span import MappedText


class PhysicalLine(NamedTuple):  # a tuple: there is one per line, made on every parse
    start: int  # offset of the first character
    content_end: int  # offset of the line ending
    end: int  # offset after the line ending
    content: str  # without the line ending


def split_lines(text: str) -> list[PhysicalLine]:
    """Every physical line; a final line without a newline counts, an empty tail does not."""
    lines: list[PhysicalLine] = []
    append = lines.append
    # The tuple made directly: PhysicalLine(...) would run NamedTuple's __new__, a Python
    # function, once per line of every file.
    new = tuple.__new__
    pos = 0
    pieces = text.split("\n")
    last = len(pieces) - 1
    for k, piece in enumerate(pieces):
        content = piece.rstrip("\r")
        if k < last:
            end = pos + len(piece) + 1
        elif piece:
            end = pos + len(piece)
        else:
            break
        append(new(PhysicalLine, (pos, pos + len(content), end, content)))
        pos = end
    return lines


class LogicalLine:
    """A logical line built from pieces of physical lines, each mapped to its file offset."""

    __slots__ = ("_file_starts", "_length", "_logical_starts", "parts", "text")

    def __init__(self, file_offset: int, piece: str) -> None:
        """Start with the first piece (it may be empty: a line holding only a continuation)."""
        self._length = len(piece)
        self.parts: list[str] = [piece] if piece else []
        self._logical_starts: list[int] = [0] if piece else []
        self._file_starts: list[int] = [file_offset] if piece else []
        self.text = piece

    def add(self, file_offset: int, piece: str) -> None:
        if piece:
            self._logical_starts.append(self._length)
            self._file_starts.append(file_offset)
            self.parts.append(piece)
            self._length += len(piece)

    @property
    def base(self) -> int:
        """The file offset of the first character."""
        return self._file_starts[0]

    def finish(self) -> str:
        self.text = "".join(self.parts)
        return self.text

    def offset(self, i: int) -> int:
        """The file offset of logical character `i` (`i == len` maps just past the last one)."""
        if len(self._file_starts) == 1 and i < self._length:
            return self._file_starts[0] + i
        if not self.parts:
            raise IndexError("empty logical line")
        if i >= len(self.text):
            return self._file_starts[-1] + len(self.parts[-1]) + (i - len(self.text))
        k = bisect.bisect_right(self._logical_starts, i) - 1
        return self._file_starts[k] + i - self._logical_starts[k]

    def token_start(self, i: int) -> int:
        """The file offset where a token starting at logical `i` begins (past the end: the end)."""
        starts = self._file_starts
        if len(starts) == 1:
            return starts[0] + (i if i < self._length else self._length)
        return self.offset(i) if i < self._length else self.end_offset(self._length)

    def token_end(self, i: int) -> int:
        """The file offset just after a token ending at logical `i` (exclusive)."""
        starts = self._file_starts
        if len(starts) == 1:
            return starts[0] + (i if i < self._length else self._length)
        return self.end_offset(i) if i > 0 else self.token_start(0)

    def end_offset(self, i: int) -> int:
        """The file offset just after logical character `i - 1` (the end of a range)."""
        return self.offset(i - 1) + 1 if i > 0 else self.offset(0)

    def mapped(self, start: int, end: int) -> MappedText:
        """`text[start:end]` with the file offset of each character."""
        if len(self.parts) == 1 and start < end <= self._length:  # one piece: one run of offsets
            first = self._file_starts[0]
            return MappedText(self.text[start:end], tuple(range(first + start, first + end + 1)))
        offsets: list[int] = []
        extend = offsets.extend
        # Each piece's run of offsets, clipped to [start, end) (a RUN has one per line).
        for ls, fs, piece in zip(self._logical_starts, self._file_starts, self.parts, strict=True):
            hi = ls + len(piece)
            if hi > end:
                hi = end
            lo = start if start > ls else ls
            if lo < hi:
                extend(range(fs + lo - ls, fs + hi - ls))
        offsets.append(offsets[-1] + 1 if offsets else self.end_offset(start))
        return MappedText(self.text[start:end], tuple(offsets))
