"""LW102 cache-busting-arg

## What it finds
An `ARG` or `ENV` whose value changes from build to build (a build date, a commit SHA, a build
number, an app version) declared above `RUN` steps that do not use it.
## Why it matters
A declared ARG is part of the environment of every RUN after it in the stage, used or not, and
so is an ENV. When its value changes, BuildKit's cache key of each of those RUNs changes too, and
they all run again: a new commit SHA reinstalls every dependency. Declared just before its first
use, the value only reruns the steps that need it.
## Example
    ARG GIT_SHA
    RUN npm ci
    RUN echo "$GIT_SHA" > version.txt
After the fix:
    RUN npm ci
    ARG GIT_SHA
    RUN echo "$GIT_SHA" > version.txt
## Fix safety
Safe when the RUN steps it moves past only install packages or change files (apt-get, npm ci,
mkdir ...), which do not read the variable. Unsafe otherwise: a build script may read the value
from its environment without naming it in the Dockerfile.
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

RULE = Rule(
    code="LW102",
    name="cache-busting-arg",
    severity=Severity.WARNING,
    message="`{decl}` changes between builds and reruns {runs} below it without being used there",
    fix_title="Move `{decl}` {where}",
    message_ko="`{decl}` 값은 빌드마다 바뀌어서, 이 값을 쓰지 않는 아래의 {runs}까지 "
    "다시 실행시킵니다",
    fix_title_ko="`{decl}` 선언을 {where} 이동",
    phrases={
        "run": Phrase("1 `RUN` step", "`RUN` 단계 1개"),
        "runs": Phrase("{count} `RUN` steps", "`RUN` 단계 {count}개"),
        "to_use": Phrase("down to its first use at line {line}", "처음 쓰이는 {line}번 줄 앞으로"),
        "below_run": Phrase(
            "below the last `RUN` at line {line}", "{line}번 줄의 마지막 `RUN` 아래로"
        ),
    },
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
_BUSTING = re.compile(
    r"(^|_)(DATE|TIME|TIMESTAMP|EPOCH|COMMIT|SHA|SHA1|REVISION|REV|REF|BUILD_?(NUMBER|NUM|ID)"
    r"|RUN_?(ID|NUMBER)|PIPELINE_?ID|JOB_?ID|CACHE_?BUST(ER)?)($|_)"
)
_VERSION = re.compile(r"^((APP|BUILD|RELEASE|IMAGE|SERVICE|PROJECT|GIT)_)?(VERSION|RELEASE|TAG)$")
_ENV_BLIND = frozenset(
    {"apt-get", "apt", "apk", "dnf", "yum", "microdnf", "mkdir", "chown", "chmod", "ln", "rm",
     "cp", "mv", "useradd", "groupadd", "adduser", "addgroup", "cd", "true", "set"}
)  # fmt: skip


def is_busting_name(name: str) -> bool:
    upper = name.upper()
    return bool(_BUSTING.search(upper) or _VERSION.match(upper))


def _declared(step: Step, busting_args: set[str]) -> str | None:
    """The variable a single-name ARG/ENV declares when its value changes per build."""
    ins = step.instruction
    if ins.name == "ARG" and len(ins.value) == 1:
        name = ins.value[0].split("=", 1)[0]
        return name if is_busting_name(name) else None
    if ins.name == "ENV" and len(ins.value) == 2:
        name, value = ins.value
        refs = set(re.findall(r"\$\{?(\w+)", value))
        return name if is_busting_name(name) or refs & busting_args else None
    return None


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.model.stages:
        busting: set[str] = set()
        for index, step in enumerate(stage.steps):
            name = _declared(step, busting)
            if name is None:
                continue
            busting.add(name)
            finding = _finding(ctx, stage, index, name)
            if finding is not None:
                yield finding


def _finding(ctx: RuleContext, stage: Stage, index: int, name: str) -> Finding | None:
    decl = stage.steps[index].instruction
    later = stage.steps[index + 1 :]
    use = next((st for st in later if s.mentions(st.instruction, name)), None)
    skipped = [
        st for st in later[: later.index(use) if use else None] if st.instruction.name == "RUN"
    ]
    if not skipped:
        return None
    blind = all(
        c.program_name in _ENV_BLIND or s.is_dependency_install(c)
        for st in skipped
        for c in s.commands(ctx, st.instruction)
    )
    safety = (
        Safety.SAFE
        if blind and all(ctx.script(st.instruction) for st in skipped)
        else Safety.UNSAFE
    )
    if use is not None:
        edits = s.move_before(ctx.tree, decl, use.instruction)
        where = RULE.text("to_use", line=use.instruction.start_line)
    else:  # never used by a step: it only needs to come after the last RUN it busts
        edits = [
            s.insert_after(ctx.tree, skipped[-1].instruction, [decl]),
            s.delete_block(ctx.tree, decl),
        ]
        where = RULE.text("below_run", line=skipped[-1].instruction.start_line)
    return RULE.finding(
        ctx.tree.span(decl.span.start, decl.args_span.start + len(name)),
        decl=f"{decl.keyword} {name}",
        runs=RULE.text("runs", count=len(skipped)) if len(skipped) > 1 else RULE.text("run"),
        where=where,
        fix=Fix(safety, edits),
    )
