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

import re
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


# Options that choose the groups a sync installs on purpose (`--only-group`, `--no-default-groups`,
# `--only-dev`...), `--no-dev` among them.
GROUP_CHOICES = (NO_DEV_FLAG, "--only-group", "--no-default-groups", "--only-dev", "--group",
                 "--all-groups", "--no-group", "--dev")  # fmt: skip
NO_DEV_VARIABLE = "UV_NO_DEV"


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


# What makes uv run in, or sync, a folder other than the RUN's: its options and their variables
# (uv's environment reference: UV_PROJECT is `--project`, UV_WORKING_DIR `--directory`, which
# uv 0.9.1-0.9.13 called UV_WORKING_DIRECTORY). The files the install reads are then there.
_ELSEWHERE_OPTIONS = ("--directory", "--project")
_ELSEWHERE_VARIABLES = ("UV_PROJECT", "UV_WORKING_DIR", "UV_WORKING_DIRECTORY")


def _elsewhere(cmd: Command, env: Mapping[str, str]) -> bool:
    seen = command_env(cmd, env)
    return cmd.has_option(*_ELSEWHERE_OPTIONS) or any(seen.get(v) for v in _ELSEWHERE_VARIABLES)


def is_dependency_install(cmd: Command) -> bool:
    """`uv sync` (the project's dependencies, and the project unless `--no-install-project`),
    or `uv pip install -r requirements.txt` naming no local source; in the RUN's folder."""
    if cmd.has_option(*_ELSEWHERE_OPTIONS):
        return False
    if is_sync(cmd):
        return not cmd.has_option("--script")
    if not is_pip_install(cmd) or not _requirement_files(cmd):
        return False
    locals_ = [w.text for w in _operands(cmd)[2:]] + [cmd.option_value("-e", "--editable") or ""]
    return not any(pip.installs_from_context(t) for t in locals_ if t)


# Where `uv pip install` looks beyond its requirement files; a local path there is read from the
# context, as with pip (`pip.looks_in_context`). uv's "Environment variables" reference:
# UV_FIND_LINKS (comma-separated), UV_CONSTRAINT, UV_OVERRIDE, UV_BUILD_CONSTRAINT (files,
# space-separated). uv reads none of pip's PIP_* variables.
_LOOK_OPTIONS = ("-f", "--find-links", "--override", "-b", "--build-constraint")
_LOOK_VARIABLES = ("UV_FIND_LINKS", "UV_CONSTRAINT", "UV_OVERRIDE", "UV_BUILD_CONSTRAINT")


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """`uv sync --no-install-project` reads pyproject.toml and uv.lock (and `.python-version`,
    `uv.toml`): it moves above the copy. A plain `uv sync` also installs the project from its
    sources: `uv sync ... --no-install-project` goes above the copy and the original stays.
    Both are proven only with `--locked`/`--frozen`: else the first sync may re-resolve and
    rewrite uv.lock, which the copy then lays over. The split builds nothing above the copy
    (static metadata, no local sources), so the project's readme or build files are not read.
    `uv pip install -r ...` reads what pip's would (`pip.requirements_install`); None when its
    options or ENV name a local path to look in (`--find-links wheels`, UV_CONSTRAINT), and
    when ENV or a prefix moves uv to another folder (UV_PROJECT, UV_WORKING_DIR) or names a
    configuration file (`--config-file`, UV_CONFIG_FILE: uv stops when it is missing)."""
    if not is_dependency_install(cmd) or _elsewhere(cmd, env):
        return None
    if names_config_file(cmd, env, ("--config-file",), ("UV_CONFIG_FILE",)):
        return None
    if is_pip_install(cmd):
        if pip.looks_in_context(cmd, cmd.args, env, _LOOK_OPTIONS, _LOOK_VARIABLES):
            return None
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
    if not is_install(cmd) or offline(cmd, env):
        return ()
    return (CacheMount.for_user(_cache_of(cmd, home, env), uid_gid),)


