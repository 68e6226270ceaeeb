"""LW304 final-stage-reinstalls-dependencies

## What it finds
The final stage runs its own production install (`COPY package*.json ./` and
`RUN npm ci --omit=dev`) although an earlier stage on the same base image already ran a full
`npm ci` from the same manifests, before its `COPY . .`.
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
install, and copies `package*.json` after its last `COPY --from`.
## Fix safety
Unsafe: it restructures stages. Offered only when both stages use the same base image (native
add-ons), the install runs in WORKDIR as the same user with the same npm settings, the
earlier stage declares no ARG before the split and has no `--platform`, and no stage is referred
to by number.
## References
- Docker docs: Multi-stage builds; Build cache invalidation
- npm docs: `npm ci`, `npm prune` (`--omit=dev`)"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.ecosystems import npm
from layerwise.model import Stage, Step
from layerwise.rules import _support as s
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.shell import Command
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW304",
    name="final-stage-reinstalls-dependencies",
    severity=Severity.WARNING,
    message="`{command}` reinstalls what stage `{stage}` already installed at line {line}: "
    "every dependency change runs both installs and re-exports all of `node_modules`",
    fix_title="Split `{stage}` into a dependencies stage and copy pruned `node_modules` from it",
)
_HARMLESS = frozenset({"--no-audit", "--no-fund", "--silent", "--quiet", "--omit=dev"})
_NEUTRAL = frozenset({"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL"})


def check(ctx: RuleContext) -> Iterator[Finding]:
    final = ctx.model.final_stage
    for index, step in enumerate(final.steps):
        cmd = next((c for c in s.commands(ctx, step.instruction) if _is_prod_ci(c, step)), None)
        manifest = next(
            (m for m in reversed(final.steps[:index]) if s.copies_npm_manifest(m.instruction)),
            None,
        )
        if cmd is None or manifest is None:
            continue
        for stage in ctx.model.stages[: final.index]:
            found = _full_install(ctx, stage, final, step, cmd, manifest)
            if found is not None:
                install, broad = found
                fix = _fix(ctx, stage, install, broad, step, manifest)
                yield RULE.finding(
                    ctx.tree.span(cmd.start, cmd.end),
                    command=cmd.text,
                    stage=stage.ref,
                    line=install.instruction.start_line,
                    fix=Fix(Safety.UNSAFE, fix) if fix else None,
                )
                return


def _is_prod_ci(cmd: Command, step: Step) -> bool:
    return npm.is_ci(cmd) and s.omits_dev(cmd, step)


def _manifests(step: Step) -> frozenset[str]:
    parts = s.copy_parts(step.instruction)
    names = {w.rsplit("/", 1)[-1] for w in parts[0]} if parts else set()
    if "package*.json" in names:
        names |= {"package.json", *npm.LOCKFILES}
    return frozenset(names & {"package.json", *npm.LOCKFILES})


def _npm_env(step: Step) -> dict[str, str]:
    return {k.lower(): v for k, v in step.state.env.items() if k.lower().startswith("npm_config")}


def _options(cmd: Command) -> set[str]:
    return {w.text for w in cmd.args[1:]}


def _full_install(
    ctx: RuleContext, stage: Stage, final: Stage, step: Step, cmd: Command, manifest: Step
) -> tuple[Step, Step] | None:
    """(the earlier stage's full `npm ci` step, its broad COPY) when it matches the final's."""
    if stage.root.base != final.root.base or stage.index in {c.index for c in s.stage_chain(final)}:
        return None
    broad = next((st for st in stage.steps if s.is_broad_copy(st.instruction)), None)
    if broad is None:
        return None
    for st in stage.steps[: stage.steps.index(broad)]:
        full = [c for c in s.commands(ctx, st.instruction) if npm.is_ci(c)]
        if not full or s.omits_dev(full[0], st) or s.cwd_of(st, full[0]) != st.state.workdir:
            continue
        copied = [
            m for m in stage.steps[: stage.steps.index(st)] if s.copies_npm_manifest(m.instruction)
        ]
        same = bool(copied) and _manifests(copied[-1]) >= _manifests(manifest) - {
            "npm-shrinkwrap.json"
        }
        if (
            same
            and st.state.user_name == step.state.user_name
            and _npm_env(st) == _npm_env(step)
            and _options(cmd) - _HARMLESS <= _options(full[0])
        ):
            return st, broad
    return None


def _fix(
    ctx: RuleContext, stage: Stage, install: Step, broad: Step, step: Step, manifest: Step
) -> list[Edit]:
    tree, final = ctx.tree, ctx.model.final_stage
    head = stage.from_instruction
    words = list(re.finditer(r"\S+", tree.text[head.args_span.start : head.args_span.end]))
    refs = (
        f.value or "" for ins in tree.instructions for f in ins.flags if f.name in ("from", "mount")
    )
    if (
        head.flags
        or len(words) != 3
        or any(st.instruction.name == "ARG" for st in stage.steps[: stage.steps.index(broad)])
        or any(re.search(r"(^|,)(from=)?\d+($|,)", r) for r in refs)
        or not s.is_install_only(ctx, step.instruction)
        or s.cwd_of(step, next(c for c in s.commands(ctx, step.instruction) if npm.is_ci(c)))
        != step.state.workdir
        or s.resolve(manifest.instruction.value[-1], manifest.state.workdir) != step.state.workdir
    ):
        return []
    after = final.steps[final.steps.index(manifest) + 1 :]
    last = max((i for i, st in enumerate(after) if st.instruction.flag("from")), default=-1)
    for st in after[: last + 1]:
        ins = st.instruction
        if ins.name in _NEUTRAL or st is step:
            continue
        dest = s.resolve(st.state.expand(ins.value[-1]), st.state.workdir) if ins.value else "/"
        if (
            ins.flag("from") is None
            or step.state.workdir.startswith(dest.rstrip("/") + "/")
            or dest == step.state.workdir
        ):
            return []
    names = {st.name for st in ctx.model.stages if st.name}
    deps, prod = _free("deps", names), _free("prod-deps", names)
    upper = head.keyword.isupper()
    as_, run = ("AS", "RUN") if upper else ("as", "run")
    name_word = words[2]
    nl = tree.newline
    start = head.args_span.start + name_word.start()
    workdir = install.state.workdir.rstrip("/")
    copy_kw = manifest.instruction.keyword
    anchor = after[last].instruction if last >= 0 else step.instruction
    return [
        Edit(start, start + len(name_word.group()), deps),
        s.insert_before(
            tree,
            broad.instruction,
            [
                f"{head.keyword} {deps} {as_} {prod}{nl}{run} {npm.PRUNE_DEV_COMMAND}{nl}",
                f"{head.keyword} {deps} {as_} {name_word.group()}{nl}",
            ],
        ),
        Edit(
            step.instruction.span.start,
            step.instruction.span.end,
            f"{copy_kw} --from={prod} {workdir}/node_modules ./node_modules",
        ),
        s.insert_after(tree, anchor, [manifest.instruction]),
        s.delete_block(tree, manifest.instruction),
    ]


def _free(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3`... when a stage already has it."""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{name}-{n}"
    return candidate
