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
class RunResult:
    """One measured build."""

    scenario: str
    repetition: int
    seconds: float  # wall time of the client
    cached: int  # steps BuildKit reported CACHED (FROM excluded: it is not a cached step)
    total: int
    slowest: tuple[SlowStep, ...]
    new_layers: int  # layers the previous scenario's image lacks (cold: all of them)
    new_layer_bytes: int
    image_bytes: int
    image_id: str


def median(values: list[float]) -> float:
    """The median (mean of the middle two for an even count)."""
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def median_int(values: list[int]) -> int:
    """The median of counts or byte sizes, rounded half to even to stay an integer."""
    return round(median([float(v) for v in values]))


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
    def new_layers(self) -> int:
        return median_int([run.new_layers for run in self.runs])

    @property
    def new_layer_bytes(self) -> int:
        return median_int([run.new_layer_bytes for run in self.runs])

    @property
    def image_bytes(self) -> int:
        return median_int([run.image_bytes for run in self.runs])

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
