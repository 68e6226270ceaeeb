"""The semantic model's objects: Model, Stage and Step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from layerwise.errors import ErrorText, LayerwiseError
from layerwise.frozen import quick_init
from layerwise.model.arguments import expand_flag, expand_value
from layerwise.model.refusals import DiagnosticKind
from layerwise.model.state import State

if TYPE_CHECKING:
    from layerwise.syntax.nodes import Dockerfile, Instruction


@quick_init
@dataclass(frozen=True, slots=True, eq=False)
class Step:
    """An instruction inside a stage, with the state it runs in (before its own effect)."""

    instruction: Instruction
    stage: int  # index of the stage it belongs to
    state: State
    # For COPY --from / RUN --mount from=: the stage indices this step reads from.
    source_stages: tuple[int, ...] = ()
    # For COPY --from=<image> / RUN --mount from=<image>: the image references.
    source_images: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.instruction.name

    def expanded_value(self) -> tuple[str, ...]:
        """The instruction's arguments after BuildKit's expansion (see model.arguments);
        RUN/CMD/ENTRYPOINT and the others BuildKit does not expand come back as written."""
        state = self.state
        return expand_value(self.name, self.instruction.value, state.variables, state.escape)

    def expanded_flag(self, flag: str) -> str | None:
        """The value of the last `--flag`, expanded where BuildKit expands it; None if absent."""
        found = self.instruction.flag(flag)
        if found is None:
            return None
        state = self.state
        return expand_flag(self.name, flag, found.value, state.variables, state.escape)


@quick_init
@dataclass(frozen=True, slots=True, eq=False)
class Stage:
    """One FROM and the instructions up to the next FROM."""

    index: int
    name: str | None  # lower-cased, as BuildKit stores it
    base: str  # the base image or stage name after expansion with the global ARGs
    base_stage: Stage | None  # when `base` names an earlier stage
    platform: str | None  # the expanded --platform value; `$BUILDPLATFORM` etc. stay symbolic
    from_instruction: Instruction
    steps: tuple[Step, ...]
    depends_on: tuple[int, ...]  # stage indices: FROM <stage>, COPY --from, RUN --mount from=
    external_copies: tuple[str, ...]  # images named by COPY --from / RUN --mount from=
    end_state: State  # the state after the last instruction (what a child stage inherits)
    platform_vars: frozenset[str] = frozenset()  # automatic platform ARGs --platform refers to
    onbuild_triggers: tuple[Instruction, ...] = ()  # ONBUILD instructions of a base stage

    @property
    def ref(self) -> str:
        """How BuildKit names the stage in progress output: its name or `stage-<index>`."""
        return self.name if self.name is not None else f"stage-{self.index}"

    @property
    def is_scratch(self) -> bool:
        return self.base_stage is None and self.base.lower() == "scratch"

    @property
    def effective_platform(self) -> str | None:
        """The platform the stage runs on: its --platform, else its base stage's (BuildKit
        inherits it along FROM <stage>); None means the build's target platform."""
        stage: Stage | None = self
        while stage is not None:
            if stage.platform is not None:
                return stage.platform
            stage = stage.base_stage
        return None

    @property
    def root(self) -> Stage:
        """The first stage of the FROM chain (the one built on an image)."""
        stage = self
        while stage.base_stage is not None:
            stage = stage.base_stage
        return stage

    def to_json(self) -> dict[str, Any]:
        """The `stages` entry of `layerwise parse --json`."""
        return {
            "index": self.index,
            "name": self.name,
            "base": self.base,
            "platform": self.platform,
            "depends_on": list(self.depends_on),
        }


@dataclass(frozen=True, slots=True, eq=False)
class Diagnostic:
    """Something BuildKit refuses to build, kept instead of raised so the rest is still read.

    `stage` is None when BuildKit fails whatever the target, else the stage whose build fails
    (a COPY --from a later stage, a bad substitution inside a stage). `text` is BuildKit's
    error (one of `refusals.REFUSALS[kind]`) and `fields` fill it: a rule says it in any
    language by `text.key`.
    """

    kind: DiagnosticKind
    text: ErrorText
    fields: Mapping[str, object]
    instruction: Instruction
    stage: int | None = None

    @property
    def message(self) -> str:
        """BuildKit's own message, as `docker build` prints it."""
        return self.text.format(self.fields)

    def error(self, path: str | None) -> LayerwiseError:
        """The one-line error BuildKit's message makes, located at the instruction."""
        span = self.instruction.span
        return LayerwiseError(self.message, path=path, line=span.start_line, col=span.start_col)


@dataclass(frozen=True, slots=True, eq=False)
class Model:
    """What a Dockerfile means to BuildKit: stages, their graph, and the state at each step."""

    tree: Dockerfile
    stages: tuple[Stage, ...]
    global_args: dict[str, str | None]  # ARGs before the first FROM, build-arg overrides applied
    build_args: Mapping[str, str]
    steps: tuple[Step, ...]  # every step of every stage, in file order
    # What BuildKit refuses, in file order: for every target or for one stage's builds
    # (see `problems_for`). The model reads past each one the way a linter must.
    diagnostics: tuple[Diagnostic, ...] = ()
    # What BuildKit's build checks warn about (DuplicateStageName, ReservedStageName).
    warnings: tuple[LayerwiseError, ...] = ()
    _by_name: dict[str, Stage] = field(default_factory=dict, repr=False)

    def stage(self, ref: str | int) -> Stage | None:
        """A stage by index or by name (case-insensitive, the last definition wins)."""
        if isinstance(ref, int):
            return self.stages[ref] if 0 <= ref < len(self.stages) else None
        return self._by_name.get(ref.lower())

    @property
    def final_stage(self) -> Stage:
        """The stage built when no --target is given: the last one. A model without stages
        (a file with no FROM) has none: rules that need one are not run on it."""
        return self.stages[-1]

    def target_stage(self, target: str | None = None) -> Stage:
        """The stage `--target` selects; LayerwiseError when there is none by that name."""
        if target is None:
            return self.final_stage
        found = self.stage(target)
        if found is None:
            raise LayerwiseError(f"target stage {target!r} could not be found", path=self.tree.path)
        return found

    def needed_stages(self, target: str | None = None) -> tuple[Stage, ...]:
        """The stages BuildKit builds for `target` (default: the last stage), in build order."""
        seen: set[int] = set()
        todo = [self.target_stage(target).index]
        while todo:
            index = todo.pop()
            if index in seen:
                continue
            seen.add(index)
            todo.extend(self.stages[index].depends_on)
        return tuple(self.stages[i] for i in sorted(seen))

    def problems_for(self, target: str | None = None) -> tuple[LayerwiseError, ...]:
        """The errors BuildKit would raise when building `target`, in file order."""
        needed = {s.index for s in self.needed_stages(target)} if self.stages else set()
        path = self.tree.path
        return tuple(
            d.error(path) for d in self.diagnostics if d.stage is None or d.stage in needed
        )

    def step_for(self, instruction: Instruction) -> Step | None:
        """The step of an instruction of this model's tree (None for global ARGs and FROM)."""
        for step in self.steps:
            if step.instruction is instruction:
                return step
        return None
