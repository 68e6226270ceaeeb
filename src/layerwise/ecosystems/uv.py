"""uv: `uv sync` of a project (pyproject.toml + uv.lock), `uv pip install|sync` of requirement
files, its cache, and what a cache mount needs.

Facts from uv's documentation: "Caching" (the cache is `$UV_CACHE_DIR`, else
`$XDG_CACHE_HOME/uv`, else `~/.cache/uv`; `--cache-dir`; `--no-cache`/`-n` and `UV_NO_CACHE`
use a temporary cache; `uv cache clean|prune`), "Using uv in Docker" (a cache mount on
/root/.cache/uv with `UV_LINK_MODE=copy`, since the cache and the environment are on different
file systems and uv cannot hard-link across them; `uv sync --locked --no-install-project` after
copying pyproject.toml and uv.lock, then the project, then `uv sync --locked`), and the
`uv sync` reference (`--locked` fails when uv.lock is out of date, `--frozen` uses it without
checking, `--no-dev` leaves the dev group out; the project's `.venv` is the environment; uv
reads `.python-version` and `uv.toml` from the project folder).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from layerwise.ecosystems import _python, pip
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    command_env,
    env_words,
    subcommand,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "uv"
PROGRAMS = frozenset({"uv"})
MANIFESTS: tuple[str, ...] = ("pyproject.toml",)
LOCKFILES: tuple[str, ...] = ("uv.lock",)
# The layout its fixes write built on BuildKit: tests/apps/python-uv.
BUILD_PROVEN = True
# Project files uv reads when present beside pyproject.toml.
PROJECT_CONFIG = (".python-version", "uv.toml")
VALUE_OPTIONS = frozenset(
    {"--directory", "--project", "--extra", "--group", "--only-group", "--no-group", "--python",
     "-p", "--index", "--default-index", "--index-url", "-i", "--extra-index-url", "--find-links",
     "-f", "--cache-dir", "--package", "-r", "--requirement", "-c", "--constraint", "--override",
     "--target", "--prefix", "--config-file", "--no-install-package", "--reinstall-package",
     "--upgrade-package", "-P", "--link-mode", "--color", "--exclude-newer", "--index-strategy",
     "--keyring-provider", "--resolution", "--prerelease", "--refresh-package",
     "--python-platform", "--python-version", "--only-binary", "--no-binary", "--config-setting",
     "-C", "--script"}
)  # fmt: skip
LOCK_FLAGS = ("--locked", "--frozen")
DEPENDENCIES_ONLY_FLAG = "--no-install-project"
NO_DEV_FLAG = "--no-dev"
NO_CACHE_FLAGS = ("--no-cache", "-n")
NO_CACHE_VARIABLES = frozenset({"UV_NO_CACHE"})
LINK_MODE = "UV_LINK_MODE=copy"


def cache_dir(home: str, env: Mapping[str, str] | None = None) -> str:
    return _python.cache_dir("uv", "UV_CACHE_DIR", home, env or {})


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (CacheMount.for_user(cache_dir(home), uid_gid),)


def _operands(cmd: Command) -> tuple[Word, ...]:
    if cmd.program_name not in PROGRAMS:
        return ()
    return cmd.operands(VALUE_OPTIONS)


def verb(cmd: Command) -> Word | None:
    """`sync` in `uv --directory app sync`; `pip` in `uv pip install`."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def _verbs(cmd: Command) -> tuple[str, ...]:
    return tuple(w.text for w in _operands(cmd)[:2])


def is_sync(cmd: Command) -> bool:
    return _verbs(cmd)[:1] == ("sync",)


def is_pip_install(cmd: Command) -> bool:
    """`uv pip install ...` or `uv pip sync requirements.txt`."""
    return _verbs(cmd) in (("pip", "install"), ("pip", "sync"))


def is_install(cmd: Command) -> bool:
    return is_sync(cmd) or is_pip_install(cmd)


def is_locked(cmd: Command) -> bool:
    """The install honours uv.lock as it is (`--locked` checks it, `--frozen` trusts it)."""
    return is_sync(cmd) and cmd.has_option(*LOCK_FLAGS)


def omits_dev(cmd: Command) -> bool:
    return is_sync(cmd) and cmd.has_option(NO_DEV_FLAG, "--only-group")


def _requirement_files(cmd: Command) -> tuple[str, ...]:
    """`-r x` of `uv pip install`, or the operands of `uv pip sync`."""
    if _verbs(cmd) == ("pip", "sync"):
        return tuple(w.text for w in _operands(cmd)[2:])
    found = []
    args = cmd.args
    for i, word in enumerate(args):
        if word.text in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(args):
            found.append(args[i + 1].text)
        elif word.text.startswith(("--requirement=", "--constraint=")):
            found.append(word.text.partition("=")[2])
    return tuple(found)


def is_dependency_install(cmd: Command) -> bool:
    """`uv sync` (the project's dependencies, and the project unless `--no-install-project`),
    or `uv pip install -r requirements.txt` naming no local source."""
    if is_sync(cmd):
        return not cmd.has_option("--directory", "--project", "--script")
    if not is_pip_install(cmd) or not _requirement_files(cmd):
        return False
    locals_ = [w.text for w in _operands(cmd)[2:]] + [cmd.option_value("-e", "--editable") or ""]
    return not any(pip.installs_from_context(t) for t in locals_ if t)


def dependency_install(
    cmd: Command, context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """`uv sync --no-install-project` reads pyproject.toml and uv.lock (and `.python-version`,
    `uv.toml`): it moves above the copy. A plain `uv sync` also installs the project from its
    sources: `uv sync ... --no-install-project` goes above the copy and the original stays.
    Both are proven only with `--locked`/`--frozen`: else the first sync may re-resolve and
    rewrite uv.lock, which the copy then lays over. The split builds nothing above the copy
    (static metadata, no local sources), so the project's readme or build files are not read."""
    if not is_dependency_install(cmd):
        return None
    if is_pip_install(cmd):
        return pip.requirements_install(_requirement_files(cmd), context, project_dir)
    if cmd.has_option(DEPENDENCIES_ONLY_FLAG, "--only-deps"):
        required = (*MANIFESTS, *LOCKFILES)
        return _python.project_install(
            context, project_dir, required, PROJECT_CONFIG, movable=is_locked(cmd)
        )
    return _python.project_install(
        context,
        project_dir,
        (*MANIFESTS, *LOCKFILES),
        PROJECT_CONFIG,
        before=f"{cmd.text} {DEPENDENCIES_ONLY_FLAG}",
        movable=is_locked(cmd),
    )


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    if not is_install(cmd):
        return ()
    target = cmd.option_value("--cache-dir") or cache_dir(home, command_env(cmd, env))
    return (CacheMount.for_user(target, uid_gid),)


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    """`--no-cache`/`-n` and a `UV_NO_CACHE=...` prefix of an install."""
    if not is_install(cmd):
        return ()
    flags = tuple(w for w in cmd.option_words() if w.text in NO_CACHE_FLAGS)
    return (*env_words(cmd, NO_CACHE_VARIABLES), *flags)


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    """`UV_LINK_MODE=copy` unless the link mode is already chosen (ENV, prefix, option)."""
    if not is_install(cmd) or cmd.has_option("--link-mode"):
        return ()
    return () if command_env(cmd, env).get("UV_LINK_MODE") else (LINK_MODE,)


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`uv cache clean|prune`, or an `rm` of uv's cache directory."""
    if _verbs(cmd) in (("cache", "clean"), ("cache", "prune")):
        return True
    return _python.removes_cache(cmd, "uv", cache_dir(home))
