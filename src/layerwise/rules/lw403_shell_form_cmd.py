"""LW403 shell-form-cmd

## What it finds
`CMD` or `ENTRYPOINT` in shell form (`CMD node dist/main.js`) in a stage that never sets a
`SHELL`, the pattern Docker's build check JSONArgsRecommended reports.

## Why it matters
Shell form runs the command as `/bin/sh -c "..."`: the shell, not the program, receives the
signals `docker stop` and orchestrators send, so the program gets no SIGTERM to shut down
cleanly and is killed after the grace period. Exec (JSON) form runs the program directly.

## Example
    CMD node dist/main.js
After the fix:
    CMD ["node", "dist/main.js"]

## Fix safety
The fix converts only a single plain command: no variables, globs, redirections, operators or
shell builtins (`exec`, `cd`...). For `CMD` it is safe. For `ENTRYPOINT` it is unsafe: in exec
form, `CMD` and `docker run` arguments are appended to the entrypoint, which shell form ignored.
A stage with an explicit `SHELL` is left alone, as BuildKit's check does.

## References
- Docker docs, Build checks: JSONArgsRecommended
- Dockerfile reference: CMD, ENTRYPOINT (shell and exec form)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from layerwise.model.nodes import Stage
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import script_start
from layerwise.shell import Script
from layerwise.syntax import Dockerfile, Instruction
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW403",
    name="shell-form-cmd",
    severity=Severity.INFO,
    message="`{keyword}` in shell form runs under `/bin/sh -c`, which does not pass signals on",
    fix_title="Write `{keyword}` in exec form: `{json}`",
    summary="shell-form `CMD`/`ENTRYPOINT` (JSONArgsRecommended)",
    message_ko="셸 형식의 `{keyword}` 명령은 시그널을 전달하지 않는 `/bin/sh -c` 아래에서 "
    "실행됩니다",
    fix_title_ko="`{keyword}` 명령을 exec 형식으로 작성: `{json}`",
    summary_ko="셸 형식의 `CMD`/`ENTRYPOINT`(JSONArgsRecommended)",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# Words that only mean something to a shell, so exec form cannot run them.
_SHELL_ONLY = frozenset(
    {"exec", "cd", ".", "source", "export", "set", "eval", "trap", "ulimit", "umask", "unset",
     "alias", "read", "wait", "exit", "readonly", "local", ":", "if", "for", "while", "case"}
)  # fmt: skip
_SPECIAL = re.compile(r"[<>|&;()$`*?\[\]~\\{}'\"#]")


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for stage in ctx.model.stages:
        if _has_shell(stage):
            continue
        for step in stage.steps:
            instruction = step.instruction
            if instruction.name not in ("CMD", "ENTRYPOINT") or instruction.is_json:
                continue
            if not instruction.args.strip():
                continue
            script = ctx.script(instruction)
            argv = _argv(tree, script) if script is not None else None
            fix = None
            shown = ""
            if argv is not None and _whole(instruction, script):
                shown = "[" + ", ".join(json.dumps(a, ensure_ascii=False) for a in argv) + "]"
                safety = Safety.SAFE if instruction.name == "CMD" else Safety.UNSAFE
                fix = Fix(safety, [Edit.replace(instruction.args_span, shown)])
            span = tree.span(
                instruction.span.start, instruction.span.start + len(instruction.keyword)
            )
            yield RULE.finding(span, fix=fix, keyword=instruction.name, json=shown)


def _whole(instruction: Instruction, script: Script | None) -> bool:
    """The one command spans the instruction's whole body (nothing before or after it)."""
    if script is None:
        return False
    cmd = script.commands[0]
    return script_start(instruction) == cmd.start and instruction.args_span.end == cmd.end


def _has_shell(stage: Stage) -> bool:
    current: Stage | None = stage
    while current is not None:
        if any(s.instruction.name == "SHELL" for s in current.steps):
            return True
        current = current.base_stage
    return False


def _argv(tree: Dockerfile, script: Script) -> list[str] | None:
    """The words of a single plain command, or None when a shell is needed to run it."""
    if len(script.commands) != 1:
        return None
    cmd = script.commands[0]
    if cmd.program_index != 0 or cmd.nested or cmd.enclosing or cmd.operator_after:
        return None
    if cmd.program_name in _SHELL_ONLY:
        return None
    gap = re.compile(rf"(?:[ \t]|{re.escape(tree.escape)}\r?\n)+")
    for i, word in enumerate(cmd.words):
        if not word.is_static or _SPECIAL.search(word.raw):
            return None
        if i and not gap.fullmatch(tree.text, cmd.words[i - 1].end, word.start):
            return None
    if cmd.words[-1].end != cmd.end:
        return None
    return [w.text for w in cmd.words]
