"""Which later RUNs a LW202 fix that removes docker-clean must bring along (`apt_runs_after`)."""

from __future__ import annotations

import pytest

from layerwise.model import build_model
from layerwise.rules._apt_lists import apt_runs_after
from layerwise.rules.base import RuleContext, Settings
from layerwise.syntax import parse

FIRST = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n"


def later(text: str) -> list[tuple[int, bool, bool]]:
    """(line, editable, needs its own update) of each apt RUN after the first RUN."""
    tree = parse(FIRST + text)
    model = build_model(tree)
    ctx = RuleContext(model=model, tree=tree, context=None, settings=Settings())
    step = model.stages[0].steps[0]
    return [
        (r.step.instruction.start_line, r.editable, r.update) for r in apt_runs_after(ctx, step)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RUN apt-get update\nRUN apt-get install -y git\n", [(3, True, False), (4, True, True)]),
        ("RUN apt update && apt install -y git\n", [(3, True, False)]),
        ("RUN apt-get -y upgrade\n", [(3, True, True)]),
        ("RUN apt-get purge -y curl\n", [(3, True, False)]),
        ("RUN apt-get clean\nRUN echo apt-get install\n", []),
        ("RUN apt-cache policy git\n", [(3, True, True)]),
        ("RUN add-apt-repository -y ppa:x/y\n", [(3, True, False)]),
        # already mounted on both directories: nothing to add
        (
            "RUN --mount=type=cache,target=/var/cache/apt "
            "--mount=type=cache,target=/var/lib/apt apt-get install -y git\n",
            [],
        ),
        # a partial mount: the lists come from a cache that may be empty
        ("RUN --mount=type=cache,target=/var/lib/apt apt-get install -y git\n", [(3, True, True)]),
        ('RUN ["apt-get", "update"]\n', [(3, False, True)]),
        ("USER app\nRUN sudo apt-get update && sudo apt-get install -y git\n", [(4, False, False)]),
        ("RUN ./install.sh\n", [(3, False, False)]),
        ("RUN bash /tmp/setup.sh --quiet\n", [(3, False, False)]),
        ("RUN . /opt/env.sh && make\n", [(3, False, False)]),
        ("RUN curl -fsSL https://example.com/setup | bash -\n", [(3, False, False)]),
        ("RUN sh -c 'echo hi'\n", []),
        ("FROM debian:bookworm\nRUN apt-get install -y git\n", []),
        ("FROM debian:bookworm AS b\nFROM b\nRUN apt-get update\n", []),
    ],
)
def test_apt_runs_after(text: str, expected: list[tuple[int, bool, bool]]) -> None:
    assert later(text) == expected


def test_stages_built_from_it_come_along() -> None:
    text = (
        "FROM debian:bookworm AS base\nRUN apt-get update && apt-get install -y curl\n"
        "FROM base AS build\nRUN apt-get install -y git\nFROM build\nRUN apt-get update\n"
    )
    tree = parse(text)
    model = build_model(tree)
    ctx = RuleContext(model=model, tree=tree, context=None, settings=Settings())
    found = apt_runs_after(ctx, model.stages[0].steps[0])
    assert [(r.step.instruction.start_line, r.update) for r in found] == [(4, True), (6, False)]
