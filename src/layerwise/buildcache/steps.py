"""Which of a Dockerfile's steps (and cache mounts) made each record of the builder's cache.

A RUN is known by the command BuildKit executed: its shell (SHELL, default `/bin/sh -c`) and
the command line with continuations joined, or the JSON form's words, joined by blanks (what a
record's description shows after `from exec`). A cache mount adds its target; its id is not in
the record, so it comes from the Dockerfile (the target when no id is given). COPY, ADD and
WORKDIR records are named like progress lines, `[<platform> <stage> i/n] <instruction>`, where
i counts FROM as 1 and then each RUN, COPY, ADD and WORKDIR of the stage.

BuildKit keeps records of every build on the builder, so the same command in another project
matches too: a match says "this step would have made it", not "this build did".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from layerwise.buildcache.records import cache_mount_parts, run_result_command
from layerwise.ecosystems.base import CacheMount
from layerwise.engine.cache_usage import Record
from layerwise.engine.progress import parse_step_name
from layerwise.model import Model, Stage, Step

_STEP_KEYWORDS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})


@dataclass(frozen=True, slots=True)
class StepMatch:
    """A Dockerfile step a record belongs to; `mount` when the record is its cache mount."""

    stage: str  # the stage's name, or stage-<index>
    line: int
    instruction: str  # the instruction's first line
    mount: CacheMount | None = None

    @property
    def mount_id(self) -> str | None:
        """The cache mount's id: the one written, else its target (BuildKit's default)."""
        return None if self.mount is None else self.mount.id or self.mount.target


def exec_command(step: Step) -> str | None:
    """The command BuildKit runs for a RUN, as a record's description shows it; None for other
    instructions and heredocs (their script is a file BuildKit writes)."""
    instruction = step.instruction
    if instruction.name != "RUN" or instruction.heredocs:
        return None
    words = instruction.value if instruction.is_json else (*step.state.shell, *instruction.value)
    return " ".join(words)


def cache_mounts(step: Step) -> tuple[CacheMount, ...]:
    """The RUN's cache mounts, with their options expanded as BuildKit does."""
    out = []
    for flag in step.instruction.flags_named("mount"):
        mount = CacheMount.from_flag(step.state.expand(flag.value or ""), step.state.workdir)
        if mount is not None:
            out.append(mount)
    return tuple(out)


def match_records(model: Model, records: Iterable[Record]) -> dict[str, tuple[StepMatch, ...]]:
    """Record id -> the steps that made it (usually one; the same command in two stages gives
    two). Records no step explains are left out."""
    runs: dict[str, list[Step]] = {}
    for stage in model.stages:
        for step in stage.steps:
            command = exec_command(step)
            if command is not None:
                runs.setdefault(command, []).append(step)
    by_ref = {stage.ref: stage for stage in model.stages}
    found: dict[str, tuple[StepMatch, ...]] = {}
    for record in records:
        matches = _matches(model, record, runs, by_ref)
        if matches:
            found[record.id] = matches
    return found


def _matches(
    model: Model, record: Record, runs: dict[str, list[Step]], by_ref: dict[str, Stage]
) -> tuple[StepMatch, ...]:
    command = run_result_command(record)
    if command is not None:
        return tuple(_match(model, step) for step in runs.get(command, ()))
    parts = cache_mount_parts(record)
    if parts is not None:
        return tuple(
            _match(model, step, mount)
            for step in runs.get(parts.command, ())
            for mount in cache_mounts(step)
            if mount.target == parts.target and parts.is_of(mount.id or mount.target)
        )
    shown = parse_step_name(record.description)
    if shown is None:
        return ()
    stage = by_ref.get(shown.stage or model.stages[-1].ref) if model.stages else None
    if stage is None:
        return ()
    counted = [s for s in stage.steps if s.name in _STEP_KEYWORDS]
    if len(counted) + 1 != shown.total or not 2 <= shown.index <= shown.total:
        return ()
    step = counted[shown.index - 2]
    return (_match(model, step),) if step.name == shown.keyword else ()


def _match(model: Model, step: Step, mount: CacheMount | None = None) -> StepMatch:
    stage = model.stages[step.stage]
    first_line = step.instruction.text.splitlines()[0] if step.instruction.text else ""
    return StepMatch(stage.ref, step.instruction.start_line, first_line, mount)
