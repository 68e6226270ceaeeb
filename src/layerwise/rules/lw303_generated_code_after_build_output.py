"""LW303 generated-code-after-build-output

## What it finds
In the final stage, a `COPY --from=<stage>` of generated code that depends only on a schema
(the Prisma client in `node_modules/.prisma`) placed after a `COPY --from` of build output
(`dist/`, which a build step writes anew on every source change).
## Why it matters
A miss invalidates every later step of the stage. Build output changes on every source commit,
so the COPY below it is re-created each time, and its layer is exported and pushed again even
though its bytes did not change. Copied before the build output, the generated code stays one
cached layer until the schema changes (a COPY --from is keyed on the content it selects).
## Example
    COPY --from=build /app/dist/ ./dist/
    COPY --from=build /app/node_modules/.prisma/ ./node_modules/.prisma/
After the fix the `.prisma` COPY (with the comments above it) comes first.
## Fix safety
Safe when only COPY instructions whose destinations do not overlap the generated code's (or
instructions that create no build step) lie between the two. Otherwise no fix is offered.
## References
- Docker docs: Build cache invalidation; Optimize cache usage in builds (order your layers)
- Prisma docs: `prisma generate` (the client is generated into `node_modules/.prisma`)"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from layerwise.ecosystems import npm
from layerwise.model import Stage, Step
from layerwise.rules import _support as s
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity

RULE = Rule(
    code="LW303",
    name="generated-code-after-build-output",
    severity=Severity.WARNING,
    message="`{copy}` comes after build output `{output}` copied at line {line}: every source "
    "change re-creates this layer although its content only depends on the schema",
    fix_title="Move `{copy}` above line {line}",
    message_ko="`{copy}` 명령이 {line}번 줄에서 복사한 빌드 결과물 `{output}` 뒤에 "
    "있습니다: 내용은 스키마에만 달려 있는데도 소스가 바뀔 때마다 이 레이어를 다시 만듭니다",
    fix_title_ko="`{copy}` 명령을 {line}번 줄 위로 이동",
    fix_safety=(Safety.SAFE,),
)
# Where each code generator of npm.CODEGEN writes, inside node_modules.
GENERATED_DIRS = {"prisma": (".prisma",)}
assert GENERATED_DIRS.keys() <= npm.CODEGEN.keys()


def check(ctx: RuleContext) -> Iterator[Finding]:
    output: tuple[Step, str] | None = None
    for step in ctx.model.final_stage.steps:
        source = _source_stage(ctx, step)
        if source is None:
            continue
        words = step.instruction.value[:-1]
        paths = [posixpath.normpath("/" + step.state.expand(w)) for w in words]
        if output is None:
            pairs = zip(words, paths, strict=True)
            hit = next((w for w, p in pairs if _is_build_output(ctx, source, p)), None)
            output = (step, hit) if hit is not None else None
        elif paths and all(_is_generated(p) for p in paths):
            yield _finding(ctx, step, output)


def _source_stage(ctx: RuleContext, step: Step) -> Stage | None:
    ins = step.instruction
    if ins.name != "COPY" or ins.flag("from") is None or len(step.source_stages) != 1:
        return None
    return ctx.model.stages[step.source_stages[0]]


def _is_generated(path: str) -> bool:
    parts = path.split("/")
    return any(
        parts[i] == "node_modules" and parts[i + 1] in dirs
        for dirs in GENERATED_DIRS.values()
        for i in range(len(parts) - 1)
    )


def _is_build_output(ctx: RuleContext, source: Stage, path: str) -> bool:
    """A path a build step of the source stage writes: under the build's directory, outside
    node_modules, and (when the context is known) not a directory or file of the context."""
    if "node_modules" in path.split("/"):
        return False
    for stage in s.stage_chain(source):
        for step in stage.steps:
            for cmd in filter(s.is_build, s.commands(ctx, step.instruction)):
                cwd = s.cwd_of(step, cmd)
                rel = posixpath.relpath(path, cwd)
                if rel == "." or rel.startswith(".."):
                    continue
                if ctx.context is None or not ctx.context.exists(rel):
                    return True
    return False


def _finding(ctx: RuleContext, step: Step, output: tuple[Step, str]) -> Finding:
    tree, ins = ctx.tree, step.instruction
    out_step, out_path = output
    steps = ctx.model.final_stage.steps
    between = steps[steps.index(out_step) : steps.index(step)]
    dest = _dest(step)
    movable = all(
        b.instruction.name in s.NO_STEP
        or (b.instruction.name in ("COPY", "ADD") and not _overlap(_dest(b), dest))
        for b in between
    )
    fix = Fix(Safety.SAFE, s.move_before(tree, ins, out_step.instruction)) if movable else None
    return RULE.finding(
        ins.span,
        copy=ins.text.splitlines()[0],
        output=out_path,
        line=out_step.instruction.start_line,
        fix=fix,
    )


def _dest(step: Step) -> str:
    return s.resolve(step.state.expand(step.instruction.value[-1]), step.state.workdir)


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")
