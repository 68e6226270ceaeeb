"""The multi-platform rules' fixes together (LW804 declares platform ARGs, LW805 adds or removes
the platform in a cache mount's id): the result declares no ARG that nothing uses, and a
second run changes nothing."""

from __future__ import annotations

from layerwise.fix import fix_text
from layerwise.rules.base import Settings

SETTINGS = Settings(platforms=("linux/amd64", "linux/arm64"))


def test_dropping_the_platform_from_a_shared_cache_id_declares_no_arg() -> None:
    # `$TARGETPLATFORM` is undeclared here (so empty); LW805 removes it from npm's cache id.
    # LW804 used to add `ARG TARGETPLATFORM` in the same pass, left with no use.
    text = (
        "FROM node:20\n"
        "WORKDIR /app\n"
        "COPY package.json package-lock.json ./\n"
        "RUN --mount=type=cache,target=/root/.npm,id=npm-$TARGETPLATFORM npm ci\n"
    )
    fixed = fix_text(text, settings=SETTINGS, unsafe=True).text
    assert "RUN --mount=type=cache,target=/root/.npm,id=npm npm ci" in fixed
    assert "TARGETPLATFORM" not in fixed
    assert fix_text(fixed, settings=SETTINGS, unsafe=True).text == fixed


def test_naming_the_platform_declares_the_arg_once() -> None:
    text = (
        "FROM node:20\n"
        "WORKDIR /app\n"
        "COPY package.json package-lock.json ./\n"
        "RUN --mount=type=cache,target=/app/node_modules,id=modules-$TARGETPLATFORM npm ci\n"
    )
    fixed = fix_text(text, settings=SETTINGS, unsafe=True).text
    assert fixed.count("ARG TARGETPLATFORM\n") == 1
    assert "id=modules-$TARGETPLATFORM" in fixed
    assert fix_text(fixed, settings=SETTINGS, unsafe=True).text == fixed
