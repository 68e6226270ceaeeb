"""LW103 codegen-after-build

## What it finds
A code generation step (`prisma generate`) that runs after the build step of the same stage
(`npm run build`), in a later RUN, in the build's project: in its directory, one above it or one
inside it. A generator of another project beside it (`/app/api` after a build in `/app/web`)
writes nothing that build reads and is not reported.
## Why it matters
The build compiles against whatever generated code exists when it runs. Generating afterwards
means the build saw a stale client or none (older Prisma versions hid this by generating in an
install script; Prisma 7 does not), so the image may fail at run time. Generating first also lets
the build type-check against the real client.
## Example
    RUN npm run build
    RUN npx prisma generate
After the fix:
    RUN npx prisma generate
    RUN npm run build
## Fix safety
Unsafe: the generator might read build output, and moving it changes which steps rebuild when
the schema changes. Review that the generator only needs the schema. No fix when the generator's
RUN has another WORKDIR than the build's: moved above the build, it would run elsewhere.
## References
- Prisma docs: `prisma generate` (generate the client before building your application)"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.model import Step
from layerwise.rules import _support as s
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.shell import Command
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW103",
    name="codegen-after-build",
    severity=Severity.WARNING,
    message="`{generate}` runs after `{build}` at line {line}, which compiles without the "
    "generated code",
    fix_title="Move `{generate}` above `{build}`",
    message_ko="`{generate}` 명령이 {line}번 줄의 `{build}` 뒤에서 실행되어, 빌드는 "
    "생성된 코드 없이 컴파일됩니다",
    fix_title_ko="`{generate}` 명령을 `{build}` 앞으로 이동",
    fix_safety=(Safety.UNSAFE,),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.model.stages:
        build: tuple[Step, Command] | None = None
        for step in stage.steps:
            cmds = s.commands(ctx, step.instruction)
            if build is None:
                found = next(filter(s.is_build, cmds), None)
                build = (step, found) if found is not None else None
                continue
            generate = next(filter(s.is_codegen, cmds), None)
            if generate is None:
                continue
            build_step, build_cmd = build
            if not _related(s.cwd_of(build_step, build_cmd), s.cwd_of(step, generate)):
                continue  # another project's generator: the build reads nothing it writes
            edits: list[Edit] = []
            same_workdir = step.state.workdir == build_step.state.workdir
            if same_workdir and all(s.is_codegen(c) or c.program_name == "cd" for c in cmds):
                edits = _edits(ctx, step, generate, build_step, build_cmd)
            yield RULE.finding(
                ctx.tree.span(generate.start, generate.end),
                generate=generate.text,
                build=build_cmd.text,
                line=build_step.instruction.start_line,
                fix=Fix(Safety.UNSAFE, edits) if edits else None,
            )
            break


def _related(a: str, b: str) -> bool:
    """One directory is the other or lies inside it: the same project, or a workspace of it."""
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


def _edits(
    ctx: RuleContext, step: Step, generate: Command, build_step: Step, build_cmd: Command
) -> list[Edit]:
    """Move the generating RUN above the building one; when the build is not the first command
    of its RUN (`npm ci && npm run build`), put the generator right before it instead."""
    build_cmds = s.commands(ctx, build_step.instruction)
    if build_cmds[0] is build_cmd:
        return s.move_before(ctx.tree, step.instruction, build_step.instruction)
    if build_cmd.operator_before != "&&" or not build_cmd.top_level or generate.cwd_hint:
        return []
    tree, run = ctx.tree, step.instruction
    comments = tree.text[s.block_start(tree, run) : s.line_start(tree.text, run.span.start)]
    edits = [
        Edit.insert(build_cmd.start, f"{generate.text} && "),
        s.delete_block(tree, run),
    ]
    if comments:  # they go with the command, above the RUN it joins
        edits.append(Edit.insert(s.block_start(tree, build_step.instruction), comments))
    return edits
