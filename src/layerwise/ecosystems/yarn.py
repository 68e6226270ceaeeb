"""Yarn classic (v1): install commands, yarn.lock, and its cache, which for root is NOT under
/root: yarn v1 takes /usr/local/share as root's home on Linux (src/util/user-home-dir.js), so
root's cache is /usr/local/share/.cache/yarn and a mount at /root/.cache/yarn would stay empty.

Facts: classic.yarnpkg.com `yarn cache` (YARN_CACHE_FOLDER, --cache-folder, `yarn cache clean`),
yarn v1 source (user-home-dir.js, constants.js getCacheDir: $XDG_CACHE_HOME/yarn, else
<home>/.cache/yarn); checked with yarn 1.22.22 on node:20: `yarn cache dir` prints
/usr/local/share/.cache/yarn/v6 as root, /home/node/.cache/yarn/v6 as node. `--production` is a
valid yarn v1 flag (not npm's deprecated one).
Yarn berry (v2+, `.yarnrc.yml`) keeps its cache elsewhere and is not covered here.
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

NAME = "yarn"
PROGRAMS = frozenset({"yarn", "yarnpkg"})
MANIFESTS: tuple[str, ...] = ("package.json",)
LOCKFILES: tuple[str, ...] = ("yarn.lock",)
INSTALL_VERBS = frozenset({"install", "add"})
VALUE_OPTIONS = frozenset(
    {"--cache-folder", "--modules-folder", "--mutex", "--network-timeout", "--registry", "--cwd",
     "--network-concurrency", "--global-folder", "--link-folder", "--use-yarnrc", "--emoji"}
)  # fmt: skip
FROZEN_FLAGS = ("--frozen-lockfile", "--immutable")
ROOT_HOME = "/usr/local/share"


def cache_dir(home: str, env: Mapping[str, str] | None = None, *, root: bool | None = None) -> str:
    """Yarn v1's cache for a user (`root` defaults to home == /root)."""
    env = env or {}
    if env.get("YARN_CACHE_FOLDER"):
        return env["YARN_CACHE_FOLDER"]
    if env.get("XDG_CACHE_HOME"):
        return f"{env['XDG_CACHE_HOME'].rstrip('/')}/yarn"
    if root if root is not None else home.rstrip("/") == "/root":
        home = ROOT_HOME
    return f"{home.rstrip('/')}/.cache/yarn"


def cache_mount(
    home: str, uid_gid: tuple[str, str] | None = None, env: Mapping[str, str] | None = None
) -> CacheMount:
    root = uid_gid is None or uid_gid[0] == "0"
    target = cache_dir(home, env, root=root)
    return CacheMount.for_user(target, uid_gid)


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (cache_mount(home, uid_gid),)


def verb(cmd: Command) -> Word | None:
    """Yarn's subcommand word; None for a bare `yarn` (which installs) or another program."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """`yarn`, `yarn install`, `yarn add pkg` (`yarn build` runs a script instead)."""
    if cmd.program_name not in PROGRAMS:
        return False
    word = verb(cmd)
    return word is None or word.text in INSTALL_VERBS


def is_bare_install(cmd: Command) -> bool:
    """An install of the project itself (no packages added)."""
    word = verb(cmd)
    return is_install(cmd) and (word is None or word.text == "install")


def is_frozen(cmd: Command) -> bool:
    """The install refuses to change yarn.lock (`--frozen-lockfile`, `--immutable`)."""
    return is_install(cmd) and cmd.has_option(*FROZEN_FLAGS)


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`yarn cache clean`, or an `rm` of yarn's cache directory."""
    word = verb(cmd)
    if word is not None and word.text == "cache":
        operands = cmd.operands(VALUE_OPTIONS)
        return len(operands) > 1 and operands[1].text == "clean"
    cache = cache_dir(home)
    for removed in removed_paths(cmd):
        path = removed.text
        if path == "~/.cache/yarn" or path.startswith("~/.cache/yarn/"):
            return True
        if path.startswith("/") and path != "/" and is_under(path, cache):
            return True
    return False
