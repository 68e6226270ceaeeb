"""What bench checks of the Dockerfiles before building: --cache-stage names real stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.bench.pipeline import Pipeline
from layerwise.bench.plan import parse_scenarios
from layerwise.bench.runner import BenchSettings
from layerwise.bench.targets import check_cache_stages
from layerwise.errors import LayerwiseError

MULTI = "FROM node:20 AS Deps\nRUN npm ci\nFROM deps AS build\nRUN npm run build\n"


def bench_of(tmp_path: Path, text: str, *stages: str) -> BenchSettings:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(text)
    return BenchSettings(
        dockerfiles=(dockerfile,),
        context=tmp_path,
        scenarios=parse_scenarios("fresh"),
        pipeline=Pipeline(cache="registry", cache_mode="max", cache_stages=stages),
    )


def test_named_stages_pass_whatever_their_case(tmp_path: Path) -> None:
    check_cache_stages(bench_of(tmp_path, MULTI, "deps", "BUILD"))


@pytest.mark.parametrize(
    ("text", "hint"),
    [(MULTI, "its named stages: deps, build"), ("FROM node:20\nRUN true\n", "it names no stage")],
)
def test_an_unknown_stage_is_a_user_error_naming_the_file(
    tmp_path: Path, text: str, hint: str
) -> None:
    with pytest.raises(LayerwiseError) as caught:
        check_cache_stages(bench_of(tmp_path, text, "prod-deps"))
    assert "`prod-deps` is not a stage" in str(caught.value)
    assert caught.value.path == str(tmp_path / "Dockerfile")
    assert caught.value.hint == hint
