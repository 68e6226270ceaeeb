"""LW502 apt-update-alone

## What it finds
A RUN that runs `apt-get update` without installing anything, so the package lists are
refreshed in one layer and used by an install in a later RUN.

## Why it matters
BuildKit caches the update step like any other: its key depends on the command and the steps
before it, never on what the mirror serves, so once built it is reused for as long as the cache
lives, and the install steps below keep reading those old lists.
When the install step changes (a package added) it still uses the cached lists, which may name
versions the mirror no longer has ("404 Not Found"). Running `apt-get update` in the same RUN as
the install refreshes the lists exactly when the install runs again.

## Example
    RUN apt-get update
    RUN apt-get install -y --no-install-recommends curl
After the fix:
    RUN apt-get update && apt-get install -y --no-install-recommends curl

## Fix safety
Safe: the same commands run in the same order, in one step. The fix applies when the update is
the RUN's only command, the RUN has no flags, and the next instruction of the stage is a RUN that
installs; otherwise the finding comes without a fix. Not into a RUN with `--network=none` (a
hermetic install from a bind or cache mount): the update would fetch nothing there, and the
lists it fetched before would be gone, so the install would fail.

## References
- Docker docs, Building best practices: apt-get (always combine update with install)"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ecosystems import apt
from layerwise.model.nodes import Step
from layerwise.rules._support import block_end, line_start
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import shell_runs
from layerwise.shell import Command, Script
from layerwise.syntax import Dockerfile
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW502",
    name="apt-update-alone",
    severity=Severity.WARNING,
    message="`{command}` runs in a RUN of its own: later installs use its cached, stale lists",
    fix_title="Move `{command}` into the install RUN at line {line}",
    summary="`apt-get update` in a RUN that installs nothing",
    message_ko="`{command}` 명령이 별도의 RUN에서 실행됩니다: 이후 설치는 캐시된 오래된 "
    "패키지 목록을 씁니다",
    fix_title_ko="`{command}` 명령을 {line}번 줄의 설치 RUN으로 이동",
    summary_ko="아무것도 설치하지 않는 RUN의 `apt-get update`",
    fix_safety=(Safety.SAFE,),
)
# Verbs that use the lists in the same RUN: an update followed by any of them is not alone.
_USES_LISTS = apt.FETCH_VERBS | {"remove", "purge", "autoremove"}


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for step, script in shell_runs(ctx):
        update = next((c for c in script.commands if apt.is_update(c)), None)
        if update is None or any(_uses_lists(c) for c in script.commands):
            continue
        fix, line = None, 0
        target = _next_install(ctx, step)
        if target is not None and len(script.commands) == 1 and not step.instruction.flags:
            install, line = target
            fix = _merge(tree, step, update, install)
        text = tree.text[update.start : update.end]
        command = text if "\n" not in text else update.text
        yield RULE.finding(tree.span(update.start, update.end), fix=fix, command=command, line=line)


def _uses_lists(cmd: Command) -> bool:
    verb = apt.verb(cmd)
    return verb is not None and verb.text in _USES_LISTS


def _next_install(ctx: RuleContext, step: Step) -> tuple[Command, int] | None:
    """The first install of the next instruction, when that is a shell-form RUN."""
    steps = ctx.model.stages[step.stage].steps
    index = next(i for i, s in enumerate(steps) if s is step)
    if index + 1 >= len(steps):
        return None
    following = steps[index + 1].instruction
    if following.name != "RUN" or following.is_json:
        return None
    # Without a network the update moved there fetches nothing, and the lists this RUN
    # fetched for the install are gone with it.
    network = following.flag("network")
    if network is not None and network.value == "none":
        return None
    script: Script | None = ctx.script(following)
    if script is None:
        return None
    install = next((c for c in script.commands if apt.is_install(c)), None)
    if install is None or install.nested or install.operator_before not in (None, "&&", ";"):
        return None
    return install, following.start_line


def _merge(tree: Dockerfile, step: Step, update: Command, install: Command) -> Fix:
    text = tree.text[update.start : update.end]
    command = text if "\n" not in text else update.text
    # Only the instruction's own lines go: comments above it stay, above the merged RUN.
    instruction = step.instruction
    delete = Edit(line_start(tree.text, instruction.start), block_end(tree, instruction), "")
    return Fix(Safety.SAFE, [delete, Edit.insert(install.start, f"{command} && ")])
