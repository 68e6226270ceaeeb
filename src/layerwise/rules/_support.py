"""Helpers several rules share: commands of a step, COPY sources, moving whole instructions.

Moving keeps the file's layout: an instruction travels with the comment lines directly above
it, and when the file separates instructions with blank lines the moved block gets one too.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import shlex
from collections.abc import Callable, Iterator, Sequence

from layerwise.ecosystems import installers_for, npm
from layerwise.ecosystems import npm_versions as nv
from layerwise.ecosystems.base import is_normal
from layerwise.model import Stage, Step
from layerwise.rules.base import RuleContext
from layerwise.shell import Command, Word, parse_text
from layerwise.syntax import Dockerfile, Instruction
from layerwise.syntax.span import Edit, Span

ROOT_SOURCES = frozenset({".", "./", "*", "./*", "/", "./."})


def commands(ctx: RuleContext, instruction: Instruction) -> tuple[Command, ...]:
    """The simple commands of a shell-form RUN, else ()."""
    if instruction.name != "RUN":
        return ()
    script = ctx.script(instruction)
    return script.commands if script is not None else ()


def launch_commands(instruction: Instruction) -> tuple[Command, ...]:
    """The simple commands a CMD or ENTRYPOINT starts in the container (exec form taken as the
    words it lists)."""
    text = shlex.join(instruction.value) if instruction.is_json else instruction.args
    return parse_text(text).commands


def span_of(tree: Dockerfile, start: int, end: int) -> Span:
    return tree.span(start, end)


def copy_parts(instruction: Instruction) -> tuple[tuple[str, ...], str] | None:
    """(sources, destination) of a COPY/ADD from the build context (None for --from)."""
    if instruction.name not in ("COPY", "ADD") or instruction.flag("from") is not None:
        return None
    words = instruction.value
    if len(words) < 2 or instruction.heredocs:
        return None
    return words[:-1], words[-1]


def is_broad_copy(instruction: Instruction) -> bool:
    """`COPY . .` and friends: the whole build context goes into the image."""
    parts = copy_parts(instruction)
    return parts is not None and any(s in ROOT_SOURCES for s in parts[0])


def after_broad_copy(stages: Sequence[Stage]) -> Iterator[tuple[tuple[Step, ...], int]]:
    """Each stage that has a broad COPY: its steps and the index of its first broad COPY."""
    for stage in stages:
        at = next((i for i, st in enumerate(stage.steps) if is_broad_copy(st.instruction)), None)
        if at is not None:
            yield stage.steps, at


def resolve(path: str, workdir: str) -> str:
    """An image path made absolute against WORKDIR, normalised (`./x/` -> `/app/x`)."""
    if path.startswith("/") and is_normal(path):
        return path  # what join and normpath would give back
    return posixpath.normpath(posixpath.join(workdir, path))


def cwd_of(step: Step, command: Command) -> str:
    """Where a command of a RUN runs: WORKDIR, moved by a preceding `cd X &&`."""
    hint = command.cwd_hint
    return resolve(hint, step.state.workdir) if hint else step.state.workdir


def is_dependency_install(command: Command) -> bool:
    """`npm ci`, or `npm install` naming no package: installs what the manifests list."""
    return npm.is_ci(command) or npm.is_bare_install(command)


def is_install_only(
    ctx: RuleContext,
    instruction: Instruction,
    installs: Callable[[Command], bool] = is_dependency_install,
) -> bool:
    """A RUN that only installs the project's dependencies (`cd` allowed); `installs` tells
    which commands count (npm's by default)."""
    cmds = commands(ctx, instruction)
    return bool(cmds) and all(installs(c) or c.program_name == "cd" for c in cmds)


def installs_dependencies(command: Command) -> bool:
    """A dependency install of any installer (`npm ci`, `pip install -r ...`, `uv sync`)."""
    return any(eco.is_dependency_install(command) for eco in installers_for(command))


def copies_npm_manifest(instruction: Instruction) -> bool:
    """A COPY from the context that brings package.json (by name or `package*.json`)."""
    parts = copy_parts(instruction)
    names = {posixpath.basename(p) for p in parts[0]} if parts else set()
    return bool(names & {"package.json", "package*.json"})


# Instructions that create no build step and read no file: moving a COPY across them is neutral.
NO_STEP = frozenset({"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL"})


def files_copied(step: Step, names: Sequence[str]) -> set[str]:
    """Which of `names` a COPY from the context brings into its WORKDIR, by name or by a glob
    (`package*.json` brings package.json and package-lock.json)."""
    parts = copy_parts(step.instruction)
    if parts is None:
        return set()
    if resolve(step.state.expand(parts[1]), step.state.workdir) != step.state.workdir:
        return set()
    sources = {posixpath.basename(w) for w in parts[0] if w not in ROOT_SOURCES}
    return {n for n in names for src in sources if fnmatch.fnmatchcase(n, src)}


def npm_manifests_copied(step: Step) -> set[str]:
    """package.json and lockfile names a COPY from the context brings into its WORKDIR."""
    return files_copied(step, (*npm.MANIFESTS, *npm.LOCKFILES))


def free_stage_name(name: str, stages: Sequence[Stage]) -> str:
    """`name`, or `name-2`, `name-3`... when a stage already has it (names ignore case)."""
    taken = {st.name for st in stages if st.name}
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def omits_dev(command: Command, step: Step) -> bool:
    """The install leaves devDependencies out (`--omit=dev`, `--production`, NODE_ENV)."""
    return npm.omits_dev(command, step.state.variables)


def stage_chain(stage: Stage) -> list[Stage]:
    """The stage and the stages it is built FROM, base first."""
    chain = [stage]
    while chain[0].base_stage is not None:
        chain.insert(0, chain[0].base_stage)
    return chain


def stages_built_from(stages: Sequence[Stage], stage: Stage) -> Iterator[Stage]:
    """The stages built FROM `stage`, and FROM those in turn, depth first."""
    for child in stages:
        if child.base_stage is not None and child.base_stage.index == stage.index:
            yield child
            yield from stages_built_from(stages, child)


# Windows base images: Microsoft's `windows` repositories (`mcr.microsoft.com/windows/servercore`,
# `mcr.microsoft.com/windows:ltsc2019`) and the Server Core and Nano Server variants of others
# (`golang:1.22-windowsservercore-ltsc2022`, `mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-1809`).
# Not a Linux image named for its target (`dockcross/windows-static-x64` cross-compiles).
_WINDOWS_IMAGE = re.compile(r"(?:^|/)windows(?:[/:@]|$)|servercore|nanoserver")


def is_windows_stage(stage: Stage) -> bool:
    """The stage's FROM chain starts on a Windows image. Such a build runs Windows commands
    with Windows paths, which our Linux facts (cache folders, QEMU) do not describe."""
    return _WINDOWS_IMAGE.search(stage.root.base.lower()) is not None


def later_commands(
    ctx: RuleContext, step: Step, after: Command | None = None
) -> Iterator[tuple[Step, Command]]:
    """The commands that run after `step` (after its command `after`, when given) in its stage:
    the rest of its RUN, then its stage's later RUNs (the final stage has no stage built on it)."""
    stage = ctx.model.stages[step.stage]
    if after is not None:
        yield from ((step, c) for c in commands(ctx, step.instruction) if c.start > after.start)
    for later in stage.steps[stage.steps.index(step) + 1 :]:
        yield from ((later, c) for c in commands(ctx, later.instruction))


def word_edit(word: Word, text: str, place: str) -> Edit:
    """`text` after `word` (with a blank), in front of it, or in its place."""
    if place == "before":
        return Edit.insert(word.start, f"{text} ")
    if place == "replace":
        return Edit(word.start, word.end, text)
    return Edit.insert(word.end, f" {text}")


def commands_before(ctx: RuleContext, step: Step, command: Command) -> list[Command]:
    """The commands that run before `command` of `step`: those of the RUNs before it in its
    stage and the stages it is built FROM, then the earlier ones of its own RUN."""
    out: list[Command] = []
    for stage in stage_chain(ctx.model.stages[step.stage]):
        for earlier in stage.steps:
            if earlier is step:
                return out + [c for c in commands(ctx, step.instruction) if c.end <= command.start]
            out.extend(commands(ctx, earlier.instruction))
    return out


def npm_major(ctx: RuleContext, step: Step, before: Command | None = None) -> int | None:
    """The npm major that runs at `step` (at its command `before`, when given): the base image's
    (ecosystems.npm_versions), replaced by a global install of npm itself earlier in the stage
    chain or the RUN; None when unknown."""
    chain = stage_chain(ctx.model.stages[step.stage])
    major = nv.npm_major_of_image(chain[0].base)
    for earlier in (st for stage in chain for st in stage.steps):
        if earlier is step and before is None:
            break
        for cmd in commands(ctx, earlier.instruction):
            if earlier is step and before is not None and cmd.start >= before.start:
                break
            found = nv.self_upgrade(cmd)
            if found is not None:
                major = None if isinstance(found, nv.Unknown) else found
        if earlier is step:
            break
    return major


# --- moving instructions --------------------------------------------------------------------


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def block_start(tree: Dockerfile, instruction: Instruction) -> int:
    """Start of the line of the first comment directly above `instruction` (or its own line)."""
    start = instruction.start
    for node in reversed(instruction.leading):
        if not node.text.lstrip().startswith("#"):
            break
        start = node.span.start
    return line_start(tree.text, start)


def block_end(tree: Dockerfile, instruction: Instruction) -> int:
    """Just after the newline that ends `instruction` (or the end of the file)."""
    end = instruction.end
    for newline in ("\r\n", "\n"):
        if tree.text.startswith(newline, end):
            return end + len(newline)
    return end


def _blank_line_before(text: str, offset: int) -> int | None:
    """The start of the blank line just above `offset` (a line start), if there is one."""
    if offset == 0:
        return None
    prev = line_start(text, offset - 1)
    return prev if text[prev:offset].strip() == "" else None


def _blank_or_end_after(text: str, offset: int) -> bool:
    nl = text.find("\n", offset)
    return offset >= len(text) or text[offset : len(text) if nl < 0 else nl].strip() == ""


def separator(tree: Dockerfile, anchor_start: int) -> str:
    """A blank line when the file puts one before the anchor, else nothing."""
    return tree.newline if _blank_line_before(tree.text, anchor_start) is not None else ""


def delete_block(tree: Dockerfile, instruction: Instruction) -> Edit:
    """Remove an instruction with its comments, and one blank line when it sat between two."""
    text = tree.text
    start, end = block_start(tree, instruction), block_end(tree, instruction)
    blank = _blank_line_before(text, start)
    if blank is not None and _blank_or_end_after(text, end):
        start = blank
    elif end == len(text) and not text[start:end].endswith("\n") and start > 0:
        start -= len(tree.newline) if text[:start].endswith(tree.newline) else 1
    return Edit(start, end, "")


def block_text(tree: Dockerfile, instruction: Instruction) -> str:
    """The instruction with the comments directly above it, ending with a newline."""
    text = tree.text[block_start(tree, instruction) : block_end(tree, instruction)]
    return text if text.endswith("\n") else text + tree.newline


def insert_before(tree: Dockerfile, anchor: Instruction, pieces: Sequence[str]) -> Edit:
    """Insert whole lines (each piece ends with a newline) above `anchor` and its comments."""
    at = block_start(tree, anchor)
    sep = separator(tree, at)
    return Edit.insert(at, "".join(piece + sep for piece in pieces))


def insert_at_stage_end(
    tree: Dockerfile, next_from: Instruction | None, pieces: Sequence[str]
) -> Edit:
    """Insert lines at the end of a stage: above the next FROM, or at the end of the file."""
    if next_from is not None:
        return insert_before(tree, next_from, pieces)
    lead = "" if tree.text.endswith("\n") or not tree.text else tree.newline
    return Edit.insert(len(tree.text), lead + "".join(pieces))


def insert_after(tree: Dockerfile, anchor: Instruction, items: Sequence[Instruction]) -> Edit:
    """Insert copies of `items` (with their comments) just below `anchor`."""
    at = block_end(tree, anchor)
    lead = "" if tree.text[:at].endswith("\n") else tree.newline
    grouped = separator(tree, block_start(tree, anchor))

    def sep(item: Instruction) -> str:
        # A commented block that stood as its own paragraph stays one where it lands.
        start = block_start(tree, item)
        paragraph = start < item.span.start and _blank_line_before(tree.text, start) is not None
        return tree.newline if paragraph else grouped

    return Edit.insert(at, lead + "".join(sep(item) + block_text(tree, item) for item in items))


def move_before(
    tree: Dockerfile, item: Instruction, anchor: Instruction, *, lines_first: Sequence[str] = ()
) -> list[Edit]:
    """Edits moving `item` (with its comments) above `anchor`, after any `lines_first`."""
    return [
        insert_before(tree, anchor, [*lines_first, block_text(tree, item)]),
        delete_block(tree, item),
    ]


def mentions(instruction: Instruction, name: str) -> bool:
    """True when the instruction's text may refer to variable `name` in any syntax: `$NAME`,
    `${NAME}`, PowerShell's `$env:NAME`, cmd's `%NAME%`, `printenv NAME`, `process.env.NAME`.
    Any whole-word occurrence counts, ignoring case (Windows variable names ignore it)."""
    pattern = rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])"
    return re.search(pattern, instruction.text, re.IGNORECASE) is not None


