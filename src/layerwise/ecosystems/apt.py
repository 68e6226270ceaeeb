"""apt (Debian, Ubuntu): update/install commands, the flags a build needs, cache mounts and the
cleanup that fights them.

Facts: apt-get(8) (`-qq` implies `-y`), the Dockerfile reference's cache-mount example (both
/var/cache/apt and /var/lib/apt with sharing=locked, docker-clean removed, Keep-Downloaded-Packages
on), and the official images' /etc/apt/apt.conf.d/docker-clean that deletes downloaded packages.
"""

from __future__ import annotations

from collections.abc import Mapping

from layerwise.ecosystems.base import (
    CacheMount,
    cleans_as_a_whole,
    is_under,
    never_unproven,
    removed_paths,
    static_text,
    subcommand,
)
from layerwise.shell import Command, Word

NAME = "apt"
PROGRAMS = frozenset({"apt-get", "apt"})
MANIFESTS: tuple[str, ...] = ()
LOCKFILES: tuple[str, ...] = ()
# Fixes proven by real builds on BuildKit: tests/fixtures/buildable/apt_*.
BUILD_PROVEN = True
# `apt` is meant for people at a terminal ("does not have a stable CLI interface").
PREFERRED_PROGRAM = "apt-get"
INSTALL_VERBS = frozenset({"install", "reinstall"})
# Verbs that download packages, so they profit from /var/cache/apt kept between builds.
FETCH_VERBS = frozenset(
    {"install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source"}
)
CLEAN_VERBS = frozenset({"clean", "autoclean", "auto-clean"})
# Verbs that work from dpkg's status alone: every other apt-get/apt verb resolves packages from
# the package lists (install of a local .deb too, for its dependencies).
LIST_FREE_VERBS = CLEAN_VERBS | {"update", "remove", "purge", "autoremove", "auto-remove"}
# Other front ends that read the package lists whatever their verb.
LIST_READERS = frozenset({"apt-cache", "aptitude"})
# Runs `apt update` itself (by default since Ubuntu 18.04; `-n` skips it).
LIST_UPDATERS = frozenset({"add-apt-repository"})
VALUE_OPTIONS = frozenset(
    {"-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release",
     "-a", "--host-architecture"}
)  # fmt: skip
CACHE_DIR = "/var/cache/apt"
LISTS_DIR = "/var/lib/apt/lists"
STATE_DIR = "/var/lib/apt"
CACHE_MOUNTS = (
    CacheMount(CACHE_DIR, sharing="locked"),
    CacheMount(STATE_DIR, sharing="locked"),
)
DOCKER_CLEAN = "/etc/apt/apt.conf.d/docker-clean"
KEEP_CACHE_CONF = "/etc/apt/apt.conf.d/keep-cache"
# What the Dockerfile reference runs before using the cache mounts.
KEEP_CACHE_COMMAND = (
    f"rm -f {DOCKER_CLEAN}; "
    f"echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > {KEEP_CACHE_CONF}"
)
UPDATE_COMMAND = "apt-get update"
YES_FLAGS = ("-y", "--yes", "--assume-yes")
NO_RECOMMENDS_FLAG = "--no-install-recommends"


