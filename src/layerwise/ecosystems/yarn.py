"""Yarn, classic (v1) and Berry (v2+): install commands, what an install reads, and its cache.

Classic keeps its cache for root NOT under /root: yarn v1 takes /usr/local/share as root's home
on Linux (src/util/user-home-dir.js), so root's cache is /usr/local/share/.cache/yarn and a
mount at /root/.cache/yarn would stay empty.
Facts: classic.yarnpkg.com `yarn cache` (YARN_CACHE_FOLDER, --cache-folder, `cache=` in .npmrc,
`yarn cache clean`), yarn v1 source (user-home-dir.js, constants.js getCacheDir:
$XDG_CACHE_HOME/yarn, else <home>/.cache/yarn); checked with yarn 1.22.22 on node:20:
`yarn cache dir` prints /usr/local/share/.cache/yarn/v6 as root, /home/node/.cache/yarn/v6 as
node. `--production` is a valid yarn v1 flag (not npm's deprecated one).

Berry (yarnpkg.com "Settings (.yarnrc.yml)"): every simple setting is also an environment
variable (`YARN_` + snake case, which wins over the rc files); `cacheFolder` defaults to
`./.yarn/cache` in the project, `enableGlobalCache` puts the cache in `<globalFolder>/cache`
instead (`~/.yarn/berry/cache`; on by default from Yarn 4, off in 2 and 3, so the place depends on
the version: yarnpkg/berry#6302 shows 4.1.1 ignoring YARN_CACHE_FOLDER for the global cache).
With the default `nodeLinker: pnp` the program runs from the cache's zip archives, so a cache
mount would leave them out of the image: only `nodeLinker: node-modules` copies the packages
out. Berry reads `.yarnrc.yml` from the project folder and its parents, runs the release
`yarnPath` names (`.yarn/releases/*.cjs`) and loads `.yarn/plugins`; Yarn 4 also reads
`.env.yarn`.
"""

from __future__ import annotations

import re
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
    no_build_outputs,
    no_output_cache,
    removed_paths,
    subcommand,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "yarn"
PROGRAMS = frozenset({"yarn", "yarnpkg"})
MANIFESTS: tuple[str, ...] = ("package.json",)
LOCKFILES: tuple[str, ...] = ("yarn.lock",)
# Classic yarn's fixes are proven by the buildable cases tests/fixtures/buildable/yarn_*
# (install after COPY . ., USER node, a postinstall script, `yarn cache clean`); Berry's are not
# (see `unproven`): tests/apps/node-yarn-berry builds with them, but no case builds each alone.
BUILD_PROVEN = True
INSTALL_VERBS = frozenset({"install", "add"})
VALUE_OPTIONS = frozenset(
    {"--cache-folder", "--modules-folder", "--mutex", "--network-timeout", "--registry", "--cwd",
     "--network-concurrency", "--global-folder", "--link-folder", "--use-yarnrc", "--emoji",
     "--mode"}
)  # fmt: skip
FROZEN_FLAGS = ("--frozen-lockfile", "--immutable")
ROOT_HOME = "/usr/local/share"
# Options that make a bare `yarn` print something instead of installing.
_NO_INSTALL_OPTIONS = ("--version", "-v", "--help", "-h")
# Project files an install reads when present beside package.json, of either flavour: classic's
# `.yarnrc`, Berry's `.yarnrc.yml`, the release and plugins it loads, `patch:` patches, a
# committed offline cache, and Yarn 4's `.env.yarn` (`.npmrc` and workspace manifests come
# from the npm project).
CONFIG = (
    "yarn.lock", ".yarnrc", ".yarnrc.yml", ".yarn/releases", ".yarn/plugins", ".yarn/patches",
    ".yarn/cache", ".env.yarn",
)  # fmt: skip
# What an install writes into the project: in the context, a later `COPY . .` lays it over.
OUTPUTS = ("node_modules", ".pnp.cjs", ".pnp.loader.mjs")
RC_FILES = (".yarnrc", ".yarnrc.yml")
# Signs of Berry in a command or its environment (classic has none of these).
BERRY_FLAGS = ("--immutable", "--immutable-cache", "--check-cache", "--mode", "--refresh-lockfile")
# Berry's `enableNetwork`: false makes every install read its cache alone.
NETWORK_VARIABLE = "YARN_ENABLE_NETWORK"
BERRY_VARIABLES = frozenset(
    {"YARN_NODE_LINKER", "YARN_ENABLE_GLOBAL_CACHE", "YARN_GLOBAL_FOLDER",
     "YARN_ENABLE_IMMUTABLE_INSTALLS", "YARN_NPM_REGISTRY_SERVER", NETWORK_VARIABLE}
)  # fmt: skip
_TRUE = ("1", "true")
_FALSE = ("0", "false")