# --- what an npm install needs from the build context -----------------------------------------


def install_inputs(ctx: RuleContext, project_dir: str) -> tuple[tuple[str, ...], bool]:
    """Context paths `npm ci` in `project_dir` reads, and whether that is proven complete
    (`ecosystems.npm.project_inputs`)."""
    return npm.project_inputs(ctx.context, project_dir)


def copy_lines(head: str, inputs: Sequence[str], base: str, newline: str) -> list[str]:
    """COPY lines bringing context paths `inputs` under image directory `base` (ending in /),
    keeping their relative paths: files grouped by directory, each directory on its own."""
    groups: dict[str, list[str]] = {}
    for path in inputs:
        if path.endswith("/"):
            groups.setdefault(path, []).append(path)
        else:
            parent = posixpath.dirname(path)
            groups.setdefault(f"{parent}/" if parent else "", []).append(path)
    lines = []
    for target, sources in groups.items():
        dest = posixpath.join(base, target) if target else base
        lines.append(f"{head} {' '.join(sources)} {dest}{newline}")
    return lines


# --- build and code generation commands (npm projects) ----------------------------------------

_COMPILERS = frozenset({"tsc", "nest", "webpack", "vite", "next", "rollup", "esbuild"})
_BUILDERS = _COMPILERS | {"npm", "yarn", "pnpm", "npx"}


def is_build(command: Command) -> bool:
    """`npm run build[:x]`, `yarn build`, `pnpm run build`, `npx tsc`, `nest build` ..."""
    if command.program_name not in _BUILDERS:
        return False
    script = npm.run_script_name(command)
    if script is not None:
        return script.split(":")[0] == "build"
    program = command.program_name
    words = [w.text for w in command.operands(npm.VALUE_OPTIONS)]
    if program in ("yarn", "pnpm"):
        words = words[1:] if words[:1] == ["run"] else words
        return bool(words) and words[0].split(":")[0] == "build"
    if program == "npx" and words:
        program, words = words[0], words[1:]
    return program in _COMPILERS and (program != "nest" or words[:1] == ["build"])


def is_codegen(command: Command) -> bool:
    """`prisma generate`, directly or through npx / `npm exec`."""
    name = command.program_name
    return name in ("npm", "npx", *npm.CODEGEN) and npm.codegen(command) is not None
