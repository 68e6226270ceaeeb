"""The engine matrix's cases, hand-written and generated, without the engine: each is well
formed, the model reads it, and the generated ones are many and both hit and miss (the build
half runs in test_engine_matrix.py under the `engine` marker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.cache import Verdict

from . import matrix_gen
from .test_engine_matrix import CASES, Case, _snapshot, apply, prediction_for, prepare


def test_cases_are_many_and_named_once() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_model_reads_the_case(case: Case, tmp_path: Path) -> None:
    root = tmp_path / "ctx"
    prepare(case, root, "token")
    before = _snapshot(root)
    apply(case, root, "token")
    prediction = prediction_for(case, root, before)
    assert prediction.verdicts
    assert all((v.cause is None) == v.cached for v in prediction.verdicts)


def test_the_matrix_has_hits_and_misses(tmp_path: Path) -> None:
    outcomes = set()
    for index, case in enumerate(CASES):
        root = tmp_path / str(index)
        prepare(case, root, "token")
        before = _snapshot(root)
        apply(case, root, "token")
        verdicts = prediction_for(case, root, before).verdicts
        outcomes.add(all(v.cached for v in verdicts))
    assert outcomes == {True, False}


# -- the generated matrix (tests/cache/matrix_gen.py) --------------------------------------------

GENERATED = matrix_gen.generated_cases()
BATCHES = matrix_gen.batches(GENERATED)
# The engine's two stand-ins are one image under two tags (scripts/engine-up).
SAME_DIGEST = dict.fromkeys((matrix_gen.BASE, matrix_gen.OTHER_BASE), "sha256:stand-in")


def test_generated_cases_are_many_and_named_once() -> None:
    assert len(GENERATED) >= 300
    assert len({c.name for c in GENERATED}) == len(GENERATED)
    assert sum(len(b.cases) for b in BATCHES) == len(GENERATED)


def _predicted(batch: matrix_gen.Batch, tmp_path: Path) -> dict[str, list[Verdict]]:
    tmp_path.mkdir(exist_ok=True)
    root = tmp_path / "ctx"
    matrix_gen.prepare(batch, root, "token")
    before = matrix_gen.snapshot(root)
    matrix_gen.apply(batch, root, "token")
    prediction = matrix_gen.prediction_for(batch, root, before, SAME_DIGEST)
    return matrix_gen.by_case(batch, prediction.verdicts)


@pytest.mark.parametrize("batch", BATCHES, ids=[f"batch{b.offset}" for b in BATCHES])
def test_the_model_reads_every_generated_case(batch: matrix_gen.Batch, tmp_path: Path) -> None:
    for name, verdicts in _predicted(batch, tmp_path).items():
        # Every case starts with its token's COPY, which never changes.
        assert len(verdicts) >= 2, name
        assert verdicts[0].instruction.startswith("COPY c") and verdicts[0].cached, name
        assert all((v.cause is None) == v.cached for v in verdicts), name


def test_generated_cases_both_hit_and_miss_widely(tmp_path: Path) -> None:
    """Each family has cases that rebuild nothing and cases that rebuild a step."""
    outcomes: dict[str, set[bool]] = {}
    missed = 0
    for batch in BATCHES:
        for name, verdicts in _predicted(batch, tmp_path / str(batch.offset)).items():
            hit = all(v.cached for v in verdicts)
            missed += not hit
            outcomes.setdefault(name.split("/")[0], set()).add(hit)
    assert all(seen == {True, False} for seen in outcomes.values()), outcomes
    assert len(GENERATED) / 4 < missed < len(GENERATED) * 3 / 4
