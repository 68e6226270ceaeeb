"""Running the rules: inline suppressions and selection."""

from __future__ import annotations

import pytest

from layerwise.rules.base import Settings
from layerwise.rules.runner import check_tree, suppressions
from layerwise.syntax import parse

# `mkdir` cannot read GIT_SHA, so LW102 reports the ARG above it; `npm ci` might, so it stops there.
BODY = (
    "FROM node:20\nARG GIT_SHA\nRUN mkdir -p /app\nWORKDIR /app\nCOPY . .\n"
    "{comment}RUN npm ci\nRUN echo $GIT_SHA\n"
)


def codes(comment: str, select: tuple[str, ...] = ("LW101", "LW102", "LW201")) -> list[str]:
    tree = parse(BODY.format(comment=comment))
    return [f.code for f in check_tree(tree, settings=Settings(select=select))]


def test_without_comment_everything_is_reported() -> None:
    assert codes("") == ["LW102", "LW101", "LW201"]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# layerwise: ignore=LW101\n", ["LW102", "LW201"]),
        ("# layerwise: ignore=LW101, lw201\n", ["LW102"]),
        ("# layerwise: ignore=LW2\n", ["LW102", "LW101"]),
        ("# layerwise: ignore=all\n", ["LW102"]),
        (
            "# layerwise: ignore=LW101\n# why: the install reads the whole tree\n",
            ["LW102", "LW201"],
        ),
        ("#layerwise:ignore=LW101\n", ["LW102", "LW201"]),
    ],
)
def test_ignore_comment_silences_findings_in_the_next_instruction(
    comment: str, expected: list[str]
) -> None:
    assert codes(comment) == expected


def test_blank_line_breaks_the_suppression() -> None:
    assert codes("# layerwise: ignore=all\n\n") == ["LW102", "LW101", "LW201"]


def test_suppressions_are_listed_per_instruction() -> None:
    tree = parse(BODY.format(comment="# layerwise: ignore=LW101,LW2\n"))
    [(start, end, patterns)] = suppressions(tree)
    assert tree.text[start:end] == "RUN npm ci"
    assert patterns == frozenset({"LW101", "LW2"})


def test_findings_carry_the_path() -> None:
    tree = parse(BODY.format(comment=""), path="svc/Dockerfile")
    assert {f.path for f in check_tree(tree)} == {"svc/Dockerfile"}
