"""Bundler: `bundle install`, the files it reads, and a download cache that is not the gem
install folder.

Facts from Bundler's documentation (bundle-config: settings come from `BUNDLE_*` variables;
`global_gem_cache` / `BUNDLE_GLOBAL_GEM_CACHE` caches gems (and compiled extensions) in the
user cache, `BUNDLE_USER_CACHE`, default `$BUNDLE_USER_HOME/cache` = `~/.bundle/cache`,
instead of the install path's `cache/`; local config in `.bundle/config`; bundle-install:
`Gemfile`, `Gemfile.lock`, `gemspec`, `path:` gems, `eval_gemfile`). The official ruby image
installs gems into GEM_HOME=/usr/local/bundle: a mount there would leave the gems out of the
image, so the mount goes on the user cache and the fix turns the global cache on with
`BUNDLE_GLOBAL_GEM_CACHE=true` in front of the command. Docker's documented /root/.gem is the
RubyGems user folder, which `bundle install` into GEM_HOME does not fill.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from layerwise.ecosystems import _toolchain as tc
from layerwise.ecosystems.base import CacheMount, DependencyInstall, command_env, subcommand
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "bundler"
PROGRAMS = frozenset({"bundle", "bundler"})
MANIFESTS: tuple[str, ...] = ("Gemfile",)
LOCKFILES: tuple[str, ...] = ("Gemfile.lock",)
# No fix proven by a real build: rubygems.org is out of reach here.
BUILD_PROVEN = False
VALUE_OPTIONS = frozenset(
    {"--gemfile", "--jobs", "-j", "--retry", "--path", "--without", "--with", "--binstubs",
     "--shebang", "--trust-policy", "--target-rbconfig"}
)  # fmt: skip
GLOBAL_CACHE = "BUNDLE_GLOBAL_GEM_CACHE"
# A Gemfile line that reads more of the context: the gemspec, a local gem, another Gemfile,
# Ruby that opens files.
_READS_CONTEXT = re.compile(
    r"^\s*(gemspec|eval_gemfile)\b|\bpath\s*(:|=>)|\bFile\.|\brequire_relative\b", re.M
)
OPTIONAL_FILES = (".ruby-version", ".bundle/")


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """`bundle install`, or a bare `bundle` (which installs)."""
    if cmd.program_name not in PROGRAMS:
        return False
    word = verb(cmd)
    return word is None or word.text == "install"


def is_dependency_install(cmd: Command) -> bool:
    return is_install(cmd) and not cmd.has_option("--help", "-h", "--version")


def dependency_install(
    cmd: Command, context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """Gemfile and Gemfile.lock (with `.ruby-version` and `.bundle/` when present); proven when
    the lockfile is there and the Gemfile reads nothing else. None with `--gemfile`."""
    if not is_dependency_install(cmd) or cmd.has_option("--gemfile"):
        return None
    if "BUNDLE_GEMFILE" in command_env(cmd, {}):
        return None
    required = (*MANIFESTS, *LOCKFILES)
    return tc.project_files(
        context, project_dir, required, OPTIONAL_FILES, sound=lambda t: not _READS_CONTEXT.search(t)
    )


def user_cache(home: str, env: Mapping[str, str]) -> str:
    user_home = tc.env_dir(env, "BUNDLE_USER_HOME", tc.under_home(home, ".bundle"))
    return tc.env_dir(env, "BUNDLE_USER_CACHE", f"{user_home.rstrip('/')}/cache")


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (CacheMount.for_user(user_cache(home, {}), uid_gid),)


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    if not is_install(cmd):
        return ()
    seen = command_env(cmd, env)
    if seen.get(GLOBAL_CACHE, "true").lower() in ("false", "0", "no"):
        return ()  # the Dockerfile turned the global cache off on purpose
    return (CacheMount.for_user(user_cache(home, seen), uid_gid),)


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()  # `--no-cache` skips vendor/cache, not the user cache


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    """`BUNDLE_GLOBAL_GEM_CACHE=true`: without it Bundler keeps downloads in the install path."""
    if not is_install(cmd) or GLOBAL_CACHE in command_env(cmd, env):
        return ()
    return (f"{GLOBAL_CACHE}=true",)


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    return False
