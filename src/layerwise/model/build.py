"""build_model: walk the tree the way BuildKit's Dockerfile frontend does (dockerfile2llb).

Sources read: moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go (toDispatchState,
dispatchArg, dispatchEnv, dispatchWorkdir, toCommand, detectRunMount,
validateCircularDependency) and instructions/parse.go (parseFrom, parseBuildStageName).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from layerwise.model import refusals
from layerwise.model.accounts import PROGRAMS, created_accounts
from layerwise.model.arguments import EXPANDED_INSTRUCTIONS
from layerwise.model.expand import ExpansionError, expand
from layerwise.model.from_lines import FromLines, arg_items
from layerwise.model.graph import find_cycle, resolve, source_refs
from layerwise.model.nodes import Model, Stage, Step
from layerwise.model.refusals import DiagnosticKind
from layerwise.model.state import DEFAULT_PATH, State, resolve_workdir
from layerwise.model.users import IMAGE_ENV, IMAGE_WORKDIRS, image_family

if TYPE_CHECKING:
    from layerwise.syntax.nodes import Dockerfile, Instruction

# Instructions that change the state later ones run in (RUN: users it creates).
_STATEFUL = frozenset({"ENV", "ARG", "WORKDIR", "USER", "SHELL", "RUN"})
# Stateless instructions whose arguments BuildKit expands, so a bad word stops the build.
_EXPANDED_ONLY = EXPANDED_INSTRUCTIONS - _STATEFUL
# What BuildKit's instructions.ParseInstruction knows (frontend/dockerfile/command).
KNOWN_INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    }
)  # fmt: skip


def build_model(tree: Dockerfile, *, build_args: Mapping[str, str] | None = None) -> Model:
    """The meaning of a parsed Dockerfile under BuildKit, for the given `--build-arg`s.

    Never raises on what BuildKit refuses: each refusal is a `Diagnostic` in
    `Model.diagnostics` and the model reads on as a linter must. For every target: no FROM,
    an unknown instruction, an instruction before the first FROM other than ARG (left out of
    every stage), a malformed FROM or stage name (the stage is kept, named as written), a bad
    substitution in a FROM line or a global ARG (the word stays as written), a blank base
    name or platform, a base image name that is no valid reference (the stage keeps it), a
    COPY --from index out of range (ignored), a dependency cycle. For one stage's builds
    (`stage` set): a COPY --from or mount from a later stage, a bad substitution inside the
    stage. When a line is only wrong because an ARG has no value (the build may pass it with
    --build-arg), that is a warning instead. `Model.problems_for(target)` gives the errors a
    build of `target` meets. Build-check warnings (duplicate or reserved stage names,
    undeclared ARGs in FROM) are in `Model.warnings`.
    """
    return _Builder(tree, dict(build_args or {})).build()


class _Builder(FromLines):
    # -- the walk ----------------------------------------------------------------------------

    def build(self) -> Model:
        groups = self.split()
        stage_names = [self.from_name(instruction) for instruction, _ in groups]
        names = self.stage_names(groups, stage_names)
        stages: list[Stage] = []
        by_name: dict[str, Stage] = {}
        for index, (from_instruction, body) in enumerate(groups):
            name = stage_names[index]
            stage = self.stage(index, name, from_instruction, body, names, by_name, len(groups))
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
            diagnostics=tuple(self.diagnostics),
            warnings=tuple(self.warnings),
            _by_name=by_name,
        )

    def split(self) -> list[tuple[Instruction, list[Instruction]]]:
        """Global ARGs are applied here; the rest is grouped as (FROM, instructions).

        An unknown instruction, and a COPY or ADD without a destination, is reported and left
        out (BuildKit stops at it). Other instructions before the first FROM belong to no
        stage: the first is reported.
        """
        groups: list[tuple[Instruction, list[Instruction]]] = []
        outside: Instruction | None = None
        for instruction in self.tree.instructions:
            name = instruction.name
            if name not in KNOWN_INSTRUCTIONS:
                keyword = instruction.logical_keyword
                text = refusals.UNKNOWN_INSTRUCTION
                self.refuse(DiagnosticKind.UNKNOWN_INSTRUCTION, text, instruction, keyword=keyword)
            elif name == "FROM":
                groups.append((instruction, []))
            elif groups and name in ("COPY", "ADD") and len(instruction.value) < 2:
                kind, text = DiagnosticKind.COPY_WITHOUT_DESTINATION, refusals.ONE_ARGUMENT
                self.refuse(kind, text, instruction, keyword=name)
            elif groups:
                groups[-1][1].append(instruction)
            elif name == "ARG":
                self.global_arg(instruction)
            elif outside is None:
                outside = instruction
                kind = DiagnosticKind.INSTRUCTION_BEFORE_FROM
                self.refuse(kind, refusals.NO_BUILD_STAGE, instruction)
        if not groups and outside is None and self.tree.instructions:
            first = self.tree.instructions[0]
            if first.name in KNOWN_INSTRUCTIONS:
                kind = DiagnosticKind.INSTRUCTION_BEFORE_FROM
                self.refuse(kind, refusals.NO_STAGES, first)
        return groups

    def stage(
        self,
        index: int,
        name: str | None,
        from_instruction: Instruction,
        body: list[Instruction],
        names: dict[str, int],
        earlier: dict[str, Stage],
        count: int,
    ) -> Stage:
        base, symbolic = self.base_name(from_instruction)
        platform, platform_vars = self.platform(from_instruction)
        # BuildKit looks the expanded base name up as written among the earlier stages' names.
        base_stage = earlier.get(base)
        if base_stage is None and base != "scratch" and not symbolic:
            self.check_reference(base, from_instruction)
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
            kind = instruction.name
            if kind in _STATEFUL:
                state = self.apply(index, instruction, kind, state)
            elif kind in _EXPANDED_ONLY:
                for word in instruction.value:
                    self.expand_in(index, word, state, instruction)
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
        bad_ref = DiagnosticKind.INVALID_STAGE_REFERENCE
        for kind, ref in source_refs(instruction):
            try:
                found = resolve(kind, ref, names, count)
            except IndexError as exc:  # an index out of range: the reference is left out
                self.refuse(bad_ref, refusals.STAGE_INDEX, instruction, index=exc.args[0])
                continue
            if found is None:
                images.append(ref)
                continue
            stages.append(found)
            if found <= index:
                continue
            # Current frontends refuse this; Docker 20.10's copies from the later stage's base
            # image without its instructions (checked on 20.10.24): wrong either way.
            text = refusals.COPY_FROM_LATER if kind == "copy" else refusals.MOUNT_FROM_LATER
            self.refuse(bad_ref, text, instruction, index, source=ref, current=stage_ref)
        return tuple(dict.fromkeys(stages)), tuple(dict.fromkeys(images))

    def check_cycles(self, stages: list[Stage]) -> None:
        cycle = find_cycle(stages)
        if cycle is not None:
            stage, instruction = cycle
            kind = DiagnosticKind.INVALID_STAGE_REFERENCE
            self.refuse(kind, refusals.CIRCULAR, instruction, name=stage.ref)

    # -- state changes -----------------------------------------------------------------------

    def expand_in(self, index: int, word: str, state: State, instruction: Instruction) -> str:
        try:
            return expand(word, state.variables, escape=self.escape)
        except ExpansionError as exc:
            self.expansion_failed(exc, state.args, instruction, index)
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
        for key, default in arg_items(instruction):
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
