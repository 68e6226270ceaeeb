"""npm: its install commands, manifests, lockfiles, cache and dev-dependency pruning.

Facts from the npm CLI documentation (v7+): command aliases, `--omit=dev` replacing
`--production` / `--only=prod`, the cache at `~/.npm` (config `cache`, env `npm_config_cache`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layerwise.ecosystems.base import (
    HOME_SPELLINGS,
    CacheMount,
    DependencyInstall,
    DevForm,
    LockfileForm,
    Pruning,
    cleans_as_a_whole,
    command_env,
    deletes_inside,
    is_under,
    names_config_file,
    never_repeats_install,
    never_unproven,
    no_build_outputs,
    no_output_cache,
    removed_paths,
    static_text,
    subcommand,
)
from layerwise.shell import Command, Word, parse_text

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "npm"
PROGRAMS = frozenset({"npm"})
MANIFESTS: tuple[str, ...] = ("package.json",)
# npm's config reference: `userconfig` and `globalconfig` are npmrc files npm reads; each config
# also comes from `npm_config_<name>` in the environment, in either case.
CONFIG_OPTIONS = ("--userconfig", "--globalconfig")
CONFIG_VARIABLES = ("npm_config_userconfig", "NPM_CONFIG_USERCONFIG", "npm_config_globalconfig",
                    "NPM_CONFIG_GLOBALCONFIG")  # fmt: skip
LOCKFILES: tuple[str, ...] = ("package-lock.json", "npm-shrinkwrap.json")
# Fixes proven by real builds on BuildKit: tests/apps/node-nest, tests/fixtures/buildable.
BUILD_PROVEN = True
# `npm install` and its aliases (npm's own list, typos included).
INSTALL_VERBS = frozenset(
    {"install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall",
     "add"}
)  # fmt: skip
CI_VERBS = frozenset({"ci", "clean-install", "ic", "install-clean", "isntall-clean"})
RUN_VERBS = frozenset({"run", "run-script", "rum", "urn"})
EXEC_VERBS = frozenset({"exec", "x"})
# Options that take the next word as their value (`--prefix /app`), so it is not an operand.
VALUE_OPTIONS = frozenset(
    {"--prefix", "-C", "--workspace", "-w", "--cache", "--registry", "--userconfig",
     "--globalconfig", "--loglevel", "--omit", "--include", "--only", "--also", "--tag",
     "--install-strategy", "--script-shell", "--fetch-retries", "--fetch-timeout", "--otp",
     "--package", "-p", "--call", "-c"}
)  # fmt: skip
# Deprecated spellings and what replaces them (npm 7+ warns; `--production` may go away).
DEPRECATED_FLAGS = {
    "--production": "--omit=dev",
    "--only=prod": "--omit=dev",
    "--only=production": "--omit=dev",
    "--also=dev": "--include=dev",
    "--also=development": "--include=dev",
}
PRUNE_DEV_COMMAND = "npm prune --omit=dev"
# Lifecycle scripts npm runs during `npm install` / `npm ci` of the project itself.
INSTALL_SCRIPTS = ("preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare",
                   "postprepare")  # fmt: skip
# Without a context, what a manifest-first COPY for npm brings (manifest + lockfile by glob).
FALLBACK_MANIFESTS = ("package*.json",)
# Package managers published as one tarball with nothing else to fetch: pnpm, yarn 1 and corepack
# declare no dependencies, npm bundles all of its own (`npm view <name> dependencies`).
SELF_CONTAINED_TOOLS = frozenset({"npm", "pnpm", "yarn", "corepack"})
# Tools that generate code from files in the context and need node_modules installed.
CODEGEN = {"prisma": "generate"}


def cache_dir(home: str, env: Mapping[str, str] | None = None) -> str:
    """Where npm keeps its cache for a user with this home (`npm_config_cache` wins)."""
    if env:
        for key in ("npm_config_cache", "NPM_CONFIG_CACHE"):
            if env.get(key):
                return env[key]
    return f"{home.rstrip('/')}/.npm"


def cache_mount(
    home: str, uid_gid: tuple[str, str] | None = None, env: Mapping[str, str] | None = None
) -> CacheMount:
    """The cache mount for npm run as this user: uid/gid only when not root, so npm can write."""
    return CacheMount.for_user(cache_dir(home, env), uid_gid)


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (cache_mount(home, uid_gid),)


def verb(cmd: Command) -> Word | None:
    """npm's subcommand word (`ci` in `npm --prefix /app ci`), None when not an npm command."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def _verb_text(cmd: Command) -> str | None:
    # Asked about every command of every RUN by several rules: another program's (most are)
    # is answered here, before three calls down to `subcommand`.
    if cmd.program_name not in PROGRAMS:
        return None
    return static_text(verb(cmd))


