from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.bench.results import RunResult, ScenarioResult, SlowStep, median, median_int


def run(rep: int, seconds: float, new_bytes: int = 0, cached: int = 3) -> RunResult:
    return RunResult(
        scenario="src",
        repetition=rep,
        seconds=seconds,
        cached=cached,
        total=5,
        slowest=(SlowStep(f"step of run {rep}", seconds),),
        new_layers=1,
        new_layer_bytes=new_bytes,
        image_bytes=1000,
        image_id=f"sha256:{rep}",
    )


def test_median_of_odd_and_even_counts() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert median_int([10, 11]) == 10  # 10.5 rounds half to even
    assert median_int([7]) == 7
    with pytest.raises(ValueError):
        median([])


def test_scenario_medians_are_per_metric_and_slowest_steps_come_from_the_median_run() -> None:
    result = ScenarioResult("src", (run(0, 9.0, 300, 2), run(1, 3.0, 100, 3), run(2, 5.0, 200, 4)))
    assert result.seconds == 5.0
    assert result.new_layer_bytes == 200
    assert result.cached == 3
    assert result.representative.repetition == 2
    assert result.representative.slowest[0].name == "step of run 2"


@given(st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1, max_size=9))
def test_median_agrees_with_statistics_and_representative_is_a_middle_run(
    times: list[float],
) -> None:
    result = ScenarioResult("noop", tuple(run(i, t) for i, t in enumerate(times)))
    assert result.seconds == pytest.approx(statistics.median(times))
    rep = result.representative.seconds
    assert sum(t < rep for t in times) <= (len(times) - 1) // 2
    assert sum(t > rep for t in times) <= len(times) // 2
