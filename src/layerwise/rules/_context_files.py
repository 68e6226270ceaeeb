"""What the COPY/ADD instructions take from the build context, and which instructions may read
a context path: what the .dockerignore rules (LW601, LW602, LW702) share. Not a rule module."""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from layerwise.context.dockerignore import IgnoreMatcher, clean
from layerwise.context.ignore_file import add_lines, ignore_text, with_ignore_text
from layerwise.context.survey import Survey, survey
from layerwise.ecosystems import installers_for
from layerwise.ecosystems.base import parse_mount_options
from layerwise.model import Model, Step
from layerwise.rules import _support as s
from layerwise.rules.base import RuleContext

_GLOB = re.compile(r"[*?\[]")
_REMOTE = ("http://", "https://", "git@", "git://")
_DOCKERFILE_NAMES = ("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile")


@dataclass(frozen=True, slots=True)
class Source:
    """One source of a COPY/ADD from the context, or of a RUN's bind mount of it (`bind`: it
    reaches the step, not the image): as written, and as a context path (cleaned, variables
    expanded, no leading `./` or `/`; "" for the root)."""

    step: Step
    written: str
    path: str
    bind: bool = False

    @property
    def is_glob(self) -> bool:
        return _GLOB.search(self.path) is not None


def context_sources(ctx: RuleContext) -> tuple[Source, ...]:
    return ctx.memo(context_sources, lambda: tuple(sources_of(ctx.model)))


def sources_of(model: Model) -> Iterator[Source]:
    """Every source of every COPY/ADD from the context and of every RUN bind mount of it, in
    file order (URLs left out)."""
    for step in model.steps:
        if step.instruction.name == "RUN":
            yield from _bind_sources(step)
            continue
        parts = s.copy_parts(step.instruction)
        if parts is None:
            continue
        for written in parts[0]:
            expanded = step.state.expand(written)
            if expanded.startswith(_REMOTE):
                continue  # ADD of a URL or a git repository: not the context
            yield Source(step, written, _context_path(expanded))


def _context_path(expanded: str) -> str:
    path = clean("/" + expanded).lstrip("/")
    return "" if path == "." else path


def _bind_sources(step: Step) -> Iterator[Source]:
    """`RUN --mount=type=bind[,source=x]` without `from`: the context (or `x` in it), keyed on
    its content like a COPY."""
    for flag in step.instruction.flags_named("mount"):
        options = parse_mount_options(step.state.expand(flag.value or ""))
        if options.get("type", "bind") != "bind" or options.get("from"):
            continue
        written = options.get("source", options.get("src", "."))
        yield Source(step, written, _context_path(written), bind=True)


def broad_copies(ctx: RuleContext) -> tuple[Step, ...]:
    """COPY/ADD steps (and RUNs binding it) that send the whole context (`COPY . .`), in file
    order."""
    return tuple(dict.fromkeys(src.step for src in context_sources(ctx) if src.path == ""))


def explicit_sources(ctx: RuleContext) -> tuple[Source, ...]:
    """Sources that name something inside the context (not its root)."""
    return tuple(src for src in context_sources(ctx) if src.path != "")


def names_path(source: Source, path: str) -> bool:
    """The source names `path` or something inside it (`COPY .git ./.git`, `COPY dist/a.js`),
    by its literal path or a glob that matches it."""
    if source.is_glob:
        return IgnoreMatcher([source.path]).is_ignored(path) or _glob_inside(source.path, path)
    return source.path == path or source.path.startswith(path + "/")


def _glob_inside(glob: str, path: str) -> bool:
    """A glob whose static leading folders lie inside `path` (`dist/*.js` inside `dist`)."""
    static = []
    for part in glob.split("/"):
        if _GLOB.search(part):
            break
        static.append(part)
    prefix = "/".join(static)
    return bool(prefix) and (prefix == path or prefix.startswith(path + "/"))


def excluded_by(lines: list[str], source: Source) -> bool:
    """Whether ignore lines `lines` would leave out what `source` names."""
    if source.is_glob:
        return False  # a glob of files, judged by `names_path` on each found path
    return IgnoreMatcher(lines).is_ignored(source.path)


def empties_a_copy(ctx: RuleContext, lines: Sequence[str]) -> bool:
    """Adding `lines` to the ignore file would leave a COPY of a folder with nothing to copy
    (`COPY deploy ./deploy` when `deploy/` holds only the key a line leaves out): the COPY is
    there for what the lines remove, so they must not."""
    context = ctx.context
    if context is None:
        return False
    after = with_ignore_text(context, add_lines(ignore_text(context), tuple(lines)))
    for source in explicit_sources(ctx):
        if source.is_glob or not context.is_dir(source.path):
            continue
        before = next(context.files(source.path), None)
        if before is not None and next(after.files(source.path), None) is None:
            return True
    return False


def mentions_word(ctx: RuleContext, word: str, *, skip: frozenset[int] = frozenset()) -> bool:
    """Some instruction (other than the steps whose ids are in `skip`) has `word` in its text
    as a path part: `dist` in `node dist/main.js`, `.git` in `COPY .git .git`."""
    pattern = re.compile(rf"(?<![\w.-]){re.escape(word)}(?![\w-])")
    return any(
        pattern.search(ins.text) is not None
        for ins in ctx.tree.instructions
        if id(ins) not in skip and ins.name not in ("FROM", "LABEL")
    )


def runs_program(ctx: RuleContext, program: str) -> bool:
    """Some RUN runs `program` (`git describe`)."""
    return any(
        cmd.program_name == program
        for step in ctx.model.steps
        for cmd in s.commands(ctx, step.instruction)
    )


def installs_dependencies(ctx: RuleContext, installers: Collection[str] = ()) -> bool:
    """Some RUN installs the project's dependencies (`npm ci`, `pip install -r`, `uv sync`),
    with one of `installers` (by name: `npm`, `pip`) when given."""
    return any(
        eco.is_dependency_install(cmd) and (not installers or eco.NAME in installers)
        for step in ctx.model.steps
        for cmd in s.commands(ctx, step.instruction)
        for eco in installers_for(cmd)
    )


def builds(ctx: RuleContext) -> bool:
    """Some RUN runs a build (`npm run build`, `tsc`): build outputs are made in the image."""
    return any(
        s.is_build(cmd) for step in ctx.model.steps for cmd in s.commands(ctx, step.instruction)
    )


def context_survey(ctx: RuleContext) -> Survey | None:
    """The clutter and credential files of the context (None without one), surveyed once per
    check."""
    context = ctx.context
    if context is None:
        return None
    return ctx.memo(context_survey, lambda: survey(context))


def basename(path: str) -> str:
    return posixpath.basename(path.rstrip("/"))


def other_dockerfiles(ctx: RuleContext) -> bool:
    """Dockerfiles at the context root other than the one checked (they share its
    `.dockerignore`, and were not checked)."""
    context = ctx.context
    if context is None:
        return False
    own = Path(ctx.path or "").name
    try:
        names = [entry.name for entry in os.scandir(context.root)]
    except OSError:
        return False
    return any(
        name != own
        and not name.endswith(".dockerignore")
        and any(fnmatch.fnmatchcase(name, p) for p in _DOCKERFILE_NAMES)
        for name in names
    )
