"""What a bench measured: one build, a scenario's repetitions, one Dockerfile, the whole bench."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from layerwise.bench.edits import Edit


@dataclass(frozen=True, slots=True)
class SlowStep:
    """A step that ran (not cached), with its time."""

    name: str  # as BuildKit printed it: "[build 3/6] RUN npm ci"
    seconds: float


@dataclass(frozen=True, slots=True)
class StepTime:
    """A step of a build as BuildKit printed it: cached or how long it ran (`replay` reads
    these from the bench JSON as step costs)."""

    name: str
    seconds: float
    cached: bool


@dataclass(frozen=True, slots=True)
class DependencyStep:
    """A step that installs packages, and whether BuildKit answered it from the cache."""

    name: str
    cached: bool


@dataclass(frozen=True, slots=True)
class PlatformResult:
    """One target platform's share of a build (one entry for a one-platform build)."""

    platform: str
    cached: int
    total: int
    dependency_steps: tuple[DependencyStep, ...]
    # Layer blobs this platform's image pushed that the previous push lacked (compressed);
    # None without --push.
    pushed_layers: int | None = None
    pushed_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class RunResult:
    """One measured build."""

    scenario: str
    repetition: int
    seconds: float  # wall time of the client
    cached: int  # steps BuildKit reported CACHED (FROM excluded: it is not a cached step)
    total: int
    slowest: tuple[SlowStep, ...]
    # Layers the previous scenario's image lacks (cold: all of them), and the image's size, as
    # the daemon reports them (uncompressed); None when it could not read the image (an image
    # of another platform only, after a prune).
    new_layers: int | None
    new_layer_bytes: int | None
    image_bytes: int | None
    image_id: str
    platforms: tuple[PlatformResult, ...] = ()
    # Distinct layer blobs over all platforms that the push uploaded (compressed, read from the
    # registry); None without --push.
    pushed_layers: int | None = None
    pushed_bytes: int | None = None
    steps: tuple[StepTime, ...] = ()  # every step but FROM, in the order BuildKit printed them


def median(values: list[float]) -> float:
    """The median (mean of the middle two for an even count)."""
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def median_int(values: list[int]) -> int:
    """The median of counts or byte sizes, rounded half to even to stay an integer."""
    return round(median([float(v) for v in values]))


def _median_or_none(values: list[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return median_int(known) if known else None


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """A scenario's repetitions on one Dockerfile, summarised by medians."""

    scenario: str
    runs: tuple[RunResult, ...]

    @property
    def seconds(self) -> float:
        return median([run.seconds for run in self.runs])

    @property
    def cached(self) -> int:
        return median_int([run.cached for run in self.runs])

    @property
    def total(self) -> int:
        return median_int([run.total for run in self.runs])

    @property
    def new_layers(self) -> int | None:
        return _median_or_none([run.new_layers for run in self.runs])

    @property
    def new_layer_bytes(self) -> int | None:
        return _median_or_none([run.new_layer_bytes for run in self.runs])

    @property
    def image_bytes(self) -> int | None:
        return _median_or_none([run.image_bytes for run in self.runs])

    @property
    def pushed_layers(self) -> int | None:
        return _median_or_none([run.pushed_layers for run in self.runs])

    @property
    def pushed_bytes(self) -> int | None:
        return _median_or_none([run.pushed_bytes for run in self.runs])

    @property
    def representative(self) -> RunResult:
        """The run whose wall time is the (lower) median: its slowest steps are shown."""
        ordered = sorted(self.runs, key=lambda run: (run.seconds, run.repetition))
        return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True, slots=True)
class DockerfileResult:
    """Every scenario of one Dockerfile."""

    dockerfile: Path
    label: str
    scenarios: tuple[ScenarioResult, ...]

    def scenario(self, name: str) -> ScenarioResult | None:
        return next((s for s in self.scenarios if s.scenario == name), None)


@dataclass(frozen=True, slots=True)
class BenchReport:
    """The whole bench, ready for the table or JSON."""

    context: Path
    client: str
    repeat: int
    scenarios: tuple[str, ...]
    edits: dict[str, Edit]  # scenario -> what was edited for it
    dockerfiles: tuple[DockerfileResult, ...]
    notes: tuple[str, ...] = ()
    pipeline: str | None = None  # platforms, push and cache, when the bench set any
