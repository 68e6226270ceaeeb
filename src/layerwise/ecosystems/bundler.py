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
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from layerwise.ecosystems import _toolchain as tc
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    DevForm,
    LockfileForm,
    Pruning,
    cleans_as_a_whole,
    cleans_nothing,
    command_env,
    never_offline,
    never_repeats_install,
    never_starts_over,
    never_unproven,
    no_build_outputs,
    no_output_cache,
    subcommand,
)
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
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """Gemfile and Gemfile.lock (with `.ruby-version` and `.bundle/` when present); proven when
    the lockfile is there and the Gemfile reads nothing else. None with `--gemfile` or
    BUNDLE_GEMFILE (ENV, ARG or a prefix): Bundler reads that Gemfile and the lockfile beside
    it, which may come only with the broad COPY."""
    if not is_dependency_install(cmd) or cmd.has_option("--gemfile"):
        return None
    if "BUNDLE_GEMFILE" in command_env(cmd, env):
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


# Lockfile-honouring installs (LW107), from bundle-config(1) and bundle-install(1): `frozen`
# (`BUNDLE_FROZEN`) disallows changes to the Gemfile, so an install whose Gemfile.lock no
# longer matches stops instead of re-resolving and rewriting it; `deployment`
# (`BUNDLE_DEPLOYMENT`, `--deployment`) implies it and also installs into vendor/bundle. The
# `--frozen` and `--deployment` flags are deprecated in Bundler 2 ("relies on being remembered
# across bundler invocations"), so the fix puts `BUNDLE_FROZEN=true` in front of the command:
# it applies to that run alone and changes no install path. Frozen also stops an install whose
# lockfile lacks the image's platform (a Gemfile.lock from macOS without x86_64-linux), which a
# plain install would add to the lockfile.
FROZEN_FLAGS = ("--frozen", "--deployment")
FROZEN_VARIABLES = ("BUNDLE_FROZEN", "BUNDLE_DEPLOYMENT")
FROZEN_SETTING = "BUNDLE_FROZEN=true"
_SETTINGS = frozenset({"frozen", "deployment"})


def _true(value: object) -> bool:
    """A Bundler setting's truth (Settings#to_bool): anything but empty, false, f, no, n, 0."""
    text = str(value).strip().strip("'\"").lower() if value is not None else ""
    return text not in ("", "false", "f", "no", "n", "0")


def lockfile_of(cmd: Command) -> str | None:
    """Gemfile.lock for `bundle install` of the Gemfile where it runs (not `--gemfile`)."""
    if not is_dependency_install(cmd) or cmd.has_option(*FROZEN_FLAGS, "--gemfile"):
        return None
    return LOCKFILES[0]


def _config_set(cmd: Command) -> list[str]:
    """The name and value words of `bundle config [set] [--local|--global] NAME VALUE...`."""
    word = verb(cmd)
    if word is None or word.text != "config":
        return []
    words = [w.text for w in cmd.operands(VALUE_OPTIONS)][1:]
    return words[1:] if words[:1] == ["set"] else words


def _sets_frozen(cmd: Command) -> bool:
    """`bundle config [set] [--local|--global] frozen|deployment <true>`."""
    words = _config_set(cmd)
    return len(words) >= 2 and words[0].lower() in _SETTINGS and _true(words[1])


def _project_config(context: BuildContext | None, project_dir: str) -> dict[str, Any]:
    """The settings of the project's `.bundle/config` ({} when absent or unreadable)."""
    prefix = f"{project_dir}/" if project_dir else ""
    text = context.read_text(prefix + ".bundle/config") if context is not None else None
    if not text:
        return {}
    import yaml  # only when the file is there: PyYAML costs every start ~10 ms

    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _config_freezes(context: BuildContext | None, project_dir: str) -> bool:
    """The project's `.bundle/config` sets BUNDLE_FROZEN or BUNDLE_DEPLOYMENT."""
    data = _project_config(context, project_dir)
    return any(_true(data.get(v)) for v in FROZEN_VARIABLES)


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    """`BUNDLE_FROZEN=true` in front of the command (no edit behind a wrapper other than
    `env`: `sudo` may drop the variable); None when ENV, an earlier `bundle config` or the
    project's .bundle/config freezes it already, or BUNDLE_GEMFILE points elsewhere."""
    seen = command_env(cmd, env)
    if any(_true(seen.get(v)) for v in FROZEN_VARIABLES) or "BUNDLE_GEMFILE" in seen:
        return None
    if any(_sets_frozen(c) for c in earlier) or _config_freezes(context, project_dir):
        return None
    plain = all(w.text == "env" or w.text.startswith("-") or "=" in w.text for w in cmd.wrappers)
    return LockfileForm(cmd.program_word if plain else None, FROZEN_SETTING, "before")


# Leaving the development gems out (bundle-config(1)): the `without` setting names the groups
# not to install (`BUNDLE_WITHOUT=development:test`, `bundle config set without 'development
# test'`; the `--without` flag is deprecated in Bundler 2). The fix puts the variable in front
# of the command, for that run alone, as LW107 does with BUNDLE_FROZEN.
WITHOUT_VARIABLE = "BUNDLE_WITHOUT"
WITHOUT_SETTING = "BUNDLE_WITHOUT=development:test"
DEV_OUTPUTS: tuple[str, ...] = ()
_DEV_GROUP = re.compile(r"^\s*group\b[^\n]*:(development|test)\b", re.M)


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """`ENV BUNDLE_WITHOUT=development:test` before the RUN: Bundler does not save a setting
    given for one command, and at run time `bundler/setup` (Rails, `bundle exec`) wants every
    group it was not told to leave out (Bundler::GemNotFound, rubygems/bundler#5661); ENV
    stays in the image, as Rails' generated Dockerfile sets it. None when `without` is set
    already (ENV, `--without`, an earlier `bundle config`, .bundle/config) or the Gemfile (when
    the context shows it) has neither group."""
    if not is_dependency_install(cmd) or cmd.has_option("--without", "--with", "--gemfile"):
        return None
    seen = command_env(cmd, env)
    if WITHOUT_VARIABLE in seen or "BUNDLE_ONLY" in seen or "BUNDLE_GEMFILE" in seen:
        return None
    if any(_config_set(c)[:1] in (["without"], ["only"]) for c in earlier):
        return None
    if WITHOUT_VARIABLE in _project_config(context, project_dir):
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    gemfile = context.read_text(prefix + MANIFESTS[0]) if context is not None else None
    if gemfile is not None and not _DEV_GROUP.search(gemfile):
        return None
    word = cmd.program_word
    return DevForm((word,) if word else (), WITHOUT_SETTING, "env")


def needs_dev(cmd: Command) -> bool:
    """`bundle exec ...` (rake, rspec and friends: base.DEV_TOOLS)."""
    word = verb(cmd)
    return word is not None and word.text == "exec"


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    return {}


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: the install lands outside the project, or where settings decide."""
    return None


# Not starting over: `bundle install` skips the gems already installed.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
unproven = never_unproven
cleaned_caches = cleans_nothing
cleaning_options = cleans_as_a_whole
offline = never_offline
