"""Bake files read as builds: which targets, their merged attributes, and where each value is
written (fixes edit inside its quotes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.ci.bake import read_bake
from layerwise.ci.model import Agent, Build
from layerwise.ci.read import bake_agent, discover, provider_of
from layerwise.errors import LayerwiseError

HCL = """\
variable "REF" {
  default = "registry.example.com/app"
}

group "default" {
  targets = ["release"]
}

group "release" {
  targets = ["api", "worker"]
}

target "base" {
  platforms  = ["linux/amd64", "linux/arm64"]
  cache-from = ["type=registry,ref=registry.example.com/app:cache-main"]
}

target "api" {
  inherits   = ["base"]
  dockerfile = "api.Dockerfile"
  context    = "services"
  cache-to   = ["type=registry,ref=${REF}:cache,mode=max"]
  args = {
    NODE_ENV = "production"
  }
}

target "worker" {
  inherits = ["base"]
  cache-from = ["type=registry,ref=registry.example.com/worker:cache-main"]
  pull = true
}

target "unused" {
  dockerfile = "Dockerfile"
}
"""


def _written(text: str, build: Build, key: str) -> list[str]:
    values = {"cache-from": build.cache_from, "cache-to": build.cache_to}[key]
    return [text[v.span.start : v.span.end] for v in values]


def test_groups_choose_the_targets_nested_groups_included() -> None:
    pipeline = read_bake("docker-bake.hcl", HCL)
    assert [b.job for b in pipeline.builds] == ["api", "worker"]
    assert {b.kind for b in pipeline.builds} == {"docker buildx bake"}


def test_inherited_attributes_come_first_and_the_targets_own_win_or_add() -> None:
    api, worker = read_bake("docker-bake.hcl", HCL).builds
    assert api.platform_list == ("linux/amd64", "linux/arm64")
    # inherited from base: the value is known, but written in base's block, so not edited here
    (imported,) = api.cache_from
    assert imported.text == "type=registry,ref=registry.example.com/app:cache-main"
    assert not imported.editable
    # buildx adds a target's own cache-from to the inherited ones (its Target.Merge); its own
    # is edited where it is written
    inherited, own = worker.cache_from
    assert inherited.text == imported.text and not inherited.editable
    assert own.editable
    assert _written(HCL, worker, "cache-from") == ["", own.text]  # the inherited: no span here
    assert worker.pull is not None and worker.pull.text == "true"
    assert api.dockerfile is not None and api.dockerfile.text == "api.Dockerfile"
    assert [a.text for a in api.build_args] == ["NODE_ENV=production"]


def test_an_interpolated_value_is_neither_static_nor_edited() -> None:
    api = read_bake("docker-bake.hcl", HCL).builds[0]
    (export,) = api.cache_to
    assert export.text == "type=registry,ref=${REF}:cache,mode=max"
    assert not export.static and not export.editable


def test_without_groups_every_target_but_pure_bases_is_built() -> None:
    text = 'target "base" {\n}\ntarget "a" {\n  inherits = ["base"]\n}\ntarget "b" {\n}\n'
    assert [b.job for b in read_bake("docker-bake.hcl", text).builds] == ["a", "b"]


def test_json_values_are_found_where_written() -> None:
    text = (
        '{"target": {"web": {"cache-to": ["type=local,dest=/c"], "no-cache": true,\n'
        '  "platforms": ["linux/arm64"]}}}\n'
    )
    (web,) = read_bake("docker-bake.json", text).builds
    assert _written(text, web, "cache-to") == ["type=local,dest=/c"]
    assert web.no_cache is not None
    assert text[web.no_cache.span.start : web.no_cache.span.end] == "true"
    assert web.platform_list == ("linux/arm64",)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("docker-bake.hcl", 'target "a" {\n  cache-from = [\n'),
        ("docker-bake.json", '{"target": '),
        ("docker-bake.hcl", 'variable "X" {\n  default = "1"\n}\n'),
    ],
)
def test_a_file_bake_cannot_use_is_a_one_line_error(name: str, text: str) -> None:
    with pytest.raises(LayerwiseError) as caught:
        read_bake(name, text)
    assert caught.value.path == name
    assert "\n" not in str(caught.value)


def test_bake_files_are_discovered_and_take_the_agent_of_the_pipeline_that_bakes(
    tmp_path: Path,
) -> None:
    (tmp_path / "docker-bake.hcl").write_text('target "a" {\n}\n')
    assert provider_of(tmp_path / "docker-bake.hcl", "") == "bake"
    assert bake_agent(tmp_path) is Agent.UNKNOWN  # nothing runs bake
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: docker/bake-action@v5\n"
    )
    assert tmp_path / "docker-bake.hcl" in discover([tmp_path])
    assert bake_agent(tmp_path) is Agent.EPHEMERAL


def test_cache_to_and_platforms_are_replaced_and_args_merged_key_by_key() -> None:
    text = (
        'target "base" {\n  cache-to = ["type=registry,ref=a,mode=max"]\n'
        '  platforms = ["linux/amd64", "linux/arm64"]\n  args = { A = "1", B = "2" }\n}\n'
        'target "child" {\n  inherits = ["base"]\n  cache-to = ["type=registry,ref=b"]\n'
        '  platforms = ["linux/amd64"]\n  args = { B = "3" }\n}\n'
    )
    (child,) = read_bake("docker-bake.hcl", text).builds
    assert [v.text for v in child.cache_to] == ["type=registry,ref=b"]
    assert child.platform_list == ("linux/amd64",)
    assert sorted(a.text for a in child.build_args) == ["A=1", "B=3"]
