"""Property: the cache-mount, npm and apt rules fix any mix of the patterns they know soundly.

Generated Dockerfiles mix apt and npm RUNs (chains, continuation lines, mounts already present,
cleanups, USER switches, JSON form) with the R2 rules selected: no fix is dropped as a bug, the
result parses with the official parser, a second fix changes nothing, every comment survives,
and no fixable finding of these rules is left.
"""

from __future__ import annotations

import dockerfile
from hypothesis import given
from hypothesis import strategies as st

from layerwise.fix import fix_text
from layerwise.rules.base import Safety, Settings
from layerwise.shell import parse_script
from layerwise.syntax import parse

CODES = ("LW104", "LW105", "LW2", "LW4", "LW5")
SETTINGS = Settings(select=CODES)
PIECES = (
    "WORKDIR /app",
    "USER node",
    "USER root",
    "USER 1001",
    "ENV npm_config_cache=/var/cache/npm",
    "COPY package.json package-lock.json ./",
    "COPY package*.json ./",
    "RUN npm ci",
    "RUN npm install --production",
    "RUN npm ci && npm cache clean --force",
    "RUN npm ci \\\n    && npm cache clean --force",
    "RUN --mount=type=cache,target=/root/.npm npm ci && npm cache clean --force",
    "RUN --mount=type=cache,target=/root/.npm npm install --only=prod",
    'RUN ["npm", "ci"]',
    "RUN apt update && apt install -y curl",
    "RUN apt-get update",
    "RUN apt-get install -y git",
    "RUN apt-get install curl",
    "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends make \\\n"
    "    && rm -rf /var/lib/apt/lists/*",
    "RUN apt-get update && apt-get install -y --no-install-recommends gcc && apt-get clean",
    "RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y tini",
    "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n"
    "    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n"
    "    apt-get update && apt-get install -y --no-install-recommends jq \\\n"
    "    && rm -rf /var/lib/apt/lists/*",
    'RUN ["apt-get", "install", "-y", "curl"]',
    "ENV APP_ENV production",
    "LABEL maintainer someone",
    "CMD node dist/main.js",
    "ENTRYPOINT ./run.sh",
    "# a comment",
    "",
    "RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n"
    "    --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n"
    "    apt-get update && \\\n    apt-get install -y --no-install-recommends jq && \\\n"
    "    # a comment in the chain\n    rm -rf /var/lib/apt/lists/*",
    "RUN <<EOF\nset -eux\napt-get update\napt-get install -y curl\napt-get clean &&\n"
    "# step\nrm -rf /var/lib/apt/lists/*\nEOF",
    "RUN --mount=type=cache,target=/root/.npm <<EOF\nnpm ci\nnpm cache clean --force\nEOF",
)


def broken_scripts(text: str) -> int:
    """How many shell-form RUNs of `text` have a script the shell grammar rejects."""
    count = 0
    for instruction in parse(text).instructions:
        source = instruction.shell_source() if instruction.name == "RUN" else None
        if source is not None and parse_script(source).has_errors:
            count += 1
    return count


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    lines = [draw(st.sampled_from(["FROM node:20 as build", "FROM debian:bookworm AS base"]))]
    lines += draw(st.lists(st.sampled_from(PIECES), max_size=10))
    if draw(st.booleans()):
        lines += ["FROM node:20-slim", *draw(st.lists(st.sampled_from(PIECES), max_size=8))]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines).replace("\n", newline) + newline


@given(dockerfiles(), st.booleans())
def test_r2_fixes_are_sound_and_settle(text: str, unsafe: bool) -> None:
    result = fix_text(text, path="Dockerfile", unsafe=unsafe, settings=SETTINGS)
    assert result.bugs == ()
    dockerfile.parse_string(result.text)
    assert broken_scripts(result.text) <= broken_scripts(text)
    again = fix_text(result.text, path="Dockerfile", unsafe=unsafe, settings=SETTINGS)
    assert again.text == result.text
    fixed_lines = result.text.splitlines()
    for line in text.splitlines():
        if line.startswith("#"):
            assert line in fixed_lines
    for finding in result.remaining:
        if finding.fix is not None:
            assert finding.fix.safety is Safety.UNSAFE and not unsafe, finding
