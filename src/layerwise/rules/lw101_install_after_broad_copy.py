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
from layerwise.shell import Command
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW101",
    name="install-after-broad-copy",
    severity=Severity.WARNING,
    message="`{command}` runs after `{copy}` at line {line}: any source change reinstalls "
    "every dependency",
    fix_title="Copy {manifests} first and install before `{copy}`",
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
            cmds = s.commands(ctx, steps[index].instruction)
            install = next(filter(s.is_dependency_install, cmds), None)
            if install is None:
                continue
            between = steps[at + 1 : index]
            adjacent = all(b.instruction.name in _NEUTRAL for b in between)
            copied = any(_copies_manifest(st) for st in steps[:at])
            yield _finding(ctx, steps[at], steps[index], install, adjacent, copied)
            break


def _copies_manifest(step: Step) -> bool:
    parts = s.copy_parts(step.instruction)
    names = {posixpath.basename(p) for p in parts[0]} if parts else set()
    return bool(names & {"package.json", "package*.json"})


def _finding(
    ctx: RuleContext, broad: Step, step: Step, install: Command, adjacent: bool, copied: bool
) -> Finding:
    copy = broad.instruction
    _, dest = s.copy_parts(copy) or ((), ".")
    dest_dir = s.resolve(dest, broad.state.workdir)
    rel = posixpath.relpath(s.cwd_of(step, install), dest_dir)
    fix = None
    inputs: tuple[str, ...] = ()
    if not rel.startswith(".."):
        inputs, known = s.install_inputs(ctx, "" if rel == "." else rel)
        copies = [] if copied else _copy_lines(ctx, broad, inputs, dest)
        edits = _edits(ctx, broad, step, install, copies)
        if edits:
            fix = Fix(Safety.SAFE if known and adjacent else Safety.UNSAFE, edits)
    return RULE.finding(
        ctx.tree.span(install.start, install.end),
        command=install.text,
        copy=copy.text.splitlines()[0],
        line=copy.start_line,
        manifests=", ".join(f"`{p}`" for p in inputs) or "the manifests",
        fix=fix,
    )


def _copy_lines(ctx: RuleContext, broad: Step, inputs: tuple[str, ...], dest: str) -> list[str]:
    """The COPY lines bringing the install's inputs, with the broad COPY's --chown/--chmod."""
    copy = broad.instruction
    head = copy.keyword + "".join(" " + f.text for f in copy.flags if f.name in ("chown", "chmod"))
    base = dest if dest.endswith("/") else ("./" if dest == "." else dest + "/")
    return s.copy_lines(head, inputs, base, ctx.tree.newline)


def _edits(
    ctx: RuleContext,
    broad: Step,
    step: Step,
    install: Command,
    copies: list[str],
) -> list[Edit]:
    """Whole install RUN: the broad COPY moves below it and the manifests (unless an earlier
    COPY brought them) take its place. `cd x && npm ci && more`: the install part moves up."""
    tree, run = ctx.tree, step.instruction
    cmds = s.commands(ctx, run)
    if all(s.is_dependency_install(c) or c.program_name == "cd" for c in cmds):
        start, end = s.block_start(tree, broad.instruction), s.block_end(tree, broad.instruction)
        keep = Edit(start, end, "".join(copies))
        if not copies:
            keep = s.delete_block(tree, broad.instruction)
        return [keep, s.insert_after(tree, run, broad.instruction)]
    first = cmds.index(install)
    if any(c.program_name != "cd" for c in cmds[:first]) or install.operator_after != "&&":
        return []
    if not all(c.top_level for c in cmds[: first + 2]):
        return []
    flags = "".join(f.text + " " for f in run.flags)
    piece = tree.text[cmds[0].start : install.end]
    new_run = f"{run.keyword} {flags}{piece}{tree.newline}"
    return [
        s.insert_before(tree, broad.instruction, [*copies, new_run]),
        Edit(cmds[0].start, cmds[first + 1].start, ""),
    ]
