"""The engine matrix's cases, without the engine: each is well formed and the model reads it
(the build half runs in test_engine_matrix.py under the `engine` marker)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
