"""LW403 shell-form-cmd

## What it finds
The `CMD` or `ENTRYPOINT` an image runs, written in shell form (`CMD node dist/main.js`) in a
stage that never sets a `SHELL`, the pattern Docker's build check JSONArgsRecommended reports.
Only the effective ones count: the last of each in the image's stages (the final stage and
other stages nothing builds on or copies from). An overridden `CMD`, one in a builder stage, or
one under a shell-form `ENTRYPOINT` (which ignores it) never runs and is not reported.

## Why it matters
Shell form runs the command as `/bin/sh -c "..."`: the shell, not the program, receives the
signals `docker stop` and orchestrators send, so the program gets no SIGTERM to shut down
cleanly and is killed after the grace period. Exec (JSON) form runs the program directly.

## Example
    CMD node dist/main.js
After the fix:
    CMD ["node", "dist/main.js"]

## Fix safety
The fix converts only a single plain command: no variables (`$PORT`), globs, redirections,
operators (`&&`) or shell builtins (`exec`, `cd`...), which need a shell, and no `echo` with an
option (dash's builtin prints `-e`, `/bin/echo` takes it). Exec form has the
kernel run the program, which works for a script only when it starts with `#!` (a shell runs a
script without one itself). So when the program is a file a COPY brings from the build context
(`COPY . .` then `CMD ./start.sh`), layerwise reads it there: with a `#!` line and the execute
bit (or `--chmod`) the fix is safe; without `#!` there is no fix; with no context, or a later
RUN that names the file, it is unsafe. A relative path or script name (`*.sh`, `*.py`) that no
COPY from the context brings is unsafe too, and so is a program a RUN writes by path
(`> /usr/local/bin/hello`); a program the image installs (`node`, `gunicorn`) is safe. For
`ENTRYPOINT` the fix is unsafe: in exec form, `CMD` and `docker run` arguments are appended,
which shell form ignored. A `CMD` becomes the arguments of the image's ENTRYPOINT, which then
receives the program's words instead of `/bin/sh -c "..."`; an entrypoint script that reads its
first argument (redis's `docker-entrypoint.sh` drops to the redis user for `redis-server`,
node's runs `node` for what is not a command) then behaves differently. So the fix for a `CMD`
is safe only when the image is known to have no ENTRYPOINT: the stage or a parent stage of the
file sets none but `ENTRYPOINT []`, and the first stage is built on `scratch` or an official
image whose configuration sets none (`debian`, `ubuntu`, `alpine`, `python`, `golang`), or
`node`, whose `docker-entrypoint.sh` runs a command it is given as it is (it puts `node` in
front only of an option or of a word that is no command). An exec-form `ENTRYPOINT` of the
file, or any other base image (`redis`, a custom image, a base named by a variable), makes it
unsafe. A stage with an explicit `SHELL` is left alone, as
BuildKit's check does.

## References
- Docker docs, Build checks: JSONArgsRecommended
- Dockerfile reference: CMD, ENTRYPOINT (shell and exec form)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from layerwise.ecosystems.base import image_tag
from layerwise.model.nodes import Stage
from layerwise.model.state import DEFAULT_PATH
from layerwise.rules._image_files import origin
from layerwise.rules._support import resolve, stage_chain
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
# Official images whose configuration sets no ENTRYPOINT: their Dockerfiles end in a CMD alone
# (debian: debuerreotype's image config `"Entrypoint": []`, `Cmd: ["bash"]`; ubuntu: `CMD
# ["/bin/bash"]`; alpine: `CMD ["/bin/sh"]`; python: `CMD ["python3"]`; golang: neither). Any
# other base may have one (redis's and postgres's `docker-entrypoint.sh` look at their first
# argument).
NO_ENTRYPOINT_IMAGES = ("debian", "ubuntu", "alpine", "python", "golang")
# Official images whose ENTRYPOINT runs its arguments unchanged when the first is a command:
# node's docker-entrypoint.sh (nodejs/docker-node) puts `node` in front only of an option, a
# word `command -v` does not find, or a file that is not executable, then runs `exec "$@"`.
# Shell form hands it `/bin/sh`, exec form the program: both are run as they are.
PASS_THROUGH_IMAGES = ("node",)
KNOWN_ENTRYPOINTS = NO_ENTRYPOINT_IMAGES + PASS_THROUGH_IMAGES
_SCRIPT_SUFFIXES = (".sh", ".bash", ".py", ".rb", ".pl", ".js", ".mjs", ".php")
_SPECIAL = re.compile(r"[<>|&;()$`*?\[\]~\\{}'\"#]")


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for instruction, image in _effective(ctx):
        if instruction.is_json or not instruction.args.strip() or _has_shell(image):
            continue
        script = ctx.script(instruction)
        argv = _argv(tree, script) if script is not None else None
        fix = None
        shown = ""
        if argv is not None and _whole(instruction, script):
            safety = _safety(ctx, image, instruction, argv[0])
            if safety is not None:
                shown = "[" + ", ".join(json.dumps(a, ensure_ascii=False) for a in argv) + "]"
                fix = Fix(safety, [Edit.replace(instruction.args_span, shown)])
        span = tree.span(instruction.start, instruction.start + len(instruction.keyword))
        yield RULE.finding(span, fix=fix, keyword=instruction.name, json=shown)


def _effective(ctx: RuleContext) -> list[tuple[Instruction, Stage]]:
    """The CMD and ENTRYPOINT each image runs, with that image's stage: images are the stages no
    other stage builds on or copies from (the final one and other targets). An earlier CMD is
    overridden; a CMD under a shell-form ENTRYPOINT, or set in a base stage before a later
    stage's ENTRYPOINT (which resets it), never runs."""
    used = {dep for stage in ctx.model.stages for dep in stage.depends_on}
    target = ctx.model.stage(ctx.settings.target) if ctx.settings.target else None
    images = [s for s in ctx.model.stages if s.index not in used or s is target]
    out: list[tuple[Instruction, Stage]] = []
    for image in images:
        cmd: Instruction | None = None
        entrypoint: Instruction | None = None
        for stage in stage_chain(image):
            cmd_set = False
            for step in stage.steps:
                if step.name == "CMD":
                    cmd, cmd_set = step.instruction, True
                elif step.name == "ENTRYPOINT":
                    entrypoint, cmd = step.instruction, cmd if cmd_set else None
        if entrypoint is not None and not entrypoint.is_json:
            cmd = None
        out += [(ins, image) for ins in (entrypoint, cmd) if ins is not None]
    unique = {id(ins): (ins, image) for ins, image in reversed(out)}
    return sorted(unique.values(), key=lambda pair: pair[0].start)


