"""HIT or MISS for every step of a build, and the first cause of each miss.

A step hits when the previous build left a result under the same key: its key is among the
previous build's keys (BuildKit looks results up by key, whatever line the step is on). The
cause of a miss is the first thing that differs, in the order BuildKit's key is made: the
parent chain, then the step's own definition (instruction, environment, WORKDIR, USER, mounts,
flags), then the content it reads.

`COPY --from` a stage reads the stage's bytes, not its key. The model cannot run a RUN, so it
says MISS ("its output may differ") when a RUN of the source stage ran again, and HIT when every
step that ran again provably writes the same bytes under the selected paths (a COPY/ADD/WORKDIR
whose own definition and content are unchanged, or one that writes elsewhere). BuildKit may
still hit such a step when the rerun RUN happens to write the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from layerwise.cache import causes
from layerwise.cache.change import Change, FileChange
from layerwise.cache.keys import BuildKeys, KeyedStep, Source
from layerwise.errors import LayerwiseError
from layerwise.model import build_model
from layerwise.model.from_lines import arg_items
from layerwise.model.nodes import Model, Stage, Step
from layerwise.rules.texts import Text
from layerwise.syntax import parse
from layerwise.syntax.messages import DockerfileSyntaxError


@dataclass(frozen=True, slots=True)
class Verdict:
    """One step of the build: hit or miss, and the first cause of a miss."""

    stage: Stage
    step: Step
    cached: bool
    cause: Text | None

    @property
    def line(self) -> int:
        return self.step.instruction.start_line

    @property
    def instruction(self) -> str:
        """The instruction as written: continuation lines and heredoc bodies included."""
        return self.step.instruction.text

    @property
    def stage_label(self) -> str | int:
        """The stage's name, or its index when it has none."""
        return self.stage.name if self.stage.name is not None else self.stage.index

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "stage": self.stage_label,
            "line": self.line,
            "instruction": self.instruction,
            "cached": self.cached,
            "cause": None if self.cause is None else self.cause.render(lang),
        }


@dataclass(frozen=True, slots=True)
class Prediction:
    """The verdict for every step of the stages the target needs, in build order."""

    verdicts: tuple[Verdict, ...]

    def first_misses(self) -> dict[int, Verdict]:
        """Stage index -> its first step that misses."""
        out: dict[int, Verdict] = {}
        for verdict in self.verdicts:
            if not verdict.cached:
                out.setdefault(verdict.stage.index, verdict)
        return out

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {"steps": [v.to_json(lang) for v in self.verdicts]}


class Earlier:
    """The steps of the builds a cache holds besides the previous one (`replay` on a builder
    that keeps its cache). Keys compare across builds only when each build's keys cover the
    same context paths (`Change.same`)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.owns: set[str] = set()
        self.chains: set[str] = set()
        self.by_parent: dict[str, list[KeyedStep]] = {}
        self._builds: set[tuple[str, ...]] = set()

    def add(self, keys: BuildKeys) -> None:
        """Hold a build's steps (a build already held adds nothing)."""
        build = tuple(ks.key for ks in keys.steps)
        if build in self._builds:
            return
        self._builds.add(build)
        self.chains.update(keys.start.values())
        for ks in keys.steps:
            self.keys.add(ks.key)
            self.owns.add(ks.own)
            self.chains.add(ks.chain)
            self.by_parent.setdefault(ks.parent, []).insert(0, ks)  # the newest build first


def predict(
    change: Change,
    target: str | None = None,
    *,
    path: str | None = None,
    is_dir: Callable[[str], bool] | None = None,
    earlier: Earlier | None = None,
) -> Prediction:
    """Which steps of `change.new`'s Dockerfile rebuild after `change.old`'s build.

    `path` names the Dockerfile in errors; `is_dir` tells whether a context path is a folder
    (it sharpens where a COPY writes, for `COPY --from`). A Dockerfile BuildKit refuses is a
    LayerwiseError at its line. With `earlier`, a step also hits when one of its builds had
    its key, and a miss is explained against the build that had its parent (the previous one
    first); the previous build and this one are then added to it.
    """
    new_model = _model(change.new.dockerfile, change.new.build_args, path)
    problems = new_model.problems_for(target)
    if problems:
        raise problems[0]
    stages = new_model.needed_stages(target)
    new = BuildKeys(
        new_model, stages, change.files, "new", change.new.base_token, is_dir, change.same
    )
    old = _old_keys(change, target, path, is_dir)
    prediction = Prediction(tuple(_Explainer(new, old, change.files, earlier).verdicts()))
    if earlier is not None:
        if old is not None:
            earlier.add(old)
        earlier.add(new)
    return prediction


