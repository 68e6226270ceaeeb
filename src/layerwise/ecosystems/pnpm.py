"""pnpm: install commands, what an install reads, and the content-addressed store a cache
mount keeps.

Facts (pnpm docs "store-dir"; checked with pnpm 9.15.0 on node:20 with `pnpm store path`):
the store is $PNPM_HOME/store, else $XDG_DATA_HOME/pnpm/store, else
<home>/.local/share/pnpm/store (/root/... as root, /home/node/... as node); pnpm adds a `v3`
level below it; `--store-dir` and `npm_config_store_dir` (the `store-dir` setting) move it.
With a cache mount at that target `pnpm install` uses the mount (it copies when it cannot
hard-link across the mount).
pnpm.io/cli/fetch: the files `pnpm install` needs are `.npmrc`, package.json, pnpm-lock.yaml,
pnpm-workspace.yaml, `.pnpmfile.cjs` and `patches/`, plus each workspace member's
package.json; `pnpm fetch` reads only the lockfile (the manifests are ignored) and fills the
store, so `COPY pnpm-lock.yaml`, `pnpm fetch`, `COPY . .`, `pnpm install --offline` keeps the
downloads cached whatever package.json says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from layerwise.ecosystems import npm
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    DevForm,
    LockfileForm,
    Pruning,
    cleans_as_a_whole,
    command_env,
    deletes_inside,
    env_flag,
    is_ci,
    never_repeats_install,
    never_starts_over,
    never_unproven,
    no_build_outputs,
    no_output_cache,
    removed_paths,
    subcommand,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "pnpm"
PROGRAMS = frozenset({"pnpm"})
MANIFESTS: tuple[str, ...] = ("package.json", "pnpm-workspace.yaml")
LOCKFILES: tuple[str, ...] = ("pnpm-lock.yaml",)
# Proven by the buildable cases tests/fixtures/buildable/pnpm_* (install after COPY . ., USER
# node): pnpm finds its store under the home directory (the link test of @pnpm/store-path runs
# beside the mount, not into it) and copies from the mounted store where it cannot hard-link.
BUILD_PROVEN = True
INSTALL_VERBS = frozenset({"install", "i", "add", "fetch"})
VALUE_OPTIONS = frozenset(
    {"--store-dir", "--dir", "-C", "--filter", "-F", "--reporter", "--loglevel",
     "--registry", "--config.store-dir", "--virtual-store-dir", "--modules-dir", "--workspace-dir"}
)  # fmt: skip
FROZEN_FLAG = "--frozen-lockfile"
PRUNE_DEV_COMMAND = "pnpm prune --prod"
WORKSPACE = "pnpm-workspace.yaml"
# Project files an install reads when present (pnpm.io/cli/fetch), `.npmrc` aside (npm's).
CONFIG = ("pnpm-lock.yaml", WORKSPACE, ".pnpmfile.cjs", ".pnpmfile.mjs", "patches")
FETCH = "fetch"
STORE_VARIABLES = ("npm_config_store_dir", "NPM_CONFIG_STORE_DIR")
# pnpm 10.12+'s global virtual store (pnpm.io/global-virtual-store): `enableGlobalVirtualStore`
# in pnpm-workspace.yaml, `enable-global-virtual-store` in .npmrc or npm_config_*. node_modules
# then holds only symlinks into <store>/links, so the store is part of what the image runs.
GLOBAL_VIRTUAL_STORE = ("enable-global-virtual-store", "enableGlobalVirtualStore")
GLOBAL_VIRTUAL_STORE_VARIABLES = (
    "npm_config_enable_global_virtual_store", "NPM_CONFIG_ENABLE_GLOBAL_VIRTUAL_STORE",
)  # fmt: skip


def store_dir(home: str, env: Mapping[str, str] | None = None) -> str:
    """Where pnpm keeps its store for a user with this home."""
    env = env or {}
    for name in STORE_VARIABLES:
        if env.get(name):
            return env[name]
    if env.get("PNPM_HOME"):
        return f"{env['PNPM_HOME'].rstrip('/')}/store"
    if env.get("XDG_DATA_HOME"):
        return f"{env['XDG_DATA_HOME'].rstrip('/')}/pnpm/store"
    return f"{home.rstrip('/')}/.local/share/pnpm/store"


def cache_mount(
    home: str, uid_gid: tuple[str, str] | None = None, env: Mapping[str, str] | None = None
) -> CacheMount:
    return CacheMount.for_user(store_dir(home, env), uid_gid)


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (cache_mount(home, uid_gid),)


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """`pnpm install`/`i`/`add`, and `pnpm fetch` (fills the store from the lockfile alone)."""
    word = verb(cmd)
    return word is not None and word.text in INSTALL_VERBS


def is_bare_install(cmd: Command) -> bool:
    word = verb(cmd)
    return (
        word is not None and word.text in ("install", "i") and len(cmd.operands(VALUE_OPTIONS)) == 1
    )


def is_frozen(cmd: Command) -> bool:
    """The install refuses to change pnpm-lock.yaml (`--frozen-lockfile`; the CI default)."""
    return is_install(cmd) and cmd.has_option(FROZEN_FLAG)


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`pnpm store prune`, or an `rm` of the store."""
    if _prunes_store(cmd):
        return True
    store = store_dir(home)
    for removed in removed_paths(cmd):
        path = removed.text
        if path.startswith("~/.local/share/pnpm"):
            return True
        if deletes_inside(path, (store,)):
            return True
    return False


