"""Yarn classic facts and command recognition."""

from __future__ import annotations

import pytest

from layerwise import ecosystems
from layerwise.ecosystems import npm, yarn
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("text", "install", "bare", "frozen"),
    [
        ("yarn", True, True, False),
        ("yarn install --frozen-lockfile", True, True, True),
        ("yarn --frozen-lockfile --production", True, True, True),
        ("yarn install --immutable", True, True, True),
        ("yarn --cwd web install", True, True, False),
        ("yarn add left-pad", True, False, False),
        ("yarn build", False, False, False),
        ("yarn cache clean", False, False, False),
        ("npm install", False, False, False),
    ],
)
def test_install(text: str, install: bool, bare: bool, frozen: bool) -> None:
    c = cmd(text)
    assert yarn.is_install(c) is install
    assert yarn.is_bare_install(c) is bare
    assert yarn.is_frozen(c) is frozen


def test_root_cache_is_under_usr_local_share() -> None:
    assert yarn.cache_dir("/root") == "/usr/local/share/.cache/yarn"
    assert yarn.cache_dir("/home/node") == "/home/node/.cache/yarn"
    assert yarn.cache_dir("/root", {"YARN_CACHE_FOLDER": "/cache/yarn"}) == "/cache/yarn"
    assert yarn.cache_mount("/root").flag_text() == (
        "--mount=type=cache,target=/usr/local/share/.cache/yarn"
    )
    assert yarn.cache_mount("/home/node", ("1000", "1000")).flag_text() == (
        "--mount=type=cache,target=/home/node/.cache/yarn,uid=1000,gid=1000"
    )


def test_production_is_not_an_npm_deprecation_for_yarn() -> None:
    assert npm.deprecated_flags(cmd("yarn install --production")) == ()


@pytest.mark.parametrize(
    ("text", "cleaning"),
    [
        ("yarn cache clean", True),
        ("yarn cache list", False),
        ("rm -rf /usr/local/share/.cache/yarn", True),
        ("rm -rf ~/.cache/yarn", True),
        ("rm -rf /tmp/x", False),
    ],
)
def test_cache_cleaning(text: str, cleaning: bool) -> None:
    assert yarn.cache_cleaning(cmd(text)) is cleaning


def test_registered() -> None:
    assert yarn in ecosystems.ALL
    assert ecosystems.for_command(cmd("yarn install")) is yarn
