"""Where a file of the image came from: which build-context file the last COPY/ADD put at an
image path, so a rule can ask the context about it (its first bytes, its execute bit).

Answers stay on the side of doubt: a glob, a COPY from another stage or image, an ADD of a URL or
archive, or a later RUN that names the file make the origin unknown.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from layerwise.model import Stage, Step
from layerwise.rules._support import resolve, stage_chain
from layerwise.rules.base import RuleContext
from layerwise.syntax.nodes import Flag

_GLOB = re.compile(r"[*?\[]")
_ARCHIVE_OR_URL = re.compile(r"^[a-z]+://|\.(tar|tgz|tbz2?|txz|gz|bz2|xz|zst)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Origin:
    """How an image path was last written. `context_path` is set when a COPY/ADD brought it from
    the build context; `known` is False when something we cannot follow may have written it."""

    known: bool
    context_path: str | None = None
    chmod: str | None = None  # the COPY's --chmod value, which replaces the file's mode


NOT_COPIED = Origin(known=True)
UNKNOWN = Origin(known=False)


def origin(ctx: RuleContext, stage: Stage, path: str) -> Origin:
    """The origin of image path `path` at the end of `stage` (its FROM chain included)."""
    found = NOT_COPIED
    name = re.escape(posixpath.basename(path))
    named = re.compile(rf"(?<![\w.-]){name}(?![\w.-])")  # `sed -i 1d start.sh`
    as_path = re.compile(rf"/{name}(?![\w.-])")  # `> /usr/local/bin/start`
    for st in (step for s in stage_chain(stage) for step in s.steps):
        ins = st.instruction
        if ins.name in ("COPY", "ADD"):
            found = _copy_origin(ctx, st, path) or found
        elif ins.name == "RUN" and (named if found.context_path else as_path).search(ins.text):
            found = UNKNOWN  # a RUN may write, rewrite or replace the file
    return found


def _copy_origin(ctx: RuleContext, step: Step, path: str) -> Origin | None:
    """The origin if this COPY/ADD may write `path`, else None."""
    ins = step.instruction
    words = step.expanded_value()
    if ins.heredocs or len(words) < 2:
        return None
    *sources, dest = words
    target = resolve(dest, step.state.workdir)
    if not (path == target or path.startswith(target.rstrip("/") + "/")):
        return None
    if ins.flag("from") is not None:
        return UNKNOWN
    into_dir = dest.endswith("/") or len(sources) > 1
    for source in sources:
        if _GLOB.search(source) or (ins.name == "ADD" and _ARCHIVE_OR_URL.search(source)):
            return UNKNOWN
        rel = posixpath.normpath(source.lstrip("/")).removeprefix("./")
        rel = "" if rel == "." else rel
        context = ctx.context
        is_dir = rel == "" or source.endswith("/")
        if not is_dir and context is not None:
            is_dir = context.is_dir(rel)
        elif not is_dir and context is None and path != target:
            return UNKNOWN  # a file or a directory: only the context could tell
        if is_dir:
            below = posixpath.relpath(path, target) if path != target else ""
            inner = posixpath.join(rel, below).lstrip("/")
            if below and (context is None or context.exists(inner)):
                return _from_context(ins.flag("chmod"), inner)
        elif (into_dir and path == posixpath.join(target, posixpath.basename(rel))) or (
            not into_dir and path == target
        ):
            return _from_context(ins.flag("chmod"), rel)
    return None


def _from_context(chmod: Flag | None, rel: str) -> Origin:
    return Origin(known=True, context_path=rel, chmod=chmod.value if chmod is not None else None)