def is_install(cmd: Command) -> bool:
    """`npm install`/`i`/`add` (with or without packages) or `npm ci`."""
    return _verb_text(cmd) in INSTALL_VERBS | CI_VERBS


def is_ci(cmd: Command) -> bool:
    return _verb_text(cmd) in CI_VERBS


def starts_over(cmd: Command) -> bool:
    """`npm ci` deletes node_modules before it installs: an earlier install saves it nothing."""
    return is_ci(cmd)


def added_packages(cmd: Command) -> tuple[Word, ...]:
    """The packages named by `npm install <pkg>...` (empty for a bare install or `npm ci`)."""
    if _verb_text(cmd) not in INSTALL_VERBS:
        return ()
    return cmd.operands(VALUE_OPTIONS)[1:]


def is_bare_install(cmd: Command) -> bool:
    """`npm install` of the project itself: no packages named, not global."""
    return (
        _verb_text(cmd) in INSTALL_VERBS
        and not added_packages(cmd)
        and not cmd.has_option("-g", "--global")
    )


def is_global_install(cmd: Command) -> bool:
    return _verb_text(cmd) in INSTALL_VERBS and cmd.has_option("-g", "--global")


def package_name(spec: str) -> str:
    """The package a spec names: `pnpm@8` -> `pnpm`, `@nestjs/cli@10` -> `@nestjs/cli`."""
    scope = "@" if spec.startswith("@") else ""
    return scope + spec.removeprefix("@").split("@", 1)[0]


def installs_only_self_contained_tools(cmd: Command) -> bool:
    """`npm install -g pnpm`, `npm i -g yarn@1 corepack`: a global install of package managers
    that are one tarball each (SELF_CONTAINED_TOOLS)."""
    packages = added_packages(cmd)
    return (
        is_global_install(cmd)
        and bool(packages)
        and all(w.is_static and package_name(w.text) in SELF_CONTAINED_TOOLS for w in packages)
    )


def omits_dev(cmd: Command, env: Mapping[str, str] | None = None) -> bool:
    """The install leaves dev dependencies out (`--omit=dev`, `--production`, NODE_ENV)."""
    omit = cmd.option_value("--omit")
    if (
        omit == "dev"
        or cmd.has_option("--production")
        or cmd.option_value("--only")
        in (
            "prod",
            "production",
        )
    ):
        return True
    # npm omits dev dependencies by default when NODE_ENV=production.
    node_env = dict(env or {})
    for word in (*cmd.assignments, *cmd.wrappers):
        name, _, value = word.text.partition("=")
        if name in ("NODE_ENV", "npm_config_omit", "NPM_CONFIG_OMIT"):
            node_env[name] = value
    return node_env.get("NODE_ENV") == "production" or "dev" in (
        node_env.get("npm_config_omit"),
        node_env.get("NPM_CONFIG_OMIT"),
    )


@dataclass(frozen=True, slots=True)
class DeprecatedFlag:
    """Words spelling a deprecated flag (one, or `--only prod` as two) and their replacement."""

    words: tuple[Word, ...]
    replacement: str

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return self.words[-1].end


def deprecated_flags(cmd: Command) -> tuple[DeprecatedFlag, ...]:
    """Deprecated flags of an npm command (`--production`, `--only=prod`, `--only prod`)."""
    if cmd.program_name not in PROGRAMS:
        return ()
    found: list[DeprecatedFlag] = []
    args = cmd.args
    for i, word in enumerate(args):
        if not word.is_static:
            continue
        if word.text in DEPRECATED_FLAGS:
            found.append(DeprecatedFlag((word,), DEPRECATED_FLAGS[word.text]))
        elif word.text in ("--only", "--also") and i + 1 < len(args):
            joined = f"{word.text}={args[i + 1].text}"
            if joined in DEPRECATED_FLAGS:
                found.append(DeprecatedFlag((word, args[i + 1]), DEPRECATED_FLAGS[joined]))
    return tuple(found)


