"""LW304 final-stage-reinstalls-dependencies

## What it finds
The final stage runs its own production install (`COPY package*.json ./` and
`RUN npm ci --omit=dev`) although an earlier stage on the same base image already ran a full
`npm ci` from the same manifests, before its `COPY . .`. The other managers alike
(ecosystems/, `pruning`): an earlier stage ran the same tool and subcommand with the development
dependencies, the final stage the install that leaves them out. For pnpm (`pnpm install
--prod`; the prune is `pnpm prune --prod`: installing again with `--prod` over a full
`node_modules` asks to remove it and stops without a TTY), yarn classic (`yarn install
--production`), uv (`uv sync --no-dev`, the folder is `.venv`) and Composer (`composer install
--no-dev`, the folder is `vendor`) the prod-deps stage runs the final stage's install once more,
which removes what it leaves out (a uv sync is exact), and the final stage copies that folder.
Both installs must run in the same WORKDIR (a `.venv` holds its own path), as the same user,
with the same ENV. Silent when `UV_PROJECT_ENVIRONMENT`, `COMPOSER_VENDOR_DIR` or composer.json's
`vendor-dir` (unknown without a context) moves the folder. pip, Poetry, Pipenv and Bundler are
left out: their packages land outside the project (site-packages, GEM_HOME) or where settings
decide.
## Why it matters
On every dependency change both installs run, side by side, contending for CPU and disk. And the
final stage's install is keyed on the manifests' bytes: any change to them (even one that leaves
the lockfile's packages alone) reruns it and exports and pushes the whole `node_modules` layer
again. Pruning the first install in a stage of its own gives the same production dependencies
from one install, and a `COPY --from` is keyed on the content it selects, so an install that
yields byte-identical files leaves the final image's layer cached.
## Example
    FROM node:20 AS build
    COPY package*.json ./
    RUN npm ci
    COPY . .
    RUN npm run build
    FROM node:20
    COPY package*.json ./
    RUN npm ci --omit=dev
    COPY --from=build /app/dist/ ./dist/
After the fix the first stage is split at its `COPY . .`: `FROM node:20 AS deps` runs the
install, `FROM deps AS prod-deps` runs `npm prune --omit=dev`, `FROM deps AS build` copies the
sources and builds. The final stage copies `node_modules` from `prod-deps` in place of its
install (`COPY --link --from=prod-deps /app/node_modules ./node_modules` for a modern engine, see
Options), and copies `package*.json` after its last `COPY --from`.
## Fix safety
Unsafe: it restructures stages. Offered only when both stages use the same base image (native
add-ons), both installs are RUNs of their own in WORKDIR, run as the same user with the same npm
settings, no RUN lies between the first install and the split, the first stage declares no ARG
before the split and has no `--platform`, and no stage is referred to by number. The prune is
spelled for the stage's npm (ecosystems/npm_versions.py): `npm prune --omit=dev` from npm 7,
`npm prune --production` on npm 6 and older (`node:14` and before), which ignore `--omit` and
would keep the devDependencies. No fix when that npm version is unknown (a base other than an
official `node` image): the prune could silently keep the devDependencies.
## Options
`target-engine` (`--target-engine`). For `modern` (the default) the `node_modules` copy gets
`--link`: its layer then no longer depends on the final stage's earlier steps, so a new base
image or a changed apt step leaves it cached, its layer keeps its digest and is not pushed
again, and a registry cache brings it back into an empty builder (Dockerfile reference,
"Benefits of using --link"). Only where the image is provably the same: a linked layer resets
the metadata of the destination's parent directories to root's 0755 and follows no symlink, so
the WORKDIR must be one the Dockerfile made as root (`/app`, `/usr/src/app`, `/opt/app`...,
not in `/home` or `/tmp`), with nothing before the copy that could change it: only ENV/ARG,
instructions without a step, RUNs of apt commands and COPYs into other subdirectories. A
custom base image that already ships that directory with another owner is not visible here.
`docker-20.10` writes the plain `COPY --from` (its frontend has no `--link`). The manifests
copy and the other fixes are the same under both engines: linking a small manifest copy
saves nothing, since the install after it reruns anyway; and no fix writes a heredoc, because
a heredoc RUN caches exactly as the same commands joined with `&&`.
## References
- pnpm docs: `pnpm prune` (`--prod`); uv docs: `uv sync` (exact by default, `--no-dev`);
  Composer docs: `install --no-dev`; Yarn classic docs: `yarn install --production`
- Docker docs: Multi-stage builds; Build cache invalidation
- Dockerfile reference: COPY --link (Benefits of using --link; Incompatibilities with
  --link=false)
- npm docs: `npm ci`, `npm prune` (`--omit=dev`)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from layerwise.ecosystems import Installer, installers_for, npm
from layerwise.ecosystems import npm_versions as nv
from layerwise.model import Stage, Step
from layerwise.rules import _support as s
from layerwise.rules._copied import copied_file
from layerwise.rules._copy_link import link_flag
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.shell import Command
from layerwise.syntax.span import Edit

if TYPE_CHECKING:
    from layerwise.context import BuildContext

RULE = Rule(
    code="LW304",
    name="final-stage-reinstalls-dependencies",
    severity=Severity.WARNING,
    message="`{command}` reinstalls what stage `{stage}` already installed at line {line}: "
    "every dependency change runs both installs and re-exports all of `{folder}`",
    fix_title="Split `{stage}` into a dependencies stage and copy pruned `{folder}` from it",
    summary="The final stage reinstalls the production dependencies an earlier stage installed "
    "in full (npm, yarn classic, pnpm, uv, Composer)",
    message_ko="`{command}` 명령이 `{stage}` 스테이지가 {line}번 줄에서 이미 설치한 것을 "
    "다시 설치합니다: 의존성이 바뀔 때마다 두 설치가 모두 실행되고 `{folder}` 전체를 "
    "다시 내보냅니다",
    fix_title_ko="`{stage}` 스테이지를 나눠 의존성 스테이지를 만들고, 거기서 정리된(pruned) "
    "`{folder}`를 복사",
    summary_ko="앞 스테이지가 전부 설치한 운영 의존성을 최종 스테이지가 다시 설치 "
    "(npm, yarn classic, pnpm, uv, Composer)",
    fix_safety=(Safety.UNSAFE,),
)
# Options the final install may have that the full one lacks: quieter output, or leaving the
# devDependencies out (the prune does that), spelled for any npm.
_HARMLESS = frozenset(
    {"--no-audit", "--no-fund", "--silent", "--quiet", "--omit=dev", "--production",
     "--only=prod", "--only=production"}
)  # fmt: skip
_NUMBERED = re.compile(r"(^|,)(from=)?\d+($|,)")  # `--from=0`, `--mount=...,from=1`


def check(ctx: RuleContext) -> Iterator[Finding]:
    final = ctx.model.final_stage
    if final.index == 0:
        return  # no earlier stage (most files): none ran the full install
    for index, step in enumerate(final.steps):
        cmds = s.commands(ctx, step.instruction)
        cmd = next((c for c in cmds if npm.is_ci(c) and s.omits_dev(c, step)), None)
        if cmd is None:
            continue
        copies = [m for m in final.steps[:index] if "package.json" in s.npm_manifests_copied(m)]
        if not copies or s.cwd_of(step, cmd) != step.state.workdir:
            continue
        for stage in ctx.model.stages[: final.index]:
            found = _full_install(ctx, stage, step, cmd, copies[-1])
            if found is not None:
                flag = nv.omit_dev_flag(s.npm_major(ctx, found[1]))
                prune = Undo(f"npm prune {flag}" if flag else None, "node_modules")
                edits = _edits(ctx, stage, *found, step, copies[-1], prune)
                yield _finding(ctx, cmd, stage, found[0], edits, prune.folder)
                return
    for index, step in enumerate(final.steps):
        for cmd in s.commands(ctx, step.instruction):
            found_other = _other_reinstall(ctx, index, step, cmd)
            if found_other is not None:
                yield found_other
                return


@dataclass(frozen=True, slots=True)
class Undo:
    """What the prod-deps stage runs on the full install (`npm prune --omit=dev`, a module's
    `pruning`), None when unknown; the folder it leaves to copy; which commands count as the
    install in an install-only RUN."""

    command: str | None
    folder: str
    installs: Callable[[Command], bool] = s.is_dependency_install


def _finding(
    ctx: RuleContext, cmd: Command, stage: Stage, install: Step, edits: list[Edit], folder: str
) -> Finding:
    return RULE.finding(
        ctx.tree.span(cmd.start, cmd.end),
        command=cmd.text,
        stage=stage.ref,
        line=install.instruction.start_line,
        folder=folder,
        fix=Fix(Safety.UNSAFE, edits) if edits else None,
    )


def _other_reinstall(ctx: RuleContext, index: int, step: Step, cmd: Command) -> Finding | None:
    """Another manager's production install in the final stage (its `dev_form` has nothing to
    add) that an earlier stage ran in full (its `dev_form` would): the prod-deps stage prunes
    the full one as the module says (`pruning`: `pnpm prune --prod`, or the production install
    again, which removes what it leaves out) and the final stage copies the folder it fills."""
    final, workdir = ctx.model.final_stage, step.state.workdir
    if s.cwd_of(step, cmd) != workdir:
        return None
    for eco in installers_for(cmd):
        if eco.NAME == npm.NAME or not eco.is_dependency_install(cmd):
            continue  # npm: above, with the prune its version takes
        names = (*eco.MANIFESTS, *eco.LOCKFILES)
        copies = [m for m in final.steps[:index] if eco.MANIFESTS[0] in s.files_copied(m, names)]
        if not copies:
            continue
        copied = copied_file(ctx, step, workdir, eco.MANIFESTS)
        context = ctx.context if copied is not None else None
        folder = copied.source_dir if copied is not None else ""
        env = step.state.variables
        pruning = eco.pruning(cmd, env, context, folder)
        if pruning is None:
            continue
        earlier = s.commands_before(ctx, step, cmd)
        if eco.dev_form(cmd, env, context, folder, earlier) is not None:
            continue
        manifests = s.files_copied(copies[-1], names)
        for stage in ctx.model.stages[: final.index]:
            found = _full_other(ctx, stage, step, cmd, eco, manifests, (context, folder))
            if found is not None:
                undo = Undo(pruning.command, pruning.folder, s.installs_dependencies)
                edits = _edits(ctx, stage, *found, step, copies[-1], undo)
                return _finding(ctx, cmd, stage, found[0], edits, pruning.folder)
    return None


def _full_other(
    ctx: RuleContext,
    stage: Stage,
    step: Step,
    cmd: Command,
    eco: Installer,
    manifests: set[str],
    project: tuple[BuildContext | None, str],
) -> tuple[Step, Step] | None:
    """(the stage's full install step, its broad COPY): the same tool and subcommand as the
    final install, bringing the development dependencies, in the same WORKDIR (a `.venv` holds
    its own path), as the same user with the same ENV, after copying the same manifests."""
    final = ctx.model.final_stage
    chain = {c.index for c in s.stage_chain(final)}
    broad = next((st for st in stage.steps if s.is_broad_copy(st.instruction)), None)
    if stage.root.base != final.root.base or stage.index in chain or broad is None:
        return None
    before = stage.steps[: stage.steps.index(broad)]
    verb = eco.verb(cmd)
    names = (*eco.MANIFESTS, *eco.LOCKFILES)
    for i, st in enumerate(before):
        for full in s.commands(ctx, st.instruction):
            other = eco.verb(full)
            if (
                full.program_name != cmd.program_name
                or not eco.is_dependency_install(full)
                or (other and other.text) != (verb and verb.text)
                or s.cwd_of(st, full) != st.state.workdir
                or st.state.workdir != step.state.workdir
                or st.state.user_name != step.state.user_name
                or st.state.variables != step.state.variables
                or not set().union(*(s.files_copied(m, names) for m in before[:i])) >= manifests
            ):
                continue
            earlier = s.commands_before(ctx, st, full)
            if eco.dev_form(full, st.state.variables, *project, earlier) is not None:
                return st, broad
    return None


def _npm_env(step: Step) -> dict[str, str]:
    return {
        k.lower(): v for k, v in step.state.variables.items() if k.lower().startswith("npm_config")
    }


def _options(cmd: Command) -> set[str]:
    return {w.text for w in cmd.args if w.text.startswith("-")}


def _full_install(
    ctx: RuleContext, stage: Stage, step: Step, cmd: Command, manifest: Step
) -> tuple[Step, Step] | None:
    """(the stage's full `npm ci` step, its broad COPY) when they match the final's install."""
    final = ctx.model.final_stage
    chain = {c.index for c in s.stage_chain(final)}
    broad = next((st for st in stage.steps if s.is_broad_copy(st.instruction)), None)
    if stage.root.base != final.root.base or stage.index in chain or broad is None:
        return None
    before = stage.steps[: stage.steps.index(broad)]
    for i, st in enumerate(before):
        full = next((c for c in s.commands(ctx, st.instruction) if npm.is_ci(c)), None)
        if full is None or s.omits_dev(full, st) or s.cwd_of(st, full) != st.state.workdir:
            continue
        copied = set().union(*(s.npm_manifests_copied(m) for m in before[:i]))
        if (
            copied >= s.npm_manifests_copied(manifest)
            and st.state.user_name == step.state.user_name
            and _npm_env(st) == _npm_env(step)
            and _options(cmd) - _HARMLESS <= _options(full)
        ):
            return st, broad
    return None


def _edits(
    ctx: RuleContext,
    stage: Stage,
    install: Step,
    broad: Step,
    step: Step,
    manifest: Step,
    undo: Undo,
) -> list[Edit]:
    """Rename the stage to deps, open prod-deps (running `undo`) and build at its broad COPY,
    copy the installed folder from prod-deps in place of the final install, and copy the
    manifests last."""
    tree, head = ctx.tree, stage.from_instruction
    words = list(re.finditer(r"\S+", tree.text[head.args_span.start : head.args_span.end]))
    anchor = _manifest_anchor(ctx, step, manifest)
    if (
        len(words) != 3
        or anchor is None
        or undo.command is None
        or not _splittable(ctx, stage, install, broad, step, undo)
    ):
        return []
    stages_ = ctx.model.stages
    deps, prod = s.free_stage_name("deps", stages_), s.free_stage_name("prod-deps", stages_)
    name = words[2]
    as_, run = ("AS", "RUN") if head.keyword.isupper() else ("as", "run")
    nl, kw, start = tree.newline, head.keyword, head.args_span.start + name.start()
    stages = [f"{kw} {deps} {as_} {prod}{nl}{run} {undo.command}{nl}"]
    stages.append(f"{kw} {deps} {as_} {name.group()}{nl}")
    folder = undo.folder
    modules = f"{install.state.workdir.rstrip('/')}/{folder}"
    link = link_flag(ctx, step, s.resolve(folder, step.state.workdir), [manifest])
    copy = f"{manifest.instruction.keyword} {link}--from={prod} {modules} ./{folder}"
    return [
        Edit(start, start + len(name.group()), deps),
        s.insert_before(tree, broad.instruction, stages),
        Edit(step.instruction.start, step.instruction.end, copy),
        s.insert_after(tree, anchor.instruction, [manifest.instruction]),
        s.delete_block(tree, manifest.instruction),
    ]


def _splittable(
    ctx: RuleContext, stage: Stage, install: Step, broad: Step, step: Step, undo: Undo
) -> bool:
    """Both installs are whole RUNs, nothing but instructions without a RUN lies between the
    install and the split, no ARG would be left behind, and no stage is referred to by number."""
    split = stage.steps.index(broad)
    between = stage.steps[stage.steps.index(install) + 1 : split]
    flags = (f.value or "" for ins in ctx.tree.instructions for f in ins.flags)
    return not (
        stage.from_instruction.flags
        or any(st.instruction.name == "ARG" for st in stage.steps[:split])
        or any(st.instruction.name == "RUN" for st in between)
        or not s.is_install_only(ctx, install.instruction, undo.installs)
        or not s.is_install_only(ctx, step.instruction, undo.installs)
        or any(_NUMBERED.search(v) for v in flags)
    )


def _manifest_anchor(ctx: RuleContext, step: Step, manifest: Step) -> Step | None:
    """The last `COPY --from` (or the install) the manifests can move below; None when a step
    between could read them or a copy could overwrite them."""
    final = ctx.model.final_stage.steps
    after = final[final.index(manifest) + 1 :]
    last = max(i for i, st in enumerate(after) if st.instruction.flag("from") or st is step)
    for st in after[: last + 1]:
        ins, workdir = st.instruction, st.state.workdir
        if st is step or ins.name in s.NO_STEP:
            continue
        dest = s.resolve(st.state.expand(ins.value[-1]), workdir) if ins.flag("from") else "/"
        if workdir == dest or workdir.startswith(dest.rstrip("/") + "/"):
            return None
    return after[last]
