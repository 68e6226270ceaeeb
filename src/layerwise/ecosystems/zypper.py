"""zypper (openSUSE, SLES): the commands that download packages, where libzypp caches them, and
the per-repository flag that keeps them.

Facts, from zypper(8) (openSUSE/zypper, doc/zypper.8.txt):
- Caches live under /var/cache/zypp (global option `--cache-dir`): raw metadata in `raw/`, the
  parsed solv files in `solv/`, and downloaded RPMs in `packages/` (`--pkg-cache-dir`), but
  only "If keeppackages property is set for a repository"; `addrepo`/`modifyrepo`
  `-k, --keep-packages` "Enable RPM files caching", and `zypper mr -kt` keeps them for every
  remote repository. The flag is written to the repository's .repo file (`keeppackages=1`).
- A repository with auto-refresh on checks its metadata before use and refreshes it when out
  of date, so metadata kept in a mount is refreshed as it would be in the image.
- `zypper clean` (`cc`) cleans "caches of downloaded packages" by default, `-m`/`-M` the
  metadata, `-a` both.
- `--root`/`-R` and `--installroot` move the caches with the root.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from layerwise.ecosystems._system import TRUE, cleaned_folders, locked, written_setting
from layerwise.ecosystems.base import (
    CacheMount,
    cleans_as_a_whole,
    never_unproven,
    static_text,
    subcommand,
)
from layerwise.shell import Command, Word

NAME = "zypper"
PROGRAMS = frozenset({"zypper"})
MANIFESTS: tuple[str, ...] = ()
LOCKFILES: tuple[str, ...] = ()
# No fix proven by a real build: no openSUSE or SLES image can be pulled here.
BUILD_PROVEN = False
# Global options that take a value (they come before the command).
VALUE_OPTIONS = frozenset(
    {"-c", "--config", "-D", "--reposd-dir", "-C", "--cache-dir", "--raw-cache-dir",
     "--solv-cache-dir", "--pkg-cache-dir", "-R", "--root", "--installroot", "-p", "--plus-repo",
     "--plus-content", "--releasever", "-s", "--table-style", "--userdata"}
)  # fmt: skip
# Not `download`: it downloads "to a local directory", by default "the libzypp package cache
# (/var/cache/zypp/packages)", whatever `keeppackages` says (zypper(8)). The RPMs in the cache
# are its output, there for a later step to use: a cache mount on /var/cache/zypp would keep
# them out of the image.
FETCH_VERBS = frozenset(
    {"install", "in", "update", "up", "dist-upgrade", "dup", "patch", "source-install", "si",
     "install-new-recommends", "inr"}
)  # fmt: skip
CLEAN_VERBS = frozenset({"clean", "cc"})
MODIFY_VERBS = frozenset({"modifyrepo", "mr"})
CACHE_DIR = "/var/cache/zypp"
CACHE_MOUNTS = locked([CACHE_DIR])
# zypper(8): "Enable RPM files caching" for every repository; the setting stays in the .repo
# files of the image.
SETUP: str | None = "zypper modifyrepo --keep-packages --all"
KEEP_OPTION: str | None = None
ENABLING_MOUNTS: tuple[str, ...] = ()
SETTING = "keeppackages"
MOVING_OPTIONS = ("-C", "--cache-dir", "--pkg-cache-dir", "-R", "--root", "--installroot")
MOVING_SETTINGS = ("cachedir", "packagesdir")


def verb(cmd: Command) -> Word | None:
    """The zypper command word (`in` in `zypper -n in curl`), None for other programs."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """install, update, dist-upgrade, patch, source-install: they download RPMs into the cache
    and (without `keeppackages`) delete them after installing."""
    return static_text(verb(cmd)) in FETCH_VERBS


def cache_mounts(
    home: str = "/root", uid_gid: tuple[str, str] | None = None
) -> tuple[CacheMount, ...]:
    """zypper runs as root whatever the home: the one locked mount."""
    return CACHE_MOUNTS


def install_mounts(cmd: Command) -> tuple[CacheMount, ...]:
    return CACHE_MOUNTS if is_install(cmd) and not moves_cache(cmd) else ()


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()  # no option of an install turns the cache off


def keeps_packages(cmd: Command) -> bool:
    return False  # only the repositories' flag keeps them


def turns_cache_on(cmd: Command) -> bool:
    """`zypper modifyrepo --keep-packages --all` (`mr -ka`, `mr -kt` for the remote ones), or
    `keeppackages=1` written into the .repo files."""
    if written_setting(cmd, SETTING) in TRUE:
        return True
    if static_text(verb(cmd)) not in MODIFY_VERBS:
        return False
    every = cmd.has_option("-a", "--all", "-t", "--remote")
    return every and cmd.has_option("-k", "--keep-packages")


def moves_cache(cmd: Command) -> bool:
    """`--cache-dir`, `--pkg-cache-dir`, `--root` on zypper, or a cache folder written into
    zypp.conf."""
    if any(written_setting(cmd, name) is not None for name in MOVING_SETTINGS):
        return True
    return cmd.program_name in PROGRAMS and cmd.has_option(*MOVING_OPTIONS)


def refresh_option(cmd: Command, earlier: Sequence[Command]) -> str | None:
    return None  # auto-refresh checks the metadata before each use


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`zypper clean` / `zypper cc` (packages by default, metadata with `-m`, `-M`, `-a`)."""
    return static_text(verb(cmd)) in CLEAN_VERBS


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    return cleaned_folders(cache_cleaning(cmd, home), moves_cache(cmd), cache_mounts())


cleaning_options = cleans_as_a_whole


unproven = never_unproven
