"""dnf and its kin (Fedora, RHEL and its rebuilds, Amazon Linux): dnf 4, dnf 5, yum and
microdnf. The commands that download packages, where each front end caches as root, and the
setting that keeps packages.

Facts:
- dnf.conf(5) (dnf 4): `keepcache` "Keeps downloaded packages in the cache when set to True.
  Even if it is set to False and packages have not been installed they will still persist
  until next successful transaction. The default is False"; `cachedir` has "a reasonable
  root-writable default depending on the distribution": /var/cache/dnf on Fedora and RHEL.
  `--setopt=<option>=<value>` overrides a setting for one command.
- dnf5-caching(7): the root cache is /var/cache/libdnf5 (`system_cachedir`); `keepcache` is
  False by default there too. Fedora 41 made dnf 5 the `dnf` (and `yum`) command.
- yum.conf(5) (yum 3, CentOS 7, Amazon Linux 2): cache in /var/cache/yum/$basearch/$releasever;
  the distributions' /etc/yum.conf sets `keepcache=0` (RHEL 6 Deployment Guide, "Working with
  Yum Cache"). On RHEL 8 and later `yum` is dnf 4.
- microdnf (rpm-software-management/microdnf, dnf-main.c): cache under /var/cache/yum
  (metadata, solv, lock); `--setopt=keepcache=0/1` only takes 0 or 1.
- Cleaning: `dnf clean all|packages|metadata|dbcache` (and yum's `headers`) delete from the
  cache; `expire-cache` only marks the metadata old.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from layerwise.ecosystems._system import TRUE, cleaned_folders, locked, words, written_setting
from layerwise.ecosystems.base import (
    CacheMount,
    cleans_as_a_whole,
    never_unproven,
    static_text,
    subcommand,
)
from layerwise.shell import Command, Word

NAME = "dnf"
# Where each front end keeps its cache as root: dnf 4 in /var/cache/dnf, dnf 5 in
# /var/cache/libdnf5 (Fedora 41+ runs dnf 5 as `dnf` and `yum`), yum 3 in /var/cache/yum, and
# on RHEL 8+ `yum` is dnf 4. Which one a base image has is not in the Dockerfile: mount each.
CACHE_DIRS: dict[str, tuple[str, ...]] = {
    "dnf": ("/var/cache/dnf", "/var/cache/libdnf5"),
    "dnf-3": ("/var/cache/dnf",),
    "dnf5": ("/var/cache/libdnf5",),
    "yum": ("/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"),
    "microdnf": ("/var/cache/yum",),
}
PROGRAMS = frozenset(CACHE_DIRS)
MANIFESTS: tuple[str, ...] = ()
LOCKFILES: tuple[str, ...] = ()
# No fix proven by a real build: no Fedora, RHEL or Amazon Linux image can be pulled here.
BUILD_PROVEN = False
VALUE_OPTIONS = frozenset(
    {"-c", "--config", "--installroot", "--releasever", "--setopt", "-x", "--exclude",
     "--enablerepo", "--disablerepo", "--repo", "--repoid", "--repofrompath", "-d",
     "--debuglevel", "-e", "--errorlevel", "--color", "--destdir", "--downloaddir", "--forcearch",
     "--comment", "--advisory", "--disableplugin", "--enableplugin", "--rpmverbosity"}
)  # fmt: skip
FETCH_VERBS = frozenset(
    {"install", "in", "reinstall", "upgrade", "update", "up", "downgrade", "distro-sync",
     "dsync", "distrosync", "localinstall", "localupdate", "groupinstall", "groupupdate",
     "upgrade-minimal", "update-minimal", "swap", "builddep"}
)  # fmt: skip
# `dnf group install x`, `dnf module install x`.
GROUP_VERBS = frozenset({"group", "groups", "module"})
GROUP_FETCHES = frozenset({"install", "upgrade", "update"})
CLEAN_TYPES = frozenset({"all", "packages", "metadata", "dbcache", "headers"})
SETUP: str | None = None
# 1, not True: microdnf refuses any other spelling.
KEEP_OPTION: str | None = "--setopt=keepcache=1"
ENABLING_MOUNTS: tuple[str, ...] = ()
SETTING = "keepcache"
MOVING_SETTINGS = ("cachedir", "system_cachedir")
MOVING_OPTIONS = ("--installroot", "-c", "--config")


def verb(cmd: Command) -> Word | None:
    """The subcommand word of dnf, yum or microdnf; None for other programs."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """A transaction that downloads packages: install, upgrade, downgrade, distro-sync,
    `group install`, `module install`, builddep..."""
    found = static_text(verb(cmd))
    if found in FETCH_VERBS:
        return True
    then = words(cmd, VALUE_OPTIONS)[1:2] if found in GROUP_VERBS else []
    return bool(then) and then[0] in GROUP_FETCHES


def cache_mounts(
    home: str = "/root", uid_gid: tuple[str, str] | None = None
) -> tuple[CacheMount, ...]:
    """Every cache folder of the family (dnf runs as root whatever the home)."""
    return locked(dict.fromkeys(d for dirs in CACHE_DIRS.values() for d in dirs))


def install_mounts(cmd: Command) -> tuple[CacheMount, ...]:
    """The cache folders of the front end the install runs."""
    if not is_install(cmd) or moves_cache(cmd):
        return ()
    return locked(CACHE_DIRS[cmd.program_name or ""])


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    """`--setopt=keepcache=0` (or `--setopt keepcache=False`) on an install."""
    if not is_install(cmd):
        return ()
    return tuple(w for name, value, found in _setopts(cmd) if name == SETTING
                 and value not in TRUE for w in found)  # fmt: skip


def keeps_packages(cmd: Command) -> bool:
    """The install's own `--setopt=keepcache=1` (or True, yes, on)."""
    return any(name == SETTING and value in TRUE for name, value, _ in _setopts(cmd))


