"""What rules ask about npm in a stage: its major version, and whether later steps need the
devDependencies an install would leave out."""

from __future__ import annotations

import pytest

from layerwise.model import build_model
from layerwise.rules import _node_modules as nm
from layerwise.rules import _support as s
from layerwise.rules.base import RuleContext
from layerwise.syntax import parse


def context(text: str, **build_args: str) -> RuleContext:
    tree = parse(text)
    return RuleContext(model=build_model(tree, build_args=build_args), tree=tree)


def last_npm_major(text: str, **build_args: str) -> int | None:
    """The npm major at the last command of the last step."""
    ctx = context(text, **build_args)
    step = ctx.model.steps[-1]
    return s.npm_major(ctx, step, s.commands(ctx, step.instruction)[-1])


@pytest.mark.parametrize(
    ("text", "major"),
    [
        ("FROM node:14\nRUN npm ci\n", 6),
        ("FROM node:20\nRUN npm ci\n", 9),
        ("ARG V=14\nFROM node:${V}-slim\nRUN npm ci\n", 6),
        ("ARG V\nFROM node:${V}\nRUN npm ci\n", None),
        ("FROM node:12 AS base\nFROM base AS deps\nFROM deps\nRUN npm ci\n", 6),
        ("FROM node:14\nRUN npm i -g npm@8\nRUN npm ci\n", 8),
        ("FROM node:14 AS a\nRUN npm i -g npm@8\nFROM a\nRUN npm ci\n", 8),
        ("FROM node:20\nRUN npm i -g npm@6 && npm ci\n", 6),
        ("FROM node:20\nRUN npm i -g npm@6 && npm i -g npm@8 && npm ci\n", 8),
        ("FROM node:20\nRUN npm i -g npm@$V\nRUN npm ci\n", None),
        ("FROM debian:bookworm\nRUN npm i -g npm@10\nRUN npm ci\n", 10),
        ("FROM debian:bookworm\nRUN apt-get install -y npm && npm ci\n", None),
    ],
)
def test_npm_major(text: str, major: int | None) -> None:
    assert last_npm_major(text) == major


def test_npm_major_follows_build_args() -> None:
    text = "ARG V=20\nFROM node:${V}\nRUN npm ci\n"
    assert last_npm_major(text) == 9
    assert last_npm_major(text, V="14") == 6


def test_npm_major_before_a_command_ignores_later_upgrades() -> None:
    ctx = context("FROM node:20\nRUN npm ci && npm i -g npm@6\n")
    step = ctx.model.steps[-1]
    install = s.commands(ctx, step.instruction)[0]
    assert s.npm_major(ctx, step, install) == 9
    assert s.npm_major(ctx, step) == 9  # before the step: nothing of it has run


@pytest.mark.parametrize(
    ("later", "wanted"),
    [
        ("RUN npm run build", True),
        ("RUN npm test", True),
        ("RUN npm exec tsc", True),
        ("RUN npx tsc", True),
        ("RUN nest build", True),
        ("RUN yarn lint", True),
        ("RUN node build.js", True),
        ("RUN ./node_modules/.bin/webpack", True),
        ("RUN npx prisma generate", True),
        ("RUN rm -rf node_modules", True),
        ("RUN rm -rf /app/node_modules", True),
        ("RUN rm -rf /app", True),
        ("RUN cd / && rm -rf app/node_modules", True),
        ("RUN rm -rf /app/node_modules/.cache /tmp/x", False),
        ("RUN rm -rf /srv/node_modules", False),
        ("RUN apt-get update", False),
        ("CMD npm start", False),  # runs in the container, where production dependencies do
    ],
)
def test_dev_dependencies_wanted(later: str, wanted: bool) -> None:
    ctx = context(f"FROM node:20\nWORKDIR /app\nRUN npm ci\n{later}\n")
    step = ctx.model.steps[1]
    assert nm.dev_dependencies_wanted(ctx, step, "/app") is wanted


def test_dev_dependencies_wanted_looks_only_after_the_install() -> None:
    ctx = context("FROM node:20\nWORKDIR /app\nRUN npm run lint && npm ci && echo done\n")
    step = ctx.model.steps[-1]
    lint, install, _ = s.commands(ctx, step.instruction)
    assert not nm.dev_dependencies_wanted(ctx, step, "/app", install)
    ctx = context("FROM node:20\nWORKDIR /app\nRUN npm ci && npm run lint\n")
    step = ctx.model.steps[-1]
    install, lint = s.commands(ctx, step.instruction)
    assert nm.dev_dependencies_wanted(ctx, step, "/app", install)
    assert not nm.dev_dependencies_wanted(ctx, step, "/app", lint)
