from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.bench.plan import EXPORT, PRIME, SCENARIOS, parse_scenarios, plan_builds
from layerwise.errors import LayerwiseError


def test_scenarios_come_back_in_canonical_order_without_duplicates() -> None:
    assert parse_scenarios("dep, cold,src,dep") == ("cold", "src", "dep")
    assert parse_scenarios("NOOP") == ("noop",)


@pytest.mark.parametrize("text", ["", " , ", "cold,warm"])
def test_bad_scenario_lists_are_user_errors(text: str) -> None:
    with pytest.raises(LayerwiseError):
        parse_scenarios(text)


def test_compare_runs_each_dockerfile_sequence_whole_and_prunes_before_each_cold() -> None:
    plan = plan_builds(("cold", "noop", "src", "dep"), dockerfiles=2, repeat=2)
    assert [(p.repetition, p.dockerfile, p.scenario) for p in plan[:8]] == [
        (0, 0, "cold"), (0, 0, "noop"), (0, 0, "src"), (0, 0, "dep"),
        (0, 1, "cold"), (0, 1, "noop"), (0, 1, "src"), (0, 1, "dep"),
    ]  # fmt: skip
    assert [p.prunes_first for p in plan] == [p.scenario == "cold" for p in plan]
    assert len(plan) == 16
    assert all(p.measured for p in plan)


def test_without_cold_a_warm_up_build_comes_first_and_is_not_measured() -> None:
    plan = plan_builds(("noop", "src"), dockerfiles=1, repeat=2)
    assert [p.scenario for p in plan] == [PRIME, "noop", "src", PRIME, "noop", "src"]
    assert [p.measured for p in plan] == [False, True, True, False, True, True]
    assert not any(p.prunes_first for p in plan)


def test_fresh_follows_an_unmeasured_export_build_and_prunes_first() -> None:
    plan = plan_builds(parse_scenarios("fresh"), dockerfiles=2, repeat=1)
    assert [(p.dockerfile, p.scenario, p.measured, p.prunes_first) for p in plan] == [
        (0, EXPORT, False, False), (0, "fresh", True, True),
        (1, EXPORT, False, False), (1, "fresh", True, True),
    ]  # fmt: skip
    with_src = plan_builds(parse_scenarios("fresh,src"), dockerfiles=1, repeat=1)
    assert [p.scenario for p in with_src] == [PRIME, "src", EXPORT, "fresh"]


def test_repeat_must_be_positive() -> None:
    with pytest.raises(LayerwiseError):
        plan_builds(("noop",), dockerfiles=1, repeat=0)


@given(
    st.sets(st.sampled_from(SCENARIOS), min_size=1),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=1, max_value=4),
)
def test_every_sequence_runs_the_scenarios_once_in_order(
    chosen: set[str], dockerfiles: int, repeat: int
) -> None:
    scenarios = parse_scenarios(",".join(chosen))
    plan = plan_builds(scenarios, dockerfiles, repeat)
    groups = [
        list(g) for _, g in itertools.groupby(plan, key=lambda p: (p.repetition, p.dockerfile))
    ]
    assert len(groups) == dockerfiles * repeat
    for group in groups:
        measured = [p.scenario for p in group if p.measured]
        assert tuple(measured) == scenarios
        assert group[0].scenario in {"cold", PRIME, EXPORT}
        names = [p.scenario for p in group]
        if "fresh" in names:  # right after the build that exports its cache, and last
            assert names[-2:] == [EXPORT, "fresh"]
        assert [p.prunes_first for p in group] == [n in {"cold", "fresh"} for n in names]
