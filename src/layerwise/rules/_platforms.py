"""What the multi-platform rules (LW801-LW805) share: whether a build is multi-platform, and
how a stage names the platform ARGs it uses.

Not a rule module: the registry only lists `lwNNN_<name>.py` files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from layerwise.ecosystems import golang, npm, pip
from layerwise.model import Expansion, ExpansionError, Stage, Step, expand_word
from layerwise.model.platforms import PLATFORM_ARGS
from layerwise.rules._support import insert_before
from layerwise.rules.base import RuleContext
from layerwise.syntax import Dockerfile, Instruction
from layerwise.syntax.nodes import Flag
from layerwise.syntax.span import Edit

# Cache mount targets whose content every platform can use (LW805): Go's module cache and
# Cargo's registry here, npm's, pip's and Go's build cache where the user's home puts them.
_SHAREABLE_FIXED = (golang.MODULE_CACHE, "/usr/local/cargo/registry", "/usr/local/cargo/git/db")
# The `id` option of a `--mount` (not `uid=`), in a flag's value or its whole text: its value
# is group 1. LW805 takes the platform out of it; LW804 does not ask for the ARG it names there.
MOUNT_ID = re.compile(r"(?:(?<==)|(?<=,)|^)id=([^,]*)")
# `# syntax=docker/dockerfile:1.0` .. `1.2`: before variables in --mount options.
_OLD_SYNTAX = re.compile(r"docker/dockerfile:1\.[0-2](?![0-9])")
_REFERENCE = re.compile(r"\$\{?(" + "|".join(PLATFORM_ARGS) + r")(?![A-Za-z0-9_])")


def mount_variables_expanded(ctx: RuleContext) -> bool:
    """Whether BuildKit expands variables in `--mount` options: from Dockerfile syntax 1.3, so
    not for the target engine `docker-20.10` (its built-in frontend keeps `$TARGETPLATFORM`
    literal there) nor under a `# syntax=` pinned before 1.3."""
    syntax = next((d.value for d in ctx.tree.directives if d.name == "syntax"), "")
    return ctx.settings.target_engine == "modern" and not _OLD_SYNTAX.search(syntax)


def multi_platform(ctx: RuleContext) -> bool:
    """Whether the build targets several platforms: the settings name two or more, or the file
    shows it means to (a `FROM --platform`, or any `$TARGET*`/`$BUILD*` platform ARG used or
    declared). A single `--platform` says nothing about the builder's own architecture."""
    return len(set(ctx.settings.platforms)) >= 2 or ctx.memo(_intent, lambda: _intent(ctx))


def _intent(ctx: RuleContext) -> bool:
    # An instruction's text is a piece of the file's, and every platform ARG's name starts with
    # TARGET or BUILD: a file that names neither has no reference to look for (most files).
    text = ctx.tree.text
    may_refer = "TARGET" in text or "BUILD" in text
    for instruction in ctx.tree.instructions:
        if instruction.name == "FROM" and instruction.flag("platform") is not None:
            return True
        if instruction.name == "ARG" and any(
            word.partition("=")[0] in PLATFORM_ARGS for word in instruction.value
        ):
            return True
        if may_refer and _REFERENCE.search(instruction.text):
            return True
    return False


def from_platforms(
    ctx: RuleContext, extra: Mapping[str, str] | None = None
) -> Iterator[tuple[Stage, Flag, Expansion]]:
    """Each stage's `FROM --platform` flag with its value expanded with the global ARGs and
    `extra` (what BuildKit's platform checks look at: which variables it used). A value that
    cannot be expanded is LW407's business and left out."""
    model = ctx.model
    known = {k: v for k, v in model.global_args.items() if v is not None} | dict(extra or {})
    for stage in model.stages:
        flag = stage.from_instruction.flag("platform")
        if flag is None or flag.value is None:
            continue
        try:
            yield stage, flag, expand_word(flag.value, known, escape=ctx.tree.escape)
        except ExpansionError:
            continue


def automatic_value(ctx: RuleContext, step: Step, name: str) -> bool:
    """Whether platform ARG `name` holds, in `step`'s stage, the value BuildKit derives from the
    platform being built, also once a bare `ARG name` declares it there. Not when the file or a
    `--build-arg` sets it: a default (`ARG TARGETARCH=amd64`, in the stage, or in the global
    scope, which a bare `ARG` in a stage inherits) wins over the automatic value
    (docker/buildx#510). A bare global `ARG TARGETARCH` depends on the version: BuildKit 0.13
    (Docker 26, seen here) empties it, later versions keep the automatic value."""
    model = ctx.model
    if name in model.global_args or name in model.build_args:
        return False
    value = step.state.args.get(name)
    # the model keeps an automatic value symbolic (`$TARGETARCH`)
    return value is None or value == f"${name}"


def reference_at(
    tree: Dockerfile, instruction: Instruction, name: str, start: int | None = None
) -> tuple[int, int]:
    """Offsets of the first `$NAME` / `${NAME}` in the instruction from `start` on (the whole
    instruction when it is written another way)."""
    span = instruction.span
    pattern = re.compile(r"\$\{?" + re.escape(name) + r"(?![A-Za-z0-9_])")
    found = pattern.search(tree.text, span.start if start is None else start, span.end)
    if found is None:
        return span.start, span.end
    end = found.end() + (1 if tree.text.startswith("}", found.end()) else 0)
    return found.start(), end


def arg_line(tree: Dockerfile, names: list[str] | tuple[str, ...]) -> str:
    """`ARG A B` as a line of the file, in its casing and newline."""
    keyword = "arg" if _lower_keywords(tree) else "ARG"
    return f"{keyword} {' '.join(names)}{tree.newline}"


def _lower_keywords(tree: Dockerfile) -> bool:
    keywords = [i.keyword for i in tree.instructions]
    return bool(keywords) and all(k == k.lower() for k in keywords)


def declare_before(tree: Dockerfile, anchor: Instruction, names: list[str]) -> Edit:
    """An edit declaring `names` just above `anchor` (and the comments directly above it)."""
    return insert_before(tree, anchor, [arg_line(tree, names)])


def shareable_cache(step: Step, target: str) -> bool:
    """A cache mount on `target` holds what every platform can use (npm's cache, pip's, Go's
    module and build caches, Cargo's registry): one copy for all platforms is right."""
    home, env = step.state.home, step.state.variables
    homes = (npm.cache_dir(home, env), pip.cache_dir(home, env), golang.build_cache(home))
    return target in _SHAREABLE_FIXED or target in homes
