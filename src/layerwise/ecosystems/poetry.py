"""Poetry: `poetry install` / `poetry sync` of pyproject.toml + poetry.lock, and its cache.

Facts from Poetry's documentation: "Configuration" (`cache-dir` defaults to
`$XDG_CACHE_HOME/pypoetry`, `~/.cache/pypoetry` on Linux, env `POETRY_CACHE_DIR`;
`virtualenvs.path` defaults to `{cache-dir}/virtualenvs`, so a mount on the whole cache
directory would hold the environment itself unless `virtualenvs.create` is false or
`virtualenvs.in-project` true; the downloaded packages live in `{cache-dir}/cache` and
`{cache-dir}/artifacts`; a project's `poetry.toml` holds local configuration) and the CLI
reference (`install` follows poetry.lock when it exists; `--no-root` installs the dependencies
without the project; `--only main` / `--without dev` leave the dev group out; `--no-cache`
disables the cache; `poetry cache clear`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from layerwise.ecosystems import _python
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    DevForm,
    LockfileForm,
    Pruning,
    cleans_as_a_whole,
    command_env,
    is_under,
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

NAME = "poetry"
PROGRAMS = frozenset({"poetry"})
MANIFESTS: tuple[str, ...] = ("pyproject.toml",)
LOCKFILES: tuple[str, ...] = ("poetry.lock",)
# Kept as it was while a real build of these fixes is under way (issue 9).
BUILD_PROVEN = True
PROJECT_CONFIG = ("poetry.toml",)
INSTALL_VERBS = frozenset({"install", "sync"})
VALUE_OPTIONS = frozenset(
    {"--only", "--with", "--without", "-E", "--extras", "--directory", "-C", "--project", "-P"}
)
NO_ROOT_FLAG = "--no-root"
NO_CACHE_FLAG = "--no-cache"
# Poetry reads a boolean setting from POETRY_* with `boolean_normalizer` (poetry/config/
# config.py): `val.lower() in ["true", "1"]` in Poetry 2, `val in ["true", "1"]` in Poetry 1.
# So `yes` and `on` are false, and `True` is true for Poetry 2 alone: only `true` and `1` are
# true for both, and only a value set and neither of them (any case) is false for both.
_TRUE = ("true", "1")


def cache_dir(home: str, env: Mapping[str, str] | None = None) -> str:
    return _python.cache_dir("pypoetry", "POETRY_CACHE_DIR", home, env or {})


def venvs_dir(root: str, env: Mapping[str, str]) -> str | None:
    """The folder Poetry creates the project's environment in, for cache directory `root`:
    `virtualenvs.path` (default `{cache-dir}/virtualenvs`; Poetry fills in `{cache-dir}`).
    None when ENV says it creates none there (`virtualenvs.create` false, or
    `virtualenvs.in-project` true: the environment is the project's `.venv`)."""
    create = env.get("POETRY_VIRTUALENVS_CREATE", "")
    in_project = env.get("POETRY_VIRTUALENVS_IN_PROJECT", "")
    if (create and create.lower() not in _TRUE) or in_project in _TRUE:
        return None
    path = env.get("POETRY_VIRTUALENVS_PATH") or "{cache-dir}/virtualenvs"
    return path.replace("{cache-dir}", root)


def cache_targets(home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """The cache directory when the environment provably lands outside it, else its package
    folders (`cache/` and `artifacts/`) that do not hold it: a mount holding the environment
    would keep the installed packages out of the image. A relative or `~` path is not known
    before Poetry runs, so it counts as inside the cache directory."""
    root = cache_dir(home, env).rstrip("/") or "/"
    venvs = venvs_dir(root, env)
    known = venvs is not None and venvs.startswith("/")
    if venvs is None or (known and not is_under(venvs, root)):
        return (root,)
    parts = (f"{root}/cache", f"{root}/artifacts")
    return tuple(p for p in parts if not (known and is_under(venvs, p)))


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return tuple(CacheMount.for_user(t, uid_gid) for t in cache_targets(home, {}))


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    word = verb(cmd)
    return word is not None and word.text in INSTALL_VERBS


def omits_dev(cmd: Command) -> bool:
    """`--only main`, `--without dev` (or `--no-dev` of Poetry before 1.2)."""
    return is_install(cmd) and (
        cmd.option_value("--only") == "main"
        or "dev" in (cmd.option_value("--without") or "").split(",")
        or cmd.has_option("--no-dev")
    )


def is_dependency_install(cmd: Command) -> bool:
    return is_install(cmd) and not cmd.has_option("--directory", "-C", "--project", "-P")


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """`poetry install --no-root` reads pyproject.toml, poetry.lock and poetry.toml: it moves,
    never proven (Poetry may still check files the project names, such as its readme). A plain
    `poetry install` also installs the project: `... --no-root` goes above the copy and the
    original stays."""
    if not is_dependency_install(cmd):
        return None
    required = (*MANIFESTS, *LOCKFILES)
    before = None if cmd.has_option(NO_ROOT_FLAG) else f"{cmd.text} {NO_ROOT_FLAG}"
    return _python.project_install(
        context, project_dir, required, PROJECT_CONFIG, before=before, movable=False
    )


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    if not is_install(cmd):
        return ()
    seen = command_env(cmd, env)
    return tuple(CacheMount.for_user(t, uid_gid) for t in cache_targets(home, seen))


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    if not is_install(cmd):
        return ()
    return tuple(w for w in cmd.option_words() if w.text == NO_CACHE_FLAG)


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`poetry cache clear`, or an `rm` of Poetry's cache directory."""
    return _clears_cache(cmd) or _python.removes_cache(cmd, "pypoetry", cache_dir(home))


def _clears_cache(cmd: Command) -> bool:
    """Poetry's own cleaning command."""
    operands = cmd.operands(VALUE_OPTIONS) if cmd.program_name in PROGRAMS else ()
    return [w.text for w in operands[:2]] == ["cache", "clear"]


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`poetry cache clear` empties the package folders an install by the same command would
    use (POETRY_CACHE_DIR moves them)."""
    return cache_targets(home, command_env(cmd, env)) if _clears_cache(cmd) else ()


cleaning_options = cleans_as_a_whole


def lockfile_of(cmd: Command) -> str | None:
    """None: `poetry install` installs what poetry.lock pins; on a stale lock Poetry 1 warns and
    Poetry 2 stops, neither re-resolves."""
    return None


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    return None


# Poetry 1.2+ spells "the main group alone" `--only main` (`--without dev` leaves out one group;
# Poetry before 1.2 had `--no-dev`). Options that pick the groups on purpose are left alone.
ONLY_MAIN = "--only main"
GROUP_CHOICES = ("--only", "--with", "--without", "--no-dev", "--only-root", "--all-groups")
DEV_OUTPUTS: tuple[str, ...] = (".venv",)


def has_dev_groups(context: BuildContext | None, project_dir: str) -> bool | None:
    """pyproject.toml declares a group besides `main` that `poetry install` installs (not
    `optional = true`), or Poetry 1.1's `[tool.poetry.dev-dependencies]`; None when unknown."""
    prefix = f"{project_dir}/" if project_dir else ""
    data = _python.read_toml(context, prefix + MANIFESTS[0])
    if data is None:
        return None
    poetry = _python.table(data, "tool", "poetry")
    groups = _python.table(poetry, "group")
    installed = (
        g for name, g in groups.items() if name != "main" and isinstance(g, dict)
        and not g.get("optional") and g.get("dependencies")
    )  # fmt: skip
    return bool(poetry.get("dev-dependencies")) or any(True for _ in installed)


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """`--only main` after `install`/`sync` (`--no-dev` when the stage installed a Poetry
    before 1.2, which has no `--only`); None when the command picks its groups already or the
    project has no group but `main`."""
    word = verb(cmd)
    if word is None or not is_dependency_install(cmd) or cmd.has_option(*GROUP_CHOICES):
        return None
    if has_dev_groups(context, project_dir) is False:
        return None
    return DevForm((word,), "--no-dev" if _before_1_2(earlier, env) else ONLY_MAIN)


# `poetry==1.1.15`, `poetry[plugin]==1.1.*` as pip, pipx or uv install it.
_PINNED = re.compile(r"poetry(?:\[[^\]]*\])?==(\d+)\.(\d+)", re.IGNORECASE)


def _before_1_2(earlier: Sequence[Command], env: Mapping[str, str]) -> bool:
    """The stage installs a Poetry older than 1.2: a pin in an earlier command, or
    POETRY_VERSION, which the official installer (install.python-poetry.org) reads."""
    pins = [m for c in earlier for w in c.words if (m := _PINNED.match(w.text))]
    found = [(int(m.group(1)), int(m.group(2))) for m in pins]
    version = re.fullmatch(r"(\d+)\.(\d+)(?:\.\S*)?", env.get("POETRY_VERSION", ""))
    if version is not None:
        found.append((int(version.group(1)), int(version.group(2))))
    return bool(found) and found[-1] < (1, 2)


def needs_dev(cmd: Command) -> bool:
    """`poetry run ...`, `poetry shell`."""
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


# Not starting over: `poetry install --sync` removes extra packages but keeps the installed ones.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
unproven = never_unproven
offline = never_offline
