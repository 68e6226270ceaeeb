"""Property tests: generated Dockerfiles round-trip exactly and agree with the official parser."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from layerwise.errors import LayerwiseError
from layerwise.syntax import parse

from .oracle import OracleSkip, ours, theirs
from .strategies import dockerfile_text


def _agree(text: str) -> None:
    try:
        expected = theirs(text)
    except OracleSkip:
        return
    assert ours(text) == expected


@given(dockerfile_text())
def test_generated_dockerfiles_round_trip(text: str) -> None:
    try:
        tree = parse(text)
    except LayerwiseError:
        return
    assert str(tree) == text


@given(dockerfile_text())
def test_generated_dockerfiles_agree_with_buildkit(text: str) -> None:
    _agree(text)


_RAW = st.text(alphabet=st.sampled_from(list("RUN FROMCOPYenv=-#\\`<EOF>\"'[],\n\r\t \ufeffx")))


@given(_RAW)
def test_any_text_round_trips_or_raises(text: str) -> None:
    try:
        tree = parse(text)
    except LayerwiseError:
        return
    assert str(tree) == text


@given(_RAW.map(lambda t: "FROM x\n" + t))
def test_raw_dockerfile_shaped_text_agrees_with_buildkit(text: str) -> None:
    _agree(text)


@given(st.text())
def test_arbitrary_unicode_round_trips_or_raises(text: str) -> None:
    try:
        tree = parse(text)
    except LayerwiseError:
        return
    assert str(tree) == text
