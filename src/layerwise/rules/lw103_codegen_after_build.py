"""LW103 codegen-after-build

## What it finds
A code generation step (`prisma generate`) that runs after the build step of the same stage
(`npm run build`), in a later RUN.
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
the schema changes. Review that the generator only needs the schema.
## References
- Prisma docs: `prisma generate` (generate the client before building your application)"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.model import Step
from layerwise.rules import _support as s
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.shell import Command

RULE = Rule(
    code="LW103",
    name="codegen-after-build",
    severity=Severity.WARNING,
    message="`{generate}` runs after `{build}` at line {line}, which compiles without the "
    "generated code",
    fix_title="Move `{generate}` above `{build}`",
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
            fix = None
            if all(s.is_codegen(c) or c.program_name == "cd" for c in cmds):
                edits = s.move_before(ctx.tree, step.instruction, build_step.instruction)
                fix = Fix(Safety.UNSAFE, edits)
            yield RULE.finding(
                ctx.tree.span(generate.start, generate.end),
                generate=generate.text,
                build=build_cmd.text,
                line=build_step.instruction.start_line,
                fix=fix,
            )
            break