def cache_dir(home: str, env: Mapping[str, str] | None = None, *, root: bool | None = None) -> str:
    """Yarn v1's cache for a user (`root` defaults to home == /root)."""
    env = env or {}
    if env.get("YARN_CACHE_FOLDER"):
        return env["YARN_CACHE_FOLDER"]
    if env.get("XDG_CACHE_HOME"):
        return f"{env['XDG_CACHE_HOME'].rstrip('/')}/yarn"
    if root if root is not None else home.rstrip("/") == "/root":
        home = ROOT_HOME
    return f"{home.rstrip('/')}/.cache/yarn"


def berry_global_cache(home: str, env: Mapping[str, str] | None = None) -> str:
    """Berry's shared cache: `<globalFolder>/cache`; globalFolder is `$XDG_DATA_HOME/yarn/berry`
    when that is set, else `~/.yarn/berry` (Berry's folderUtils `getDefaultGlobalFolder`)."""
    env = env or {}
    xdg = env.get("XDG_DATA_HOME")
    default = f"{xdg.rstrip('/')}/yarn/berry" if xdg else f"{home.rstrip('/')}/.yarn/berry"
    folder = env.get("YARN_GLOBAL_FOLDER") or default
    return f"{folder.rstrip('/')}/cache"


def read_rc(context: BuildContext, path: str) -> dict[str, Any] | None:
    """A .yarnrc.yml's settings: {} when the context lacks it, None when it is no YAML map."""
    text = context.read_text(path)
    if text is None:
        return {}
    import yaml  # only when the file is there: PyYAML costs every start ~10 ms

    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    data = {} if data is None else data
    return data if isinstance(data, dict) else None


_RELEASE = re.compile(r"yarn-(\d+)\.[^/]*\.c?js$")


def berry_major(context: BuildContext | None, project_dir: str) -> int | None:
    """Yarn's major version from package.json's `packageManager` (`yarn@4.5.0`), else from the
    release `yarnPath` names (`.yarn/releases/yarn-3.6.4.cjs`); None when neither says."""
    if context is None:
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    data: Any = context.read_json(prefix + MANIFESTS[0])
    declared = data.get("packageManager") if isinstance(data, dict) else None
    if isinstance(declared, str) and declared.startswith("yarn@"):
        major = declared.removeprefix("yarn@").split(".", 1)[0]
        return int(major) if major.isdigit() else None
    rc = read_rc(context, prefix + ".yarnrc.yml") or {}
    release = _RELEASE.search(str(rc.get("yarnPath", "")))
    return int(release.group(1)) if release else None


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    """For a Berry project (`flavour`): the settings of its .yarnrc.yml that decide where the
    cache is, as the YARN_* variables that set them (ENV wins over them), with Berry's
    defaults where the file is silent: `nodeLinker` pnp; `enableGlobalCache` true from Yarn 4,
    false in 2 and 3 (unset when the version is unknown); `cacheFolder` `./.yarn/cache`,
    relative to the project. An rc file that does not parse counts as Plug'n'Play (no mount),
    and so does one the image lacks (`in_image(".yarnrc.yml")` false). A project cache folder
    the image already has (a committed offline cache) gets no YARN_CACHE_FOLDER: a mount there
    would hide it. `enableNetwork: false` comes as YARN_ENABLE_NETWORK=false (see `offline`)."""
    if flavour(context, project_dir) != "berry":
        return {}
    prefix = f"{project_dir}/" if project_dir else ""
    rc = read_rc(context, prefix + ".yarnrc.yml") if in_image(".yarnrc.yml") else {}
    env = {"YARN_NODE_LINKER": "pnp"}
    if rc is None:
        return env
    linker, shared = rc.get("nodeLinker"), rc.get("enableGlobalCache")
    env["YARN_NODE_LINKER"] = linker if isinstance(linker, str) else "pnp"
    major = berry_major(context, project_dir)
    if not isinstance(shared, bool) and major is not None:
        shared = major >= 4
    if isinstance(shared, bool):
        env["YARN_ENABLE_GLOBAL_CACHE"] = "true" if shared else "false"
    folder, cache = rc.get("globalFolder"), rc.get("cacheFolder", "./.yarn/cache")
    if isinstance(folder, str) and folder.startswith("/") and "$" not in folder:
        env["YARN_GLOBAL_FOLDER"] = folder
    plain = isinstance(cache, str) and "$" not in cache and not cache.startswith("~")
    if plain and (cache.startswith("/") or not in_image(cache.removeprefix("./").rstrip("/"))):
        env["YARN_CACHE_FOLDER"] = cache
    if rc.get("enableNetwork") is False:
        env[NETWORK_VARIABLE] = "false"
    return env


