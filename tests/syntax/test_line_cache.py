"""parse_logical is remembered per line: a line met again (another file, another position, the
fix loop's next pass) gives the same tree as a fresh parse, and a bad line fails every time."""

from __future__ import annotations

import pytest

from layerwise.errors import LayerwiseError
from layerwise.syntax import parse
from layerwise.syntax.values import parse_logical


def test_a_remembered_line_at_another_position_has_its_own_spans() -> None:
    parse_logical.cache_clear()
    first = parse("FROM node\nRUN --mount=type=cache,target=/x npm ci\n")
    second = parse("FROM node\n\n# moved\nRUN --mount=type=cache,target=/x npm ci\n")
    assert parse_logical.cache_info().hits >= 2
    a, b = first.instructions[1], second.instructions[1]
    assert (a.value, a.flags[0].text) == (b.value, b.flags[0].text)
    assert b.span.start - a.span.start == len("\n# moved\n")
    assert b.flags[0].span.start_line == 4 and b.args_span.start_line == 4
    assert b.text == "RUN --mount=type=cache,target=/x npm ci"


def test_a_bad_line_fails_each_time_with_its_location() -> None:
    parse_logical.cache_clear()
    for text, line in (("FROM a\nENV X\n", 2), ("FROM a\nRUN x\nENV X\n", 3)):
        with pytest.raises(LayerwiseError) as info:
            parse(text)
        assert (info.value.line, info.value.col) == (line, 1)
