"""apk (Alpine): the commands that download packages, where apk keeps them, and what turns that
off.

Facts, from apk-tools' manuals and source (alpinelinux/apk-tools):
- apk-cache(5): "If /etc/apk/cache is a symlink to a local directory, apk(8) will use it as a
  local cache for downloaded package files and repository indicies"; enabling it is
  `mkdir -p /var/cache/apk` and `ln -s /var/cache/apk /etc/apk/cache`. Without the link apk
  keeps no package (src/database.c: the cache counts as active only when it is not the static
  var/cache/apk; apk 3 sets `cache_packages` only when the cache directory opens).
- apk(8): `--no-cache` "Do not use any local cache path" (the indexes are fetched into memory
  and nothing is written); `-U, --update-cache` refreshes the indexes (apk 3: "Alias for
  '--cache-max-age 0'"); `--cache-dir` and `--root` move the cache.
- Without the link, `apk update` still writes the indexes to /var/cache/apk, so a cache mount
  there hides the indexes an earlier RUN left in the image: an install under the mount needs
  its own refresh, as `--no-cache` gave it.
- apk-cache(8): `apk cache clean` removes only packages no index lists; with `--purge`
  (`apk cache purge`) it removes them all.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence

from layerwise.ecosystems._system import cleaned_folders, locked, words
from layerwise.ecosystems.base import (
    CacheMount,
    cleans_as_a_whole,
    never_unproven,
    static_text,
    subcommand,
)
from layerwise.shell import Command, Word

NAME = "apk"
PROGRAMS = frozenset({"apk"})
MANIFESTS: tuple[str, ...] = ()
LOCKFILES: tuple[str, ...] = ()
# No fix proven by a real build: no Alpine image can be pulled here.
BUILD_PROVEN = False
VALUE_OPTIONS = frozenset(
    {"-p", "--root", "-X", "--repository", "--arch", "--cache-dir", "--cache-max-age",
     "--keys-dir", "--repositories-file", "--repository-config", "--progress-fd", "--timeout",
     "--wait", "-t", "--virtual"}
)  # fmt: skip
CACHE_DIR = "/var/cache/apk"
CACHE_LINK = "/etc/apk/cache"
CACHE_MOUNTS = locked([CACHE_DIR])
# `-n`: replace a link left by an earlier run instead of creating one inside its directory.
SETUP: str | None = f"ln -sfn {CACHE_DIR} {CACHE_LINK}"
KEEP_OPTION: str | None = None
# A cache mount on /etc/apk/cache itself is a cache folder there: apk-cache(5)'s setup with
# the folder in place of the link.
ENABLING_MOUNTS: tuple[str, ...] = (CACHE_LINK,)
FETCH_VERBS = frozenset({"add", "upgrade", "fix"})
# `apk cache download|sync` fill the cache on purpose.
CACHE_FETCHES = frozenset({"download", "sync"})
NO_CACHE = "--no-cache"
# `--update` is getopt's unambiguous abbreviation of `--update-cache`, common in Dockerfiles.
REFRESH_FLAGS = ("-U", "--update-cache", "--update")
REFRESH_OPTION = "--update-cache"
MOVING_OPTIONS = ("--cache-dir", "-p", "--root")


def verb(cmd: Command) -> Word | None:
    """The apk subcommand word, None for other programs."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """`apk add`, `apk upgrade`, `apk fix`, `apk cache download|sync`: they download packages."""
    found = static_text(verb(cmd))
    if found in FETCH_VERBS:
        return True
    return found == "cache" and words(cmd, VALUE_OPTIONS)[1:2] in (["download"], ["sync"])


def cache_mounts(
    home: str = "/root", uid_gid: tuple[str, str] | None = None
) -> tuple[CacheMount, ...]:
    """apk runs as root whatever the home: the one locked mount."""
    return CACHE_MOUNTS


def install_mounts(cmd: Command) -> tuple[CacheMount, ...]:
    return CACHE_MOUNTS if is_install(cmd) and not moves_cache(cmd) else ()


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    """`--no-cache` on a command that downloads packages."""
    if not is_install(cmd):
        return ()
    return tuple(w for w in cmd.option_words() if w.text == NO_CACHE)


def turns_cache_on(cmd: Command) -> bool:
    """`ln -s /var/cache/apk /etc/apk/cache` (with any of `-f`, `-n`): apk-cache(5)'s link."""
    return _link_target(cmd) == CACHE_DIR


def keeps_packages(cmd: Command) -> bool:
    return False  # only the link keeps them


def moves_cache(cmd: Command) -> bool:
    """`--cache-dir`/`--root` on an apk command, a link from /etc/apk/cache to another folder,
    or a `mkdir` of /etc/apk/cache (a real folder there is the cache, in the image)."""
    if cmd.program_name in PROGRAMS:
        return cmd.has_option(*MOVING_OPTIONS)
    if cmd.program_name == "mkdir":
        return any(_norm(w.text) == CACHE_LINK for w in cmd.operands())
    target = _link_target(cmd)
    return target is not None and target != CACHE_DIR


def refresh_option(cmd: Command, earlier: Sequence[Command]) -> str | None:
    """`--update-cache` unless the install or an earlier command of the RUN refreshes the
    indexes (`apk update`, `apk -U ...`)."""
    if cmd.has_option(*REFRESH_FLAGS):
        return None
    if any(_refreshes(c) for c in earlier):
        return None
    return REFRESH_OPTION


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`apk cache purge`, `apk cache clean --purge`, `apk --purge cache sync`: every cached
    package goes (a plain `apk cache clean` keeps those an index still lists)."""
    operands = words(cmd, VALUE_OPTIONS) if cmd.program_name in PROGRAMS else []
    if operands[:1] != ["cache"]:
        return False
    return operands[1:2] == ["purge"] or (
        operands[1:2] in (["clean"], ["sync"]) and cmd.has_option("--purge")
    )


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    return cleaned_folders(cache_cleaning(cmd, home), moves_cache(cmd), cache_mounts())


cleaning_options = cleans_as_a_whole


def _refreshes(cmd: Command) -> bool:
    if cmd.program_name not in PROGRAMS:
        return False
    return static_text(verb(cmd)) == "update" or cmd.has_option(*REFRESH_FLAGS)


def _link_target(cmd: Command) -> str | None:
    """The folder an `ln -s <folder> /etc/apk/cache` links the cache to; None for other
    commands."""
    if cmd.program_name != "ln" or not cmd.has_option("-s", "--symbolic"):
        return None
    operands = [w for w in cmd.operands() if w.is_static]
    if len(operands) != 2 or _norm(operands[1].text) != CACHE_LINK:
        return None
    return _norm(operands[0].text)


def _norm(path: str) -> str:
    return posixpath.normpath(path) if path.startswith("/") else path


unproven = never_unproven
