"""The plain-progress parser over captured BuildKit logs (tests/engine/data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.engine import BuildStep, ProgressParser, parse_progress
from layerwise.engine.progress import target_platform

DATA = Path(__file__).parent / "data"


def steps_of(name: str) -> list[BuildStep]:
    return parse_progress((DATA / name).read_text())


def by_name(steps: list[BuildStep]) -> dict[str, BuildStep]:
    return {s.name: s for s in steps}


def test_first_build_executes_every_instruction() -> None:
    steps = steps_of("bk08-first.log")
    assert [s.name for s in steps] == [
        "[base 1/4] FROM docker.io/library/debian:bookworm",
        "[base 2/4] WORKDIR /app",
        "[base 3/4] COPY a.txt ./",
        "[base 4/4] RUN echo building && sleep 1 && cat a.txt > b.txt",
        "[final 1/2] COPY --from=base /app/b.txt /c.txt",
        "[final 2/2] RUN ls -l /c.txt",
    ]
    run = by_name(steps)["[base 4/4] RUN echo building && sleep 1 && cat a.txt > b.txt"]
    assert (run.vertex, run.stage, run.index, run.total) == (8, "base", 4, 4)
    assert run.instruction == "RUN echo building && sleep 1 && cat a.txt > b.txt"
    assert run.keyword == "RUN"
    assert run.status == "done" and not run.cached and run.seconds == 1.7
    assert run.output == ("building",)
    # Only the base image (already in the daemon) is reported as cached.
    assert [s.keyword for s in steps if s.cached] == ["FROM"]


def test_second_build_is_all_cached() -> None:
    steps = steps_of("bk08-second.log")
    assert len(steps) == 6
    assert all(s.cached and s.seconds == 0.0 for s in steps if s.keyword != "FROM")
    # Steps keep the order BuildKit printed them in (WORKDIR came after the RUN here).
    assert [s.vertex for s in steps] == [4, 7, 8, 5, 9, 10]


def test_failed_step_carries_error_and_time_of_last_output() -> None:
    steps = by_name(steps_of("bk08-error.log"))
    failed = steps["[stage-2 4/4] RUN echo about to fail && ls /missing"]
    assert failed.status == "error" and not failed.cached
    assert failed.error == (
        "executor failed running [/bin/sh -c echo about to fail && ls /missing]: exit code: 2"
    )
    assert failed.seconds == 0.274
    assert failed.stage == "stage-2"
    others = [s for s in steps.values() if s is not failed]
    assert all(s.error is None for s in others)
    assert steps["[one 2/2] RUN echo one-start && sleep 2 && echo one-end > /one"].seconds == 2.6


def test_interleaved_parallel_stages_merge_per_vertex() -> None:
    steps = steps_of("bk08-parallel.log")
    names = [s.name for s in steps]
    assert len(names) == len(set(names)) == 6  # repeated headers add no step
    left = next(s for s in steps if s.stage == "left" and s.keyword == "RUN")
    right = next(s for s in steps if s.stage == "right" and s.keyword == "RUN")
    assert left.output == tuple(f"left {i}" for i in range(1, 9))
    assert right.output == tuple(f"right {i}" for i in range(1, 9))
    assert (left.seconds, right.seconds) == (12.4, 10.9)
    assert left.status == right.status == "done"


def test_newer_buildx_format() -> None:
    parser = ProgressParser()
    parser.feed_all((DATA / "buildx-synth-multiplatform.log").read_text().splitlines())
    steps = by_name(parser.steps)
    assert {s.platform for s in steps.values()} == {"linux/amd64", "linux/arm64"}
    assert all(s.stage == "build" for s in steps.values())
    failed = steps["[linux/arm64 build 4/5] RUN --mount=type=cache,target=/root/.npm npm ci"]
    assert failed.status == "error"
    assert failed.error == 'process "/bin/sh -c npm ci" did not complete successfully: exit code: 1'
    assert failed.seconds == 1.204
    canceled = steps["[linux/amd64 build 4/5] RUN --mount=type=cache,target=/root/.npm npm ci"]
    assert canceled.status == "canceled" and canceled.error is None
    assert canceled.output == (
        "npm warn deprecated inflight@1.0.6: This module is not supported",
        "added 120 packages in 3s",
    )
    assert steps["[linux/amd64 build 5/5] COPY . ."].status == "done"
    assert steps["[linux/amd64 build 5/5] COPY . ."].seconds == 0.0
    assert steps["[linux/amd64 build 2/5] WORKDIR /usr/src/app"].cached
    # Internal vertices are vertices, not steps; the preamble is vertex 0.
    assert parser.vertices[0].number == 0
    assert parser.vertices[0].name.startswith("building with")
    assert len(parser.steps) == 6


def test_a_stage_on_the_build_platform_belongs_to_its_target() -> None:
    steps = by_name(steps_of("buildx013-cross.log"))
    cross = steps['[linux/amd64->arm64 build 2/2] RUN echo "built for arm64" > /out.txt']
    assert (cross.platform, cross.stage, cross.index) == ("linux/arm64", "build", 2)
    native = steps['[linux/amd64 build 2/2] RUN echo "built for amd64" > /out.txt']
    assert native.platform == "linux/amd64"
    per_platform = {
        p: [s for s in steps.values() if s.platform == p] for p in ("linux/amd64", "linux/arm64")
    }
    # The same base for the build stage and amd64's final stage is one vertex, printed once.
    assert len(per_platform["linux/amd64"]) == len(per_platform["linux/arm64"]) == 4
    assert per_platform["linux/arm64"][-1].output == ("built for arm64",)


def test_a_step_from_an_imported_cache_stays_cached_when_its_layers_are_pulled() -> None:
    steps = by_name(steps_of("buildx013-import.log"))
    install = "RUN pip install -r requirements.txt && echo smoke-1 > /deps.txt"
    for arch in ("amd64", "arm64"):
        step = steps[f"[linux/{arch} 4/6] {install}"]
        assert step.cached and step.status == "cached" and step.seconds == 0.0
        assert not steps[f"[linux/{arch} 5/6] COPY app/ ./app/"].cached  # the edited source


def test_a_pulled_step_without_cached_is_still_cached_and_a_run_step_is_not() -> None:
    install = "RUN pip install -r requirements.txt && echo smoke-1 > /deps.txt"
    lazy = by_name(steps_of("buildx013-import-lazy.log"))
    for arch in ("amd64", "arm64"):  # arm64's was printed only as a pull and DONE 0.3s
        step = lazy[f"[linux/{arch} 4/6] {install}"]
        assert step.cached and step.seconds == 0.0
    edited = by_name(steps_of("buildx013-import-dep-edit.log"))
    assert edited["[linux/arm64 2/6] WORKDIR /app"].cached  # pulled, then DONE
    for arch, seconds in (("amd64", 1.8), ("arm64", 4.2)):
        run = edited[f"[linux/{arch} 4/6] {install}"]
        assert not run.cached and run.seconds == seconds and run.output


def test_a_pulled_base_image_is_not_made_a_cached_step() -> None:
    text = (
        "#6 [1/2] FROM docker.io/library/debian\n#6 extracting sha256:ab 0.5s done\n#6 DONE 0.6s\n"
    )
    (step,) = parse_progress(text)
    assert step.status == "done" and step.seconds == 0.6


@pytest.mark.parametrize(
    ("shown", "target"),
    [
        ("linux/arm64", "linux/arm64"),
        ("linux/amd64->arm64", "linux/arm64"),
        ("linux/amd64->arm/v7", "linux/arm/v7"),
        ("linux/amd64->windows/amd64", "windows/amd64"),
    ],
)
def test_target_platform(shown: str, target: str) -> None:
    assert target_platform(shown) == target


def test_one_stage_build_has_no_stage_name() -> None:
    text = "#5 [2/2] RUN echo 1\n#5 0.084 1\n#5 DONE 0.2s\n"
    (step,) = parse_progress(text)
    assert (step.stage, step.platform, step.index, step.total) == (None, None, 2, 2)
    assert step.seconds == 0.2 and step.output == ("1",)


def test_program_output_that_looks_like_status_is_output() -> None:
    # A RUN printing "DONE 9.9s" or "#3 CACHED" shows up behind the vertex and a timestamp.
    text = "#3 [1/2] RUN x\n#3 0.100 DONE 9.9s\n#3 0.200 #3 CACHED\n#3 DONE 0.3s\n"
    (step,) = parse_progress(text)
    assert step.seconds == 0.3 and not step.cached
    assert step.output == ("DONE 9.9s", "#3 CACHED")


def test_unfinished_build_leaves_steps_running() -> None:
    text = "#7 [base 3/4] RUN sleep 100\n#7 0.500 still going\n"
    (step,) = parse_progress(text)
    assert step.status == "running" and step.error is None and not step.cached


@given(st.sampled_from(sorted(p.name for p in DATA.glob("*.log"))), st.data())
def test_feeding_in_chunks_equals_parsing_whole(name: str, data: st.DataObject) -> None:
    """Streaming a build line by line gives the same steps as parsing the finished log,
    whatever the line endings and wherever the stream is read from (steps so far)."""
    lines = (DATA / name).read_text().splitlines()
    crlf = data.draw(st.booleans())
    cut = data.draw(st.integers(min_value=0, max_value=len(lines)))
    parser = ProgressParser()
    for line in lines[:cut]:
        parser.feed(line + ("\r\n" if crlf else "\n"))
    assert parser.steps == parse_progress("\n".join(lines[:cut]))
    parser.feed_all(lines[cut:])
    assert parser.steps == parse_progress("\n".join(lines))