def is_fetch(cmd: Command) -> bool:
    word = verb(cmd)
    return word is not None and word.text == FETCH


def is_dependency_install(cmd: Command) -> bool:
    """`pnpm install` naming no package, or `pnpm fetch`, in the folder where it runs (not
    `--dir`/`-C` elsewhere, not global)."""
    return (is_bare_install(cmd) or is_fetch(cmd)) and not cmd.has_option(
        "--dir", "-C", "-g", "--global"
    )


def workspace_members(context: BuildContext, project_dir: str) -> tuple[tuple[str, ...], bool]:
    """The member folders pnpm-workspace.yaml's `packages` globs name, and whether the file
    was understood (absent counts: no members)."""
    from layerwise.context.npm_project import workspace_dirs_matching

    prefix = f"{project_dir}/" if project_dir else ""
    text = context.read_text(prefix + WORKSPACE)
    if text is None:
        return (), True
    import yaml  # only when the file is there: PyYAML costs every start ~10 ms

    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        return (), False
    packages = data.get("packages", []) if isinstance(data, dict) else None
    if not isinstance(packages, list) or not all(isinstance(p, str) for p in packages):
        return (), data is None
    return workspace_dirs_matching(context, project_dir, tuple(packages)), True


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """`pnpm fetch` reads the lockfile (and `.npmrc`, pnpm-workspace.yaml for settings): it
    moves, proven when the context has the lockfile. `pnpm install --offline` expects a store
    that `pnpm fetch` filled: `pnpm fetch` goes above the copy and the install stays, never
    proven (the offline install fails on anything the lockfile does not pin). Any other
    `pnpm install` reads what pnpm's docs list, workspace members included: proven as for npm
    (`npm.project_inputs`), with the lockfile present, pnpm-workspace.yaml understood and no
    pnpm files in a parent folder (a workspace the install belongs to). With such a workspace
    above, its root's files come too (`_workspace_inputs`), still unproven."""
    if not is_dependency_install(cmd):
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    lockfile = prefix + LOCKFILES[0]
    parents = npm.enclosing(project_dir, (*LOCKFILES, WORKSPACE))
    inside = context is not None and not any(context.exists(p) for p in parents)
    above = _workspace_inputs(context, project_dir) if context is not None and not inside else ()
    if is_fetch(cmd) or npm.offline(cmd, env):
        settings = (prefix + ".npmrc", prefix + WORKSPACE)
        present = [p for p in settings if context is not None and context.exists(p)]
        inputs = tuple(dict.fromkeys((lockfile, *present, *above)))
        proven = inside and context is not None and context.exists(lockfile)
        if is_fetch(cmd):
            return DependencyInstall(inputs, (lockfile,), proven)
        prod = " --prod" if cmd.has_option("--prod", "-P") else ""
        return DependencyInstall(inputs, (lockfile,), False, f"pnpm {FETCH}{prod}")
    members: tuple[str, ...] = ()
    understood = context is not None
    if context is not None:
        members, understood = workspace_members(context, project_dir)
    paths, known = npm.project_inputs(
        context,
        project_dir,
        config=tuple(prefix + name for name in CONFIG),
        fallback=(*MANIFESTS[:1], *LOCKFILES),
        members=members,
    )
    proven = known and understood and inside and context is not None and context.exists(lockfile)
    return DependencyInstall(
        tuple(dict.fromkeys((*above, *paths))), (prefix + MANIFESTS[0],), proven
    )


