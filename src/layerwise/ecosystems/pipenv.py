"""Pipenv: `pipenv install` / `pipenv sync` of Pipfile + Pipfile.lock, and its cache.

Facts from Pipenv's documentation ("Configuration": `PIPENV_CACHE_DIR`, default the user cache
folder `~/.cache/pipenv`, which Pipenv hands to pip as its cache; Pipenv loads `.env` from the
project folder unless `PIPENV_DONT_LOAD_ENV`; "Commands": `install --deploy` stops when
Pipfile.lock is out of date, `install --system` installs into the system Python, `sync`
installs what Pipfile.lock pins; dev packages are left out unless `--dev`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from layerwise.ecosystems import _python, pip
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    DevForm,
    LockfileForm,
    Pruning,
    cleans_as_a_whole,
    command_env,
    env_flag,
    env_words,
    names_config_file,
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

NAME = "pipenv"
PROGRAMS = frozenset({"pipenv"})
MANIFESTS: tuple[str, ...] = ("Pipfile",)
LOCKFILES: tuple[str, ...] = ("Pipfile.lock",)
# PIPENV_PIPFILE "specifies a custom Pipfile location" (Pipenv's "Configuration"); the lockfile
# is read beside it and the project is its folder.
PIPFILE_VARIABLE = "PIPENV_PIPFILE"
# Kept as it was while a real build of these fixes is under way (issue 9).
BUILD_PROVEN = True
PROJECT_CONFIG = (".env",)
# Pipenv's configuration page: PIPENV_DOTENV_LOCATION names the .env file it loads instead; the
# pip it runs reads PIP_CONFIG_FILE.
CONFIG_VARIABLES = ("PIPENV_DOTENV_LOCATION", *pip.CONFIG_VARIABLES)
INSTALL_VERBS = frozenset({"install", "sync"})
VALUE_OPTIONS = frozenset(
    {"--python", "--pypi-mirror", "-i", "--index", "--extra-index-url", "--categories",
     "-r", "--requirements"}
)  # fmt: skip
LOCK_FLAGS = ("--deploy", "--ignore-pipfile")


def cache_dir(home: str, env: Mapping[str, str] | None = None) -> str:
    return _python.cache_dir("pipenv", "PIPENV_CACHE_DIR", home, env or {})


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (CacheMount.for_user(cache_dir(home), uid_gid),)


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    word = verb(cmd)
    return word is not None and word.text in INSTALL_VERBS


def is_locked(cmd: Command) -> bool:
    """`pipenv sync`, `pipenv install --deploy` / `--ignore-pipfile`: what Pipfile.lock pins."""
    word = verb(cmd)
    if word is None or word.text not in INSTALL_VERBS:
        return False
    return word.text == "sync" or cmd.has_option(*LOCK_FLAGS)


def is_dependency_install(cmd: Command) -> bool:
    """`pipenv install` naming no package (and no requirements file), or `pipenv sync`."""
    if not is_install(cmd) or cmd.has_option("-r", "--requirements", "-e", "--editable"):
        return False
    return len(cmd.operands(VALUE_OPTIONS)) == 1


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """Pipfile and Pipfile.lock (and `.env`, which Pipenv loads) move with the install: proven
    when the context has both and the Pipfile names no local path, and the install does not
    rewrite Pipfile.lock (`--deploy`, `sync`), which a later `COPY . .` would lay over. None
    when PIPENV_PIPFILE (ENV, ARG or prefix) points at a Pipfile elsewhere, or a file of
    settings is named (PIPENV_DOTENV_LOCATION, and PIP_CONFIG_FILE for the pip Pipenv runs):
    what it reads may come only with the broad COPY."""
    if not is_dependency_install(cmd) or _pipfile_elsewhere(cmd, env):
        return None
    if names_config_file(cmd, env, variables=CONFIG_VARIABLES):
        return None
    required = (*MANIFESTS, *LOCKFILES)
    return _python.project_install(
        context, project_dir, required, PROJECT_CONFIG, movable=is_locked(cmd)
    )


def _pipfile_elsewhere(cmd: Command, env: Mapping[str, str]) -> bool:
    """PIPENV_PIPFILE set to a value (an empty one is unset for Pipenv) in the command's
    environment: the install reads that Pipfile, not the one where it runs."""
    return bool(command_env(cmd, env).get(PIPFILE_VARIABLE))


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    if not is_install(cmd) or pip.disabled_by_env(env):
        return ()
    return (CacheMount.for_user(cache_dir(home, command_env(cmd, env)), uid_gid),)


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    """A `PIP_NO_CACHE_DIR=...` prefix: Pipenv runs pip, which then caches nothing."""
    return env_words(cmd, pip.NO_CACHE_VARIABLES) if is_install(cmd) else ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """An `rm` of Pipenv's cache directory (`pipenv --clear` empties it too)."""
    return _clears_cache(cmd) or _python.removes_cache(cmd, "pipenv", cache_dir(home))


