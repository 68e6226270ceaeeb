from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.bench.edits import append_marker, can_edit, has_comment_syntax, whitespace_token


def test_typescript_gets_a_line_comment_and_keeps_its_bytes() -> None:
    data, edit = append_marker("src/main.ts", b"const a = 1;\n", "abc")
    assert data == b"const a = 1;\n// layerwise bench abc\n"
    assert edit.path == "src/main.ts"
    assert "//" in edit.how


def test_crlf_and_a_missing_final_newline_are_respected() -> None:
    data, _ = append_marker("a.py", b"x = 1\r\ny = 2", "t")
    assert data == b"x = 1\r\ny = 2\r\n# layerwise bench t\r\n"


def test_python_stays_valid_python() -> None:
    source = b'def f():\n    return "x"\n'
    data, _ = append_marker("pkg/mod.py", source, "tok")
    compile(data, "mod.py", "exec")


def test_block_comment_for_css_and_markup() -> None:
    assert append_marker("a.css", b"a{}\n", "t")[0].endswith(b"/* layerwise bench t */\n")
    assert append_marker("i.html", b"<p/>\n", "t")[0].endswith(b"<!-- layerwise bench t -->\n")


def test_whole_names_like_gemfile_and_go_mod() -> None:
    assert append_marker("Gemfile", b"source 'x'\n", "t")[0].endswith(b"# layerwise bench t\n")
    assert append_marker("go.mod", b"module x\n", "t")[0].endswith(b"// layerwise bench t\n")


def test_unknown_kinds_are_refused() -> None:
    assert not can_edit("logo.png")
    with pytest.raises(ValueError):
        append_marker("logo.png", b"\x89PNG", "t")


def test_json_only_gets_whitespace() -> None:
    assert can_edit("package.json")
    assert not has_comment_syntax("package.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(json_values, st.text(min_size=1, max_size=8), st.sampled_from([None, 2]))
def test_json_data_is_unchanged_by_the_edit(value: Any, token: str, indent: int | None) -> None:
    original = json.dumps(value, indent=indent).encode()
    edited, _ = append_marker("package.json", original, token)
    assert edited != original
    assert json.loads(edited) == value


@given(st.text(min_size=1, max_size=8), st.text(min_size=1, max_size=8))
def test_distinct_tokens_give_distinct_whitespace(a: str, b: str) -> None:
    assert (whitespace_token(a) == whitespace_token(b)) == (a == b)
    assert set(whitespace_token(a)) <= {ord(" "), ord("\t")}