def offline(cmd: Command, env: Mapping[str, str]) -> bool:
    """`--offline` (or UV_OFFLINE): uv makes no network request and uses only its cache and
    local files. A mount spares no download, and an empty one would hide the cache the image
    holds."""
    if cmd.has_option("--offline"):
        return True
    return command_env(cmd, env).get("UV_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def _cache_of(cmd: Command, home: str, env: Mapping[str, str]) -> str:
    """`--cache-dir` wins over `UV_CACHE_DIR` (ENV or prefix)."""
    return cmd.option_value("--cache-dir") or cache_dir(home, command_env(cmd, env))


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
    return _cleans_cache(cmd) or _python.removes_cache(cmd, "uv", cache_dir(home))


def _cleans_cache(cmd: Command) -> bool:
    """uv's own cleaning command."""
    return _verbs(cmd) in (("cache", "clean"), ("cache", "prune"))


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`uv cache clean` empties the cache an install by the same command would use."""
    return (_cache_of(cmd, home, env),) if _cleans_cache(cmd) else ()


cleaning_options = cleans_as_a_whole


# Lockfile-honouring installs (LW107), from uv's "Locking and syncing" page and the `uv sync`
# reference: a plain `uv sync` re-locks when uv.lock no longer matches pyproject.toml and
# rewrites it; `--locked` raises an error instead, `--frozen` installs uv.lock without checking
# it (a dependency added to pyproject.toml since is silently missing). `UV_LOCKED` and
# `UV_FROZEN` are the same options as variables. The fix writes `--locked`, what uv's Docker
# guide uses: a stale lock stops the build rather than shipping what nobody locked.
LOCK_VARIABLES = ("UV_LOCKED", "UV_FROZEN")
# Options that change what the sync resolves or checks: the lock is re-made or not used as is.
LOCK_CHOICES = ("--upgrade", "-U", "--upgrade-package", "-P", "--dry-run", "--check",
                *_ELSEWHERE_OPTIONS, "--script")  # fmt: skip
# What makes uv.lock's freshness depend on more than pyproject.toml: indexes and resolver
# settings from the command or ENV (a lock from other indexes is stale to `--locked`).
_RESOLVER_OPTIONS = ("--index", "--default-index", "--index-url", "-i", "--extra-index-url",
                     "--find-links", "-f", "--resolution", "--prerelease", "--exclude-newer",
                     "--index-strategy", "--no-sources", "--config-file")  # fmt: skip
_RESOLVER_VARIABLES = ("UV_INDEX", "UV_DEFAULT_INDEX", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL",
                       "UV_FIND_LINKS", "UV_RESOLUTION", "UV_PRERELEASE", "UV_EXCLUDE_NEWER",
                       "UV_INDEX_STRATEGY", "UV_NO_SOURCES", "UV_CONFIG_FILE")  # fmt: skip
DEFAULT_INDEX = "https://pypi.org/simple"
# The top-level keys of a uv.lock for one project resolved with default settings.
_PLAIN_LOCK_KEYS = frozenset({"version", "revision", "requires-python", "resolution-markers",
                              "package"})  # fmt: skip
# `name` or `name<op>version[, ...]`: a requirement with no extras, marker or URL.
_PLAIN_REQUIREMENT = re.compile(
    r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*([<>=!~][^;@\[\]]*)?"
)


def lockfile_of(cmd: Command) -> str | None:
    """uv.lock for `uv sync` in the folder where it runs, without `--locked` or `--frozen`."""
    if not is_sync(cmd) or cmd.has_option(*LOCK_FLAGS, *LOCK_CHOICES):
        return None
    return LOCKFILES[0]


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    """`--locked` after `sync`; None when UV_LOCKED or UV_FROZEN is set, or the sync is of
    another folder's project (UV_PROJECT...). Proven when the context's uv.lock records what
    pyproject.toml asks for (`lock_in_sync`) and nothing on the command or in ENV changes which
    indexes or resolver settings the check compares."""
    seen = command_env(cmd, env)
    if env_flag(seen, *LOCK_VARIABLES) or _elsewhere(cmd, env):
        return None
    settled = not cmd.has_option(*_RESOLVER_OPTIONS) and not any(
        seen.get(v) for v in _RESOLVER_VARIABLES
    )
    proven = settled and lock_in_sync(context, project_dir)
    return LockfileForm(verb(cmd), LOCK_FLAGS[0], proven=proven)


def lock_in_sync(context: BuildContext | None, project_dir: str) -> bool:
    """The context's uv.lock records what the project's pyproject.toml asks for, where that is
    simple enough to compare: a single project with no `[tool.uv]` table, no uv.toml, no
    optional dependencies or dynamic metadata, requirements that are a name and version
    specifiers, the same `requires-python`, no `[options]` or `[manifest]` in uv.lock, and
    every locked package from PyPI. Then the root
    package's `requires-dist` and `requires-dev` (uv's record of the manifest) must equal
    `dependencies` and `[dependency-groups]`. Anything else counts as not shown in sync."""
    if context is None:
        return False
    prefix = f"{project_dir}/" if project_dir else ""
    if context.exists(prefix + "uv.toml"):
        return False
    project, lock = (
        _python.read_toml(context, prefix + MANIFESTS[0]),
        _python.read_toml(context, prefix + LOCKFILES[0]),
    )
    meta = project.get("project") if project is not None else None
    if project is None or lock is None or not isinstance(meta, dict):
        return False
    tool = project.get("tool")
    if (isinstance(tool, dict) and "uv" in tool) or meta.get("dynamic"):
        return False
    if meta.get("optional-dependencies") or not isinstance(meta.get("name"), str):
        return False
    if _specifiers(meta.get("requires-python", "")) != _specifiers(lock.get("requires-python", "")):
        return False
    if not set(lock) <= _PLAIN_LOCK_KEYS:
        return False  # `[options]`, `[manifest]`: settings and workspace data uv compares too
    packages = lock.get("package")
    if not isinstance(packages, list) or not all(isinstance(p, dict) for p in packages):
        return False
    name = _normalized(meta["name"])
    root = [p for p in packages if p.get("name") == name]
    others = [p for p in packages if p.get("name") != name]
    if len(root) != 1 or root[0].get("source") not in ({"editable": "."}, {"virtual": "."}):
        return False
    if any(p.get("source") != {"registry": DEFAULT_INDEX} for p in others):
        return False
    recorded = root[0].get("metadata", {})
    if not isinstance(recorded, dict):
        return False
    groups = project.get("dependency-groups", {})
    dev = recorded.get("requires-dev", {})
    if not isinstance(groups, dict) or not isinstance(dev, dict):
        return False
    wanted = {_normalized(k): _requirements(v) for k, v in groups.items()}
    locked = {_normalized(k): _locked(v) for k, v in dev.items()}
    deps = _requirements(meta.get("dependencies", []))
    return (
        deps is not None
        and deps == _locked(recorded.get("requires-dist", []))
        and None not in wanted.values()
        and wanted == locked
    )


def _normalized(name: str) -> str:
    """A package or group name as PEP 503 compares it (`Flask_Login` -> `flask-login`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _specifiers(spec: object) -> tuple[str, ...] | None:
    """`>= 3.11, <4` -> (`<4`, `>=3.11`): order and blanks do not count."""
    if not isinstance(spec, str):
        return None
    return tuple(sorted(p.replace(" ", "") for p in spec.split(",") if p.strip()))


def _requirements(items: object) -> frozenset[tuple[str, tuple[str, ...] | None]] | None:
    """pyproject.toml requirement strings as (name, specifiers); None when one is more than a
    name and version specifiers (extras, a marker, a URL, an included group)."""
    if not isinstance(items, list):
        return None
    out = set()
    for item in items:
        match = _PLAIN_REQUIREMENT.fullmatch(item) if isinstance(item, str) else None
        if match is None:
            return None
        out.add((_normalized(match.group(1)), _specifiers(match.group(2) or "")))
    return frozenset(out)


def _locked(items: object) -> frozenset[tuple[str, tuple[str, ...] | None]] | None:
    """uv.lock's `{ name = "x", specifier = ">=1" }` entries as (name, specifiers); None when
    an entry records more (extras, a marker, a source)."""
    if not isinstance(items, list):
        return None
    out = set()
    for item in items:
        if not isinstance(item, dict) or not set(item) <= {"name", "specifier"}:
            return None
        name = item.get("name")
        if not isinstance(name, str):
            return None
        out.add((_normalized(name), _specifiers(item.get("specifier", ""))))
    return frozenset(out)


DEV_OUTPUTS: tuple[str, ...] = (".venv",)


def syncs_dev_group(context: BuildContext | None, project_dir: str) -> bool | None:
    """The project's pyproject.toml declares a `dev` dependency group (`[dependency-groups]`,
    or uv's older `tool.uv.dev-dependencies`) that `uv sync` installs by default; False too
    when `tool.uv.default-groups` chooses the default groups (what they hold is that setting's
    business); None when unknown."""
    prefix = f"{project_dir}/" if project_dir else ""
    data = _python.read_toml(context, prefix + MANIFESTS[0])
    if data is None:
        return None
    tool = _python.table(data, "tool", "uv")
    if "default-groups" in tool:
        return False
    return "dev" in _python.table(data, "dependency-groups") or bool(tool.get("dev-dependencies"))


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """`--no-dev` after `sync` (uv syncs the `dev` group by default); None when a group option
    or UV_NO_DEV chooses the groups, or the project declares no `dev` group. `uv pip install`
    installs the requirement files it names, as pip does (`pip.requirements_dev_form`)."""
    if is_pip_install(cmd) and is_dependency_install(cmd):
        return pip.requirements_dev_form(cmd.args, context, project_dir)
    if not is_sync(cmd) or not is_dependency_install(cmd) or cmd.has_option(*GROUP_CHOICES):
        return None
    if env_flag(command_env(cmd, env), NO_DEV_VARIABLE):
        return None
    word = verb(cmd)
    if word is None or syncs_dev_group(context, project_dir) is False:
        return None
    return DevForm((word,), NO_DEV_FLAG)


def needs_dev(cmd: Command) -> bool:
    """`uv run` (it also syncs the `dev` group back in, unless told otherwise)."""
    return _verbs(cmd)[:1] in (("run",), ("tool",))


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    return {}


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """LW304's way from a full sync to the production one: the same `uv sync --no-dev` again
    (a sync is exact: it removes what it leaves out) on the project's `.venv`, unless
    UV_PROJECT_ENVIRONMENT puts the environment elsewhere."""
    if not is_sync(cmd) or "UV_PROJECT_ENVIRONMENT" in command_env(cmd, env):
        return None
    return Pruning(".venv", cmd.text)


# Not starting over: `uv sync` removes extraneous packages but keeps the venv and what it installed.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
unproven = never_unproven
