"""pnpm facts and command recognition."""

from __future__ import annotations

import pytest

from layerwise import ecosystems
from layerwise.ecosystems import pnpm
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("text", "install", "bare", "frozen"),
    [
        ("pnpm install", True, True, False),
        ("pnpm i --frozen-lockfile", True, True, True),
        ("pnpm --filter api install --prod --frozen-lockfile", True, True, True),
        ("pnpm fetch --prod", True, False, False),
        ("pnpm add zod", True, False, False),
        ("pnpm run build", False, False, False),
        ("pnpm store prune", False, False, False),
        ("npm install", False, False, False),
    ],
)
def test_install(text: str, install: bool, bare: bool, frozen: bool) -> None:
    c = cmd(text)
    assert pnpm.is_install(c) is install
    assert pnpm.is_bare_install(c) is bare
    assert pnpm.is_frozen(c) is frozen


def test_store_dir() -> None:
    assert pnpm.store_dir("/root") == "/root/.local/share/pnpm/store"
    assert pnpm.store_dir("/root", {"PNPM_HOME": "/pnpm"}) == "/pnpm/store"
    assert pnpm.store_dir("/root", {"XDG_DATA_HOME": "/xdg"}) == "/xdg/pnpm/store"
    assert pnpm.cache_mount("/home/node", ("1000", "1000")).flag_text() == (
        "--mount=type=cache,target=/home/node/.local/share/pnpm/store,uid=1000,gid=1000"
    )


@pytest.mark.parametrize(
    ("text", "cleaning"),
    [
        ("pnpm store prune", True),
        ("pnpm store path", False),
        ("rm -rf /root/.local/share/pnpm/store", True),
        ("rm -rf ~/.local/share/pnpm", True),
        ("rm -rf node_modules", False),
    ],
)
def test_cache_cleaning(text: str, cleaning: bool) -> None:
    assert pnpm.cache_cleaning(cmd(text)) is cleaning


def test_registered() -> None:
    assert pnpm in ecosystems.ALL
    assert ecosystems.for_command(cmd("pnpm i")) is pnpm