def _is_root(home: str, uid_gid: tuple[str, str] | None) -> bool:
    return uid_gid[0] == "0" if uid_gid is not None else home.rstrip("/") == "/root"


def cache_mount(
    home: str, uid_gid: tuple[str, str] | None = None, env: Mapping[str, str] | None = None
) -> CacheMount:
    target = cache_dir(home, env, root=_is_root(home, uid_gid))
    return CacheMount.for_user(target, uid_gid)


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    """Classic's cache and Berry's global cache: what `yarn cache clean` may empty."""
    berry = CacheMount.for_user(berry_global_cache(home), uid_gid)
    return (cache_mount(home, uid_gid), berry)


def verb(cmd: Command) -> Word | None:
    """Yarn's subcommand word; None for a bare `yarn` (which installs) or another program."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """`yarn`, `yarn install`, `yarn add pkg` (`yarn build` runs a script instead)."""
    if cmd.program_name not in PROGRAMS:
        return False
    word = verb(cmd)
    if word is None:
        return not cmd.has_option(*_NO_INSTALL_OPTIONS)
    return word.text in INSTALL_VERBS


def is_bare_install(cmd: Command) -> bool:
    """An install of the project itself (no packages added)."""
    word = verb(cmd)
    return is_install(cmd) and (word is None or word.text == "install")


def is_frozen(cmd: Command) -> bool:
    """The install refuses to change yarn.lock (`--frozen-lockfile`, `--immutable`)."""
    return is_install(cmd) and cmd.has_option(*FROZEN_FLAGS)


def is_berry_command(cmd: Command, env: Mapping[str, str]) -> bool:
    """The command or its environment uses what only Berry has (`--immutable`,
    `YARN_NODE_LINKER`...)."""
    return cmd.has_option(*BERRY_FLAGS) or any(
        command_env(cmd, env).get(v) for v in BERRY_VARIABLES
    )


def flavour(context: BuildContext | None, project_dir: str) -> str | None:
    """ "classic" or "berry" for the project in `project_dir`, from package.json's
    `packageManager` (`yarn@1.22.22`), a `.yarnrc.yml` there, or yarn.lock's header (Berry's
    starts a `__metadata:` entry, classic's says `yarn lockfile v1`); None when unknown."""
    if context is None:
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    data: Any = context.read_json(prefix + MANIFESTS[0])
    declared = data.get("packageManager") if isinstance(data, dict) else None
    if isinstance(declared, str) and declared.startswith("yarn@"):
        major = declared.removeprefix("yarn@").split(".", 1)[0]
        if major.isdigit():
            return "classic" if major == "1" else "berry"
    if context.exists(prefix + ".yarnrc.yml"):
        return "berry"
    lock = context.read_text(prefix + LOCKFILES[0]) or ""
    if "\n__metadata:" in f"\n{lock}":
        return "berry"
    return "classic" if "yarn lockfile v1" in lock else None


