from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from layerwise.bench.edits import Edit
from layerwise.bench.report import human_bytes, render, to_json
from layerwise.bench.results import (
    BenchReport,
    DockerfileResult,
    RunResult,
    ScenarioResult,
    SlowStep,
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
        "version", "context", "client", "repeat", "scenarios", "edits", "notes", "dockerfiles"
    }  # fmt: skip
    assert data["version"] == 1
    assert data["edits"] == {"src": {"path": "src/main.ts", "how": "appended a `//` comment line"}}
    before, after = data["dockerfiles"]
    assert (before["label"], after["label"]) == ("Dockerfile.before", "Dockerfile.after")
    src = before["scenarios"]["src"]
    assert set(src) == {"median", "slowest", "runs"}
    assert src["median"] == {
        "seconds": 4.0, "cached": 2, "total": 5, "new_layers": 1,
        "new_layer_bytes": 10_400_000, "image_bytes": 1_150_000_000,
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


def test_human_bytes() -> None:
    assert human_bytes(0) == "0 B"
    assert human_bytes(999) == "999 B"
    assert human_bytes(10_400_000) == "10.4 MB"
    assert human_bytes(123_456_789) == "123 MB"
    assert human_bytes(1_150_000_000) == "1.1 GB"
    assert human_bytes(5_000_000_000_000) == "5000 GB"