def turns_cache_on(cmd: Command) -> bool:
    """`keepcache=1` written into dnf's or yum's configuration (`echo keepcache=True >>
    /etc/dnf/dnf.conf`, `sed`, `dnf config-manager --save --setopt=keepcache=1`, dnf 5's
    `dnf config-manager setopt keepcache=1`)."""
    if written_setting(cmd, SETTING) in TRUE:
        return True
    if static_text(verb(cmd)) != "config-manager":
        return False
    saved = cmd.has_option("--save") or "setopt" in words(cmd, VALUE_OPTIONS)[1:2]
    return saved and keeps_packages(cmd)


def moves_cache(cmd: Command) -> bool:
    """`--installroot`, another configuration file, or a `cachedir` set on the command or
    written into the configuration."""
    if any(written_setting(cmd, name) is not None for name in MOVING_SETTINGS):
        return True
    if cmd.program_name not in PROGRAMS:
        return False
    if cmd.has_option(*MOVING_OPTIONS):
        return True
    return any(name in MOVING_SETTINGS for name, _, _ in _setopts(cmd))


def refresh_option(cmd: Command, earlier: Sequence[Command]) -> str | None:
    return None  # dnf refreshes metadata older than `metadata_expire` by itself


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`dnf clean all` (packages, metadata, dbcache; yum's headers)."""
    if static_text(verb(cmd)) != "clean":
        return False
    return any(w in CLEAN_TYPES for w in words(cmd, VALUE_OPTIONS)[1:])


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    return cleaned_folders(cache_cleaning(cmd, home), moves_cache(cmd), cache_mounts())


cleaning_options = cleans_as_a_whole


def _setopts(cmd: Command) -> list[tuple[str, str, tuple[Word, ...]]]:
    """The command's settings with the words giving each: `--setopt=k=v`, `--setopt k=v`, and
    dnf 5's `config-manager setopt k=v`."""
    if cmd.program_name not in PROGRAMS:
        return []
    out: list[tuple[str, str, tuple[Word, ...]]] = []
    args = cmd.args
    for i, word in enumerate(args):
        found: tuple[Word, ...]
        if word.text.startswith("--setopt="):
            pair, found = word.text.removeprefix("--setopt="), (word,)
        elif word.text == "--setopt" and i + 1 < len(args):
            pair, found = args[i + 1].text, (word, args[i + 1])
        else:
            continue
        name, eq, value = pair.partition("=")
        if eq:
            out.append((name.strip(), value.strip().lower(), found))
    if words(cmd, VALUE_OPTIONS)[:2] == ["config-manager", "setopt"]:
        for word in cmd.operands(VALUE_OPTIONS)[2:]:
            name, eq, value = word.text.partition("=")
            if eq:
                out.append((name.strip(), value.strip().lower(), (word,)))
    return out


unproven = never_unproven