def _workspace_inputs(context: BuildContext, project_dir: str) -> tuple[str, ...]:
    """What an install in `project_dir` reads from the workspace above it: pnpm takes the
    nearest folder up the tree holding pnpm-workspace.yaml for its workspace root, and reads
    that root's lockfile, settings (its `.npmrc` is the per-workspace one, pnpm.io "Settings
    (.npmrc)") and members' manifests, as an install run there does; () without such a
    folder. A parent `.npmrc` without pnpm-workspace.yaml beside it is not read."""
    parts = project_dir.split("/")
    for i in range(len(parts) - 1, -1, -1):
        root = "/".join(parts[:i])
        prefix = f"{root}/" if root else ""
        if context.exists(prefix + WORKSPACE):
            members, _ = workspace_members(context, root)
            config = (*(prefix + name for name in CONFIG), prefix + ".npmrc")
            paths, _ = npm.project_inputs(context, root, config=config, members=members)
            return paths
    return ()


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    """The store, where the command's `--store-dir`, then ENV, put it. None for `pnpm fetch`
    and an offline install (`--offline`, `npm_config_offline=true`, `offline=true` in the
    project's .npmrc through `project_env`): they pass packages through the store from one RUN
    to the next, so a mount on one of them alone would hide them from (or keep them from) the
    other.
    None with the global virtual store on (outside CI, where pnpm turns it off): node_modules
    then links into the store, which a mount would keep out of the image."""
    if not is_install(cmd) or is_fetch(cmd) or npm.offline(cmd, env):
        return ()
    seen = command_env(cmd, env)
    if env_flag(seen, *GLOBAL_VIRTUAL_STORE_VARIABLES) and not is_ci(seen):
        return ()
    return (CacheMount.for_user(_store_of(cmd, home, env), uid_gid),)


def _store_of(cmd: Command, home: str, env: Mapping[str, str]) -> str:
    """`--store-dir` wins over ENV (`npm_config_store_dir`, `PNPM_HOME`...)."""
    return cmd.option_value("--store-dir") or store_dir(home, command_env(cmd, env))


