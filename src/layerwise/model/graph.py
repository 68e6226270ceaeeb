"""The build graph: which stages an instruction reads from, and dependency cycles.

From moby/buildkit dockerfile2llb/convert.go: toCommand (COPY --from: a stage index when it
parses as an integer, else a stage name, else an image), detectRunMount (RUN --mount from=: a
stage name, else an image; never an index) and validateCircularDependency.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layerwise.model.nodes import Stage
    from layerwise.syntax.nodes import Instruction

_STAGE_INDEX = re.compile(r"[+-]?[0-9]+\Z")  # what Go's strconv.Atoi accepts


def source_refs(instruction: Instruction) -> list[tuple[str, str]]:
    """("copy" | "mount", reference) for each COPY --from / RUN --mount from= (unexpanded:
    BuildKit resolves them before any expansion)."""
    if not instruction.flags:
        return []
    name = instruction.name
    if name == "COPY":
        flag = instruction.flag("from")
        return [("copy", flag.value)] if flag is not None and flag.value else []
    if name == "RUN":
        refs = (mount_from(f.value or "") for f in instruction.flags_named("mount"))
        return [("mount", ref) for ref in refs if ref]
    return []


def resolve(kind: str, ref: str, names: dict[str, int], count: int) -> int | None:
    """The stage index a reference names, None for an image; IndexError for an index out of
    range ("invalid stage index")."""
    if kind == "copy" and _STAGE_INDEX.match(ref):
        index = int(ref)
        if not 0 <= index < count:
            raise IndexError(index)
        return index
    return names.get(ref.lower())


def mount_options(spec: str) -> dict[str, str]:
    """`type=cache,target=/x,ro` -> {"type": "cache", "target": "/x", "ro": ""} (lower-case keys).

    BuildKit reads the value as CSV; a quoted field may contain a comma.
    """
    options: dict[str, str] = {}
    for row in csv.reader([spec]):
        for field in row:
            key, _, val = field.partition("=")
            options[key.strip().lower()] = val.strip()
    return options


def mount_from(spec: str) -> str | None:
    """The `from=` of a `--mount` spec (a CSV line of key=value; keys are case-insensitive)."""
    if "from=" not in spec.lower():
        return None
    for field in next(csv.reader([spec]), []):
        key, sep, value = field.partition("=")
        if sep and key.strip().lower() == "from":
            return value
    return None


def find_cycle(stages: Sequence[Stage]) -> tuple[Stage, Instruction] | None:
    """Like validateCircularDependency: the stage the search started from and the first
    instruction on the cycle, or None."""
    done: set[int] = set()
    path: set[int] = set()
    for stage in stages:
        hit = _visit(stages, stage.index, done, path)
        if hit is not None:
            return stage, hit
    return None


# Module functions, not closures in find_cycle: a closure that calls itself is a reference
# cycle, which would keep every stage (and through them the whole tree) alive until the
# garbage collector runs, and make it run far more often on a scan of many files.
def _edges(stage: Stage) -> list[tuple[int, Instruction]]:
    out = [(stage.base_stage.index, stage.from_instruction)] if stage.base_stage else []
    out += [(dep, step.instruction) for step in stage.steps for dep in step.source_stages]
    return out


def _visit(
    stages: Sequence[Stage], index: int, done: set[int], path: set[int]
) -> Instruction | None:
    if index in done:
        return None
    done.add(index)
    path.add(index)
    for dep, instruction in _edges(stages[index]):
        if dep in path or _visit(stages, dep, done, path) is not None:
            return instruction
    path.discard(index)
    return None
