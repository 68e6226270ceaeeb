"""Run a bench: the planned builds, the edits between them, the tree restored at the end."""

from __future__ import annotations

import itertools
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from layerwise.bench.backend import Backend
from layerwise.bench.edits import append_marker
from layerwise.bench.pipeline import REGISTRY, Pipeline
from layerwise.bench.plan import COLD, DEP, EXPORT, FRESH, SRC, PlannedBuild, plan_builds
from layerwise.bench.platforms import per_platform
from layerwise.bench.results import (
    BenchReport,
    DockerfileResult,
    RunResult,
    ScenarioResult,
    SlowStep,
    StepTime,
)
from layerwise.bench.targets import EditTargets, choose_targets
from layerwise.bench.tree import TreeGuard
from layerwise.engine import (
    BuildRequest,
    BuildResult,
    Layer,
    PushedLayers,
    new_blobs,
    new_layers,
    total_size,
)
from layerwise.errors import EngineError, LayerwiseError

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
    pipeline: Pipeline = field(default_factory=Pipeline)


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
        pipeline=settings.pipeline.describe() if _pipeline_shown(settings) else None,
    )


def _pipeline_shown(settings: BenchSettings) -> bool:
    return settings.pipeline != Pipeline() or FRESH in settings.scenarios


@dataclass
class _Previous:
    """What the build before, in the same sequence, left: its layers, its push, its tag."""

    layers: list[Layer] | None = None
    pushed: PushedLayers | None = None
    tag: str | None = None
    unreadable: bool = False  # the daemon could not list its layers


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
    pushed: list[str] = field(default_factory=list)  # registry refs written, deleted at the end
    unreadable_noted: bool = False

    def run_sequence(self, sequence: list[PlannedBuild]) -> None:
        """One Dockerfile's scenarios of one repetition; the tree is restored after them.

        The remote cache of a sequence (a registry tag, a local directory) is its own, so
        `fresh` imports only what this sequence's `export` build wrote.
        """
        previous = _Previous()
        token = secrets.token_hex(6)
        cache_dir = Path(tempfile.mkdtemp(prefix="layerwise-bench-cache-"))
        try:
            for planned in sequence:
                previous = self._run_one(planned, previous, token, cache_dir)
                self.done += 1
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)
            self.guard.restore()
            self._forget_pushed()
        if COLD in self.settings.scenarios or FRESH in self.settings.scenarios:
            # The next sequence prunes the builder: its images are of no use, free the disk.
            self.remove_images()

    def _cache_specs(
        self, planned: PlannedBuild, token: str, cache_dir: Path, previous: _Previous
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        pipeline = self.settings.pipeline
        if pipeline.cache is None or planned.scenario not in {EXPORT, FRESH}:
            return (), ()
        ref = f"{pipeline.repository}:cache-{token}"
        cache_to = (pipeline.cache_to(ref, cache_dir),)
        if pipeline.cache == REGISTRY:
            self.pushed.append(ref)
        if planned.scenario == EXPORT:
            return (), cache_to
        stages = (pipeline.stage_ref(ref, cache_dir, stage) for stage in pipeline.cache_stages)
        cache_from = (
            pipeline.cache_from(ref, cache_dir, previous.tag or ""),
            *(pipeline.cache_from(stage_ref, stage_dir, "") for stage_ref, stage_dir in stages),
        )
        return cache_from, cache_to

    def _forget_pushed(self) -> None:
        """Delete the sequence's pushes and registry caches: nothing reads them after it, and a
        bench run after run would fill the registry."""
        if not self.pushed:
            return
        left = self.backend.forget(tuple(dict.fromkeys(self.pushed)))
        self.pushed.clear()
        if left:
            self.notify(f"left in the registry (delete them yourself): {', '.join(left)}")

    def _own_tag(self, name: str) -> str:
        """A local tag of the bench's own, removed with the others at the end."""
        tag = f"{TAG_REPOSITORY}:{name}"
        self.made.append(tag)
        return tag

    def _export_stage_caches(self, planned: PlannedBuild, token: str, cache_dir: Path) -> float:
        """After an exporting build, each --cache-stage stage built as its own target (every
        step is in the builder's cache by then) to export its cache; the seconds it took, which
        a CI build pays too."""
        pipeline = self.settings.pipeline
        if planned.scenario not in {EXPORT, FRESH}:
            return 0.0
        ref = f"{pipeline.repository}:cache-{token}"
        seconds = 0.0
        for stage in pipeline.cache_stages:
            stage_ref, stage_dir = pipeline.stage_ref(ref, cache_dir, stage)
            if pipeline.cache == REGISTRY:
                self.pushed.append(stage_ref)
            result = self.backend.build(
                BuildRequest(
                    dockerfile=self.settings.dockerfiles[planned.dockerfile],
                    context=self.settings.context,
                    target=stage,
                    platform=pipeline.platform_arg,
                    tag=self._own_tag(f"{token}-{stage.lower()}"),
                    cache_to=(pipeline.cache_to(stage_ref, stage_dir),),
                )
            )
            _check(result, self.settings.dockerfiles[planned.dockerfile], planned)
            seconds += result.seconds
        return seconds

    def _run_one(
        self, planned: PlannedBuild, previous: _Previous, token: str, cache_dir: Path
    ) -> _Previous:
        dockerfile = self.settings.dockerfiles[planned.dockerfile]
        pipeline = self.settings.pipeline
        self._edit_for(planned.scenario)
        if planned.prunes_first:
            if planned.scenario == FRESH:
                # An ephemeral agent has none of the images built before either.
                self.remove_images()
            self.notify(
                f"pruning the build cache of {self.backend.builder_name()} "
                f"({planned.scenario} run; base images stay)"
            )
            self.backend.prune()
            if planned.scenario == COLD:
                previous = _Previous()
        self.on_build(planned, self.done, self.total)
        # A tag of our own: removing it later untags, and deletes only an image nobody else tagged.
        repository = pipeline.repository if pipeline.push else TAG_REPOSITORY
        tag = f"{repository}:{token}-{planned.scenario}"
        self.made.append(tag)
        if pipeline.push:
            self.pushed.append(tag)
        cache_from, cache_to = self._cache_specs(planned, token, cache_dir, previous)
        result = self.backend.build(
            BuildRequest(
                dockerfile=dockerfile,
                context=self.settings.context,
                target=self.settings.target,
                platform=pipeline.platform_arg,
                tag=tag,
                cache_from=cache_from,
                cache_to=cache_to,
                push=pipeline.push,
            )
        )
        image = _check(result, dockerfile, planned)
        stage_seconds = self._export_stage_caches(planned, token, cache_dir)
        layers = self._local_layers(image)
        default_platform = (
            pipeline.platforms[0]
            if len(pipeline.platforms) == 1
            else self.backend.default_platform()
        )
        pushed = self.backend.pushed(tag, default_platform) if pipeline.push else None
        if planned.measured:
            fresh = (
                None
                if layers is None or previous.unreadable
                else new_layers(layers, previous.layers)
            )
            uploaded = new_blobs(pushed, previous.pushed) if pushed is not None else None
            pushed_total = total_size(uploaded) if uploaded is not None else (None, None)
            run = RunResult(
                scenario=planned.scenario,
                repetition=planned.repetition,
                seconds=result.seconds + stage_seconds,
                cached=sum(1 for s in result.steps if s.keyword != "FROM" and s.cached),
                total=sum(1 for s in result.steps if s.keyword != "FROM"),
                slowest=_slowest(result),
                new_layers=None if fresh is None else len(fresh),
                new_layer_bytes=None if fresh is None else sum(layer.size for layer in fresh),
                image_bytes=None if layers is None else self.backend.size(image),
                image_id=image,
                platforms=per_platform(result.steps, default_platform, uploaded),
                pushed_layers=pushed_total[0],
                pushed_bytes=pushed_total[1],
                steps=tuple(
                    StepTime(s.name, s.seconds, s.cached)
                    for s in result.steps
                    if s.keyword != "FROM"
                ),
            )
            self.runs.setdefault((planned.dockerfile, planned.scenario), []).append(run)
        return _Previous(layers, pushed, tag, unreadable=layers is None)

    def _local_layers(self, image: str) -> list[Layer] | None:
        """The image's layers as the daemon lists them; None when it cannot and the image is
        not of the daemon's own platform (seen with Docker 26 on the containerd image store:
        `docker history` of an arm64-only image built right after a prune fails with "snapshot
        ... does not exist")."""
        try:
            return self.backend.layers(image)
        except EngineError as exc:
            platforms = self.settings.pipeline.platforms
            if not platforms or self.backend.default_platform() in platforms:
                raise
            if not self.unreadable_noted:
                self.unreadable_noted = True
                self.notify(
                    f"uncompressed layer sizes unavailable for this {','.join(platforms)} "
                    f"image ({exc.message}); they are left out"
                )
            return None

    def _edit_for(self, scenario: str) -> None:
        if scenario in {SRC, FRESH} and self.targets.src is not None:
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
