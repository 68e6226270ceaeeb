"""Positions, spans and text edits: how every later layer points into and changes a file.

Offsets are indices into the Python `str` of the file (code points, not bytes), which is what
`parse(text)` received. Lines and columns are 1-based; a column counts code points.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from layerwise.errors import OverlappingEditsError
from layerwise.frozen import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range `[start, end)` of offsets, with the 1-based line/column of each end."""

    start: int
    end: int
    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@quick_init
@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `[start, end)` of the original text with `new_text`.

    An insertion has `start == end`; a deletion has `new_text == ""`.
    """

    start: int
    end: int
    new_text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad edit range {self.start}..{self.end}")

    @classmethod
    def replace(cls, span: Span, new_text: str) -> Edit:
        return cls(span.start, span.end, new_text)

    @classmethod
    def insert(cls, offset: int, new_text: str) -> Edit:
        return cls(offset, offset, new_text)

    @classmethod
    def delete(cls, span: Span) -> Edit:
        return cls(span.start, span.end, "")

    def overlaps(self, other: Edit) -> bool:
        """True when the two edits cannot both apply unambiguously.

        Two insertions at one offset overlap (their order would be a guess); an insertion at
        the boundary of a replacement does not.
        """
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


def find_overlaps(edits: Iterable[Edit]) -> list[tuple[Edit, Edit]]:
    """Every pair of edits that overlap, in order of position."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    pairs: list[tuple[Edit, Edit]] = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.start > first.end:
                break
            if first.overlaps(second):
                pairs.append((first, second))
    return pairs


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits to `text`; every byte outside them stays as it was."""
    overlaps = find_overlaps(edits)
    if overlaps:
        a, b = overlaps[0]
        raise OverlappingEditsError(f"edits overlap: [{a.start},{a.end}) and [{b.start},{b.end})")
    for edit in edits:
        if edit.end > len(text):
            raise ValueError(f"edit [{edit.start},{edit.end}) is past the end ({len(text)})")
    out: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : edit.start])
        out.append(edit.new_text)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


@quick_init
@dataclass(frozen=True, slots=True)
class MappedText:
    """Text derived from a file (e.g. a RUN command with line continuations removed) that
    remembers where each character came from.

    `offsets[i]` is the file offset of `text[i]`; `offsets[len(text)]` is the offset just after
    the last character, so a half-open range `[i, j)` of `text` maps to
    `[offsets[i], offsets[j - 1] + 1)` in the file.
    """

    text: str
    offsets: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.text) + 1:
            raise ValueError("MappedText needs one offset per character plus the end")

    def file_range(self, start: int, end: int) -> tuple[int, int]:
        """The file offsets `[a, b)` covering `text[start:end]`."""
        if start >= end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1
