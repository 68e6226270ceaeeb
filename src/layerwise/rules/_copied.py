"""Which COPY put a file into a directory of the image: the lockfile an install reads (LW104,
LW107). Not a rule module: the registry only lists `lwNNN_<name>.py` files.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from layerwise.context.build_context import BuildContext, join
from layerwise.model.nodes import Step
from layerwise.rules._support import copy_parts, resolve, stage_chain
from layerwise.rules.base import RuleContext


@dataclass(frozen=True, slots=True)
class Copied:
    """A file an earlier COPY brought: its `name`, the COPY's `line`, the context folder it
    came from (`source_dir`), and whether the context confirms it is there (`known`; with no
    context, whether the COPY names it exactly rather than by a glob like `package*.json`)."""

    name: str
    line: int
    source_dir: str
    known: bool


def copied_file(
    ctx: RuleContext, step: Step, directory: str, names: Sequence[str]
) -> Copied | None:
    """The last COPY before `step` (in its stage or the stages it is built FROM) that put one of
    `names` into image directory `directory`. A whole-directory copy (`COPY . .`) counts only
    when the context shows the file in it."""
    for stage in reversed(stage_chain(ctx.model.stages[step.stage])):
        earlier = []
        for other in stage.steps:
            if other is step:
                break
            earlier.append(other)
        for other in reversed(earlier):
            found = _copied_by(ctx.context, other, directory, names)
            if found is not None:
                return found
    return None


def _copied_by(
    context: BuildContext | None, step: Step, directory: str, names: Sequence[str]
) -> Copied | None:
    parts = copy_parts(step.instruction)
    if parts is None:
        return None
    sources, dest = parts
    dest_dir = resolve(dest, step.state.workdir)
    line = step.instruction.start_line
    for source in sources:
        src = source.removeprefix("./")
        base = posixpath.basename(src.rstrip("/"))
        parent = posixpath.dirname(src)
        named = [name for name in names if fnmatch.fnmatchcase(name, base)]
        if named and dest_dir == directory:
            name = named[0]
            if context is None:
                return Copied(name, line, join("", parent), base == name)
            if context.exists(join(parent, name)):
                return Copied(name, line, join("", parent), True)
            continue
        if context is None or not _is_dir_copy(context, src):
            continue
        # A directory copy puts `src/<rel>` at `dest/<rel>`.
        if directory != dest_dir and not directory.startswith(dest_dir.rstrip("/") + "/"):
            continue
        rel_dir = posixpath.relpath(directory, dest_dir)
        context_dir = join(src if src not in (".", "") else "", "" if rel_dir == "." else rel_dir)
        found = context.first_existing(context_dir, tuple(names))
        if found is not None:
            return Copied(posixpath.basename(found), line, context_dir, True)
    return None


def _is_dir_copy(context: BuildContext, src: str) -> bool:
    return src in (".", "") or context.is_dir(src)
