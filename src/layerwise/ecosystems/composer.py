"""Composer: `composer install`, its dependency-only form, and its cache.

Facts from Composer's documentation (CLI: `install` reads composer.json and composer.lock,
`--no-scripts` skips scripts such as Laravel's `artisan package:discover`, `--no-autoloader`
skips the autoloader (whose classmap needs the sources), `dump-autoload` writes it later;
`--no-cache` turns the cache off; `clear-cache` (`clearcache`, `cc`) empties it; the cache is
`$COMPOSER_CACHE_DIR`, else `$COMPOSER_HOME/cache`, else `~/.composer/cache` or
`$XDG_CACHE_HOME/composer` depending on the system; repositories of `"type": "path"` read the
context), Docker's documentation (a mount on /tmp/cache; the official composer image sets
COMPOSER_HOME=/tmp) and buildkit-facts.md. Where the cache is not pinned by ENV the fix pins it:
`COMPOSER_CACHE_DIR=/tmp/cache` in front of the command, the mount on /tmp/cache.
"""

from __future__ import annotations

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

NAME = "composer"
PROGRAMS = frozenset({"composer", "composer.phar"})
MANIFESTS: tuple[str, ...] = ("composer.json",)
LOCKFILES: tuple[str, ...] = ("composer.lock",)
# No fix proven by a real build: Packagist is out of reach here.
BUILD_PROVEN = False
VALUE_OPTIONS = frozenset(
    {"--working-dir", "-d", "--prefer-install", "--ignore-platform-req",
     "--apcu-autoloader-prefix"}
)  # fmt: skip
INSTALL_VERBS = frozenset({"install", "i", "update", "u", "upgrade", "require", "r"})
DEPENDENCIES_ONLY = ("--no-scripts", "--no-autoloader")
CACHE_VARIABLE = "COMPOSER_CACHE_DIR"
PINNED_CACHE = "/tmp/cache"
NO_CACHE_FLAG = "--no-cache"


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def _verb_text(cmd: Command) -> str | None:
    word = verb(cmd)
    return word.text if word is not None else None


def is_install(cmd: Command) -> bool:
    return _verb_text(cmd) in INSTALL_VERBS


def is_dependency_install(cmd: Command) -> bool:
    """`composer install` of the project (not in another folder: `-d`)."""
    return _verb_text(cmd) in ("install", "i") and not cmd.has_option("-d", "--working-dir")


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """composer.json, composer.lock and auth.json. With `--no-scripts --no-autoloader` the
    install moves; otherwise `<install> --no-scripts --no-autoloader` goes above the copy and
    the original stays (it then only writes the autoloader and runs the scripts), unproven.
    None when COMPOSER (ENV, ARG or a prefix) names another composer.json: Composer reads that
    file and the lock named after it ("Environment variables", COMPOSER), which may come only
    with the broad COPY."""
    if not is_dependency_install(cmd) or command_env(cmd, env).get("COMPOSER"):
        return None
    found = tc.project_files(
        context,
        project_dir,
        MANIFESTS,
        (*LOCKFILES, "auth.json"),
        sound=lambda t: '"path"' not in t.replace(" ", ""),
    )
    if found is None:
        return None
    missing = [f for f in DEPENDENCIES_ONLY if not cmd.has_option(f)]
    if not missing:
        return found
    before = " ".join([cmd.text, *missing])
    return DependencyInstall(found.inputs, found.manifests, False, before)


