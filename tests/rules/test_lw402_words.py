"""LW402's word splitting: the str.split shortcut for plain text cuts exactly where the
quote-aware loop does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from layerwise.rules.lw402_legacy_key_value_format import _parse_words, not_legacy, words

# Unicode blanks beside ASCII ones: str.split and str.isspace must agree on all of them.
_TEXT = st.text(alphabet=st.sampled_from("ab=$ \t\n\r\x0b\x0c\x1c\x85\xa0\u2003\u3000'\"\\`"))


@given(_TEXT, st.sampled_from("\\`"))
def test_words_equal_the_quote_aware_split(text: str, escape: str) -> None:
    assert words(text, escape) == _parse_words(text, escape)


def test_plain_text_splits_on_unicode_blanks() -> None:
    assert words("KEY\u3000value  more", "\\") == ["KEY", "value", "more"]


@given(_TEXT, st.sampled_from("\\`"))
def test_the_shortcut_answers_as_the_words_do(text: str, escape: str) -> None:
    first = _parse_words(text, escape)
    assert not_legacy(text, escape) == (not first or "=" in first[0])


def test_the_shortcut_on_lines_as_written() -> None:
    assert not_legacy('description="a b" version=1', "\\")
    assert not_legacy("A=1", "\\")
    assert not not_legacy("A 1=2", "\\")
    assert not not_legacy('"A B"C =1', "\\")
    assert not_legacy('"A B"C=1', "\\")
    assert not not_legacy("A\\ B =1", "\\")
