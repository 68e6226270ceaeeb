"""Records of the captured listing matched to the steps of node-nest's Dockerfiles, which the
bench was building when it was taken."""

from __future__ import annotations

from pathlib import Path

from layerwise.buildcache.records import kind
from layerwise.buildcache.steps import StepMatch, exec_command, match_records
from layerwise.engine.cache_usage import CACHE_MOUNT, Usage
from layerwise.model import Model, build_model
from layerwise.syntax import parse, parse_file

from .conftest import NODE_NEST


def _model(path: Path) -> Model:
    return build_model(parse_file(path))


def _by_description(usage: Usage, model: Model) -> dict[str, set[tuple[str, int]]]:
    found = match_records(model, usage.records)
    out: dict[str, set[tuple[str, int]]] = {}
    for record in usage.records:
        for match in found.get(record.id, ()):
            out.setdefault(record.description, set()).add((match.stage, match.line))
    return out


def test_run_results_and_the_cache_mount_of_dockerfile_after(usage: Usage) -> None:
    model = _model(NODE_NEST / "Dockerfile.after")
    found = match_records(model, usage.records)
    (mount,) = [r for r in usage.records if kind(r) == CACHE_MOUNT]
    (match,) = found[mount.id]
    assert (match.stage, match.line, match.mount_id) == ("build", 17, "/root/.npm")
    assert match.instruction.startswith("RUN --mount=type=cache,target=/root/.npm")
    matched = _by_description(usage, model)
    assert matched["mount / from exec /bin/sh -c npm ci"] == {("build", 17)}
    assert matched["mount / from exec /bin/sh -c npm prune --production"] == {("build", 27)}


def test_copy_steps_are_matched_by_stage_and_position(usage: Usage) -> None:
    matched = _by_description(usage, _model(NODE_NEST / "Dockerfile.before"))
    assert matched["[linux/amd64 build 3/6] COPY . ."] == {("build", 10)}
    assert matched["[linux/arm64 stage-1 2/8] WORKDIR /usr/src/app"] == {("stage-1", 20)}
    # the after file's build stage has 8 steps: its `COPY . .` is 5/8, not the 3/6 above
    assert "[linux/amd64 build 5/8] COPY . ." not in matched
    after = _by_description(usage, _model(NODE_NEST / "Dockerfile.after"))
    assert after["[linux/amd64 build 5/8] COPY . ."] == {("build", 20)}
    assert "[linux/amd64 build 3/6] COPY . ." not in after


def test_a_mount_with_another_id_or_target_is_not_this_record(usage: Usage) -> None:
    base = "FROM node:20\nRUN --mount=type=cache,target={target}{extra} npm ci\n"
    for target, extra in (("/root/.npm", ",id=npm"), ("/root/.cache", "")):
        model = build_model(parse(base.format(target=target, extra=extra)))
        found = match_records(model, usage.records)
        assert [m for ms in found.values() for m in ms if m.mount is not None] == []
    model = build_model(parse(base.format(target="/root/.npm", extra=",id=/root/.npm")))
    mounts = [m for ms in match_records(model, usage.records).values() for m in ms if m.mount]
    assert mounts == [StepMatch("stage-0", 2, mounts[0].instruction, mounts[0].mount)]


def test_exec_command_is_what_buildkit_runs() -> None:
    model = build_model(
        parse(
            'FROM alpine\nRUN a \\\n    && b\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\n'
            'RUN c\nRUN ["echo", "d"]\nRUN <<EOF\ne\nEOF\nCOPY x y\n'
        )
    )
    commands = [exec_command(s) for s in model.stages[0].steps]
    assert commands == [
        "/bin/sh -c a     && b",
        None,
        "/bin/bash -eo pipefail -c c",
        "echo d",
        None,
        None,
    ]
