"""Offsets of a pipeline file to the 1-based lines and columns findings report."""

from __future__ import annotations

import bisect

from layerwise.syntax.span import MappedText, Span


class Lines:
    """Line starts of one text, to turn offsets into spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        start_line, start_col = self.line_col(start)
        end_line, end_col = self.line_col(end)
        return Span(start, end, start_line, start_col, end_line, end_col)


def aligned(value: str, text: str, start: int, end: int) -> MappedText:
    """`value` (a scalar after quote and escape removal, or a string literal's content) mapped
    onto `text[start:end]`, where it is written: each character of `value` is matched to the next
    equal character of the source, a space or newline of a folded scalar to the line break it
    replaced. Characters a decoder made up (an escape's result) take the offset reached."""
    offsets: list[int] = []
    pos = start
    for char in value:
        found = pos
        while found < end and text[found] != char:
            if char in " \n" and text[found] == "\n":
                break
            found += 1
        if found < end:
            offsets.append(found)
            pos = found + 1
        else:
            offsets.append(min(pos, end))
    offsets.append(pos)
    return MappedText(value, tuple(offsets))
