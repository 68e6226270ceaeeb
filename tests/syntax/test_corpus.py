"""Every corpus fixture: exact round trip, agreement with BuildKit's parser, exact spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.syntax import Dockerfile, Span, parse_file

from .oracle import ours, theirs

CORPUS = Path(__file__).parent.parent / "fixtures" / "corpus"
FILES = sorted(CORPUS.rglob("*.Dockerfile"))
IDS = [str(p.relative_to(CORPUS)) for p in FILES]


def test_corpus_is_large_and_varied() -> None:
    assert len(FILES) >= 150
    texts = [p.read_bytes() for p in FILES]
    assert any(t.startswith(b"\xef\xbb\xbf") for t in texts)
    assert any(b"\r\n" in t for t in texts)
    assert any(b"# escape=`" in t for t in texts)
    assert any(b"<<-" in t for t in texts)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_round_trip_is_exact(path: Path) -> None:
    tree = parse_file(path)
    assert str(tree) == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_agrees_with_buildkit(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    expected = theirs(text)
    assert expected is not None, "corpus files must be valid Dockerfiles"
    assert ours(text) == expected


def _check_span(tree: Dockerfile, span: Span) -> None:
    assert (span.start_line, span.start_col) == tree.line_col(span.start)
    assert (span.end_line, span.end_col) == tree.line_col(span.end)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_spans_and_shell_source_point_into_the_file(path: Path) -> None:
    tree = parse_file(path)
    text = tree.text
    for ins in tree.instructions:
        _check_span(tree, ins.span)
        assert ins.text == text[ins.span.start : ins.span.end]
        assert ins.text.startswith(ins.keyword)
        assert ins.start_line == ins.span.start_line or not ins.keyword
        for flag in ins.flags:
            _check_span(tree, flag.span)
            assert text[flag.span.start : flag.span.end] == flag.text
        for heredoc in ins.heredocs:
            assert text[heredoc.content_span.start : heredoc.content_span.end] == heredoc.content
        source = ins.shell_source()
        if source is None:
            continue
        for i, ch in enumerate(source.text):
            assert text[source.offsets[i]] == ch