def unproven(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> bool:
    """Berry, known from the command, its environment or the project: no buildable case has
    proven Berry's fixes one by one, so they stay unsafe (base.fix_proven)."""
    return is_berry_command(cmd, env) or flavour(context, project_dir) == "berry"


def is_dependency_install(cmd: Command) -> bool:
    """`yarn` or `yarn install` of the project where it runs (not `--cwd` elsewhere)."""
    return is_bare_install(cmd) and not cmd.has_option("--cwd")


# Classic .yarnrc keys naming project files an install reads: the release `yarn-path` runs,
# and the `yarn-offline-mirror` folder, relative to the .yarnrc, where an install looks for
# each tarball first (and `--offline` only there: without it, "can't make a request in
# offline mode"), so the mirror must come with the manifests (classic.yarnpkg.com "Running
# Yarn offline").
CLASSIC_NAMED = ("yarn-path", "yarn-offline-mirror")
# Classic also takes the mirror from the .npmrc (relative to it) and from the environment, both
# registries' config (yarn v1 src/registries: npm-registry.js loadConfig reads `.npmrc` and
# `npm_config_*`, base-registry.js `yarn_*`; config.js getOfflineMirrorPath asks both): a
# variable's relative folder is taken from where yarn runs, `false` turns the mirror off. The
# names are matched lowercased, as yarn does.
MIRROR_VARIABLES = ("yarn_yarn_offline_mirror", "npm_config_yarn_offline_mirror")


def _named_files(context: BuildContext, project_dir: str) -> tuple[list[str], bool]:
    """Files the rc files name (`yarnPath`, plugins, classic's `yarn-path` and
    `yarn-offline-mirror`, a project `cacheFolder` holding an offline cache), and whether
    every one of them was understood."""
    prefix = f"{project_dir}/" if project_dir else ""
    found: list[str] = []
    understood = True
    data = read_rc(context, prefix + ".yarnrc.yml")
    if data is None:
        return found, False
    if data:
        plugins = data.get("plugins")
        plugins = plugins if isinstance(plugins, list) else []
        named = [data.get("yarnPath")]
        named += [p.get("path") if isinstance(p, dict) else p for p in plugins]
        cache = data.get("cacheFolder")
        if isinstance(cache, str) and not cache.startswith("/"):  # an absolute one is no input
            named.append(cache)
        for value in named:
            if isinstance(value, str) and value:
                understood = understood and _add_inside(context, prefix, value, found)
    for line in (context.read_text(prefix + ".yarnrc") or "").splitlines():
        key, _, value = line.strip().partition(" ")
        if key in CLASSIC_NAMED and value.strip():
            understood = understood and _add_inside(context, prefix, value.strip(" \"'"), found)
    mirror = npm.npmrc_value(context, project_dir, CLASSIC_NAMED[1])
    if mirror and mirror != "false":
        understood = understood and _add_inside(context, prefix, mirror, found)
    return found, understood


def _env_mirror(
    context: BuildContext, cmd: Command, env: Mapping[str, str], prefix: str, found: list[str]
) -> bool:
    """Add the offline mirror a variable names (MIRROR_VARIABLES) when the context has it;
    False when the folder is not one of the project's (absolute, `~`, `$`, `..`)."""
    understood = True
    for name, value in command_env(cmd, env).items():
        folder = value.strip(" \"'")
        if name.lower() in MIRROR_VARIABLES and folder not in ("", "false"):
            understood = _add_inside(context, prefix, folder, found) and understood
    return understood


def _add_inside(context: BuildContext, prefix: str, value: str, found: list[str]) -> bool:
    """Add a project-relative path the context has; False when it points outside or uses `$`."""
    if value.startswith(("/", "~")) or "$" in value or ".." in value.split("/"):
        return False
    path = prefix + value.removeprefix("./").rstrip("/")
    if context.exists(path):
        found.append(path)
    return True


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """`yarn install` reads package.json, yarn.lock, the rc files and what they name (the
    offline mirror also from the `.npmrc` or a variable: MIRROR_VARIABLES), workspace manifests
    and `.npmrc`. Proven when the npm project is (see `npm.project_inputs`), the flavour is
    known, the rc files and variables name nothing outside the project, and no parent folder
    holds yarn files or an `.npmrc` (then the install belongs to a larger project, or reads
    settings from up the tree: classic merges every `.yarnrc` and `.npmrc` from the root to
    where it runs)."""
    if not is_dependency_install(cmd):
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    config = [prefix + name for name in CONFIG]
    parents = npm.enclosing(project_dir, (*RC_FILES, *LOCKFILES, ".npmrc"))
    named: list[str] = []
    understood = True
    if context is not None:
        named, understood = _named_files(context, project_dir)
        understood = _env_mirror(context, cmd, env, prefix, named) and understood
    paths, known = npm.project_inputs(
        context,
        project_dir,
        config=(*config, *named, *parents),
        outputs=OUTPUTS,
        fallback=(*MANIFESTS, *LOCKFILES),
    )
    inside = context is not None and not any(context.exists(p) for p in parents)
    proven = known and understood and inside and flavour(context, project_dir) is not None
    return DependencyInstall(paths, (prefix + MANIFESTS[0],), proven)


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    """Classic's cache (`--cache-folder` wins over ENV); for Berry (known from the command or
    ENV) only with `YARN_NODE_LINKER=node-modules` and a cache place ENV settles (global cache
    on, or off with YARN_CACHE_FOLDER): with Plug'n'Play the image runs from the cache.
    None for an offline install (`offline`)."""
    if not is_install(cmd) or offline(cmd, env):
        return ()
    seen = command_env(cmd, env)
    if not is_berry_command(cmd, env):
        target = _classic_cache(cmd, home, seen, _is_root(home, uid_gid))
        return (CacheMount.for_user(target, uid_gid),)
    if seen.get("YARN_NODE_LINKER") != "node-modules":
        return ()
    shared = seen.get("YARN_ENABLE_GLOBAL_CACHE", "").lower()
    if shared in _TRUE:
        return (CacheMount.for_user(berry_global_cache(home, seen), uid_gid),)
    if shared in _FALSE and seen.get("YARN_CACHE_FOLDER"):
        return (CacheMount.for_user(seen["YARN_CACHE_FOLDER"], uid_gid),)
    return ()


def offline(cmd: Command, env: Mapping[str, str]) -> bool:
    """An install that reads only what is on disk: classic's `--offline` ("trigger an error if
    any required dependencies are not available in local cache": its cache or offline mirror;
    a commander flag, no variable sets it), Berry's `enableNetwork` false
    (YARN_ENABLE_NETWORK=0 or false; Berry has no `--offline`). A mount spares no download
    there, and an empty one would hide the cache an earlier RUN left in the image: seen on
    BuildKit, classic stops with "Can't make a request in offline mode"."""
    if npm.offline_flag(cmd):
        return True
    return command_env(cmd, env).get(NETWORK_VARIABLE, "").strip().lower() in _FALSE


def _classic_cache(cmd: Command, home: str, seen: Mapping[str, str], root: bool) -> str:
    """Classic's cache for the command: `--cache-folder` wins over ENV."""
    return cmd.option_value("--cache-folder") or cache_dir(home, seen, root=root)


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`yarn cache clean`, or an `rm` of yarn's cache directory (classic's or Berry's)."""
    if _cleans_cache(cmd):
        return True
    caches = (cache_dir(home), berry_global_cache(home))
    for removed in removed_paths(cmd):
        path = removed.text
        for spelled in ("~/.cache/yarn", "~/.yarn/berry"):
            if path == spelled or path.startswith(spelled + "/"):
                return True
        if deletes_inside(path, caches):
            return True
    return False


def _cleans_cache(cmd: Command) -> bool:
    """Yarn's own cleaning command."""
    word = verb(cmd)
    operands = cmd.operands(VALUE_OPTIONS) if word is not None and word.text == "cache" else ()
    return len(operands) > 1 and operands[1].text == "clean"


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`yarn cache clean` empties classic's cache where an install by the same command would
    keep it (YARN_CACHE_FOLDER also moves Berry's project cache), or Berry's global one."""
    if not _cleans_cache(cmd):
        return ()
    seen = command_env(cmd, env)
    return (_classic_cache(cmd, home, seen, _is_root(home, None)), berry_global_cache(home, seen))


cleaning_options = cleans_as_a_whole


# Lockfile-honouring installs (LW107). Classic's `--frozen-lockfile` fails when yarn.lock needs
# an update (classic.yarnpkg.com `yarn install`); Berry's `--immutable` aborts when the lockfile
# would be modified, and Berry takes `--frozen-lockfile` as a deprecated alias of it with a
# warning (its `install` command; Yarn 2 releases before yarnpkg/berry#2488, early 2021, refused
# it: yarnpkg/yarn#8597), so it is the flag when the flavour is unknown. Berry defaults
# `enableImmutableInstalls` to true on CI (ci-info), which a `docker build` does not set unless
# the Dockerfile passes CI in.
FROZEN_LOCKFILE = "--frozen-lockfile"
IMMUTABLE = "--immutable"
IMMUTABLE_VARIABLE = "YARN_ENABLE_IMMUTABLE_INSTALLS"
# Classic's `--pure-lockfile` only stops writing yarn.lock: it still resolves what the lock lacks.
PURE_LOCKFILE = "--pure-lockfile"
# Options that choose what happens to the lockfile on purpose (no lockfile, Berry's
# `--mode=update-lockfile`, `--refresh-lockfile`).
LOCKFILE_CHOICES = ("--no-lockfile", "--mode", "--refresh-lockfile")


def lockfile_of(cmd: Command) -> str | None:
    """yarn.lock for `yarn` / `yarn install` of the project where it runs (not `--cwd`)
    without `--frozen-lockfile` or `--immutable`."""
    if not is_dependency_install(cmd) or is_frozen(cmd) or cmd.has_option(*LOCKFILE_CHOICES):
        return None
    return LOCKFILES[0]


def _config_freezes(context: BuildContext | None, project_dir: str, kind: str | None) -> bool:
    """An rc file makes installs immutable: Berry's `enableImmutableInstalls: true` in a
    .yarnrc.yml of the project or a folder above it, classic's `--frozen-lockfile true`
    (or `--install.frozen-lockfile true`) in its .yarnrc."""
    if context is None:
        return False
    prefix = f"{project_dir}/" if project_dir else ""
    if kind != "classic":
        for path in (prefix + ".yarnrc.yml", *npm.enclosing(project_dir, (".yarnrc.yml",))):
            data = read_rc(context, path)
            if data is not None and data.get("enableImmutableInstalls") is True:
                return True
    for line in (context.read_text(prefix + ".yarnrc") or "").splitlines():
        key, _, value = line.strip().partition(" ")
        if key in ("--frozen-lockfile", "--install.frozen-lockfile") and value.strip() == "true":
            return True
    return False


def _sets_immutable(cmd: Command) -> bool:
    """`yarn config set enableImmutableInstalls true`."""
    words = [w.text for w in cmd.operands(VALUE_OPTIONS)] if verb(cmd) is not None else []
    return words[:3] == ["config", "set", "enableImmutableInstalls"] and words[3:4] == ["true"]


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    """`--immutable` for Berry, `--frozen-lockfile` otherwise (replacing `--pure-lockfile`);
    None when Berry's settings (YARN_ENABLE_IMMUTABLE_INSTALLS, a CI variable, .yarnrc.yml,
    `yarn config set`) or classic's .yarnrc already freeze the lockfile."""
    seen = command_env(cmd, env)
    kind = flavour(context, project_dir) or ("berry" if is_berry_command(cmd, env) else None)
    berry_frozen = env_flag(seen, IMMUTABLE_VARIABLE) or any(_sets_immutable(c) for c in earlier)
    if kind != "classic" and (berry_frozen or (kind == "berry" and is_ci(seen))):
        return None
    if _config_freezes(context, project_dir, kind):
        return None
    flag = IMMUTABLE if kind == "berry" else FROZEN_LOCKFILE
    pure = cmd.find_option(PURE_LOCKFILE)
    if pure is not None:
        return LockfileForm(pure, flag, "replace")
    return LockfileForm(verb(cmd) or cmd.program_word, flag)


# Leaving devDependencies out. Classic: `yarn install --production` (also when NODE_ENV is
# production; classic.yarnpkg.com `yarn install`). Berry's `install` has no such option: `yarn
# workspaces focus --production` installs the project without them (yarnpkg.com `yarn
# workspaces focus`; built into Yarn 4, the workspace-tools plugin in 2 and 3), and takes only
# `--json`, `--production` and `--all`, so an install with other options gets no edit.
PRODUCTION = "--production"
FOCUS_PRODUCTION = "workspaces focus --production"
DEV_OUTPUTS: tuple[str, ...] = ("node_modules",)
# Yarn commands that run no script: anything else may run a package.json script or a tool.
_NO_SCRIPT_VERBS = frozenset({"install", "add", "remove", "cache", "config", "set", "policies",
                              "workspaces", "plugin", "global"})  # fmt: skip


def omits_dev(cmd: Command, env: Mapping[str, str], kind: str | None) -> bool:
    """Classic's `--production` (not `=false`) or NODE_ENV=production; Berry's installs never
    leave them out."""
    if kind == "berry" or is_berry_command(cmd, env):
        return False
    value = cmd.option_value(PRODUCTION)
    flag = cmd.has_option(PRODUCTION, "--prod") and value not in ("false", "0")
    return flag or command_env(cmd, env).get("NODE_ENV") == "production"


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """`--production` for classic, `workspaces focus --production` in place of Berry's
    `install`; no edit when the flavour is unknown. None when the install leaves them out
    already or package.json (when the context shows it) lists no devDependencies."""
    if not is_dependency_install(cmd):
        return None
    kind = flavour(context, project_dir) or ("berry" if is_berry_command(cmd, env) else None)
    if omits_dev(cmd, env, kind) or npm.lists_dev_dependencies(context, project_dir) is False:
        return None
    major = berry_major(context, project_dir)
    rc = f"{project_dir}/.yarnrc.yml" if project_dir else ".yarnrc.yml"
    rc_text = context.read_text(rc) if context is not None else None
    if kind == "berry" and major in (2, 3) and "workspace-tools" not in (rc_text or ""):
        return DevForm((), "")  # `workspaces focus` is a plugin before Yarn 4
    word = verb(cmd)
    anchor = word or cmd.program_word
    if anchor is None:
        return None
    if kind == "classic":
        return DevForm((anchor,), PRODUCTION)
    if kind != "berry" or cmd.option_words():
        return DevForm((), "")
    return DevForm((anchor,), FOCUS_PRODUCTION, "replace" if word is not None else "after")


def needs_dev(cmd: Command) -> bool:
    """A script or tool run (`yarn build`, `yarn test`, `npx tsc`, `node x.js`)."""
    if cmd.program_name in PROGRAMS:
        word = verb(cmd)
        return word is not None and word.text not in _NO_SCRIPT_VERBS
    return npm.uses_node_tools(cmd)


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """LW304's way from a full install to classic's production one: the same `yarn install
    --production` again, which removes the devDependencies from `node_modules` (a Berry install
    that leaves them out is no `install`: `yarn workspaces focus`)."""
    return Pruning("node_modules", cmd.text) if is_dependency_install(cmd) else None


# Not starting over: `yarn install` (classic and Berry) updates node_modules in place.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
