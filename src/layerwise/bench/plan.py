"""Which builds a bench runs, in which order.

A repetition runs every requested scenario once per Dockerfile, Dockerfiles interleaved so that
drift on the machine (other load, a warmer page cache) hits them alike. Scenarios always run in
the order cold -> noop -> src -> dep -> fresh, whatever order the user typed: each one is defined
relative to the build before it. Without `cold` a repetition starts with an unmeasured `prime`
build so that `noop` really measures a rebuild with nothing changed. `fresh` is always preceded
by an unmeasured `export` build, the CI build before it, which exports the remote cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from layerwise.errors import LayerwiseError

COLD = "cold"
NOOP = "noop"
SRC = "src"
DEP = "dep"
FRESH = "fresh"
PRIME = "prime"  # unmeasured warm-up build, planned only when `cold` is not requested
EXPORT = "export"  # unmeasured build exporting the cache that `fresh` imports

SCENARIOS: tuple[str, ...] = (COLD, NOOP, SRC, DEP, FRESH)
# Scenarios that start from a pruned builder cache.
PRUNED: frozenset[str] = frozenset({COLD, FRESH})
DESCRIPTIONS: dict[str, str] = {
    COLD: "builder cache pruned, then a full build",
    NOOP: "rebuild with nothing changed",
    SRC: "rebuild after a source-only edit",
    DEP: "rebuild after a dependency-manifest edit",
    FRESH: "builder cache pruned (an ephemeral CI agent), source-only edit, build importing "
    "the remote cache the build before it exported (and exporting it again)",
    PRIME: "warm-up build (not measured)",
    EXPORT: "build exporting the remote cache for fresh (not measured)",
}


def parse_scenarios(text: str) -> tuple[str, ...]:
    """`"dep,cold"` -> `("cold", "dep")`: known names, no duplicates, in canonical order."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not names:
        raise LayerwiseError("no scenario given", hint=f"choose from {','.join(SCENARIOS)}")
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        raise LayerwiseError(
            f"unknown scenario `{unknown[0]}`", hint=f"choose from {','.join(SCENARIOS)}"
        )
    return tuple(name for name in SCENARIOS if name in names)


@dataclass(frozen=True, slots=True)
class PlannedBuild:
    """One build of the bench: which repetition, which Dockerfile (index), which scenario."""

    repetition: int  # 0-based
    dockerfile: int  # index into the bench's Dockerfiles
    scenario: str
    measured: bool  # False for `prime` and `export`

    @property
    def prunes_first(self) -> bool:
        """A cold or fresh build starts from an empty builder cache, pruned just before it."""
        return self.scenario in PRUNED


def plan_builds(scenarios: tuple[str, ...], dockerfiles: int, repeat: int) -> list[PlannedBuild]:
    """Every build in order.

    Within a repetition each Dockerfile runs its whole scenario sequence before the next one
    starts, because a scenario is measured against the build just before it on the same
    Dockerfile. Edits accumulate along a sequence (src, then dep on top) and the tree is restored
    after each sequence; the cold and fresh runs of each Dockerfile prune the builder cache right
    before them.
    """
    if repeat < 1:
        raise LayerwiseError(f"--repeat must be at least 1, not {repeat}")
    if dockerfiles < 1:
        raise ValueError("a bench needs at least one Dockerfile")
    local = [name for name in scenarios if name != FRESH]
    sequence = local if COLD in scenarios or not local else [PRIME, *local]
    if FRESH in scenarios:
        sequence += [EXPORT, FRESH]
    return [
        PlannedBuild(repetition, index, scenario, scenario not in {PRIME, EXPORT})
        for repetition in range(repeat)
        for index in range(dockerfiles)
        for scenario in sequence
    ]