def _model(text: str, build_args: Mapping[str, str], path: str | None) -> Model:
    model = build_model(parse(text, path=path), build_args=build_args)
    if not model.stages:
        raise LayerwiseError("the Dockerfile has no FROM: there is nothing to build", path=path)
    return model


def _old_keys(
    change: Change, target: str | None, path: str | None, is_dir: Callable[[str], bool] | None
) -> BuildKeys | None:
    """The previous build's keys; None when its Dockerfile did not build (nothing cached)."""
    try:
        model = _model(change.old.dockerfile, change.old.build_args, path)
    except (DockerfileSyntaxError, LayerwiseError):
        return None
    if model.problems_for(None):
        return None
    has_target = target is None or model.stage(target) is not None
    stages = model.needed_stages(target) if has_target else model.stages
    return BuildKeys(model, stages, change.files, "old", change.old.base_token, is_dir, change.same)


class _Explainer:
    def __init__(
        self,
        new: BuildKeys,
        old: BuildKeys | None,
        files: Mapping[str, FileChange],
        earlier: Earlier | None = None,
    ) -> None:
        self.new = new
        self.old = old
        self.files = files
        steps = old.steps if old is not None else []
        self.old_keys = {ks.key for ks in steps}
        self.old_owns = {ks.own for ks in steps}
        self.old_chains = {ks.chain for ks in steps} | set(old.start.values() if old else ())
        self.by_parent: dict[str, list[KeyedStep]] = {}
        for ks in steps:
            self.by_parent.setdefault(ks.parent, []).append(ks)
        if earlier is not None:
            # After the previous build's, so a miss is explained against it when it can be.
            self.old_keys |= earlier.keys
            self.old_owns |= earlier.owns
            self.old_chains |= earlier.chains
            for parent, held in earlier.by_parent.items():
                self.by_parent.setdefault(parent, []).extend(held)
        self.first_miss: dict[int, int] = {}

    def verdicts(self) -> list[Verdict]:
        out = []
        for ks in self.new.steps:
            cached = ks.key in self.old_keys
            cause = None if cached else self.cause(ks)
            if not cached:
                self.first_miss.setdefault(ks.stage.index, ks.line)
            out.append(Verdict(ks.stage, ks.step, cached, cause))
        return out

    # -- the parent chain ----------------------------------------------------------------------

    def cause(self, ks: KeyedStep) -> Text:
        if ks.parent not in self.old_chains:
            cause = self.parent_cause(ks)
            if ks.step.instruction.flag("link") is not None and ks.own in self.old_owns:
                return causes.LINK_REUSED(cause=cause)
            return cause
        counterpart = self.counterpart(ks)
        if counterpart is None:
            return causes.NEW_STEP(line=ks.line)
        if counterpart.step.name != ks.step.name:
            return causes.INSTRUCTION_CHANGED(line=ks.line)
        return self.own_cause(ks, counterpart)

    def parent_cause(self, ks: KeyedStep) -> Text:
        earlier = self.new.by_stage[ks.stage.index][: ks.position]
        missed = [other for other in earlier if other.key not in self.old_keys]
        if missed:
            return causes.PARENT_MISSED(line=missed[-1].line)
        base = ks.stage.base_stage
        if base is not None:
            line = self.first_miss.get(base.index)
            while line is None and base.base_stage is not None:
                base = base.base_stage
                line = self.first_miss.get(base.index)
            if line is not None:
                return causes.BASE_STAGE_MISSED(stage=base.ref, line=line)
            base = ks.stage.base_stage
        root = ks.stage.root
        from_line = root.from_instruction.start_line
        old_root = self._old_stage(root.index)
        if old_root is not None and old_root.base == root.base:
            return causes.BASE_IMAGE_CHANGED(image=root.base, line=from_line)
        return causes.FROM_CHANGED(line=from_line)

    def _old_stage(self, index: int) -> Stage | None:
        return None if self.old is None else self.old.model.stage(index)

    def counterpart(self, ks: KeyedStep) -> KeyedStep | None:
        """The previous build's step in the same place: same parent (and kind, and position),
        else the same stage and position."""
        candidates = self.by_parent.get(ks.parent, [])
        if not candidates and self.old is not None:
            candidates = [
                other
                for other in self.old.steps
                if other.stage.index == ks.stage.index and other.position == ks.position
            ]
        if not candidates:
            return None
        same = [c for c in candidates if c.step.name == ks.step.name]
        same.sort(key=lambda c: (c.position != ks.position, abs(c.line - ks.line)))
        return same[0] if same else candidates[0]

    # -- the step's own definition -------------------------------------------------------------

    def own_cause(self, ks: KeyedStep, old: KeyedStep) -> Text:
        before = dict(old.parts)
        after = dict(ks.parts)
        for name in list(after) + [k for k in before if k not in after]:
            if before.get(name) == after.get(name):
                continue
            if name.startswith("env:"):
                return self.variable_cause(ks, name[4:])
            if name == "workdir":
                return causes.WORKDIR_CHANGED(path=after.get(name, "/"))
            if name == "user":
                return causes.USER_CHANGED(user=after.get(name, "root"))
            if name.startswith("mount:"):
                return causes.MOUNT_CHANGED(line=ks.line)
            if name.startswith("flag:"):
                return causes.FLAG_CHANGED(flag=name[5:], line=ks.line)
            return causes.INSTRUCTION_CHANGED(line=ks.line)
        for mine, theirs in zip(ks.sources, old.sources, strict=False):
            if mine.token != theirs.token:
                return self.source_cause(ks, mine, theirs)
        return causes.INSTRUCTION_CHANGED(line=ks.line)

    def variable_cause(self, ks: KeyedStep, name: str) -> Text:
        """ARG NAME (where it is declared) or ENV NAME (where it is set), before the step."""
        found: tuple[str, int] | None = None
        for step in _steps_before(ks):
            instruction = step.instruction
            if instruction.name == "ARG" and any(k == name for k, _ in arg_items(instruction)):
                found = ("ARG", instruction.start_line)
            elif instruction.name == "ENV" and name in instruction.value[::2]:
                found = ("ENV", instruction.start_line)
        if found is None:
            return causes.ENV_CHANGED(name=name, line=ks.stage.root.from_instruction.start_line)
        kind, line = found
        phrase = causes.ARG_CHANGED if kind == "ARG" else causes.ENV_CHANGED
        return phrase(name=name, line=line)

    # -- content ---------------------------------------------------------------------------------

    def source_cause(self, ks: KeyedStep, mine: Source, theirs: Source) -> Text:
        how = (causes.COPIED if mine.how == "copied" else causes.BIND_MOUNTED)()
        if mine.kind == "context":
            after = _entries(mine.token)
            before = _entries(theirs.token)
            paths = sorted(p for p in set(after) | set(before) if after.get(p) != before.get(p))
            path = str(paths[0]) if paths else mine.selected[0]
            change = self.files.get(path)
            kind = change.kind if change is not None else "changed"
            return causes.FILE_PHRASES[kind](path=path, how=how, line=ks.line)
        if mine.kind == "image":
            return causes.IMAGE_CHANGED(image=mine.name, how=how, line=ks.line)
        for index, entry in enumerate(mine.token):
            if index < len(theirs.token) and theirs.token[index] == entry:
                continue
            line = mine.lines[index]
            kind = entry[0] if isinstance(entry, tuple) else ""
            if kind == "base":
                return causes.STAGE_BASE(stage=mine.name, line=line)
            if kind == "run":
                return causes.STAGE_RAN_AGAIN(stage=mine.name, line=line)
            return causes.STAGE_DIFFERS(stage=mine.name, path=mine.selected[0], line=line)
        return causes.STAGE_DIFFERS(stage=mine.name, path=mine.selected[0], line=ks.line)


def _steps_before(ks: KeyedStep) -> list[Step]:
    """The steps of the stage chain (base stages first) up to, not including, `ks.step`."""
    chain: list[Stage] = []
    stage: Stage | None = ks.stage
    while stage is not None:
        chain.insert(0, stage)
        stage = stage.base_stage
    out: list[Step] = []
    for each in chain:
        for step in each.steps:
            if step is ks.step:
                return out
            out.append(step)
    return out


def _entries(token: tuple[object, ...]) -> dict[str, object]:
    """A context source's token as path -> state."""
    return {str(e[0]): e[1] for e in token if isinstance(e, tuple)}
