"""An npm project in the build context: its lockfile, workspaces, and what `npm ci` reads.

A manifest-first COPY must bring everything the install reads, or the install fails (or, worse,
silently differs): the manifests and lockfile, `.npmrc` (registry, auth, settings), workspace
manifests, and whatever the install-time lifecycle scripts (preinstall, install, postinstall,
prepare) touch: a Prisma schema for `prisma generate`, `patches/` for patch-package, a script
file run by `node scripts/postinstall.js`.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from layerwise.context.build_context import join
from layerwise.ecosystems import npm, pnpm, yarn
from layerwise.shell import Command, parse_text

if TYPE_CHECKING:
    from layerwise.context.build_context import BuildContext

INSTALL_SCRIPTS = npm.INSTALL_SCRIPTS
# Where Prisma looks for its schema when package.json does not say (Prisma CLI docs).
PRISMA_DEFAULT_SCHEMAS = ("prisma/schema.prisma", "schema.prisma", "prisma/schema")
PATCH_PACKAGE_DIR = "patches"
# Without a context, what a manifest-first COPY for npm brings (manifest + lockfile by glob).
DEFAULT_COPY_SOURCES = ("package*.json",)


@dataclass(frozen=True, slots=True)
class NpmProject:
    """An npm project rooted at `dir` (context-relative, "" for the root).

    Every path is context-relative and present in the context (not ignored).
    """

    dir: str
    manifest: str
    lockfile: str | None
    scripts: Mapping[str, str]
    workspaces: tuple[str, ...] = ()
    workspace_dirs: tuple[str, ...] = ()
    npmrc: str | None = None
    npmrc_secrets: bool = False  # .npmrc holds a literal token/password: never COPY it
    npmrc_env_vars: tuple[str, ...] = ()  # `${NPM_TOKEN}` references npm expands at install
    prisma_schema: str | None = None
    patches_dir: str | None = None
    script_files: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())
    # "npm", "yarn" or "pnpm": package.json's "packageManager", else the lockfile present.
    package_manager: str = "npm"
    node_lockfile: str | None = None  # the lockfile of that package manager, when present
    pnpm_workspace: str | None = None  # pnpm-workspace.yaml, when present
    # Dependencies installed from the context (`file:../lib`, `link:`, `./pkg`): other files
    # the install reads, not listed in `copy_sources`.
    local_dependencies: tuple[str, ...] = ()

    @property
    def workspace_manifests(self) -> tuple[str, ...]:
        return tuple(join(d, "package.json") for d in self.workspace_dirs)

    @property
    def manifests(self) -> tuple[str, ...]:
        """package.json, the lockfile(s) and every workspace's package.json."""
        locks = (p for p in (self.lockfile, self.node_lockfile, self.pnpm_workspace) if p)
        return tuple(dict.fromkeys((self.manifest, *locks, *self.workspace_manifests)))

    @property
    def install_files(self) -> tuple[str, ...]:
        """Files and directories the install reads besides the manifests (`.npmrc`,
        `prisma/`, `patches/`, script files), in a stable order, without duplicates.

        `.npmrc` is listed even when it holds credentials (`npmrc_secrets`): the install needs
        it; whether to pass it as a secret mount instead is the caller's call."""
        found = [self.npmrc, self.prisma_schema, self.patches_dir, *self.script_files]
        return tuple(dict.fromkeys(p for p in found if p is not None))

    @property
    def copy_sources(self) -> tuple[str, ...]:
        """Everything a manifest-first COPY must bring for the install to run as before."""
        return tuple(dict.fromkeys((*self.manifests, *self.install_files)))

    def install_scripts_understood(self) -> bool:
        """Every command of every install-time script is one whose inputs we find: `prisma
        generate` (its schema) or patch-package (its patches). Any other command, a script
        file run by node included, may read any file of the context."""
        for name in INSTALL_SCRIPTS:
            for cmd in _commands(self.scripts.get(name, "")):
                if npm.codegen(cmd) == "prisma generate":
                    if self.prisma_schema is None:
                        return False
                elif not is_patch_package(cmd) or self.patches_dir is None:
                    return False
        return True

    def runs_at_install(self, needle: str) -> bool:
        """An install-time lifecycle script mentions `needle` (e.g. "prisma")."""
        return any(needle in self.scripts.get(name, "") for name in INSTALL_SCRIPTS)


