"""Helpers several rules share."""

from __future__ import annotations

from layerwise.model import build_model
from layerwise.rules import _support as s
from layerwise.syntax import parse


def test_after_broad_copy_gives_each_stage_its_first_broad_copy() -> None:
    text = (
        "FROM node:20 AS build\nCOPY package.json ./\nCOPY . .\nCOPY src/ ./src/\nCOPY . /b\n"
        "FROM nginx AS web\nCOPY --from=build /app /usr/share/nginx/html\n"
        "FROM debian\nWORKDIR /app\nCOPY ./ ./\n"
    )
    found = list(s.after_broad_copy(build_model(parse(text)).stages))
    assert [(steps[at].instruction.text, at) for steps, at in found] == [
        ("COPY . .", 1),
        ("COPY ./ ./", 1),
    ]
