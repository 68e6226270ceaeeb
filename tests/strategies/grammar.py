"""The drawing machinery of the Dockerfile grammar: a few reusable strategies and a `draw`
that works with hypothesis (shrinking, property tests) or with `random` (benchmarks/fuzz.py)."""

from __future__ import annotations

import random
from functools import cache
from typing import Protocol, TypeVar, cast

from hypothesis import strategies as st

# The grammar draws only from these three kinds of strategy, each built once (building one
# per draw made drawing a file cost more than checking it), so `RandomDraw` can stand in for
# hypothesis's `draw` where millions of files are wanted and shrinking is not.
BOOLEANS = st.booleans()
_CHOICES: dict[int, tuple[object, ...]] = {id(BOOLEANS): (False, True)}
_RANGES: dict[int, tuple[int, int]] = {}
T = TypeVar("T")


class Draw(Protocol):
    """What the grammar functions draw with: hypothesis's `draw`, or a `RandomDraw`."""

    def __call__(self, strategy: st.SearchStrategy[T], /) -> T: ...


@cache
def sampled(choices: tuple[str, ...]) -> st.SearchStrategy[str]:
    strategy = st.sampled_from(choices)
    _CHOICES[id(strategy)] = choices
    return strategy


@cache
def ints(low: int, high: int) -> st.SearchStrategy[int]:
    strategy = st.integers(low, high)
    _RANGES[id(strategy)] = (low, high)
    return strategy


def some(draw: Draw, element: st.SearchStrategy[str], low: int, high: int) -> list[str]:
    return [draw(element) for _ in range(draw(ints(low, high)))]


class RandomDraw:
    """A `draw` for the grammar functions backed by `random.Random`: the same files, without
    hypothesis's bookkeeping (or its shrinking), many times faster."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def __call__(self, strategy: st.SearchStrategy[T], /) -> T:
        key = id(strategy)
        choices = _CHOICES.get(key)
        if choices is not None:
            return cast(T, self.random.choice(choices))
        low, high = _RANGES[key]
        return cast(T, self.random.randint(low, high))


def cased(draw: Draw, keyword: str) -> str:
    """The keyword mostly upper case, sometimes lower, title or mixed case."""
    style = draw(sampled(("upper",) * 6 + ("lower", "title", "mixed")))
    if style == "lower":
        return keyword.lower()
    if style == "title":
        return keyword.title()
    if style == "mixed":
        flips = [draw(BOOLEANS) for _ in keyword]
        return "".join(c.lower() if f else c for c, f in zip(keyword, flips, strict=True))
    return keyword


PATHS = ("/app", "/usr/src/app", "/srv", "app", ".", "/home/node/app", "$APP", "${HOME}/x")
VARIABLES = ("NODE_VERSION", "APP", "GIT_SHA", "BUILD_DATE", "TARGETARCH", "HOME", "PATH", "X")


def variable(draw: Draw) -> str:
    name = draw(sampled(VARIABLES))
    form = draw(
        sampled(
            (
                "$N",
                "${N}",
                "${N:-d}",
                "${N-d}",
                "${N:+a}",
                "${N+a}",
                "${N#*/}",
                "${N##*/}",
                "${N%.*}",
                "${N%%-*}",
                "${N/a/b}",
                "${N//-/_}",
                "${N:?need-N}",  # no blank: ENV and LABEL split words on it
                "${N:-$X}",
                "\\$N",
                "'$N'",
                '"$N"',
            )
        )
    )
    return form.replace("N", name)


def word(draw: Draw, choices: tuple[str, ...]) -> str:
    if draw(ints(0, 9)) == 0:
        return draw(sampled(choices)) + variable(draw)
    return draw(sampled(choices))