def _clears_cache(cmd: Command) -> bool:
    """Pipenv's own cleaning command."""
    return cmd.program_name in PROGRAMS and cmd.has_option("--clear")


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`pipenv --clear` empties the cache PIPENV_CACHE_DIR (ENV or prefix) names."""
    return (cache_dir(home, command_env(cmd, env)),) if _clears_cache(cmd) else ()


cleaning_options = cleans_as_a_whole


# Lockfile-honouring installs (LW107), from Pipenv's source (routines/install.py `do_init`) and
# its `--deploy` help ("Abort if the Pipfile.lock is out-of-date, or Python version is wrong"):
# `pipenv install` compares Pipfile.lock's `_meta.hash` with the Pipfile's and, when they
# differ, re-locks and rewrites Pipfile.lock before installing; with `--system` outside a
# virtualenv it warns and installs the stale lock as it is instead ("Continuing anyway"), so
# only a virtualenv install rewrites it. `--deploy` stops on a stale lock, and also when the
# interpreter is not the Pipfile's `[requires] python_version`.
DEPLOY = "--deploy"
# Options that settle what happens to the lockfile on purpose.
LOCKFILE_CHOICES = (*LOCK_FLAGS, "--skip-lock", "--selective-upgrade")


def lockfile_of(cmd: Command) -> str | None:
    """Pipfile.lock for `pipenv install` of the Pipfile's packages (no package named)."""
    word = verb(cmd)
    if word is None or word.text != "install" or not is_dependency_install(cmd):
        return None
    return None if cmd.has_option(*LOCKFILE_CHOICES) else LOCKFILES[0]


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    """`--deploy` after `install`, never proven (layerwise checks neither Pipenv's hash of the
    Pipfile nor the image's Python). None for a `--system` install outside a virtualenv (it
    installs the stale lock as it is), with PIPENV_SKIP_LOCK, or a Pipfile PIPENV_PIPFILE moves."""
    seen = command_env(cmd, env)
    if cmd.has_option("--system") and not seen.get("VIRTUAL_ENV"):
        return None
    if env_flag(seen, "PIPENV_SKIP_LOCK") or _pipfile_elsewhere(cmd, env):
        return None
    return LockfileForm(verb(cmd), DEPLOY)


# `--dev` (`-d`, or PIPENV_DEV) adds the Pipfile's [dev-packages]; without it an install or a
# sync leaves them out already.
DEV_FLAGS = ("--dev", "-d")
DEV_VARIABLE = "PIPENV_DEV"
DEV_OUTPUTS: tuple[str, ...] = (".venv",)


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """Remove `--dev` (or a `PIPENV_DEV=1` in front of the command); no edit when ENV sets
    PIPENV_DEV. None without either: `pipenv install` leaves [dev-packages] out by default."""
    if not is_dependency_install(cmd):
        return None
    words = tuple(w for w in cmd.option_words() if w.text in DEV_FLAGS)
    words += env_words(cmd, frozenset({DEV_VARIABLE}))
    if words:
        return DevForm(words, "", "remove", " ".join(w.text for w in words))
    if env_flag(command_env(cmd, env), DEV_VARIABLE):
        return DevForm((), "")
    return None


def needs_dev(cmd: Command) -> bool:
    """`pipenv run ...`, `pipenv shell`."""
    word = verb(cmd)
    return word is not None and word.text in _python.RUN_VERBS


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    return {}


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: the install lands outside the project, or where settings decide."""
    return None


# Not starting over: Pipenv installs into the virtualenv it finds, skipping what is there.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
unproven = never_unproven
offline = never_offline