def npm_copy_sources(context: BuildContext | None, dir: str = "") -> tuple[str, ...]:
    """What a manifest-first COPY for npm needs; the `package*.json` default without a context
    (or without a package.json there)."""
    project = context.npm_project(dir) if context is not None else None
    return DEFAULT_COPY_SOURCES if project is None else project.copy_sources


def load_npm_project(context: BuildContext, directory: str) -> NpmProject | None:
    manifest = join(directory, "package.json")
    if not context.exists(manifest):
        return None
    problems: list[str] = []
    data = context.read_json(manifest)
    if not isinstance(data, dict):
        problems.append(f"{manifest} is not a JSON object")
        data = {}
    scripts = _string_map(data.get("scripts"))
    workspaces = _workspace_patterns(data.get("workspaces"))
    npmrc = context.first_existing(directory, (".npmrc",))
    secrets, env_vars = _npmrc_credentials(context.read_text(npmrc) if npmrc else None)
    return NpmProject(
        dir=directory,
        manifest=manifest,
        lockfile=context.first_existing(directory, npm.LOCKFILES),
        scripts=scripts,
        workspaces=workspaces,
        workspace_dirs=workspace_dirs_matching(context, directory, workspaces),
        npmrc=npmrc,
        npmrc_secrets=secrets,
        npmrc_env_vars=env_vars,
        prisma_schema=_prisma_schema(context, directory, data, scripts),
        patches_dir=_patches_dir(context, directory, scripts),
        script_files=_script_files(context, directory, scripts),
        local_dependencies=_local_dependencies(data),
        problems=tuple(problems),
        **_package_manager(context, directory, data),
    )


_CREDENTIAL_KEYS = ("_authtoken", "_auth", "_password", "password", "certfile", "keyfile")
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _npmrc_credentials(text: str | None) -> tuple[bool, tuple[str, ...]]:
    """Whether an .npmrc holds literal credentials, and the env vars it references (npm expands
    `${VAR}` in .npmrc values at install time)."""
    if not text:
        return False, ()
    secrets = False
    env_vars: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, _, value = line.partition("=")
        env_vars.extend(_ENV_REFERENCE.findall(value))
        name = key.strip().rsplit(":", 1)[-1].lower()
        if (
            name in _CREDENTIAL_KEYS
            and value.strip()
            and not _ENV_REFERENCE.fullmatch(value.strip().strip('"'))
        ):
            secrets = True
    return secrets, tuple(dict.fromkeys(env_vars))


_NODE_MANAGERS = (("pnpm", pnpm.LOCKFILES), ("yarn", yarn.LOCKFILES), ("npm", npm.LOCKFILES))


def _package_manager(context: BuildContext, directory: str, data: dict[str, Any]) -> dict[str, Any]:
    declared = data.get("packageManager")
    name = declared.split("@", 1)[0] if isinstance(declared, str) else None
    for manager, lockfiles in _NODE_MANAGERS:
        lock = context.first_existing(directory, lockfiles)
        if name == manager or (name is None and lock is not None):
            break
    else:
        manager, lock = "npm", None
    workspace = context.first_existing(directory, ("pnpm-workspace.yaml",))
    return {"package_manager": manager, "node_lockfile": lock, "pnpm_workspace": workspace}


def _string_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def _workspace_patterns(value: Any) -> tuple[str, ...]:
    # npm: an array of globs; yarn's object form {"packages": [...]} is accepted by npm too.
    if isinstance(value, dict):
        value = value.get("packages")
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str))


