"""Which npm a base image ships, and how an npm major spells "no dev dependencies"."""

from __future__ import annotations

import pytest

from layerwise.ecosystems import npm_versions as nv
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("reference", "major"),
    [
        ("node:14", 6),
        ("node:14-alpine", 6),
        ("node:14.21.3-bullseye-slim", 6),
        ("node:8", 5),
        ("node:10", 6),
        ("node:15", 7),
        ("node:16-slim", 8),
        ("node:18", 9),
        ("node:20", 9),
        ("node:22-alpine3.20", 10),
        ("node:24", nv.NEWEST_NPM),
        ("node:fermium", 6),
        ("node:iron-slim", 9),
        ("node", nv.NEWEST_NPM),
        ("node:lts-alpine", nv.NEWEST_NPM),
        ("node:current", nv.NEWEST_NPM),
        ("node:alpine3.19", nv.NEWEST_NPM),
        ("node:bookworm-slim", nv.NEWEST_NPM),
        ("docker.io/library/node:14", 6),
        ("library/node:20", 9),
        ("public.ecr.aws/docker/library/node:14", 6),
        ("docker.io/node:14", 6),
        ("mirror.gcr.io/library/node:14", 6),
        ("node:20@sha256:" + "0" * 64, 9),
        # What the reference does not tell.
        ("node@sha256:" + "0" * 64, None),
        ("node:", None),
        ("node:$NODE_VERSION", None),
        ("node:6", None),
        ("node:something-else", None),
        ("bitnami/node:14", None),
        ("registry.example.com/team/node:20", None),
        ("registry.example.com/node:20", None),
        ("localhost:5000/node:14", None),
        ("debian:bookworm", None),
        ("mcr.microsoft.com/windows/servercore:ltsc2022", None),
        ("gcr.io/distroless/nodejs20-debian12", None),
    ],
)
def test_npm_major_of_image(reference: str, major: int | None) -> None:
    assert nv.npm_major_of_image(reference) == major


@pytest.mark.parametrize(
    ("text", "major"),
    [
        ("npm install -g npm@6", 6),
        ("npm i --global npm@8.19.4", 8),
        ("npm i -g npm@^9.1.0", 9),
        ("npm i -g npm@latest-6", 6),
        ("npm i -g pnpm npm@7", 7),
        ("npm i -g npm", nv.NEWEST_NPM),
        ("npm i -g npm@latest", nv.NEWEST_NPM),
        ("npm i -g npm@$NPM_VERSION", nv.UNKNOWN),
        ("npm i -g npm@beta", nv.UNKNOWN),
        ("npm i -g pnpm", None),
        ("npm i npm@6", None),  # not global: the project's own copy, not the one on PATH
        ("yarn global add npm@6", None),
    ],
)
def test_self_upgrade(text: str, major: int | nv.Unknown | None) -> None:
    assert nv.self_upgrade(cmd(text)) == major


@pytest.mark.parametrize(
    ("major", "flag"), [(10, "--omit=dev"), (7, "--omit=dev"), (6, "--production"), (None, None)]
)
def test_omit_dev_flag(major: int | None, flag: str | None) -> None:
    assert nv.omit_dev_flag(major) == flag
