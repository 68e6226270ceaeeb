"""LW102 cache-busting-arg

## What it finds
An `ARG` whose value is likely to change from build to build: named for a commit SHA, a build
date or number, a CI variable or an app version (`GIT_SHA`, `COMMIT`, `VCS_REF`, `BUILD_DATE`,
`BUILD_NUMBER`, `CI_*`, `APP_VERSION`) and declared without a default, with a placeholder one
(`unknown`, `dev`) or one made of such a value; or an `ENV` of such a name set from one. It is
reported when declared above `RUN` steps that cannot read it. A value fixed in the Dockerfile
(`ENV BUILD_DATE=2024-01-01`, `ARG LIBFOO_COMMIT=4f3a2b1`, `ARG APP_VERSION=1.4.2`) is the same
every build and is not reported, nor is a variable every program reads
(`ENV PATH=/opt/app-$VERSION/bin:$PATH`) or one programs read without naming it
(`ARG SOURCE_DATE_EPOCH`, the reproducible-builds timestamp: Python writes hash-based .pyc files
when it is set, even in an `apt-get install`). A bare `VERSION`, `TAG` or `RELEASE` (or
`GIT_VERSION`) is as often the pinned version of a tool the image downloads: it counts only when a
`LABEL` of the stage records it, as the image's own version does (`LABEL version=$VERSION`).
## Why it matters
A declared ARG is part of the environment of every RUN after it in the stage, used or not, and
so is an ENV. When its value changes, BuildKit's cache key of each of those RUNs changes too, and
they all run again: a new commit SHA reinstalls every system package. Declared just before the
steps that may need it, the value only reruns those.
## Example
    ARG GIT_SHA
    RUN apt-get update && apt-get install -y curl
    RUN echo "$GIT_SHA" > /version.txt
After the fix:
    RUN apt-get update && apt-get install -y curl
    ARG GIT_SHA
    RUN echo "$GIT_SHA" > /version.txt
## Fix safety
Any program can read its environment, so the declaration only moves past RUN steps that provably
cannot read it: none names the variable in any syntax (`$GIT_SHA`, `${GIT_SHA}`, PowerShell's
`$env:GIT_SHA`, cmd's `%GIT_SHA%`, `printenv GIT_SHA`), the stage's SHELL is a POSIX shell, and
every command is one known not to read arbitrary variables (apt-get, apk, dnf/yum, mkdir, cp, chmod,
useradd ...), here-document bodies included (a `$(...)` in an unquoted one runs a command, so a RUN
with a here-document and a command substitution is never skipped). It stops above the first step
that names the variable or runs anything else (`npm ci` and `yarn run build` run the project's own
scripts, which may read it); when no RUN can be skipped there is no finding. It also stops above an
ARG or ENV that redefines a variable its value is made of (`ARG BUILD_DATE=$CI_COMMIT_SHA`). A
`LABEL` that uses the variable (`LABEL org.opencontainers.image.revision=$VCS_REF`) creates no step
and no RUN reads it, so it moves down with the declaration, keeping its value. Within those limits
the fix is safe.
## References
- Docker docs: Build cache invalidation (build arguments and environment variables)
- Dockerfile reference: ARG (impact on build caching)"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.model import Stage, Step
from layerwise.rules import _support as s
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.texts import Phrase
from layerwise.shell import Command
from layerwise.syntax import Instruction

RULE = Rule(
    code="LW102",
    name="cache-busting-arg",
    severity=Severity.WARNING,
    message="`{decl}` likely changes every build and reruns {runs} below it that cannot read it",
    fix_title="Move `{decl}` {where}",
    message_ko="`{decl}` 값은 빌드마다 바뀔 가능성이 커서, 이 값을 읽을 수 없는 아래의 {runs}까지 "
    "다시 실행시킵니다",
    fix_title_ko="`{decl}` 선언을 {where} 이동",
    phrases={
        "run": Phrase("1 `RUN` step", "`RUN` 단계 1개"),
        "runs": Phrase("{count} `RUN` steps", "`RUN` 단계 {count}개"),
        "above_label": Phrase(
            "down to line {line}, above the `LABEL` that uses it",
            "이 값을 쓰는 {line}번 줄의 `LABEL` 앞으로",
        ),
        "above_reader": Phrase(
            "down to line {line}, above the first step that may read it",
            "이 값을 읽을 수 있는 첫 단계인 {line}번 줄 앞으로",
        ),
        "above_dependency": Phrase(
            "down to line {line}, above a step its value depends on",
            "값이 의존하는 단계인 {line}번 줄 앞으로",
        ),
        "below_run": Phrase(
            "below the last `RUN` at line {line}", "{line}번 줄의 마지막 `RUN` 아래로"
        ),
        "with_labels": Phrase(
            "{where}, with the `LABEL` that uses it (line {lines})",
            "{where}, 이 값을 쓰는 `LABEL`({lines}번 줄)과 함께",
        ),
    },
    fix_safety=(Safety.SAFE,),
)
# Values that change per build: commits, dates, build and pipeline numbers, CI variables.
_PER_BUILD = re.compile(
    r"(^|_)(DATE|TIMESTAMP|EPOCH|BUILD_?TIME|COMMIT|SHA|SHA1|REVISION|REV|VCS_?REF|GIT_?REF"
    r"|BUILD_?(NUMBER|NUM|ID)|RUN_?(ID|NUMBER)|PIPELINE_?(ID|IID)|JOB_?ID|CACHE_?BUST(ER)?)($|_)"
    r"|^CI_"
)
# App versions: given per build like the names above.
# Only a version named as the app's own: a bare `VERSION`, `GIT_VERSION` or `TAG` is as often the
# pinned version of a tool the image downloads (a real-file review found `ARG GIT_VERSION` for
# git's source tarball), which changes when someone bumps it, not every build.
# A bare one counts when a LABEL of the stage records it: the image's own version
# (`LABEL version=$VERSION`, the label-schema pattern beside BUILD_DATE and VCS_REF).
_VERSION = re.compile(r"^(APP|BUILD|RELEASE|IMAGE|SERVICE|PROJECT)_(VERSION|RELEASE|TAG)$")
_BARE_VERSION = re.compile(r"^(VERSION|RELEASE|TAG)$")
_PLACEHOLDERS = frozenset(
    {"", "dev", "develop", "development", "local", "latest", "unknown", "snapshot", "none",
     "0.0.0", "0.0.0-dev", "0.0.0-local", "undefined", "unset", "n/a"}
)  # fmt: skip
# Per-build variables that programs read without being told: SOURCE_DATE_EPOCH, the
# reproducible-builds timestamp BuildKit hands to a stage that declares it (Python's py_compile,
# run by Debian's python3-* postinst scripts, then writes hash-based .pyc files).
_READ_UNNAMED = frozenset({"SOURCE_DATE_EPOCH"})
# A command substitution: `$(...)` or a backquote.
_SUBSTITUTION = re.compile(r"\$\(|`")
_POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})
# Programs that do not read variables they are not given: the distributions' package managers
# (their maintainer scripts read only their own settings) and file and account tools.
_ENV_BLIND = frozenset(
    {"apt-get", "apt", "apk", "dnf", "yum", "microdnf", "mkdir", "chown", "chmod", "ln", "rm",
     "cp", "mv", "touch", "useradd", "groupadd", "adduser", "addgroup", "usermod", "cd", "true"}
)  # fmt: skip


def per_build(name: str, default: str | None, *, labelled: bool = False) -> bool:
    """A variable of this name and default (None: no default) likely changes every build: the
    build passes it. A real default (`ARG LIBFOO_COMMIT=4f3a2b1`, a pinned dependency) is the
    same every build unless overridden; a placeholder (`unknown`, `dev`) says it will be.
    `labelled`: a LABEL of the stage records the value (then a bare `VERSION` is the image's)."""
    upper = name.upper()
    versioned = _VERSION.match(upper) or (labelled and _BARE_VERSION.match(upper))
    if not (_PER_BUILD.search(upper) or versioned):
        return False
    return default is None or default.lower() in _PLACEHOLDERS


def _declared(stage: Stage, step: Step, busting: set[str]) -> str | None:
    """The variable a single-name ARG/ENV declares when its value likely changes per build."""
    ins = step.instruction
    if ins.name == "ARG" and len(ins.value) == 1:
        name, eq, default = ins.value[0].partition("=")
        if _refs(default) & busting:
            default = ""  # made of a per-build value: as good as none
        # Whether a LABEL records it matters to a bare VERSION/RELEASE/TAG only (per_build):
        # searching the stage's LABELs for every other ARG was most of this rule's cost.
        labelled = _BARE_VERSION.match(name.upper()) is not None and any(
            st.name == "LABEL" and s.mentions(st.instruction, name) for st in stage.steps
        )
        return name if per_build(name, default if eq else None, labelled=labelled) else None
    if ins.name == "ENV" and len(ins.value) == 2:
        name, value = ins.value
        refs = _refs(value)
        # Set from a per-build ARG and named like one: a constant, or a derived PATH-like value
        # every program reads, is not the pattern.
        return name if refs & busting and per_build(name, None) else None
    return None


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.model.stages:
        busting: set[str] = set()
        for index, step in enumerate(stage.steps):
            name = _declared(stage, step, busting)
            if name is None:
                continue
            busting.add(name)
            if name in _READ_UNNAMED:
                continue
            finding = _finding(ctx, stage, index, name)
            if finding is not None:
                yield finding


def _blind(ctx: RuleContext, step: Step) -> bool:
    """A RUN that cannot read a variable it does not name: a POSIX shell running only
    programs that read no arbitrary variables."""
    shell = step.state.shell[0].rsplit("/", 1)[-1] if step.state.shell else ""
    script = ctx.script(step.instruction)
    if shell not in _POSIX_SHELLS or script is None or script.has_errors:
        return False
    # The parser leaves out commands in here-document bodies, which the shell still runs when
    # the delimiter is unquoted (`cp /dev/stdin /f <<EOF` with `$(env)` in the body).
    if "<<" in script.text and _SUBSTITUTION.search(script.text):
        return False
    return bool(script.commands) and all(_blind_command(c) for c in script.commands)


def _blind_command(cmd: Command) -> bool:
    if cmd.program_word is None or not cmd.program_word.is_static or cmd.wrappers:
        return False
    if cmd.program_name == "set":  # `set -eux` sets options; a bare `set` prints every variable
        return bool(cmd.args) and all(w.text[:1] in "-+" for w in cmd.args)
    return cmd.program_name in _ENV_BLIND


def _refs(text: str) -> set[str]:
    return set(re.findall(r"\$\{?(\w+)", text))


def _finding(ctx: RuleContext, stage: Stage, index: int, name: str) -> Finding | None:
    tree = ctx.tree
    decl = stage.steps[index].instruction
    later = stage.steps[index + 1 :]
    # Variables the value is made of (`ARG V=$BASE`), and those of the LABELs that use it and
    # move along with it (a LABEL is image metadata: it creates no step and no RUN reads it).
    # A later ARG/ENV of one of them would change a value if the block moved below it.
    made_of = _refs(decl.args) - {name}
    carried: list[Instruction] = []
    stop: Step | None = None
    for st in later:
        ins = st.instruction
        if st.name == "LABEL" and s.mentions(ins, name) and not ins.flags:
            carried.append(ins)
            made_of |= _refs(ins.args) - {name}
        elif (
            s.mentions(ins, name)
            or (st.name == "RUN" and not _blind(ctx, st))
            or (st.name in ("ARG", "ENV") and any(s.mentions(ins, v) for v in made_of))
        ):
            stop = st
            break
    skipped = [st for st in later[: later.index(stop) if stop else None] if st.name == "RUN"]
    if not skipped:
        return None
    last = skipped[-1].instruction.start
    moved = [decl, *(c for c in carried if c.span.start < last)]
    deletes = [s.delete_block(tree, ins) for ins in moved]
    # A LABEL below the last skipped RUN stays where it is: the declaration lands above it.
    staying = next((c for c in carried if c.span.start > last), None)
    if staying is not None:
        edits = [s.insert_before(tree, staying, [s.block_text(tree, i) for i in moved])]
        where = RULE.text("above_label", line=staying.start_line)
    elif stop is not None:
        edits = [s.insert_before(tree, stop.instruction, [s.block_text(tree, i) for i in moved])]
        reads = s.mentions(stop.instruction, name) or stop.name == "RUN"
        key = "above_reader" if reads else "above_dependency"
        where = RULE.text(key, line=stop.instruction.start_line)
    else:  # nothing below reads it: it only needs to come after the last RUN it busts
        edits = [s.insert_after(tree, skipped[-1].instruction, moved)]
        where = RULE.text("below_run", line=skipped[-1].instruction.start_line)
    if len(moved) > 1:
        lines = ", ".join(str(i.start_line) for i in moved[1:])
        where = RULE.text("with_labels", where=where, lines=lines)
    return RULE.finding(
        tree.span(decl.span.start, decl.args_span.start + len(name)),
        decl=f"{decl.keyword} {name}",
        runs=RULE.text("runs", count=len(skipped)) if len(skipped) > 1 else RULE.text("run"),
        where=where,
        fix=Fix(Safety.SAFE, edits + deletes),
    )