def _prunes_store(cmd: Command) -> bool:
    """pnpm's own cleaning command."""
    word = verb(cmd)
    operands = cmd.operands(VALUE_OPTIONS) if word is not None and word.text == "store" else ()
    return len(operands) > 1 and operands[1].text == "prune"


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`pnpm store prune` prunes the store an install by the same command would use."""
    return (_store_of(cmd, home, env),) if _prunes_store(cmd) else ()


cleaning_options = cleans_as_a_whole


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


# Lockfile-honouring installs (LW107), from pnpm.io/cli/install: `--frozen-lockfile` "doesn't
# generate a lockfile and fails to install if the lockfile is out of sync with the manifest";
# it defaults to true only in CI, detected with ci-info (CI, CONTINUOUS_INTEGRATION,
# BUILD_NUMBER, RUN_ID...), which a `docker build` does not set unless the Dockerfile passes CI
# in. Outside CI `prefer-frozen-lockfile` (default true) installs an up-to-date lockfile as it
# is, so the flag changes only what happens to a stale one: pnpm re-resolves and rewrites it.
# The setting is `frozen-lockfile` in .npmrc or `npm_config_frozen_lockfile`, and
# `frozenLockfile` in pnpm-workspace.yaml from pnpm 10.
FROZEN_VARIABLES = ("npm_config_frozen_lockfile", "NPM_CONFIG_FROZEN_LOCKFILE")
# Options that settle what happens to the lockfile: frozen already, or another choice made on
# purpose (`--no-frozen-lockfile`, `--no-lockfile`, `--lockfile-only`, `--fix-lockfile`).
LOCKFILE_CHOICES = (FROZEN_FLAG, "--no-frozen-lockfile", "--no-lockfile", "--lockfile",
                    "--lockfile-only", "--fix-lockfile")  # fmt: skip


def lockfile_of(cmd: Command) -> str | None:
    """pnpm-lock.yaml for `pnpm install` naming no package, in the folder where it runs."""
    if not is_dependency_install(cmd) or is_fetch(cmd) or cmd.has_option(*LOCKFILE_CHOICES):
        return None
    return LOCKFILES[0]


def _setting_on(
    context: BuildContext,
    project_dir: str,
    npmrc_key: str,
    yaml_key: str,
    in_image: Callable[[str], bool] = lambda _: True,
) -> bool:
    """`<npmrc_key>=true` in the project's .npmrc or `<yaml_key>: true` in its
    pnpm-workspace.yaml (pnpm 10 reads settings from both), of the files `in_image` says the
    image has (a file name relative to the project)."""
    prefix = f"{project_dir}/" if project_dir else ""
    if (npm.npmrc_value(context, project_dir, npmrc_key, in_image) or "").lower() == "true":
        return True
    text = context.read_text(prefix + WORKSPACE) if in_image(WORKSPACE) else None
    if not text:
        return False
    import yaml  # only when the file is there: PyYAML costs every start ~10 ms

    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and data.get(yaml_key) is True


def _config_freezes(context: BuildContext | None, project_dir: str) -> bool:
    """`frozen-lockfile=true` in the project's .npmrc, `frozenLockfile: true` in its
    pnpm-workspace.yaml."""
    return context is not None and _setting_on(
        context, project_dir, "frozen-lockfile", "frozenLockfile"
    )


def _sets_frozen(cmd: Command) -> bool:
    """`pnpm config set frozen-lockfile true`."""
    words = [w.text for w in cmd.operands(VALUE_OPTIONS)] if verb(cmd) is not None else []
    return words[:3] == ["config", "set", "frozen-lockfile"] and words[3:4] == ["true"]


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    """`--frozen-lockfile` after the verb; None in CI or where a setting freezes it already."""
    seen = command_env(cmd, env)
    if is_ci(seen) or env_flag(seen, *FROZEN_VARIABLES) or any(_sets_frozen(c) for c in earlier):
        return None
    if _config_freezes(context, project_dir):
        return None
    return LockfileForm(verb(cmd), FROZEN_FLAG)


# Leaving devDependencies out (pnpm.io/cli/install): `--prod` (`-P`), also when NODE_ENV is
# production; `--dev` (`-D`) installs only them, a choice made on purpose.
PROD_FLAG = "--prod"
DEV_CHOICES = (PROD_FLAG, "-P", "--production", "--dev", "-D")
DEV_OUTPUTS: tuple[str, ...] = ("node_modules",)
_NO_SCRIPT_VERBS = frozenset({"install", "i", "add", "fetch", "prune", "store", "config",
                              "remove", "rm", "update", "up", "setup", "env"})  # fmt: skip


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """`--prod` after `install` (not `pnpm fetch`: it fills the store, not node_modules);
    None when NODE_ENV or npm_config_production leaves them out already, or package.json
    (when the context shows it) lists no devDependencies."""
    word = verb(cmd)
    if word is None or not is_bare_install(cmd) or cmd.has_option(*DEV_CHOICES, "--dir", "-C"):
        return None
    seen = command_env(cmd, env)
    if seen.get("NODE_ENV") == "production" or env_flag(seen, "npm_config_production"):
        return None
    if npm.lists_dev_dependencies(context, project_dir) is False:
        return None
    return DevForm((word,), PROD_FLAG)


def needs_dev(cmd: Command) -> bool:
    """A script or tool run (`pnpm build`, `pnpm exec tsc`, `npx tsc`, `node x.js`)."""
    if cmd.program_name in PROGRAMS:
        word = verb(cmd)
        return word is not None and word.text not in _NO_SCRIPT_VERBS
    return npm.uses_node_tools(cmd)


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    """The global virtual store and offline mode, when the project's .npmrc or
    pnpm-workspace.yaml (as the image has them) turns them on, as the variables that set them
    (ENV wins over them)."""
    env: dict[str, str] = {}
    npmrc_key, yaml_key = GLOBAL_VIRTUAL_STORE
    if _setting_on(context, project_dir, npmrc_key, yaml_key, in_image):
        env[GLOBAL_VIRTUAL_STORE_VARIABLES[0]] = "true"
    if _setting_on(context, project_dir, "offline", "offline", in_image):
        env["npm_config_offline"] = "true"
    return env


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """LW304's way from a full install to the production one: `pnpm prune --prod` (installing
    again with `--prod` over a full `node_modules` asks to remove it, and stops without a TTY)."""
    return Pruning("node_modules", PRUNE_DEV_COMMAND) if is_bare_install(cmd) else None


# Not starting over: `pnpm install` (frozen lockfile or not) links into the node_modules it finds.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
unproven = never_unproven
offline = npm.offline
