"""pnpm: install commands, pnpm-lock.yaml and the content-addressed store a cache mount keeps.

Facts (pnpm docs "store-dir"; checked with pnpm 9.15.0 on node:20 with `pnpm store path`):
the store is $PNPM_HOME/store, else $XDG_DATA_HOME/pnpm/store, else
<home>/.local/share/pnpm/store (/root/... as root, /home/node/... as node); pnpm adds a `v3`
level below it. With a cache mount at that target `pnpm install` uses the mount (it copies
when it cannot hard-link across the mount).
"""

from __future__ import annotations

from collections.abc import Mapping

from layerwise.ecosystems.base import (
    CacheMount,
    is_under,
    removed_paths,
    subcommand,
)
from layerwise.shell import Command, Word

NAME = "pnpm"
PROGRAMS = frozenset({"pnpm"})
MANIFESTS: tuple[str, ...] = ("package.json", "pnpm-workspace.yaml")
LOCKFILES: tuple[str, ...] = ("pnpm-lock.yaml",)
INSTALL_VERBS = frozenset({"install", "i", "add", "fetch"})
VALUE_OPTIONS = frozenset(
    {"--store-dir", "--dir", "-C", "--filter", "-F", "--reporter", "--loglevel",
     "--registry", "--config.store-dir", "--virtual-store-dir", "--modules-dir", "--workspace-dir"}
)  # fmt: skip
FROZEN_FLAG = "--frozen-lockfile"
PRUNE_DEV_COMMAND = "pnpm prune --prod"


def store_dir(home: str, env: Mapping[str, str] | None = None) -> str:
    """Where pnpm keeps its store for a user with this home."""
    env = env or {}
    if env.get("PNPM_HOME"):
        return f"{env['PNPM_HOME'].rstrip('/')}/store"
    if env.get("XDG_DATA_HOME"):
        return f"{env['XDG_DATA_HOME'].rstrip('/')}/pnpm/store"
    return f"{home.rstrip('/')}/.local/share/pnpm/store"


def cache_mount(
    home: str, uid_gid: tuple[str, str] | None = None, env: Mapping[str, str] | None = None
) -> CacheMount:
    return CacheMount.for_user(store_dir(home, env), uid_gid)


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (cache_mount(home, uid_gid),)


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """`pnpm install`/`i`/`add`, and `pnpm fetch` (fills the store from the lockfile alone)."""
    word = verb(cmd)
    return word is not None and word.text in INSTALL_VERBS


def is_bare_install(cmd: Command) -> bool:
    word = verb(cmd)
    return (
        word is not None and word.text in ("install", "i") and len(cmd.operands(VALUE_OPTIONS)) == 1
    )


def is_frozen(cmd: Command) -> bool:
    """The install refuses to change pnpm-lock.yaml (`--frozen-lockfile`; the CI default)."""
    return is_install(cmd) and cmd.has_option(FROZEN_FLAG)


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`pnpm store prune`, or an `rm` of the store."""
    word = verb(cmd)
    if word is not None and word.text == "store":
        operands = cmd.operands(VALUE_OPTIONS)
        return len(operands) > 1 and operands[1].text == "prune"
    store = store_dir(home)
    for removed in removed_paths(cmd):
        path = removed.text
        if path.startswith("~/.local/share/pnpm"):
            return True
        if path.startswith("/") and path != "/" and is_under(path, store):
            return True
    return False
