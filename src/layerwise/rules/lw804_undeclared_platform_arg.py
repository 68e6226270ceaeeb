"""LW804 undeclared-platform-arg

## What it finds
A predefined platform ARG (`TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`, `TARGETVARIANT`,
`BUILDPLATFORM`, `BUILDOS`, `BUILDARCH`, `BUILDVARIANT`) used inside a stage that never declares it
with `ARG`: in a RUN's shell words, a `--mount` option, or an instruction BuildKit expands (COPY,
ADD, ENV, LABEL, WORKDIR, USER, VOLUME, EXPOSE, STOPSIGNAL), the here-document of a COPY or ADD
whose marker is unquoted (`COPY <<EOF`: BuildKit expands its variables), or a here-document a
RUN's shell reads: `RUN <<EOF` alone is the script itself (its commands are read like any
other); any other goes to the shell with the command line (`RUN cat <<EOF > /etc/arch`), and the
shell expands an unquoted one's variables as it runs, with the RUN's environment, or a quoted
one's when it is fed to a shell as its script (`RUN bash <<'EOF'`). Seen with BuildKit 0.13:
`cat <<EOF` and `bash <<'EOF'` wrote `[]` for `[$TARGETARCH]`, `cat <<'EOF'` wrote it as
written. FROM lines are not
checked: there these ARGs are defined without a declaration. Also left alone: a use with a default
(`${TARGETARCH:-amd64}`, the author expects it may be empty), a RUN whose script assigns the name
itself (`TARGETARCH=$(uname -m)`, `export`, `for`, `read`), a stage that sets it with ENV, a stage
built FROM a stage that declares it (BuildKit passes a stage's ARGs on to the stages built FROM
it), a mount's `from=` (BuildKit expands no variable there: the build stops), and the `id` of a
cache mount whose content every platform can use (npm's, pip's, Go's caches, Cargo's registry:
LW805's list): empty, the id only makes the platforms share that cache, which is right for it
(LW805 removes the platform from such an id, and a declaration added for it would be left with no
use). With the target engine `docker-20.10` or a `# syntax=` pinned before 1.3, no `--mount`
option is checked: that frontend keeps variables there as written (`id=modules-$TARGETPLATFORM`
is that id for every platform, not `modules-`), and no ARG changes them (LW805 is about the
shared mount).

## Why it matters
BuildKit defines these ARGs in the global scope only. Inside a stage they are unset until the
stage says `ARG TARGETARCH`: a `GOARCH=$TARGETARCH go build` then builds for the builder's own
architecture, and `COPY bin/app-$TARGETARCH /app` copies `bin/app-`. The build does not fail;
the arm64 image of a multi-platform build silently gets the wrong files. Docker's UndefinedVar
check reports the expanded instructions, not the shell of a RUN.

## Example
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
After the fix:
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    ARG TARGETOS TARGETARCH
    RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .

## Fix safety
Safe: the fix declares the ARGs (`ARG TARGETOS TARGETARCH`, no default) just above the first
instruction of the stage that uses them, which then sees the value BuildKit gives them. Above
the first use rather than at the top of the stage because a declared ARG is part of the key of
every RUN after it: on a `$BUILDPLATFORM` stage, the RUNs before it (`go mod download`) stay one
step shared by every target platform. Unsafe when the file declares the ARG before the first
FROM or a `--build-arg` sets it: the bare `ARG` in the stage then takes that value (BuildKit 0.13
gives every platform the global `ARG TARGETARCH=amd64`, and empties a bare global one), not
necessarily the platform being built.

## References
- Dockerfile reference: Automatic platform ARGs in the global scope
- Docker docs, Build checks: UndefinedVar
- buildkit-facts.md: Cache keys (ARG), Multi-platform"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.model import EXPANDED_INSTRUCTIONS, ExpansionError, Step, expand_word
from layerwise.model.platforms import PLATFORM_ARGS
from layerwise.rules._platforms import (
    MOUNT_ID,
    automatic_value,
    declare_before,
    mount_variables_expanded,
    reference_at,
    shareable_cache,
)
from layerwise.rules._support import commands
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import cache_mounts
from layerwise.rules.texts import Listing
from layerwise.shell import Command
from layerwise.shell.inline import SHELLS
from layerwise.syntax import Heredoc, Instruction
from layerwise.syntax.shell_source import is_script_heredoc

RULE = Rule(
    code="LW804",
    name="undeclared-platform-arg",
    severity=Severity.WARNING,
    message="`${name}` is empty here: the stage does not declare `ARG {name}`",
    fix_title="Add `ARG {names}` above line {line}",
    summary="`$TARGETARCH` and the other platform ARGs used in a stage that does not declare them",
    message_ko="`${name}`는 여기서 비어 있습니다. 스테이지가 `ARG {name}`를 선언하지 않았습니다",
    fix_title_ko="{line}번째 줄 위에 `ARG {names}` 추가",
    summary_ko="선언하지 않은 스테이지에서 쓴 `$TARGETARCH` 등 플랫폼 ARG",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
_FLAGS = ("mount", "chown", "chmod")
# A mount's `from=`: BuildKit expands no variable there (the build stops: "'from' doesn't
# support variable expansion, define alias stage instead"), so no ARG makes a use there right.
_MOUNT_FROM = re.compile(r"(?:(?<=,)|^)from=[^,]*")


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for stage in ctx.model.stages:
        seen: set[str] = set()
        for step in stage.steps:
            uses = [(n, at) for n, at in _undeclared(ctx, step) if n not in seen]
            if not uses:
                continue
            names = list(dict.fromkeys(n for n, _ in uses))
            seen.update(names)
            instruction = step.instruction
            # A bare `ARG TARGETARCH` takes the value of a global `ARG TARGETARCH` (its default,
            # or, bare, what the BuildKit version leaves there) or of a `--build-arg`, not
            # necessarily the platform being built: declaring it may not give what the use means.
            automatic = all(automatic_value(ctx, step, name) for name in names)
            safety = Safety.SAFE if automatic else Safety.UNSAFE
            fix = Fix(safety, [declare_before(tree, instruction, names)])
            for name, at in uses:
                start, end = reference_at(tree, instruction, name, at)
                yield RULE.finding(
                    tree.span(start, end),
                    fix=fix,
                    name=name,
                    names=Listing(names, sep=" "),
                    line=instruction.span.start_line,
                )


def _undeclared(ctx: RuleContext, step: Step) -> Iterator[tuple[str, int | None]]:
    """(name, where the word starts) of each platform ARG the step uses while it is unset."""
    instruction = step.instruction
    # The words read below come from the logical line (continuations and the comment lines
    # inside them gone: a name split by one is whole there) and from heredoc bodies, so an
    # instruction that names no platform ARG in those uses none. Every one is TARGET* or
    # BUILD*: most instructions name neither, and the names are looked for only in the others.
    said = instruction.line.text if instruction.line is not None else ""
    if instruction.heredocs:
        said = "\n".join([said, *(h.render() for h in instruction.heredocs)])
    if "TARGET" not in said and "BUILD" not in said:
        return
    if not any(name in said for name in PLATFORM_ARGS):
        return
    words: list[tuple[str, int | None]] = []
    if instruction.name in EXPANDED_INSTRUCTIONS:
        words += [(w, None) for w in instruction.value]
    if instruction.name in ("COPY", "ADD"):
        # BuildKit expands the variables of a COPY/ADD here-document whose marker is unquoted
        # (`COPY <<EOF /etc/platform` with `$TARGETPLATFORM` in it writes an empty line).
        words += [(h.content, h.start) for h in instruction.heredocs if not h.quoted]
    shared = {id(m.flag) for m in cache_mounts(ctx, step) if shareable_cache(step, m.mount.target)}
    # Where BuildKit keeps `--mount` options as written (Docker 20.10's frontend, a syntax
    # before 1.3), `$TARGETARCH` there is those characters, not an empty value, and no ARG
    # changes them: no use.
    flags = _FLAGS if mount_variables_expanded(ctx) else _FLAGS[1:]
    for n in flags:
        for f in instruction.flags_named(n):
            value = f.value or ""
            if n == "mount":
                value = _MOUNT_FROM.sub("", value)
            if id(f) in shared:
                value = MOUNT_ID.sub("", value)
            if value:
                words.append((value, f.start))
    if instruction.name == "RUN":
        run = commands(ctx, instruction)
        for cmd in run:
            words += [(w.raw, w.start) for w in (*cmd.assignments, *cmd.words)]
        words += [(h.content, h.start) for h in _shell_read_heredocs(instruction, run)]
    # A variable's name is a slice of the word that uses it: a word naming no platform ARG
    # cannot use one. Most words name none, and expanding them (and searching the script for
    # its own assignments) was most of this rule's cost.
    words = [(w, at) for w, at in words if any(n in w for n in PLATFORM_ARGS)]
    if not words:
        return
    assigned: set[str] = set()
    if instruction.name == "RUN":
        assigned = {n for n in PLATFORM_ARGS if _assigns(instruction.text, n)}
    found: dict[str, int | None] = {}
    for word, at in words:
        try:
            result = expand_word(word, step.state.variables, escape=step.state.escape)
        except ExpansionError:
            continue  # LW407's business, or shell syntax BuildKit's lexer does not read
        if result.modifiers:
            continue  # `${TARGETARCH:-amd64}`: an empty value is expected
        for name in sorted(result.missing & set(PLATFORM_ARGS) - assigned):
            found.setdefault(name, at)
    yield from found.items()


def _shell_read_heredocs(instruction: Instruction, run: tuple[Command, ...]) -> list[Heredoc]:
    """The here-documents of a RUN whose variables the shell expands as it runs: each one the
    shell reads as input (`RUN cat <<EOF > /etc/platform`: not `RUN <<EOF` alone, whose content
    is the script, read above as commands) with an unquoted marker, and a quoted one too when
    the RUN feeds it to a shell as its script (`RUN bash <<'EOF'`): that shell expands it."""
    if not instruction.heredocs or is_script_heredoc(instruction):
        return []
    # A shell given no script word nor file reads its script from stdin: the here-document.
    fed = any(c.program_name in SHELLS and not c.operands() for c in run)
    return [h for h in instruction.heredocs if fed or not h.quoted]


def _assigns(text: str, name: str) -> bool:
    """The script sets `name` itself: `NAME=`, `export NAME`, `for NAME in`, `read ... NAME`."""
    word = re.escape(name)
    # The name as set, never as read: `$NAME` / `${NAME}` after the keyword (`echo "built for
    # $TARGETARCH"`) uses it.
    bare = rf"(?<![A-Za-z0-9_${{]){word}\b"
    return bool(
        re.search(rf"(?<![A-Za-z0-9_$]){word}=", text)
        or re.search(rf"\bfor\s+{bare}", text)
        or re.search(rf"\b(export|read|local|declare|typeset)\b[^;&|\n]*{bare}", text)
    )
