"""LW101 install-after-broad-copy

## What it finds
A dependency install (`npm ci`, `npm install`) that runs after the whole build context was
copied in (`COPY . .`) in the same stage.
## Why it matters
BuildKit keys a COPY on the content of the files it copies, and a miss reruns every later step
of the stage. After `COPY . .`, any edit to any source file reruns the install, which downloads
and unpacks every dependency again. Copying only the manifests first keeps the install cached
until the dependencies really change.
## Example
    COPY . .
    RUN npm ci
After the fix:
    COPY package.json package-lock.json ./
    RUN npm ci
    COPY . .
## Fix safety
Safe when the build context shows what the install reads (package.json, the lockfile, `.npmrc`,
a Prisma schema used by an install script, workspace manifests) and the install directly follows
the broad COPY. Unsafe when the context is unknown (the fix then copies `package*.json`), when
install scripts may read other files, or when steps between the COPY and the install would move.
## References
- Docker docs: Optimize cache usage in builds (order your layers)
- Docker docs: Build cache invalidation"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from layerwise.model import Step
from layerwise.rules import _support as s
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.texts import Phrase
from layerwise.shell import Command
from layerwise.syntax import Instruction
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW101",
    name="install-after-broad-copy",
    severity=Severity.WARNING,
    message="`{command}` runs after `{copy}` at line {line}: any source change reinstalls "
    "every dependency",
    fix_title="Copy {manifests} first and install before `{copy}`",
    message_ko="`{command}` 명령이 {line}번 줄의 `{copy}` 뒤에서 실행되어, 소스가 바뀔 때마다 "
    "모든 의존성을 다시 설치합니다",
    fix_title_ko="{manifests}부터 복사하고 `{copy}` 앞에서 설치",
    phrases={"manifests": Phrase("the manifests", "매니페스트")},
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# Between the broad COPY and the install these do not change what the install sees.
_NEUTRAL = frozenset({"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL"})


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.model.stages:
        steps = stage.steps
        at = next((i for i, st in enumerate(steps) if s.is_broad_copy(st.instruction)), None)
        if at is None:
            continue
        for index in range(at + 1, len(steps)):
            install = next(
                filter(s.is_dependency_install, s.commands(ctx, steps[index].instruction)), None
            )
            if install is None:
                continue
            between = steps[at + 1 : index]
            broads = [steps[at], *(b for b in between if s.is_broad_copy(b.instruction))]
            adjacent = all(b in broads or b.instruction.name in _NEUTRAL for b in between)
            last = index  # the broad COPYs go below the whole run of install-only RUNs
            while last + 1 < len(steps) and s.is_install_only(ctx, steps[last + 1].instruction):
                last += 1
            copied = any(s.copies_npm_manifest(st.instruction) for st in steps[:at])
            yield _finding(ctx, broads, steps[index], install, steps[last], adjacent, copied)
            break


def _finding(
    ctx: RuleContext,
    broads: list[Step],
    step: Step,
    install: Command,
    anchor: Step,
    adjacent: bool,
    copied: bool,
) -> Finding:
    copy = broads[0].instruction
    _, dest = s.copy_parts(copy) or ((), ".")
    rel = posixpath.relpath(s.cwd_of(step, install), s.resolve(dest, broads[0].state.workdir))
    fix = None
    inputs: tuple[str, ...] = ()
    if not rel.startswith(".."):
        inputs, known = s.install_inputs(ctx, "" if rel == "." else rel)
        copies = [] if copied else _copy_lines(ctx, copy, inputs, dest)
        edits = _edits(ctx, broads, step, install, anchor, copies)
        if edits:
            fix = Fix(Safety.SAFE if known and adjacent else Safety.UNSAFE, edits)
    return RULE.finding(
        ctx.tree.span(install.start, install.end),
        command=install.text,
        copy=copy.text.splitlines()[0],
        line=copy.start_line,
        manifests=", ".join(f"`{p}`" for p in inputs) or RULE.text("manifests"),
        fix=fix,
    )


def _copy_lines(
    ctx: RuleContext, copy: Instruction, inputs: tuple[str, ...], dest: str
) -> list[str]:
    """The COPY lines bringing the install's inputs, with the broad COPY's --chown/--chmod."""
    head = copy.keyword + "".join(" " + f.text for f in copy.flags if f.name in ("chown", "chmod"))
    base = dest if dest.endswith("/") else ("./" if dest == "." else dest + "/")
    return s.copy_lines(head, inputs, base, ctx.tree.newline)


def _edits(
    ctx: RuleContext,
    broads: list[Step],
    step: Step,
    install: Command,
    anchor: Step,
    copies: list[str],
) -> list[Edit]:
    """Whole install RUN: the broad COPYs move below it (and the install-only RUNs after it),
    the manifests (unless an earlier COPY brought them) take the first one's place.
    `cd x && npm ci && more`: the install part moves up instead."""
    tree, run = ctx.tree, step.instruction
    cmds = s.commands(ctx, run)
    first_copy = broads[0].instruction
    if s.is_install_only(ctx, run):
        start, end = s.block_start(tree, first_copy), s.block_end(tree, first_copy)
        keep = Edit(start, end, "".join(copies))
        if not copies:
            keep = s.delete_block(tree, first_copy)
        moved = [b.instruction for b in broads]
        rest = [s.delete_block(tree, b) for b in moved[1:]]
        return [keep, *rest, s.insert_after(tree, anchor.instruction, moved)]
    if len(broads) > 1:
        return []
    first = cmds.index(install)
    if any(c.program_name != "cd" for c in cmds[:first]) or install.operator_after != "&&":
        return []
    if not all(c.top_level for c in cmds[: first + 2]):
        return []
    flags = "".join(f.text + " " for f in run.flags)
    piece = tree.text[cmds[0].start : install.end]
    new_run = f"{run.keyword} {flags}{piece}{tree.newline}"
    return [
        s.insert_before(tree, first_copy, [*copies, new_run]),
        Edit(cmds[0].start, cmds[first + 1].start, ""),
    ]
