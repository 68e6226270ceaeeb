"""LW504 apt-lists-left-in-layer

## What it finds
A RUN that runs `apt-get update` and installs packages, with no cache mount on `/var/lib/apt`,
and leaves the package lists in `/var/lib/apt/lists` behind. Reported only when LW202 (apt cache
mounts) is not in effect for that RUN: with LW202's mounts the lists never reach the layer.

## Why it matters
The lists (tens of MB) are committed to the layer and pushed and pulled with the image, yet they
are stale the moment the layer is built and no later step should use them: a later install must
run its own `apt-get update`. Deleting them in the same RUN keeps them out of the layer.

## Example
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends curl
After the fix:
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*

## Fix safety
Safe: the removal runs once, after the last apt command of the RUN. When that command sits in a
loop, a condition, a subshell or a function (`for p in curl jq; do apt-get install ...; done`),
the removal goes after the script's last top-level command or after the compound command that
ends the script (`done && rm ...`), never inside: in a loop the next install would find no
lists. No fix when there is no such place (the loop reads a redirect, `done < file`), or when
the command is followed by `||` or a pipe, where `&&` would change what runs.
Unsafe when a later RUN of the stage (or of a stage built FROM it) reads the lists this RUN
leaves before updating them itself (`apt-get install` without its own `apt-get update`,
`apt-cache policy`, also run through `xargs`, or a script file it runs: `./install.sh`,
`curl ... | bash -`, whose apt-get is unseen here; a sourced virtual environment's `activate`
runs none), as LW202 finds them: it works on the original and fails ("Unable to locate
package") once the lists are gone.

## References
- Docker docs, Building best practices: apt-get (`rm -rf /var/lib/apt/lists/*`)
- hadolint DL3009"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ecosystems import apt
from layerwise.model.nodes import Step
from layerwise.rules._apt_lists import readers_after
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import append_after_all, cache_mounts, covered, shell_runs, short
from layerwise.rules.runner import suppressions

RULE = Rule(
    code="LW504",
    name="apt-lists-left-in-layer",
    severity=Severity.INFO,
    message="`{command}` leaves `{lists}` in the layer",
    fix_title="Add `rm -rf {lists}/*` after the last apt command",
    summary="apt package lists left in the image layer",
    message_ko="`{command}` 명령이 `{lists}` 디렉터리를 레이어에 남깁니다",
    fix_title_ko="마지막 apt 명령 뒤에 `rm -rf {lists}/*` 추가",
    summary_ko="이미지 레이어에 남은 apt 패키지 목록",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# The rule that keeps the lists in a cache mount instead; when it applies, it is the remedy.
CACHE_RULE = "LW202"


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    cache_rule_on = ctx.settings.enabled(CACHE_RULE)
    silenced = [(s, e) for s, e, p in suppressions(tree) if _matches(CACHE_RULE, p)]
    if cache_rule_on and not silenced:
        return  # every RUN is LW202's (the loop below would skip each)
    for step, script in shell_runs(ctx):
        if cache_rule_on and not _inside(step, silenced):
            continue
        commands = script.commands
        update = next((c for c in commands if apt.is_update(c)), None)
        if update is None or not any(
            apt.is_install(c) and c.start > update.start for c in commands
        ):
            continue
        if covered(apt.LISTS_DIR, [m.mount for m in cache_mounts(ctx, step)]):
            continue
        if any(apt.lists_removal(c) for c in commands if c.start > update.start):
            continue
        used = [c for c in commands if c.program_name in apt.PROGRAMS and not c.nested]
        edit = append_after_all(tree, script, used, f"rm -rf {apt.LISTS_DIR}/*") if used else None
        fix = None
        if edit is not None:
            # A later RUN that reads these lists (an install without its own update,
            # `apt-cache policy`) finds none once they are gone.
            safe = not readers_after(ctx, step)
            fix = Fix(Safety.SAFE if safe else Safety.UNSAFE, [edit])
        yield RULE.finding(
            tree.span(update.start, update.end),
            fix=fix,
            command=short(update, apt.verb(update)),
            lists=apt.LISTS_DIR,
        )


def _matches(code: str, patterns: frozenset[str]) -> bool:
    return "ALL" in patterns or any(code.startswith(p) for p in patterns)


def _inside(step: Step, ranges: list[tuple[int, int]]) -> bool:
    if not ranges:  # the usual case: no Span (line and column lookups) needed
        return False
    start = step.instruction.start
    return any(s <= start <= e for s, e in ranges)
