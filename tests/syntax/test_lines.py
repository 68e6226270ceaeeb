"""LogicalLine.mapped: every character of a logical line maps to where it is in the file."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from layerwise.syntax.lines import LogicalLine

FILE = "RUN  echo a && \\\n    echo b\n"


def one_piece() -> LogicalLine:
    line = LogicalLine(5, "echo a && ")
    line.finish()
    return line


def two_pieces() -> LogicalLine:
    line = LogicalLine(5, "echo a && ")
    line.add(21, "echo b")
    line.finish()
    return line


@pytest.mark.parametrize("make", [one_piece, two_pieces])
def test_each_character_maps_onto_the_file(make: Callable[[], LogicalLine]) -> None:
    line = make()
    n = len(line.text)
    for start in range(n + 1):
        for end in range(start, n + 1):
            mapped = line.mapped(start, end)
            assert mapped.text == line.text[start:end]
            assert [FILE[o] for o in mapped.offsets[:-1]] == list(mapped.text)
            if end > start:
                assert mapped.offsets[-1] == mapped.offsets[-2] + 1
            else:
                assert mapped.offsets == (line.end_offset(start),)