def cache_dir(home: str, env: Mapping[str, str]) -> str | None:
    """The cache ENV pins (COMPOSER_CACHE_DIR, COMPOSER_HOME/cache); None when it depends on
    the system."""
    if env.get(CACHE_VARIABLE):
        return tc.env_dir(env, CACHE_VARIABLE, PINNED_CACHE)
    if env.get("COMPOSER_HOME") and "$" not in env["COMPOSER_HOME"]:
        return env["COMPOSER_HOME"].rstrip("/") + "/cache"
    return None


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    targets = (PINNED_CACHE, tc.under_home(home, ".composer/cache"),
               tc.under_home(home, ".cache/composer"))  # fmt: skip
    return tuple(CacheMount.for_user(t, uid_gid) for t in targets)


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    if not is_install(cmd):
        return ()
    target = cache_dir(home, command_env(cmd, env)) or PINNED_CACHE
    return (CacheMount.for_user(target, uid_gid),)


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    if not is_install(cmd):
        return ()
    return tuple(w for w in cmd.option_words() if w.text == NO_CACHE_FLAG)


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    """`COMPOSER_CACHE_DIR=/tmp/cache` when ENV does not say where the cache is."""
    if not is_install(cmd) or cache_dir("/", command_env(cmd, env)) is not None:
        return ()
    return (f"{CACHE_VARIABLE}={PINNED_CACHE}",)


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    return _verb_text(cmd) in ("clear-cache", "clearcache", "cc")


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`composer clear-cache` empties the cache ENV (or a prefix) pins, else the system's:
    any of the usual places."""
    if not cache_cleaning(cmd, home):
        return ()
    pinned = cache_dir(home, command_env(cmd, env))
    return (pinned,) if pinned else tuple(m.target for m in cache_mounts(home, None))


cleaning_options = cleans_as_a_whole


# Lockfile-honouring installs (LW107), from Composer's CLI documentation: `install` installs
# what composer.lock records (on a lock older than composer.json it warns and still installs
# the lock), while `update` resolves the dependencies again and writes the result into
# composer.lock. So `composer update` of the whole project, where a lockfile was copied, is the
# install that ignores it; `update vendor/pkg` and `update --lock` (rewrites only the lock's
# hash) are deliberate. A composer.json with `"config": {"lock": false}` uses no lockfile.
UPDATE_VERBS = frozenset({"update", "u", "upgrade"})
INSTALL_VERB = "install"
# Options `install` takes as well (its own and Composer's global ones): only with these does
# `update` become `install` with the same meaning otherwise.
_INSTALL_OPTIONS = frozenset(
    {"--prefer-install", "--prefer-source", "--prefer-dist", "--dry-run", "--dev", "--no-dev",
     "--no-autoloader", "--no-scripts", "--no-plugins", "--no-progress", "--no-cache",
     "--optimize-autoloader", "--classmap-authoritative", "--apcu-autoloader",
     "--apcu-autoloader-prefix", "--ignore-platform-reqs", "--ignore-platform-req",
     "--no-interaction", "--quiet", "--verbose", "--ansi", "--no-ansi", "--profile",
     "--audit", "--audit-format", "--no-suggest"}
)  # fmt: skip
_INSTALL_SHORT = frozenset("oanqv")


def lockfile_of(cmd: Command) -> str | None:
    """composer.lock for `composer update` of every package, where it runs (not `-d`)."""
    word = verb(cmd)
    if word is None or word.text not in UPDATE_VERBS or len(cmd.operands(VALUE_OPTIONS)) > 1:
        return None
    return None if cmd.has_option("-d", "--working-dir", "--lock") else LOCKFILES[0]


def _installs_too(option: str) -> bool:
    name = option.partition("=")[0]
    if name.startswith("--"):
        return name in _INSTALL_OPTIONS
    return set(name[1:]) <= _INSTALL_SHORT


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    """`install` in place of `update`, when every option is one `install` takes too (no edit
    with `--with-all-dependencies`, `--prefer-lowest`...); None when composer.json turns the
    lockfile off."""
    if context is not None:
        prefix = f"{project_dir}/" if project_dir else ""
        data: Any = context.read_json(prefix + MANIFESTS[0])
        config = data.get("config") if isinstance(data, dict) else None
        if isinstance(config, dict) and config.get("lock") is False:
            return None
    same = all(_installs_too(w.text) for w in cmd.option_words())
    return LockfileForm(verb(cmd) if same else None, INSTALL_VERB, "replace")


# Leaving `require-dev` out (Composer CLI): `install --no-dev`, or COMPOSER_NO_DEV=1 (Composer
# 2.2+). A later `dump-autoload` follows the last install's choice.
NO_DEV_FLAG = "--no-dev"
NO_DEV_VARIABLE = "COMPOSER_NO_DEV"
DEV_OUTPUTS: tuple[str, ...] = ("vendor",)
# Composer's own commands: any other verb runs a script of composer.json (`composer test`).
_COMMANDS = frozenset(
    {"install", "i", "update", "u", "upgrade", "require", "r", "remove", "rm", "dump-autoload",
     "dumpautoload", "clear-cache", "clearcache", "cc", "config", "diagnose", "validate",
     "check-platform-reqs", "show", "info", "outdated", "self-update", "selfupdate", "global",
     "licenses", "audit", "depends", "why", "prohibits", "why-not", "fund", "status",
     "archive", "create-project", "init", "search", "bump", "reinstall", "about", "list",
     "help"}
)  # fmt: skip


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """`--no-dev` after `install`; None when the install leaves them out already or
    composer.json (when the context shows it) has no `require-dev`."""
    word = verb(cmd)
    if word is None or not is_dependency_install(cmd) or cmd.has_option(NO_DEV_FLAG, "--dev"):
        return None
    if command_env(cmd, env).get(NO_DEV_VARIABLE, "") not in ("", "0"):
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    data: Any = context.read_json(prefix + MANIFESTS[0]) if context is not None else None
    if isinstance(data, dict) and not data.get("require-dev"):
        return None
    return DevForm((word,), NO_DEV_FLAG)


def needs_dev(cmd: Command) -> bool:
    """A composer.json script (`composer test`, `composer run-script x`, `composer exec x`)."""
    word = verb(cmd)
    return word is not None and word.text not in _COMMANDS


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    return {}


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """LW304's way from a full install to the production one: the same `composer install
    --no-dev` again (it removes the `require-dev` packages from `vendor/`); None when
    COMPOSER_VENDOR_DIR or composer.json's `vendor-dir` (read when the context shows it; None
    without a context) puts the packages elsewhere."""
    if "COMPOSER_VENDOR_DIR" in command_env(cmd, env) or context is None:
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    data: Any = context.read_json(prefix + MANIFESTS[0])
    config = data.get("config") if isinstance(data, dict) else None
    if isinstance(config, dict) and "vendor-dir" in config:
        return None
    return Pruning("vendor", cmd.text) if is_dependency_install(cmd) else None


# Not starting over: `composer install` updates vendor/ in place.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
unproven = never_unproven
offline = never_offline
