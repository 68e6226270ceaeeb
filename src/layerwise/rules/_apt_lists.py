"""Which later RUNs read the apt package lists a RUN leaves in the image (LW202).

A cache mount on /var/lib/apt takes the lists `apt-get update` writes out of the image. A RUN
built on that image (later in the stage, or in a stage built FROM it) that installs without its
own update read those lists before the mount and finds none after it ("Unable to locate
package"). These are the RUNs a mount fix must bring along: each gets the same locked mounts
and its own `apt-get update` first, or the fix is not safe.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from layerwise.ecosystems import apt
from layerwise.model import Stage, Step
from layerwise.rules._support import stage_chain
from layerwise.rules.base import RuleContext
from layerwise.rules.lw2_mounts import cache_mounts
from layerwise.syntax import Instruction

_ROOT = frozenset({"root", "0"})


@dataclass(frozen=True, slots=True)
class ListReader:
    """A RUN that reads the lists in the image before any update of its own. `editable`: a
    shell-form RUN run as root, where mounts and an `apt-get update` can go in front."""

    step: Step
    editable: bool


def lists_mounted(ctx: RuleContext, step: Step) -> bool:
    """The RUN has a cache mount holding /var/lib/apt/lists (on it or on /var/lib/apt)."""
    return any(m.mount.covers(apt.LISTS_DIR) for m in cache_mounts(ctx, step))


def readers_after(ctx: RuleContext, step: Step) -> list[ListReader]:
    """RUNs that read the lists `step` leaves in the image: the later RUNs of its stage and of
    the stages built FROM it, up to a RUN that rewrites the image's lists itself (an unmounted
    `apt-get update`, or an `rm` of the lists, before any read)."""
    stage = ctx.model.stages[step.stage]
    index = stage.steps.index(step)
    return list(_walk(ctx, stage, index + 1))


def _walk(ctx: RuleContext, stage: Stage, start: int) -> Iterator[ListReader]:
    for step in stage.steps[start:]:
        use = _lists_use(ctx, step)
        if use == "refreshes":
            return
        if use == "reads":
            yield ListReader(step, editable(ctx, step))
    for child in ctx.model.stages:
        if child.base_stage is not None and child.base_stage.index == stage.index:
            yield from _walk(ctx, child, 0)


def _lists_use(ctx: RuleContext, step: Step) -> str | None:
    """ "reads" (the image's lists, before any update), "refreshes" (updates or removes the
    image's lists before reading them) or None (neither, or it reads a mounted cache)."""
    instruction = step.instruction
    if instruction.name != "RUN" or lists_mounted(ctx, step):
        return None
    if instruction.is_json:
        return "reads" if _json_program(instruction) in apt.PROGRAMS | apt.LIST_READERS else None
    script = ctx.script(instruction)
    if script is None:
        return None
    for cmd in sorted(script.commands, key=lambda c: c.start):
        if apt.is_update(cmd) or apt.lists_removal(cmd):
            return "refreshes"
        if apt.reads_lists(cmd):
            return "reads"
    return None


def _json_program(instruction: Instruction) -> str:
    """The program a JSON-form RUN executes, without its directory."""
    words = instruction.value
    return posixpath.basename(words[0]) if words else ""


def image_lists_written(ctx: RuleContext, step: Step) -> bool:
    """An earlier RUN of the stage (or of a stage it is built FROM) left package lists in the
    image: its last unmounted `apt-get update` came after any `rm` of the lists."""
    written = False
    for stage in stage_chain(ctx.model.stages[step.stage]):
        for earlier in stage.steps:
            if earlier is step:
                return written
            use = _writes(ctx, earlier)
            written = written if use is None else use
    return written


def _writes(ctx: RuleContext, step: Step) -> bool | None:
    """True: the RUN updates the image's lists; False: it deletes them last; None: neither."""
    instruction = step.instruction
    if instruction.name != "RUN" or lists_mounted(ctx, step):
        return None
    if instruction.is_json:
        updates = _json_program(instruction) in apt.PROGRAMS and "update" in instruction.value
        return True if updates else None
    script = ctx.script(instruction)
    last: bool | None = None
    for cmd in sorted(script.commands if script else (), key=lambda c: c.start):
        if apt.is_update(cmd):
            last = True
        elif apt.lists_removal(cmd):
            last = False
    return last


def editable(ctx: RuleContext, step: Step) -> bool:
    """A shell-form RUN run as root: mounts and an `apt-get update` can go in front."""
    if step.instruction.is_json or step.state.user_name not in _ROOT:
        return False  # `apt-get update` needs root, and sudo in front is a guess
    return ctx.script(step.instruction) is not None