def verb(cmd: Command) -> Word | None:
    """The apt-get/apt subcommand word, None for other programs."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def _verb_text(cmd: Command) -> str | None:
    # Asked about every command of every RUN by several rules: another program's (most are)
    # is answered here, before three calls down to `subcommand`.
    if cmd.program_name not in PROGRAMS:
        return None
    return static_text(verb(cmd))


def is_update(cmd: Command) -> bool:
    return _verb_text(cmd) == "update"


def is_install(cmd: Command) -> bool:
    """`apt-get install`/`reinstall` (the commands that want -y and --no-install-recommends)."""
    return _verb_text(cmd) in INSTALL_VERBS


def fetches_packages(cmd: Command) -> bool:
    """Downloads .deb files: install, upgrade, dist-upgrade, build-dep..."""
    return _verb_text(cmd) in FETCH_VERBS


def reads_lists(cmd: Command) -> bool:
    """Needs the package lists: apt-get/apt with a verb other than update, clean, remove,
    purge or autoremove (or a verb only known at run time), apt-cache, aptitude."""
    if cmd.program_name in LIST_READERS:
        return True
    if cmd.program_name not in PROGRAMS:
        return False
    word = verb(cmd)
    return word is not None and (not word.is_static or word.text not in LIST_FREE_VERBS)


def is_apt_cli(cmd: Command) -> bool:
    """The command uses `apt` (interactive front end) rather than `apt-get`."""
    return cmd.program_name == "apt"


def is_clean(cmd: Command) -> bool:
    """`apt-get clean` / `autoclean`."""
    return _verb_text(cmd) in CLEAN_VERBS


def assumes_yes(cmd: Command) -> bool:
    """`-y`, `--yes`, `--assume-yes`, `-qq` (implies -y) or `-o APT::Get::Assume-Yes=true`."""
    if cmd.has_option(*YES_FLAGS):
        return True
    if any(w.text.startswith("-") and not w.text.startswith("--") and w.text.count("q") >= 2
           for w in cmd.option_words()):  # fmt: skip
        return True
    return _config_option(cmd, "APT::Get::Assume-Yes") in ("true", "1", "yes")


def skips_recommends(cmd: Command) -> bool:
    """`--no-install-recommends` or `-o APT::Install-Recommends=false`."""
    if cmd.has_option(NO_RECOMMENDS_FLAG):
        return True
    return _config_option(cmd, "APT::Install-Recommends") in ("false", "0", "no")


def _config_option(cmd: Command, name: str) -> str | None:
    args = cmd.args
    for i, word in enumerate(args):
        value = None
        if word.text in ("-o", "--option") and i + 1 < len(args):
            value = args[i + 1].text
        elif word.text.startswith("--option="):
            value = word.text.removeprefix("--option=")
        elif word.text.startswith("-o") and len(word.text) > 2:
            value = word.text[2:]
        if value is not None:
            key, _, setting = value.partition("=")
            if key.lower() == name.lower():
                return setting.lower()
    return None


def install_flags_missing(cmd: Command) -> list[str]:
    """The flags an install in a build needs but lacks: `-y` (no prompt) and
    `--no-install-recommends` (no packages nobody asked for). Empty for other commands."""
    if not is_install(cmd):
        return []
    missing: list[str] = []
    if not assumes_yes(cmd):
        missing.append("-y")
    if not skips_recommends(cmd):
        missing.append(NO_RECOMMENDS_FLAG)
    return missing


def cache_mounts(
    home: str = "/root", uid_gid: tuple[str, str] | None = None
) -> tuple[CacheMount, ...]:
    """apt runs as root whatever the home: always the two locked mounts."""
    return CACHE_MOUNTS


def lists_removal(cmd: Command) -> tuple[Word, ...]:
    """The words of an `rm` that deletes package lists (`rm -rf /var/lib/apt/lists/*`)."""
    return tuple(w for w in removed_paths(cmd) if is_under(w.text, LISTS_DIR))


def cache_removal(cmd: Command) -> tuple[Word, ...]:
    """The words of an `rm` that deletes anything under /var/cache/apt or /var/lib/apt."""
    return tuple(
        w for w in removed_paths(cmd) if is_under(w.text, CACHE_DIR) or is_under(w.text, STATE_DIR)
    )


def removes_docker_clean(cmd: Command) -> bool:
    """`rm -f /etc/apt/apt.conf.d/docker-clean` (what a cache mount for apt needs first)."""
    return any(w.text == DOCKER_CLEAN for w in removed_paths(cmd))


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`apt-get clean` or an `rm` under the apt cache/state dirs: with the cache mounts in place
    this empties the mounts and throws the next build's downloads away."""
    return is_clean(cmd) or bool(cache_removal(cmd))


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`apt-get clean` empties apt's folders, which no setting here moves."""
    return tuple(m.target for m in CACHE_MOUNTS) if is_clean(cmd) else ()


cleaning_options = cleans_as_a_whole


unproven = never_unproven