def workspace_dirs_matching(
    context: BuildContext, directory: str, patterns: tuple[str, ...]
) -> tuple[str, ...]:
    """The workspace folders under `directory` whose package.json matches the globs (npm's
    `workspaces`, pnpm-workspace.yaml's `packages`), `!` patterns taking folders out."""
    if not patterns:
        return ()
    prefix = f"{directory}/" if directory else ""
    deep = any("**" in p for p in patterns)
    depth = None if deep else max(p.strip("/").count("/") + 1 for p in patterns)
    candidates = sorted(
        path[len(prefix) : -len("/package.json")]
        for path in context.files(directory, max_depth=depth, skip=frozenset({"node_modules"}))
        if path.endswith("/package.json")
    )
    found: list[str] = []
    for pattern in patterns:
        cleaned = pattern.strip().removeprefix("./").rstrip("/")
        negate = cleaned.startswith("!")
        cleaned = cleaned.removeprefix("!")
        for cand in candidates:
            if _glob_match(cand, cleaned):
                rel = join(directory, cand)
                if negate and rel in found:
                    found.remove(rel)
                elif not negate and rel not in found:
                    found.append(rel)
    return tuple(found)


def _glob_match(path: str, pattern: str) -> bool:
    """npm workspace globs (minimatch): `*` within a segment, `**` across segments."""
    if "**" in pattern:
        return fnmatch.fnmatchcase(path, pattern.replace("**", "*"))
    return path.count("/") == pattern.count("/") and fnmatch.fnmatchcase(path, pattern)


def _prisma_schema(
    context: BuildContext, directory: str, data: dict[str, Any], scripts: Mapping[str, str]
) -> str | None:
    """The Prisma schema (file or directory) when the install needs it: an install-time script
    runs prisma, or package.json has a "prisma" section."""
    section = data.get("prisma")
    uses_prisma = isinstance(section, dict) or any(
        "prisma" in scripts.get(name, "") for name in INSTALL_SCRIPTS
    )
    if not uses_prisma:
        return None
    configured_path = section.get("schema") if isinstance(section, dict) else None
    for name in INSTALL_SCRIPTS:
        for cmd in _commands(scripts.get(name, "")):
            configured_path = cmd.option_value("--schema") or configured_path
    if isinstance(configured_path, str):
        configured = join(directory, configured_path)
        if context.exists(configured):
            # A schema file inside prisma/ usually sits next to migrations the generate step
            # does not need, but a multi-file schema needs its folder: copy the folder.
            parent = configured.rsplit("/", 1)[0] if "/" in configured else ""
            return parent if parent and parent != directory else configured
    for default in PRISMA_DEFAULT_SCHEMAS:
        rel = join(directory, default)
        if context.exists(rel):
            return join(directory, "prisma") if rel.startswith(join(directory, "prisma")) else rel
    return None


_LOCAL_SPECS = ("file:", "link:", "portal:", "./", "../", "/")
_DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies")


def _local_dependencies(data: dict[str, Any]) -> tuple[str, ...]:
    specs = (v for key in _DEPENDENCY_SECTIONS for v in _string_map(data.get(key)).values())
    return tuple(spec for spec in specs if spec.startswith(_LOCAL_SPECS))


def is_patch_package(cmd: Command) -> bool:
    """`patch-package`, directly or through npx, yarn or pnpm."""
    words = [w.text for w in cmd.operands(npm.VALUE_OPTIONS)]
    if cmd.program_name in ("npx", "yarn", "pnpm"):
        return words[:1] == ["patch-package"]
    return cmd.program_name == "patch-package"


def _patches_dir(context: BuildContext, directory: str, scripts: Mapping[str, str]) -> str | None:
    for name in INSTALL_SCRIPTS:
        for cmd in _commands(scripts.get(name, "")):
            if is_patch_package(cmd):
                rel = join(directory, cmd.option_value("--patch-dir") or PATCH_PACKAGE_DIR)
                if context.is_dir(rel):
                    return rel
    return None


def _script_files(
    context: BuildContext, directory: str, scripts: Mapping[str, str]
) -> tuple[str, ...]:
    """Files in the context named by the install-time scripts (`node scripts/setup.js`)."""
    found: list[str] = []
    for name in INSTALL_SCRIPTS:
        for cmd in _commands(scripts.get(name, "")):
            for word in cmd.words:
                text = word.text
                if not word.is_static or word.is_option or ("/" not in text and "." not in text):
                    continue
                rel = join(directory, text)
                if rel and rel != directory and context.exists(rel) and not context.is_dir(rel):
                    found.append(rel)
    return tuple(dict.fromkeys(found))


def _commands(script: str) -> tuple[Command, ...]:
    if not script:
        return ()
    return parse_text(script).commands
