"""LW804 looks only at words that name a platform ARG: every one of them, however it is written
and wherever it is used, is still found."""

from __future__ import annotations

import pytest

from layerwise.model.platforms import PLATFORM_ARGS
from layerwise.rules.base import Settings
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

USES = [
    "RUN echo ${name}",
    "RUN echo x$name-y",
    "RUN A=$name make",
    "ENV V=${name}",
    "COPY --chown=${name} a /b",
    "RUN echo \\\n  ${name}",
    'RUN echo "built for $name" > /arch',
    "RUN export A=$name",
    "RUN <<EOF\necho $name\nEOF",
]


@pytest.mark.parametrize("name", PLATFORM_ARGS)
@pytest.mark.parametrize("use", USES)
def test_every_platform_arg_in_every_word_is_found(name: str, use: str) -> None:
    tree = parse(f"FROM alpine\n{use.replace('name', name)}\n")
    found = check_tree(tree, settings=Settings(select=("LW804",)))
    assert [f.code for f in found] == ["LW804"]


@pytest.mark.parametrize("name", PLATFORM_ARGS)
@pytest.mark.parametrize(
    "use",
    ["RUN echo ${%s\\\n%s}", "RUN echo $%s\\\n  # note\n%s", "ENV V=$%s\\\n%s"],
)
def test_a_name_split_by_a_line_continuation_is_found(name: str, use: str) -> None:
    """BuildKit joins the lines before it expands: the name is whole (comment lines inside a
    continuation are dropped)."""
    tree = parse(f"FROM alpine\n{use % (name[:4], name[4:])}\n")
    found = check_tree(tree, settings=Settings(select=("LW804",)))
    assert [f.code for f in found] == ["LW804"]


def test_a_word_naming_no_platform_arg_is_silent() -> None:
    tree = parse("FROM alpine\nRUN echo $TARGET $BUILD $ARCH $targetarch\n")
    assert check_tree(tree, settings=Settings(select=("LW804",))) == []


@pytest.mark.parametrize(
    "script",
    [
        "for TARGETARCH in a b; do echo $TARGETARCH; done",
        "TARGETARCH=x; echo $TARGETARCH",
        "export TARGETARCH=x && echo $TARGETARCH",
        "read TARGETARCH; echo $TARGETARCH",
    ],
)
def test_a_script_that_sets_the_name_itself_is_silent(script: str) -> None:
    tree = parse(f"FROM alpine\nRUN {script}\n")
    assert check_tree(tree, settings=Settings(select=("LW804",))) == []
