from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from layerwise.bench.edits import Edit
from layerwise.bench.report import _run_json, human_bytes, render, to_json
from layerwise.bench.results import (
    BenchReport,
    DependencyStep,
    DockerfileResult,
    PlatformResult,
    RunResult,
    ScenarioResult,
    SlowStep,
    StepTime,
)


def _run(scenario: str, rep: int, seconds: float) -> RunResult:
    return RunResult(scenario, rep, seconds, 2, 5, (SlowStep("[2/5] RUN npm ci", 4.25),), 1,
                     10_400_000, 1_150_000_000, f"sha256:{rep}")  # fmt: skip


def _report() -> BenchReport:
    def result(path: str, scale: float) -> DockerfileResult:
        return DockerfileResult(
            Path(path),
            Path(path).name,
            tuple(
                ScenarioResult(name, tuple(_run(name, rep, scale * (rep + 1)) for rep in range(3)))
                for name in ("noop", "src")
            ),
        )

    return BenchReport(
        context=Path("/ctx"),
        client="fake",
        repeat=3,
        scenarios=("noop", "src"),
        edits={"src": Edit("src/main.ts", "appended a `//` comment line")},
        dockerfiles=(result("/ctx/Dockerfile.before", 2.0), result("/ctx/Dockerfile.after", 1.0)),
        notes=("a note",),
    )


def test_json_shape() -> None:
    data = json.loads(json.dumps(to_json(_report())))
    assert set(data) == {
        "version", "context", "client", "repeat", "scenarios", "edits", "notes", "pipeline",
        "dockerfiles",
    }  # fmt: skip
    assert data["pipeline"] is None
    assert data["version"] == 1
    assert data["edits"] == {"src": {"path": "src/main.ts", "how": "appended a `//` comment line"}}
    before, after = data["dockerfiles"]
    assert (before["label"], after["label"]) == ("Dockerfile.before", "Dockerfile.after")
    src = before["scenarios"]["src"]
    assert set(src) == {"median", "slowest", "runs"}
    assert src["median"] == {
        "seconds": 4.0, "cached": 2, "total": 5, "new_layers": 1,
        "new_layer_bytes": 10_400_000, "image_bytes": 1_150_000_000,
        "pushed_layers": None, "pushed_bytes": None,
    }  # fmt: skip
    assert src["slowest"] == [{"step": "[2/5] RUN npm ci", "seconds": 4.25}]
    assert [r["repetition"] for r in src["runs"]] == [0, 1, 2]
    assert after["scenarios"]["src"]["median"]["seconds"] == 2.0


def test_table_shows_both_dockerfiles_side_by_side() -> None:
    console = Console(width=200, record=True)
    console.print(render(_report()))
    text = console.export_text()
    assert "Dockerfile.before" in text and "Dockerfile.after" in text
    assert "median of 3" in text
    src_row = next(line for line in text.splitlines() if line.startswith("│ src"))
    assert "4.0 s" in src_row and "2.0 s" in src_row and "10.4 MB (1)" in src_row
    assert "src edit: src/main.ts: appended a `//` comment line" in text


def _fresh_report() -> BenchReport:
    npm = "[linux/{} build 4/8] RUN --mount=type=cache,target=/root/.npm npm ci"
    apt = "[linux/{} stage-3 2/7] RUN apt-get update &&     apt-get install -y dumb-init"

    def platform(arch: str, pushed: int) -> PlatformResult:
        steps = (DependencyStep(npm.format(arch), True), DependencyStep(apt.format(arch), False))
        return PlatformResult(f"linux/{arch}", 9, 12, steps, 2, pushed)

    def run(rep: int, seconds: float, pushed: int) -> RunResult:
        return RunResult(
            "fresh", rep, seconds, 18, 24, (), 3, 98_000, 973_000_000, f"sha256:{rep}",
            (platform("amd64", pushed), platform("arm64", pushed + 1)), 4, 2 * pushed + 1,
        )  # fmt: skip

    runs = (run(0, 30.0, 50_000), run(1, 20.0, 40_000), run(2, 40.0, 60_000))
    return BenchReport(
        context=Path("/ctx"),
        client="fake",
        repeat=3,
        scenarios=("fresh",),
        edits={"fresh": Edit("src/main.ts", "appended a `//` comment line")},
        dockerfiles=(
            DockerfileResult(
                Path("/ctx/Dockerfile.fixed"), "Dockerfile.fixed", (ScenarioResult("fresh", runs),)
            ),
        ),
        pipeline="linux/amd64,linux/arm64; push to r:5000/b; cache registry mode=max",
    )


def test_fresh_json_has_pushed_bytes_and_platforms() -> None:
    data = json.loads(json.dumps(to_json(_fresh_report())))
    assert data["pipeline"].endswith("cache registry mode=max")
    fresh = data["dockerfiles"][0]["scenarios"]["fresh"]
    assert fresh["median"]["pushed_bytes"] == 100_001
    assert fresh["median"]["pushed_layers"] == 4
    amd64, arm64 = fresh["runs"][0]["platforms"]
    assert arm64 == {
        "platform": "linux/arm64", "cached": 9, "total": 12,
        "dependency_steps": [
            {"step": "[linux/arm64 build 4/8] RUN --mount=type=cache,target=/root/.npm npm ci",
             "cached": True},
            {"step": "[linux/arm64 stage-3 2/7] RUN apt-get update &&     apt-get install -y "
             "dumb-init", "cached": False},
        ],
        "pushed_layers": 2, "pushed_bytes": 50_001,
    }  # fmt: skip
    assert amd64["pushed_bytes"] == 50_000


def test_fresh_table_shows_pushed_bytes_and_each_platforms_dependency_steps() -> None:
    console = Console(width=250, record=True)
    console.print(render(_fresh_report()))
    text = console.export_text()
    fresh_row = next(line for line in text.splitlines() if line.startswith("│ fresh"))
    assert "30.0 s (20.0-40.0)" in fresh_row and "100 kB (4)" in fresh_row
    assert "build: linux/amd64,linux/arm64; push to r:5000/b; cache registry mode=max" in text
    # Per platform, from the median run (30 s: pushed 50 kB on amd64, one byte more on arm64).
    arm64 = next(line for line in text.splitlines() if "linux/arm64 " in line and "9/12" in line)
    assert "50.0 kB (2)" in arm64
    assert "CACHED  RUN --mount=type=cache,target=/root/.npm npm ci" in arm64
    assert "ran     RUN apt-get update && apt-get install -y dumb-init" in text
    assert "pushed: compressed bytes" in text


def test_human_bytes() -> None:
    assert human_bytes(0) == "0 B"
    assert human_bytes(999) == "999 B"
    assert human_bytes(10_400_000) == "10.4 MB"
    assert human_bytes(123_456_789) == "123 MB"
    assert human_bytes(1_150_000_000) == "1.1 GB"
    assert human_bytes(5_000_000_000_000) == "5000 GB"


def test_a_bench_report_carries_every_step() -> None:
    run = RunResult(
        "cold", 0, 3.0, 0, 2, (), None, None, None, "sha256:x",
        steps=(StepTime("[1/2] COPY . .", 0.25, False), StepTime("[2/2] RUN x", 0.0, True)),
    )  # fmt: skip
    assert json.loads(json.dumps(_run_json(run)))["steps"] == [
        {"step": "[1/2] COPY . .", "seconds": 0.25, "cached": False},
        {"step": "[2/2] RUN x", "seconds": 0.0, "cached": True},
    ]
