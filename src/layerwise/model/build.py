"""build_model: walk the tree the way BuildKit's Dockerfile frontend does (dockerfile2llb).

Sources read: moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go (toDispatchState,
dispatchArg, dispatchEnv, dispatchWorkdir, toCommand, detectRunMount,
validateCircularDependency) and instructions/parse.go (parseFrom, parseBuildStageName).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from layerwise.errors import LayerwiseError
from layerwise.model.accounts import PROGRAMS, created_accounts
from layerwise.model.expand import ExpansionError, expand, expand_word
from layerwise.model.graph import find_cycle, resolve, source_refs
from layerwise.model.nodes import Model, Problem, Stage, Step
from layerwise.model.reference import reference_error
from layerwise.model.state import DEFAULT_PATH, State, resolve_workdir
from layerwise.model.users import IMAGE_ENV, IMAGE_WORKDIRS, image_family

if TYPE_CHECKING:
    from layerwise.syntax.nodes import Dockerfile, Instruction

# ARGs BuildKit defines in the global scope (usable in FROM without a declaration). Their real
# values depend on the builder and --platform; we keep them symbolic (`$BUILDPLATFORM`) unless a
# build arg overrides them, so `--platform=$BUILDPLATFORM` stays recognisable.
AUTOMATIC_ARGS = (
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
)
RESERVED_STAGE_NAMES = frozenset({"context", "scratch"})
# Instructions that change the state later ones run in (RUN: users it creates).
_STATEFUL = frozenset({"ENV", "ARG", "WORKDIR", "USER", "SHELL", "RUN"})
_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*\Z")


def build_model(tree: Dockerfile, *, build_args: Mapping[str, str] | None = None) -> Model:
    """The meaning of a parsed Dockerfile under BuildKit, for the given `--build-arg`s.

    Raises LayerwiseError (with path:line:col) for what BuildKit rejects whatever the target:
    no FROM, an instruction before the first FROM other than ARG, a malformed FROM or stage
    name, a bad substitution in a FROM line or a global ARG, a blank base name or platform, a
    base image name that is no valid reference, a COPY --from index out of range, a dependency
    cycle. When a FROM line is only wrong because an ARG has no value (the build may pass it
    with --build-arg), that is a warning instead. Errors BuildKit raises only when it builds a
    given stage (COPY --from a later stage, a bad substitution inside a stage) are in
    `Model.problems`; see `Model.problems_for(target)`. Build-check warnings (duplicate or
    reserved stage names, undeclared ARGs in FROM) are in `Model.warnings`.
    """
    return _Builder(tree, dict(build_args or {})).build()


class _Builder:
    def __init__(self, tree: Dockerfile, build_args: dict[str, str]) -> None:
        self.tree = tree
        self.build_args = build_args
        self.escape = tree.escape
        self.problems: list[Problem] = []
        self.warnings: list[LayerwiseError] = []
        self.meta_env: dict[str, str] = {
            name: build_args.get(name, f"${name}") for name in AUTOMATIC_ARGS
        }
        self.global_args: dict[str, str | None] = {}

    # -- errors ------------------------------------------------------------------------------

    def error(self, message: str, instruction: Instruction) -> LayerwiseError:
        span = instruction.span
        return LayerwiseError(
            message, path=self.tree.path, line=span.start_line, col=span.start_col
        )

    def problem(self, stage: int, message: str, instruction: Instruction) -> None:
        self.problems.append(Problem(stage, self.error(message, instruction)))

    # -- the walk ----------------------------------------------------------------------------

    def build(self) -> Model:
        groups = self.split()
        names = self.stage_names(groups)
        stages: list[Stage] = []
        by_name: dict[str, Stage] = {}
        for index, (from_instruction, body) in enumerate(groups):
            stage = self.stage(index, from_instruction, body, names, by_name, len(groups))
            stages.append(stage)
            if stage.name is not None:
                by_name[stage.name] = stage
        self.check_cycles(stages)
        return Model(
            tree=self.tree,
            stages=tuple(stages),
            global_args=self.global_args,
            build_args=self.build_args,
            steps=tuple(step for stage in stages for step in stage.steps),
            problems=tuple(self.problems),
            warnings=tuple(self.warnings),
            _by_name=by_name,
        )

    def split(self) -> list[tuple[Instruction, list[Instruction]]]:
        """Global ARGs are applied here; the rest is grouped as (FROM, instructions)."""
        groups: list[tuple[Instruction, list[Instruction]]] = []
        for instruction in self.tree.instructions:
            name = instruction.name
            if name == "FROM":
                groups.append((instruction, []))
            elif groups:
                groups[-1][1].append(instruction)
            elif name == "ARG":
                self.global_arg(instruction)
            else:
                raise self.error("no build stage in current context", instruction)
        if not groups:
            raise LayerwiseError("dockerfile contains no stages to build", path=self.tree.path)
        return groups

    def global_arg(self, instruction: Instruction) -> None:
        for key, default in _arg_items(instruction):
            if key in self.build_args:
                value: str | None = self.build_args[key]
            elif default is not None:
                try:
                    value = expand(default, self.meta_env, escape=self.escape)
                except ExpansionError as exc:
                    raise self.error(exc.message, instruction) from None
            else:
                value = None
            self.global_args[key] = value
            if value is not None:
                self.meta_env[key] = value

    def stage_names(self, groups: list[tuple[Instruction, list[Instruction]]]) -> dict[str, int]:
        """Stage name -> index, for COPY --from / RUN --mount lookups (the last one wins)."""
        names: dict[str, int] = {}
        for index, (instruction, _) in enumerate(groups):
            name = self.from_name(instruction)
            if name is None:
                continue
            if name in RESERVED_STAGE_NAMES:
                self.warnings.append(
                    self.error(f"stage name {name!r} is reserved (ReservedStageName)", instruction)
                )
            if name in names:
                self.warnings.append(
                    self.error(f"duplicate stage name {name!r} (DuplicateStageName)", instruction)
                )
            names[name] = index
        return names

    def from_name(self, instruction: Instruction) -> str | None:
        value = instruction.value
        if len(value) == 3 and value[1].lower() == "as":
            name = value[2].lower()
            if not _STAGE_NAME.match(name):
                raise self.error(
                    f"invalid name for build stage: {value[2]!r}, "
                    "name can't start with a number or contain symbols",
                    instruction,
                )
            return name
        if len(value) != 1:
            raise self.error("FROM requires either one or three arguments", instruction)
        return None

    def from_word(self, word: str, instruction: Instruction) -> tuple[str, frozenset[str], bool]:
        """Expand a FROM word: (text, automatic ARGs left symbolic, depends on unset ARGs)."""
        try:
            result = expand_word(word, self.meta_env, escape=self.escape)
        except ExpansionError as exc:
            raise self.error(exc.message, instruction) from None
        for name in sorted(result.missing - self.global_args.keys()):
            # BuildKit's UndefinedArgInFrom check: a global ARG declared without a value is fine.
            self.warnings.append(
                self.error(
                    f"FROM argument {name!r} is not declared (UndefinedArgInFrom)", instruction
                )
            )
        symbolic = frozenset(name for name in result.used if self.meta_env.get(name) == f"${name}")
        return result.text, symbolic, bool(result.missing)

    def unresolved(self, message: str, instruction: Instruction) -> None:
        """BuildKit fails on this without the right --build-arg; a linter should not."""
        self.warnings.append(self.error(f"{message} unless a --build-arg sets it", instruction))

    def stage(
        self,
        index: int,
        from_instruction: Instruction,
        body: list[Instruction],
        names: dict[str, int],
        earlier: dict[str, Stage],
        count: int,
    ) -> Stage:
        name = self.from_name(from_instruction)
        raw_base = from_instruction.value[0]
        base, symbolic, unresolved = self.from_word(raw_base, from_instruction)
        if not base:
            message = f"base name ({raw_base}) should not be blank"
            if not unresolved:
                raise self.error(message, from_instruction)
            self.unresolved(message, from_instruction)
            base = raw_base
        platform: str | None = None
        platform_vars: frozenset[str] = frozenset()
        flag = from_instruction.flag("platform")
        if flag is not None and flag.value is not None:
            platform, platform_vars, platform_unresolved = self.from_word(
                flag.value, from_instruction
            )
            if not platform:
                message = f"empty platform value from expression {flag.value}"
                if not platform_unresolved:
                    raise self.error(message, from_instruction)
                self.unresolved(message, from_instruction)
                platform = flag.value
        # BuildKit looks the expanded base name up as written among the earlier stages' names.
        base_stage = earlier.get(base)
        if base_stage is None and base != "scratch" and not symbolic:
            problem = reference_error(base)
            if problem is not None:
                message = f"failed to parse stage name {base!r}: {problem}"
                if not unresolved:
                    raise self.error(message, from_instruction)
                self.unresolved(message, from_instruction)
        if base_stage is not None:
            state = base_stage.end_state
            onbuild = tuple(i.sub for s in base_stage.steps if (i := s.instruction).sub is not None)
        else:
            family = None if base.lower() == "scratch" else image_family(base)
            image_env = {"PATH": DEFAULT_PATH, **IMAGE_ENV.get(family or "", {})}
            state = State(
                workdir=IMAGE_WORKDIRS.get(family or "", "/"),
                env=image_env,
                variables=dict(image_env),
                escape=self.escape,
                image_family=family,
            )
            onbuild = ()

        depends: set[int] = set() if base_stage is None else {base_stage.index}
        images: list[str] = []
        steps: list[Step] = []
        stage_ref = name or f"stage-{index}"
        for instruction in body:
            # Most instructions have no flags and change no state: keep their cost to a Step.
            if instruction.flags:
                sources, externals = self.sources(index, stage_ref, instruction, names, count)
                depends.update(sources)
                images.extend(externals)
                steps.append(Step(instruction, index, state, sources, externals))
            else:
                steps.append(Step(instruction, index, state))
            kind = instruction.keyword.upper()
            if kind in _STATEFUL:
                state = self.apply(index, instruction, kind, state)
        for trigger in onbuild:
            sources, externals = self.sources(index, stage_ref, trigger, names, count)
            depends.update(sources)
            images.extend(externals)
        return Stage(
            index=index,
            name=name,
            base=base,
            base_stage=base_stage,
            platform=platform,
            from_instruction=from_instruction,
            steps=tuple(steps),
            depends_on=tuple(sorted(depends)),
            external_copies=tuple(dict.fromkeys(images)),
            end_state=state,
            platform_vars=platform_vars,
            onbuild_triggers=onbuild,
        )

    # -- the build graph ---------------------------------------------------------------------

    def sources(
        self,
        index: int,
        stage_ref: str,
        instruction: Instruction,
        names: dict[str, int],
        count: int,
    ) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """Stages and images an instruction reads from (COPY --from, RUN --mount from=)."""
        stages: list[int] = []
        images: list[str] = []
        for kind, ref in source_refs(instruction):
            try:
                found = resolve(kind, ref, names, count)
            except ValueError as exc:
                raise self.error(str(exc), instruction) from None
            if found is None:
                images.append(ref)
                continue
            stages.append(found)
            if found <= index:
                continue
            # Current frontends refuse this; Docker 20.10's copies from the later stage's base
            # image without its instructions (checked on 20.10.24): wrong either way.
            if kind == "copy":
                message = (
                    f"cannot copy from stage {ref!r}, it needs to be defined before "
                    f"current stage {stage_ref!r}"
                )
            else:
                message = (
                    f"cannot mount from stage {ref!r} to {stage_ref!r}, stage needs to be "
                    "defined before current command"
                )
            self.problem(index, message, instruction)
        return tuple(dict.fromkeys(stages)), tuple(dict.fromkeys(images))

    def check_cycles(self, stages: list[Stage]) -> None:
        cycle = find_cycle(stages)
        if cycle is not None:
            stage, instruction = cycle
            raise self.error(f"circular dependency detected on stage: {stage.ref}", instruction)

    # -- state changes -----------------------------------------------------------------------

    def expand_in(self, index: int, word: str, state: State, instruction: Instruction) -> str:
        try:
            return expand(word, state.variables, escape=self.escape)
        except ExpansionError as exc:
            self.problem(index, exc.message, instruction)
            return word

    def apply(self, index: int, instruction: Instruction, name: str, state: State) -> State:
        """The state after `instruction` (ONBUILD and unknown instructions change nothing)."""
        value = instruction.value
        if name == "ENV":
            env = dict(state.env)
            variables = dict(state.variables)
            for key, raw in zip(value[::2], value[1::2], strict=False):
                # Every pair is expanded against the environment before the instruction.
                k = self.expand_in(index, key, state, instruction)
                v = self.expand_in(index, raw, state, instruction)
                env[k] = v
                variables.pop(k, None)  # re-insert: the latest assignment comes last
                variables[k] = v
            return _with(state, env=env, variables=variables)
        if name == "ARG":
            return self.stage_arg(index, instruction, state)
        if name == "WORKDIR" and value:
            path = self.expand_in(index, value[0], state, instruction)
            return _with(state, workdir=resolve_workdir(state.workdir, path))
        if name == "USER" and value:
            return _with(state, user=self.expand_in(index, value[0], state, instruction))
        if name == "SHELL" and value:
            return _with(state, shell=tuple(value))
        if name == "RUN" and not instruction.is_json:
            script = instruction.args
            if instruction.heredocs:
                script += "\n" + "\n".join(h.content for h in instruction.heredocs)
            if "add" in script and any(program in script for program in PROGRAMS):
                users, groups = created_accounts(script, state.users, state.groups)
                return _with(state, users=users, groups=groups)
        return state

    def stage_arg(self, index: int, instruction: Instruction, state: State) -> State:
        args = dict(state.args)
        variables = dict(state.variables)
        current = state
        for key, default in _arg_items(instruction):
            if key in self.build_args:
                value: str | None = self.build_args[key]
            elif default is not None:
                # Each ARG sees the ones before it in the same instruction (`ARG A=1 B=$A`).
                value = self.expand_in(index, default, current, instruction)
            else:
                # A bare `ARG NAME` picks up the global value (automatic args included).
                value = self.meta_env.get(key)
            args[key] = value
            if value is not None:
                variables.pop(key, None)
                variables[key] = value
            current = _with(current, args=args, variables=variables)
        return current


def _with(state: State, **changes: object) -> State:
    """dataclasses.replace, minus its per-call introspection (this runs for every step)."""
    fields: dict[str, object] = {
        "workdir": state.workdir,
        "user": state.user,
        "shell": state.shell,
        "env": state.env,
        "args": state.args,
        "variables": state.variables,
        "escape": state.escape,
        "image_family": state.image_family,
        "users": state.users,
        "groups": state.groups,
    }
    fields.update(changes)
    return State(**fields)  # type: ignore[arg-type]


def _arg_items(instruction: Instruction) -> list[tuple[str, str | None]]:
    """`ARG A=1 B` -> [("A", "1"), ("B", None)]; the default is raw, expanded later."""
    items: list[tuple[str, str | None]] = []
    for word in instruction.value:
        key, sep, default = word.partition("=")
        items.append((key, default if sep else None))
    return items
