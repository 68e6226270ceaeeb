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


# Dockerfile-ish fragments glued at random: odd continuations, stray heredoc markers, flags
# with non-ASCII bytes, directives in the wrong place. (`# check=` is left out: see test_tree.)
_ATOMS = [
    *("RUN", "run", "FROM", "COPY", "ADD", "ENV", "ARG", "LABEL", "ONBUILD", "HEALTHCHECK"),
    *("CMD", "SHELL", "EXPOSE", "USER", "VOLUME", "WORKDIR", "MAINTAINER", "STOPSIGNAL", "X"),
    *(" ", "  ", "\t", "\n", "\n", "\r\n", "\\", "\\\n", "`", "`\n", "#", "# c\n", "="),
    *("a", "b=c", "'", '"', "[", "]", ",", '["a"]', '[ "x", "y" ]', "<<EOF", "<<-EOF"),
    *("<<'EOF'", '<<"EOF"', "EOF\n", "\tEOF\n", "--mount=type=cache", "--from=a", "--", "--x"),
    *("$X", "${X}", "${X:-y}", "\ufeff", "# escape=`\n", "# syntax=x\n", "\u00e9", "\u00a0"),
    *("\x0b", "\x0c", "\r", "NONE", "<<", "2<<E", "E\n", "\\\\", "\\ ", "{", "}", "$"),
]
_RAW = st.lists(st.sampled_from(_ATOMS), max_size=40).map("".join)


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