def is_prune(cmd: Command) -> bool:
    return _verb_text(cmd) == "prune"


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`npm cache clean --force` / `npm cache rm`, or an `rm` of npm's cache directory."""
    if _cleans_cache(cmd):
        return True
    cache = cache_dir(home)
    return any(_names_npm_cache(word.text, cache) for word in removed_paths(cmd))


def _cleans_cache(cmd: Command) -> bool:
    """npm's own cleaning command."""
    operands = cmd.operands(VALUE_OPTIONS) if _verb_text(cmd) == "cache" else ()
    return len(operands) > 1 and operands[1].text in ("clean", "clear", "rm")


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`npm cache clean` empties the cache an install by the same command would use."""
    return (_cache_of(cmd, home, env),) if _cleans_cache(cmd) else ()


cleaning_options = cleans_as_a_whole


def _cache_of(cmd: Command, home: str, env: Mapping[str, str]) -> str:
    """`--cache DIR` wins over config and env."""
    return cmd.option_value("--cache") or cache_dir(home, command_env(cmd, env))


def _names_npm_cache(path: str, cache: str) -> bool:
    for spelled in (f"{home}/.npm" for home in HOME_SPELLINGS):
        if path == spelled or path.startswith(spelled + "/"):
            return True
    return deletes_inside(path, (cache,))


def run_script_name(cmd: Command) -> str | None:
    """The script `npm run <name>` runs (`npm start`/`npm test` count as scripts too)."""
    if cmd.program_name not in PROGRAMS:
        return None
    operands = cmd.operands(VALUE_OPTIONS)
    if not operands:
        return None
    if operands[0].text in RUN_VERBS and len(operands) > 1:
        return operands[1].text
    if operands[0].text in ("start", "test", "t", "tst", "stop", "restart"):
        return {"t": "test", "tst": "test"}.get(operands[0].text, operands[0].text)
    return None


def codegen(cmd: Command, scripts: Mapping[str, str] | None = None) -> str | None:
    """The code generation a command runs (`prisma generate`), directly (`prisma generate`,
    `npx prisma generate`, `npm exec prisma generate`, `node_modules/.bin/prisma generate`) or
    through a package.json script (`npm run generate` when that script runs it)."""
    words = _tool_words(cmd)
    if len(words) >= 2:
        tool = words[0].text.rsplit("/", 1)[-1]
        if CODEGEN.get(tool) == words[1].text:
            return f"{tool} {words[1].text}"
    name = run_script_name(cmd)
    if name is not None and scripts and name in scripts:
        return script_codegen(scripts[name], scripts)
    return None


def script_codegen(
    script: str, scripts: Mapping[str, str] | None = None, _seen: frozenset[str] = frozenset()
) -> str | None:
    """The code generation a package.json script runs, following `npm run` to other scripts."""
    parsed = parse_text(script)
    for inner in parsed.commands:
        words = _tool_words(inner)
        if len(words) >= 2 and CODEGEN.get(words[0].text.rsplit("/", 1)[-1]) == words[1].text:
            return f"{words[0].text.rsplit('/', 1)[-1]} {words[1].text}"
        name = run_script_name(inner)
        if name is not None and scripts and name in scripts and name not in _seen:
            found = script_codegen(scripts[name], scripts, _seen | {name})
            if found:
                return found
    return None


def _tool_words(cmd: Command) -> tuple[Word, ...]:
    """The words of the tool a command runs, seen through `npx`/`npm exec`."""
    name = cmd.program_name
    word = cmd.program_word
    if name is None or word is None:
        return ()
    if name == "npx":
        return cmd.operands(VALUE_OPTIONS)
    if name in PROGRAMS:
        operands = cmd.operands(VALUE_OPTIONS)
        if operands and operands[0].text in EXEC_VERBS:
            return operands[1:]
        return ()
    return (word, *cmd.operands())


def is_dependency_install(cmd: Command) -> bool:
    """`npm ci`, or `npm install` naming no package: installs what the manifests list."""
    return is_ci(cmd) or is_bare_install(cmd)


# What an install writes into each workspace member's folder (npm, yarn classic and pnpm alike).
MEMBER_OUTPUTS = ("node_modules",)


def project_inputs(
    context: BuildContext | None,
    project_dir: str,
    *,
    config: Sequence[str] = (),
    outputs: Sequence[str] = ("node_modules",),
    fallback: Sequence[str] = FALLBACK_MANIFESTS,
    members: Sequence[str] | None = None,
) -> tuple[tuple[str, ...], bool]:
    """Context paths an install of the Node project in `project_dir` reads (directories end
    with `/`), and whether the list is proven complete: a context with a valid package.json
    there, no dependency from the context (`file:`), install-time scripts we understand
    (`prisma generate`, patch-package) and none in a workspace, and none of the install's
    `outputs` (`node_modules`) in the context that a later `COPY . .` would lay over the
    installed one: neither in `project_dir` nor, for `node_modules`, in a workspace member
    (the install writes `packages/a/node_modules` too, and a .dockerignore `node_modules` line
    leaves out only the root one; `**/node_modules` leaves out all). Without a context or a
    package.json there: `fallback`, not proven.

    yarn and pnpm reuse it: `config` are further context paths (relative to the context root)
    read when present (`yarn.lock`, `.yarnrc.yml`, `.yarn/releases`), `members` the workspace
    folders when the tool takes them from elsewhere than package.json (pnpm-workspace.yaml)."""
    prefix = f"{project_dir}/" if project_dir else ""
    project = context.npm_project(project_dir) if context is not None else None
    if context is None or project is None:
        return tuple(prefix + m for m in fallback), False
    member_dirs = project.workspace_dirs if members is None else tuple(members)
    member_manifests = tuple(f"{d}/{MANIFESTS[0]}" for d in member_dirs)
    present = (c for c in config if context.exists(c))
    sources = dict.fromkeys((*project.copy_sources, *member_manifests, *present))
    dirs = [p for p in sources if context.is_dir(p)]
    # A file inside a copied folder (`yarnPath` in `.yarn/releases/`) comes with the folder.
    inside = [p for p in sources if any(p != d and is_under(p, d) for d in dirs)]
    paths = tuple(p + "/" if p in dirs else p for p in sources if p not in inside)
    # The tool runs the workspaces' install scripts too, and we copy none of their inputs.
    workspaces = (context.npm_project(d) for d in member_dirs)
    known = (
        not project.problems
        and not project.local_dependencies
        and project.install_scripts_understood()
        and not any(context.exists(prefix + out) for out in outputs)
        and not any(context.exists(f"{d}/{out}") for d in member_dirs for out in MEMBER_OUTPUTS)
        and not any(ws and any(ws.scripts.get(n) for n in INSTALL_SCRIPTS) for ws in workspaces)
    )
    return paths, known


def enclosing(project_dir: str, names: Sequence[str]) -> tuple[str, ...]:
    """`names` in every folder above `project_dir` (`a/b` -> `x`, `a/x`): files a tool also
    reads, or that make the folder part of a larger project (a workspace root's lockfile)."""
    parts = project_dir.split("/") if project_dir else []
    folders = ("/".join(parts[:i]) for i in range(len(parts)))
    return tuple(f"{d}/{n}" if d else n for d in folders for n in names)


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    # `--userconfig`/`--globalconfig` (or their npm_config_* variables) name an npmrc npm reads
    # (registry, auth), skipped without a word when missing: a moved install would run without.
    # `--prefix dir` (`-C dir`) on the command line makes dir the project npm installs (npm's
    # config reference, `prefix`): its manifests are there, not beside the RUN. In ENV it sets
    # only the global prefix.
    if not is_dependency_install(cmd) or cmd.has_option("--prefix", "-C"):
        return None
    if names_config_file(cmd, env, CONFIG_OPTIONS, CONFIG_VARIABLES):
        return None
    paths, known = project_inputs(context, project_dir)
    prefix = f"{project_dir}/" if project_dir else ""
    return DependencyInstall(paths, (prefix + MANIFESTS[0],), known)


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    """npm's cache for an install (not of package managers alone, see
    `installs_only_self_contained_tools`), where `_cache_of` puts it."""
    if not is_install(cmd) or installs_only_self_contained_tools(cmd) or offline(cmd, env):
        return ()
    return (CacheMount.for_user(_cache_of(cmd, home, env), uid_gid),)


def offline(cmd: Command, env: Mapping[str, str]) -> bool:
    """`--offline` (npm's `offline` config, also `npm_config_offline=true`): npm makes no
    network request and installs from its cache alone. A mount spares no download there, and
    an empty one would hide the cache the image holds (`npm cache add` in an earlier RUN):
    the install would stop with ENOTCACHED. pnpm reads the same flag and variable (its store
    in place of the cache)."""
    if offline_flag(cmd):
        return True
    seen = command_env(cmd, env)
    return any(
        seen.get(n, "").lower() == "true" for n in ("npm_config_offline", "NPM_CONFIG_OFFLINE")
    )


def offline_flag(cmd: Command) -> bool:
    """`--offline` (or `--offline=true`, not `=false`), the flag npm, pnpm and yarn classic
    take for installing from their cache alone."""
    return any(w.text in ("--offline", "--offline=true") for w in cmd.args)


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def lockfile_of(cmd: Command) -> str | None:
    """None: LW104 reports npm's own case (`npm install` where `npm ci` belongs)."""
    return None


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    return None


# Programs that run the project's code or its installed tools, any of which may come from
# devDependencies (`npx tsc`, `node build.js` requiring webpack, `nest build`).
NODE_TOOLS = frozenset({"npx", "pnpx", "node", "tsc", "nest", "webpack", "vite", "next",
                        "rollup", "esbuild", *CODEGEN})  # fmt: skip
DEV_OUTPUTS: tuple[str, ...] = ("node_modules",)


def uses_node_tools(cmd: Command) -> bool:
    """`npx x`, `node x.js`, `tsc`, `npm run x`, `npm test`, `npm exec x`,
    `node_modules/.bin/x`: the command may need what devDependencies install."""
    word = cmd.program_word
    return (
        cmd.program_name in NODE_TOOLS
        or run_script_name(cmd) is not None
        or _verb_text(cmd) in EXEC_VERBS
        or (word is not None and "node_modules/.bin/" in word.text)
    )


def lists_dev_dependencies(context: BuildContext | None, project_dir: str) -> bool | None:
    """package.json lists devDependencies; None when the context does not show it."""
    prefix = f"{project_dir}/" if project_dir else ""
    data: Any = context.read_json(prefix + MANIFESTS[0]) if context is not None else None
    if not isinstance(data, dict):
        return None
    return bool(data.get("devDependencies"))


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """None: LW301 handles npm itself, with the flag the stage's npm takes (`--omit=dev` from
    npm 7, `--production` before: ecosystems/npm_versions.py)."""
    return None


def needs_dev(cmd: Command) -> bool:
    return uses_node_tools(cmd)


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    """`offline=true` in the project's .npmrc (as the image has it), as npm_config_offline
    (see `offline`; ENV wins over it)."""
    value = npmrc_value(context, project_dir, "offline", in_image)
    return {"npm_config_offline": "true"} if (value or "").lower() == "true" else {}


def npmrc_value(
    context: BuildContext,
    project_dir: str,
    key: str,
    in_image: Callable[[str], bool] = lambda _: True,
) -> str | None:
    """The value `key` has in the .npmrc of context folder `project_dir` (INI `key = value`,
    quotes dropped, the last line wins); None without the line, or when `in_image(".npmrc")`
    says the image lacks the file. npm, pnpm and yarn classic read it."""
    prefix = f"{project_dir}/" if project_dir else ""
    text = context.read_text(prefix + ".npmrc") if in_image(".npmrc") else None
    found = None
    for line in (text or "").splitlines():
        name, eq, value = line.partition("=")
        if eq and name.strip() == key:
            found = value.strip().strip("\"'")
    return found


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: LW304 handles npm itself (`npm prune`, spelled for the stage's npm)."""
    return None


split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
unproven = never_unproven
