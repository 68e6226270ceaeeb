"""A bench report as JSON data and as Rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from layerwise.bench.plan import DESCRIPTIONS
from layerwise.bench.results import BenchReport, PlatformResult, RunResult, ScenarioResult

JSON_VERSION = 1


def _platform_json(platform: PlatformResult) -> dict[str, Any]:
    return {
        "platform": platform.platform,
        "cached": platform.cached,
        "total": platform.total,
        "dependency_steps": [
            {"step": step.name, "cached": step.cached} for step in platform.dependency_steps
        ],
        "pushed_layers": platform.pushed_layers,
        "pushed_bytes": platform.pushed_bytes,
    }


def _run_json(run: RunResult) -> dict[str, Any]:
    return {
        "repetition": run.repetition,
        "seconds": round(run.seconds, 3),
        "cached": run.cached,
        "total": run.total,
        "new_layers": run.new_layers,
        "new_layer_bytes": run.new_layer_bytes,
        "image_bytes": run.image_bytes,
        "image_id": run.image_id,
        "pushed_layers": run.pushed_layers,
        "pushed_bytes": run.pushed_bytes,
        "slowest": [{"step": s.name, "seconds": round(s.seconds, 3)} for s in run.slowest],
        "platforms": [_platform_json(platform) for platform in run.platforms],
        "steps": [
            {"step": s.name, "seconds": round(s.seconds, 3), "cached": s.cached} for s in run.steps
        ],
    }


def _scenario_json(result: ScenarioResult) -> dict[str, Any]:
    return {
        "median": {
            "seconds": round(result.seconds, 3),
            "cached": result.cached,
            "total": result.total,
            "new_layers": result.new_layers,
            "new_layer_bytes": result.new_layer_bytes,
            "image_bytes": result.image_bytes,
            "pushed_layers": result.pushed_layers,
            "pushed_bytes": result.pushed_bytes,
        },
        "slowest": [
            {"step": s.name, "seconds": round(s.seconds, 3)} for s in result.representative.slowest
        ],
        "runs": [_run_json(run) for run in result.runs],
    }


def to_json(report: BenchReport) -> dict[str, Any]:
    """The report as plain data (`layerwise bench --json`); medians over `repeat` runs."""
    return {
        "version": JSON_VERSION,
        "context": str(report.context),
        "client": report.client,
        "repeat": report.repeat,
        "scenarios": list(report.scenarios),
        "edits": {
            name: {"path": edit.path, "how": edit.how} for name, edit in report.edits.items()
        },
        "notes": list(report.notes),
        "pipeline": report.pipeline,
        "dockerfiles": [
            {
                "dockerfile": str(result.dockerfile),
                "label": result.label,
                "scenarios": {s.scenario: _scenario_json(s) for s in result.scenarios},
            }
            for result in report.dockerfiles
        ],
    }


def human_bytes(size: int) -> str:
    """Decimal units, as `docker image ls` prints them: 0 B, 912 kB, 10.4 MB, 1.15 GB."""
    if size < 1000:
        return f"{size} B"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            value = size / scale
            return f"{value:.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def render(report: BenchReport) -> RenderableType:
    """The scenarios table (Dockerfiles side by side), the slowest steps, the edits made."""
    median_note = f", median of {report.repeat}" if report.repeat > 1 else ""
    table = Table(title=f"layerwise bench{median_note}", title_justify="left")
    table.add_column("scenario", style="bold")
    pushed = _any_push(report)
    headings = ["time", "cached", "new layers", *(["pushed"] if pushed else []), "image"]
    for result in report.dockerfiles:
        for heading in headings:
            table.add_column(f"{result.label}\n{heading}", justify="right")
    for name in report.scenarios:
        row: list[RenderableType] = [name]
        for result in report.dockerfiles:
            scenario = result.scenario(name)
            if scenario is None:
                row.extend(["-"] * len(headings))
                continue
            times = [run.seconds for run in scenario.runs]
            spread = f" ({min(times):.1f}-{max(times):.1f})" if len(times) > 1 else ""
            row.extend(
                [
                    f"{scenario.seconds:.1f} s{spread}",
                    f"{scenario.cached}/{scenario.total}",
                    _bytes_and_count(scenario.new_layer_bytes, scenario.new_layers),
                    *(
                        [_bytes_and_count(scenario.pushed_bytes, scenario.pushed_layers)]
                        if pushed
                        else []
                    ),
                    "-" if scenario.image_bytes is None else human_bytes(scenario.image_bytes),
                ]
            )
        table.add_row(*row)
    slow = Table(title="slowest steps (run with the median time)", title_justify="left")
    slow.add_column("scenario", style="bold")
    slow.add_column("Dockerfile")
    slow.add_column("step")
    slow.add_column("time", justify="right")
    for name in report.scenarios:
        for result in report.dockerfiles:
            scenario = result.scenario(name)
            for step in scenario.representative.slowest if scenario else ():
                slow.add_row(
                    name, result.label, Text(_step_text(step.name)), f"{step.seconds:.1f} s"
                )
    lines = [Text(f"context {report.context}; client {report.client}")]
    if report.pipeline:
        lines.append(Text(f"build: {report.pipeline}"))
    lines += [Text(f"{name}: {DESCRIPTIONS[name]}") for name in report.scenarios]
    lines += [Text(f"{name} edit: {edit.path}: {edit.how}") for name, edit in report.edits.items()]
    if report.repeat > 1:
        lines.append(Text("time: median (fastest-slowest) of the runs"))
    lines.append(
        Text(
            "new layers: uncompressed bytes (count) of the layers the previous scenario's image "
            "lacks, what a push after it uploads (compressed); cold: all"
            + ("; of the builder's own platform's image" if report.pipeline else "")
        )
    )
    if pushed:
        lines.append(
            Text(
                "pushed: compressed bytes (count) of the layer blobs the push uploaded that the "
                "previous build's push had not, read from the registry, all platforms; "
                "first build: all"
            )
        )
    lines += [Text(f"note: {note}") for note in report.notes]
    platforms = _platform_table(report) if report.pipeline else None
    return Group(table, *([platforms] if platforms else []), slow, *lines)


def _any_push(report: BenchReport) -> bool:
    return any(
        run.pushed_bytes is not None
        for result in report.dockerfiles
        for scenario in result.scenarios
        for run in scenario.runs
    )


def _bytes_and_count(size: int | None, count: int | None) -> str:
    return "-" if size is None else f"{human_bytes(size)} ({count})"


def _platform_table(report: BenchReport) -> Table | None:
    """Per scenario, Dockerfile and target platform: steps cached, pushed bytes, and the
    dependency steps with whether they came back CACHED (from the run with the median time),
    without the `[platform stage i/n]` prefix the platform column already says."""
    table = Table(title="per platform (run with the median time)", title_justify="left")
    for heading in ("scenario", "Dockerfile", "platform"):
        table.add_column(heading, style="bold" if heading == "scenario" else None)
    table.add_column("cached", justify="right")
    table.add_column("pushed", justify="right")
    table.add_column("dependency steps")
    for name in report.scenarios:
        for result in report.dockerfiles:
            scenario = result.scenario(name)
            for platform in scenario.representative.platforms if scenario else ():
                table.add_row(
                    name,
                    result.label,
                    platform.platform,
                    f"{platform.cached}/{platform.total}",
                    _bytes_and_count(platform.pushed_bytes, platform.pushed_layers),
                    Text(
                        "\n".join(
                            f"{'CACHED' if step.cached else 'ran':6}  "
                            + _step_text(step.name.split("] ", 1)[-1])
                            for step in platform.dependency_steps
                        )
                        or "-"
                    ),
                )
    return table if table.row_count else None


def _step_text(name: str) -> str:
    return " ".join(name.split())  # BuildKit keeps continuation spaces
