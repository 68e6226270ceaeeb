"""Run a bench: the planned builds, the edits between them, the tree restored at the end."""

from __future__ import annotations

import itertools
import secrets
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from layerwise.bench.backend import Backend
from layerwise.bench.edits import append_marker
from layerwise.bench.plan import COLD, DEP, SRC, PlannedBuild, plan_builds
from layerwise.bench.results import (
    BenchReport,
    DockerfileResult,
    RunResult,
    ScenarioResult,
    SlowStep,
)
from layerwise.bench.targets import EditTargets, choose_targets
from layerwise.bench.tree import TreeGuard
from layerwise.engine import BuildRequest, BuildResult, Layer, new_layers
from layerwise.errors import LayerwiseError

SLOWEST_SHOWN = 3
TAG_REPOSITORY = "layerwise-bench"

# on_build(planned, done, total) is called before each build; notify(message) for notices.
BuildHook = Callable[[PlannedBuild, int, int], None]
Notify = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BenchSettings:
    """Everything `layerwise bench` was asked to do."""

    dockerfiles: tuple[Path, ...]
    context: Path
    scenarios: tuple[str, ...]
    repeat: int = 1
    target: str | None = None
    src_file: str | None = None  # as the user gave it (relative to cwd or to the context)
    dep_command: str | None = None


def _ignore_build(planned: PlannedBuild, done: int, total: int) -> None:
    return None


def _ignore_notice(message: str) -> None:
    return None


def run_bench(
    settings: BenchSettings,
    backend: Backend,
    *,
    on_build: BuildHook = _ignore_build,
    notify: Notify = _ignore_notice,
) -> BenchReport:
    """Run every planned build and measure it; the context's files are restored on any exit.

    Raises LayerwiseError when the tree cannot be edited safely or a build fails (with the
    build's error); KeyboardInterrupt passes through; the tree is restored in every case.
    """
    plan = plan_builds(settings.scenarios, len(settings.dockerfiles), settings.repeat)
    with TreeGuard(settings.context) as guard:
        targets = choose_targets(settings, guard)
        for note in targets.notes:
            notify(note)
        session = _Session(settings, backend, guard, targets, on_build, notify, len(plan))
        try:
            for _, group in itertools.groupby(plan, key=lambda p: (p.repetition, p.dockerfile)):
                session.run_sequence(list(group))
        finally:
            session.remove_images()
    return BenchReport(
        context=settings.context,
        client=backend.describe(),
        repeat=settings.repeat,
        scenarios=settings.scenarios,
        edits=targets.edits_for_report(),
        dockerfiles=tuple(
            DockerfileResult(
                dockerfile=path,
                label=label,
                scenarios=tuple(
                    ScenarioResult(name, tuple(session.runs[(index, name)]))
                    for name in settings.scenarios
                    if (index, name) in session.runs
                ),
            )
            for index, (path, label) in enumerate(
                zip(settings.dockerfiles, labels(settings.dockerfiles), strict=True)
            )
        ),
        notes=targets.notes,
    )


@dataclass
class _Session:
    settings: BenchSettings
    backend: Backend
    guard: TreeGuard
    targets: EditTargets
    on_build: BuildHook
    notify: Notify
    total: int
    done: int = 0
    runs: dict[tuple[int, str], list[RunResult]] = field(default_factory=dict)
    made: list[str] = field(default_factory=list)  # tags of images built, removed at the end

    def run_sequence(self, sequence: list[PlannedBuild]) -> None:
        """One Dockerfile's scenarios of one repetition; the tree is restored after them."""
        previous: list[Layer] | None = None
        try:
            for planned in sequence:
                previous = self._run_one(planned, previous)
                self.done += 1
        finally:
            self.guard.restore()
        if COLD in self.settings.scenarios:  # the next sequence starts cold: free the disk now
            self.remove_images()

    def _run_one(self, planned: PlannedBuild, previous: list[Layer] | None) -> list[Layer]:
        dockerfile = self.settings.dockerfiles[planned.dockerfile]
        if planned.prunes_first:
            self.notify(
                f"pruning the build cache of {self.backend.builder_name()} (cold run; images stay)"
            )
            self.backend.prune()
            previous = None
        self._edit_for(planned.scenario)
        self.on_build(planned, self.done, self.total)
        # A tag of our own: removing it later untags, and deletes only an image nobody else tagged.
        tag = f"{TAG_REPOSITORY}:{secrets.token_hex(6)}-{planned.scenario}"
        self.made.append(tag)
        result = self.backend.build(
            BuildRequest(
                dockerfile=dockerfile,
                context=self.settings.context,
                target=self.settings.target,
                tag=tag,
            )
        )
        image = _check(result, dockerfile, planned)
        layers = self.backend.layers(image)
        if planned.measured:
            fresh = new_layers(layers, previous)
            run = RunResult(
                scenario=planned.scenario,
                repetition=planned.repetition,
                seconds=result.seconds,
                cached=sum(1 for s in result.steps if s.keyword != "FROM" and s.cached),
                total=sum(1 for s in result.steps if s.keyword != "FROM"),
                slowest=_slowest(result),
                new_layers=len(fresh),
                new_layer_bytes=sum(layer.size for layer in fresh),
                image_bytes=self.backend.size(image),
                image_id=image,
            )
            self.runs.setdefault((planned.dockerfile, planned.scenario), []).append(run)
        return layers

    def _edit_for(self, scenario: str) -> None:
        if scenario == SRC and self.targets.src is not None:
            self._append_marker(self.targets.src)
        elif scenario == DEP:
            if self.targets.dep_command is not None:
                _run_command(self.targets.dep_command, self.settings.context)
            elif self.targets.dep is not None:
                self._append_marker(self.targets.dep)

    def _append_marker(self, rel: str) -> None:
        data, _ = append_marker(rel, self.guard.read(rel), secrets.token_hex(4))
        self.guard.write(rel, data)

    def remove_images(self) -> None:
        for tag in dict.fromkeys(self.made):
            self.backend.remove(tag)
        self.made.clear()


def _run_command(command: str, context: Path) -> None:
    proc = subprocess.run(
        command, shell=True, cwd=context, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise LayerwiseError(
            f"--dep-command `{command}` failed (exit {proc.returncode})"
            + (f": {lines[-1]}" if lines else ""),
            path=str(context),
        )


def _check(result: BuildResult, dockerfile: Path, planned: PlannedBuild) -> str:
    if not result.ok or result.image_id is None:
        failed = next((s for s in result.steps if s.error), None)
        where = f" at `{failed.name}`" if failed else ""
        raise LayerwiseError(
            f"the {planned.scenario} build failed{where}: {result.error or 'no image produced'}",
            path=str(dockerfile),
        )
    return result.image_id


def _slowest(result: BuildResult) -> tuple[SlowStep, ...]:
    ran = [s for s in result.steps if not s.cached and s.keyword != "FROM"]
    ran.sort(key=lambda s: s.seconds, reverse=True)
    return tuple(SlowStep(s.name, s.seconds) for s in ran[:SLOWEST_SHOWN])


def labels(dockerfiles: tuple[Path, ...]) -> list[str]:
    """Short names for the table: the file names, or the paths when two names clash."""
    names = [path.name for path in dockerfiles]
    if len(set(names)) == len(names):
        return names
    return [str(path) for path in dockerfiles]
