"""Key positions in TOML text, for located configuration errors."""

from __future__ import annotations

import tomllib

import pytest

from layerwise.config.locate import Positions

TEXT = """\
# a comment with select = 1
title = "a # not a comment" # select = 2
[tool.layerwise]
select = [ # select = 3
  "LW1",
  'LW2',
]
"quoted key" = 1
dotted.inner = { a = 1, "b c" = [1, 2], d = { e = true } }
multi = '''
fake = 1
'''
basic = \"\"\"x \\\"\"\" fake2 = 1\"\"\"
after = 2

[[tool.layerwise.runs]]
name = "first"
[ tool . "odd name" ]
key = 1
"""


@pytest.mark.parametrize(
    ("path", "line_col"),
    [
        (("title",), (2, 1)),
        (("tool",), (3, 2)),
        (("tool", "layerwise"), (3, 7)),
        (("tool", "layerwise", "select"), (4, 1)),
        (("tool", "layerwise", "quoted key"), (8, 1)),
        (("tool", "layerwise", "dotted"), (9, 1)),
        (("tool", "layerwise", "dotted", "inner"), (9, 8)),
        (("tool", "layerwise", "dotted", "inner", "b c"), (9, 25)),
        (("tool", "layerwise", "dotted", "inner", "d", "e"), (9, 47)),
        (("tool", "layerwise", "multi"), (10, 1)),
        (("tool", "layerwise", "basic"), (13, 1)),
        (("tool", "layerwise", "after"), (14, 1)),
        (("tool", "layerwise", "runs", "name"), (17, 1)),
        (("tool", "odd name", "key"), (19, 1)),
    ],
)
def test_keys_are_found(path: tuple[str, ...], line_col: tuple[int, int]) -> None:
    tomllib.loads(TEXT)  # the scanner only ever sees text tomllib accepted
    assert Positions.of(TEXT).key(path) == line_col


def test_keys_inside_strings_and_comments_are_not_keys() -> None:
    keys = Positions.of(TEXT).keys
    assert not [k for k in keys if k[-1] in ("fake", "fake2")]
    assert ("select",) not in keys and ("tool", "layerwise", "select", "3") not in keys


def test_missing_key_falls_back_to_its_table() -> None:
    positions = Positions.of(TEXT)
    assert positions.key(("tool", "layerwise", "nope")) == (3, 7)
    assert positions.key(("nothing",)) == (1, 1)


def test_values_are_found_in_the_key_value() -> None:
    positions = Positions.of(TEXT)
    select = ("tool", "layerwise", "select")
    assert positions.value(select, "LW1") == (5, 3)
    assert positions.value(select, "LW2") == (6, 3)
    assert positions.value(select, "LW9") == (4, 1)  # not written as a string: the key


def test_crlf_and_tabs() -> None:
    text = "[a]\r\n\tb\t=\t1\r\nc = [\r\n 1,\r\n]\r\n"
    tomllib.loads(text)
    positions = Positions.of(text)
    assert positions.key(("a", "b")) == (2, 2)
    assert positions.key(("a", "c")) == (3, 1)