def _safety(
    ctx: RuleContext, image: Stage, instruction: Instruction, program: str
) -> Safety | None:
    """SAFE when exec form runs the same program the shell ran; None when it surely would not
    (a script from the context without `#!`: the kernel cannot exec it, a shell could)."""
    workdir = image.end_state.workdir
    if "/" in program:
        paths = [resolve(program, workdir)]
    else:
        paths = [
            f"{d.rstrip('/')}/{program}"
            for d in image.end_state.variables.get("PATH", DEFAULT_PATH).split(":")
            if d.startswith("/")
        ]
    safe = Safety.SAFE
    copied = False
    for path in paths:
        found = origin(ctx, image, path)
        if found.context_path is not None:
            copied = True
            verdict = _script_verdict(ctx, found.context_path, found.chmod)
            if verdict is None:
                return None
            safe = Safety.UNSAFE if verdict is Safety.UNSAFE else safe
        elif not found.known:
            safe = Safety.UNSAFE
    relative = "/" in program and not program.startswith("/")
    if not copied and (relative or program.endswith(_SCRIPT_SUFFIXES)):
        safe = Safety.UNSAFE  # a script from somewhere we cannot see
    if instruction.name == "ENTRYPOINT" or _entrypoint_may_read_cmd(image, program):
        safe = Safety.UNSAFE  # arguments are appended, or handed to an entrypoint
    return safe


def _script_verdict(ctx: RuleContext, rel: str, chmod: str | None) -> Safety | None:
    context = ctx.context
    head = context.read_bytes(rel) if context is not None else None
    if head is None:
        return Safety.UNSAFE
    if not head.startswith(b"#!"):
        return None
    executable = context.is_executable(rel) if context is not None else None
    if chmod is not None:
        executable = bool(re.fullmatch(r"[0-7]{3,4}", chmod)) and int(chmod, 8) & 0o100 != 0
    return Safety.SAFE if executable else Safety.UNSAFE


def _entrypoint_may_read_cmd(image: Stage, program: str) -> bool:
    """The image may have an ENTRYPOINT, so its CMD becomes that entrypoint's arguments (which
    exec form changes from `/bin/sh -c "..."` to the program's words): the Dockerfile's last
    ENTRYPOINT in the stage chain decides (`ENTRYPOINT []` clears it); without one, the base
    image's does, which only scratch and `NO_ENTRYPOINT_IMAGES` are known to lack, and which
    `PASS_THROUGH_IMAGES` hand on unchanged when `program` is a command (`_safety` has made
    sure it runs what the shell ran)."""
    steps = [st for s in stage_chain(image) for st in s.steps if st.name == "ENTRYPOINT"]
    if steps:
        last = steps[-1].instruction
        return last.is_json and bool(last.value)
    root = image.root
    known = NO_ENTRYPOINT_IMAGES if program.startswith("-") else KNOWN_ENTRYPOINTS
    return not root.is_scratch and not any(image_tag(root.base, name) is not None for name in known)


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
    if cmd.program_name == "echo" and any(w.text.startswith("-") for w in cmd.args):
        return None  # dash's echo prints `-e`, /bin/echo takes it as an option
    gap = re.compile(rf"(?:[ \t]|{re.escape(tree.escape)}\r?\n)+")
    for i, word in enumerate(cmd.words):
        if not word.is_static or _SPECIAL.search(word.raw):
            return None
        if i and not gap.fullmatch(tree.text, cmd.words[i - 1].end, word.start):
            return None
    if cmd.words[-1].end != cmd.end:
        return None
    return [w.text for w in cmd.words]
