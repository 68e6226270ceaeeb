"""`layerwise replay [DOCKERFILE] --commits N`: the last N commits of the repository, each
predicted against the earlier builds the cache holds (`--cache-holds all`, the default: every
earlier replayed build; `parent`: its parent's only): which steps rebuild, how often each step
rebuilt, and, with step costs (`--bench-json FILE` or `--bench`), the estimated build seconds
per commit.
`--compare FILE` or `--fixed` replays another Dockerfile over the same commits, side by side.
Exit 0 with tables (or JSON); 2 on a user error.
"""

from __future__ import annotations

import json
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from layerwise.cache.replay import (
    CommitReplay,
    Costs,
    History,
    TextOf,
    Variant,
    bench_costs,
    commit_cost,
    frequencies,
    replay,
    tracked_or_disk,
)
from layerwise.cli.app import EXIT_OK
from layerwise.cli.lang import LangOption, chosen_lang
from layerwise.errors import LayerwiseError
from layerwise.rules.texts import Phrase

if TYPE_CHECKING:
    from layerwise.cache.replay_plot import Chart

NO_BYTES = Phrase(
    "uploaded bytes: not estimated, the step costs have no per-step layer bytes",
    "업로드 바이트: 단계별 레이어 크기가 없어 추정하지 않음",
)
NO_COSTS = Phrase(
    "no step costs (--bench-json FILE or --bench): steps rebuilt are counted, not timed",
    "단계 비용 없음(--bench-json FILE 또는 --bench): 다시 빌드한 단계 수만 셉니다",
)
UNKNOWN = Phrase(
    "{label}: {count} rebuilt step(s) had no measured cost and count as 0 s",
    "{label}: 다시 빌드한 단계 {count}개는 측정된 비용이 없어 0초로 셉니다",
)
TOTAL = Phrase(
    "{label}: {missed} of {steps} steps rebuilt over {commits} commits{seconds}",
    "{label}: 커밋 {commits}개에서 단계 {steps}개 중 {missed}개 다시 빌드{seconds}",
)
SOURCE = Phrase("step costs: {source}", "단계 비용: {source}")
HOLDS = {
    "all": Phrase(
        "each commit built with every earlier replayed build in the cache (--cache-holds all)",
        "각 커밋은 앞서 재생한 모든 빌드가 캐시에 있는 상태로 빌드합니다(--cache-holds all)",
    ),
    "parent": Phrase(
        "each commit built with only its parent's build in the cache (--cache-holds parent)",
        "각 커밋은 부모 커밋의 빌드만 캐시에 있는 상태로 빌드합니다(--cache-holds parent)",
    ),
}
HEADERS = {
    "per_commit": Phrase("per commit", "커밋별"),
    "commit": Phrase("commit", "커밋"),
    "rebuilt": Phrase("rebuilt", "다시 빌드"),
    "time": Phrase("time", "시간"),
    "subject": Phrase("subject", "제목"),
    "how_often": Phrase("{label}: how often each step rebuilt", "{label}: 단계별 다시 빌드 횟수"),
    "stage": Phrase("stage", "스테이지"),
    "line": Phrase("line", "줄"),
    "instruction": Phrase("instruction", "명령"),
    "cost": Phrase("cost", "비용"),
}
_WIDTH = 48
_BAR = 12


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class CacheHolds(StrEnum):
    ALL = "all"
    PARENT = "parent"


def _pairs(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, rest = value.partition("=")
        if not sep or not key:
            raise LayerwiseError(f"`{value}` in --build-arg is not KEY=VALUE")
        out[key] = rest
    return out


def replay_cmd(
    dockerfile: Annotated[
        Path, typer.Argument(help="The Dockerfile (default: ./Dockerfile).")
    ] = Path("Dockerfile"),
    commits: Annotated[
        int, typer.Option("--commits", min=1, help="How many of the last commits to replay.")
    ] = 20,
    target: Annotated[str | None, typer.Option("--target", help="Stage to build.")] = None,
    context: Annotated[
        Path | None,
        typer.Option("--context", help="Build context directory (default: the Dockerfile's)."),
    ] = None,
    build_arg: Annotated[
        list[str] | None,
        typer.Option("--build-arg", help="K=V passed to every build (repeatable)."),
    ] = None,
    cache_holds: Annotated[
        CacheHolds,
        typer.Option(
            "--cache-holds",
            help="Which earlier builds the cache holds when a commit is built: all (a builder "
            "that keeps its cache: a step hits when any earlier replayed build had its key) "
            "or parent (an agent that imports only the previous build's cache).",
        ),
    ] = CacheHolds.ALL,
    bench_json: Annotated[
        Path | None,
        typer.Option("--bench-json", help="Step costs from `layerwise bench --json` output."),
    ] = None,
    bench: Annotated[
        bool,
        typer.Option(
            "--bench",
            help="Measure step costs: one cold build per Dockerfile on the engine (the "
            "builder's cache is pruned first, as `bench --scenarios cold` does).",
        ),
    ] = False,
    compare: Annotated[
        Path | None,
        typer.Option("--compare", help="Replay this Dockerfile too, side by side."),
    ] = None,
    fixed: Annotated[
        bool,
        typer.Option("--fixed", help="Replay what `check --fix` makes of each commit's file."),
    ] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="With --fixed: apply unsafe fixes too.")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write the per-commit chart to FILE.svg or FILE.png."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="text (tables) or json.")
    ] = OutputFormat.TEXT,
    lang: LangOption = None,
) -> None:
    """Replay the last commits: which steps each one rebuilds, and what that costs."""
    if not dockerfile.is_file():
        raise LayerwiseError("Dockerfile not found", path=str(dockerfile))
    if compare is not None and fixed:
        raise LayerwiseError("--compare and --fixed each add a Dockerfile: choose one")
    if bench and bench_json is not None:
        raise LayerwiseError("--bench measures the costs that --bench-json reads: choose one")
    if compare is not None and not compare.is_file():
        raise LayerwiseError("Dockerfile not found", path=str(compare))
    if plot is not None and plot.suffix.lower() not in (".svg", ".png"):
        raise LayerwiseError("--plot writes a .svg or a .png file", path=str(plot))
    root = context if context is not None else dockerfile.parent
    history = History(dockerfile, root)
    variants = [Variant(dockerfile.name)]
    if compare is not None:
        variants.append(Variant(compare.name, tracked_or_disk(history, compare)))
    if fixed:
        variants.append(
            Variant(f"{dockerfile.name} (fixed)", _fixer(dockerfile, root, target, unsafe_fixes))
        )
    replays = replay(
        history,
        commits,
        target=target,
        variants=tuple(variants),
        build_args=_pairs(build_arg),
        cache_holds=cache_holds.value,
    )
    costs = _costs(bench_json, bench, dockerfile, root, target, variants, replays)
    chosen = chosen_lang(lang)
    if plot is not None:
        from layerwise.cache.replay_plot import write_plot

        write_plot(_chart(replays, variants, costs), plot)
    if output_format is OutputFormat.JSON:
        data = to_json(replays, variants, costs, lang=chosen, cache_holds=cache_holds.value)
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        _print(replays, variants, costs, chosen, cache_holds.value)
    raise typer.Exit(EXIT_OK)


def _fixer(dockerfile: Path, root: Path, target: str | None, unsafe: bool) -> TextOf:
    """Each commit's Dockerfile as `check --fix` leaves it: the settings the project's
    configuration gives the file today, fixes judged against the context on disk."""
    from layerwise.config import Overrides, Resolver
    from layerwise.context import BuildContext
    from layerwise.fix import fix_text

    settings = Resolver(Overrides(context=root, target=target)).for_file(dockerfile).settings
    context = BuildContext.open(root, dockerfile)
    done: dict[str, str] = {}

    def text_of(_: str, text: str) -> str:
        if text not in done:
            result = fix_text(
                text, path=str(dockerfile), context=context, settings=settings, unsafe=unsafe
            )
            done[text] = result.text
        return done[text]

    return text_of


def _costs(
    bench_json: Path | None,
    bench: bool,
    dockerfile: Path,
    root: Path,
    target: str | None,
    variants: list[Variant],
    replays: list[CommitReplay],
) -> list[Costs | None]:
    """Costs per variant: its own bench entry, else the replayed Dockerfile's (steps are
    matched by stage and instruction, so shared steps take the measured cost)."""
    if bench_json is None and not bench:
        return [None] * len(variants)
    newest = list(replays[-1].texts)
    names = [_bench_name(dockerfile, variant) for variant in variants]
    if bench_json is not None:
        try:
            data = json.loads(bench_json.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LayerwiseError(
                f"cannot read the bench JSON: {exc}", path=str(bench_json)
            ) from None
        source = str(bench_json)
    else:
        data = _run_bench(dockerfile, root, target, names, newest)
        source = "one cold build (--bench)"
    # A variant takes a bench entry of its own name only: the steps of one file are matched
    # by place, which says nothing about another file's steps.
    found = [
        bench_costs(data, text, name=name, target=target, source=source, only_named=n > 0)
        for n, (text, name) in enumerate(zip(newest, names, strict=True))
    ]
    if found[0] is None:
        raise LayerwiseError(f"{source} has no build of {dockerfile.name}")
    return [own or found[0] for own in found]


def _bench_name(dockerfile: Path, variant: Variant) -> str:
    """The file name a variant has in a bench report: `--fixed` is benched as
    `<name>.fixed`, so a bench JSON may carry its own measurement."""
    if variant.label.endswith(" (fixed)"):
        return f"{dockerfile.name}.fixed"
    return variant.label


def _run_bench(
    dockerfile: Path, root: Path, target: str | None, names: list[str], texts: list[str]
) -> Any:
    """One cold build of each variant on the engine, as `layerwise bench --scenarios cold`
    runs it, and its report as the bench JSON."""
    from layerwise.bench.backend import EngineBackend
    from layerwise.bench.plan import COLD
    from layerwise.bench.report import to_json as bench_json
    from layerwise.bench.runner import BenchSettings, run_bench
    from layerwise.engine import find_client

    with tempfile.TemporaryDirectory(prefix="layerwise-replay-") as scratch:
        # The files as of the newest commit, which the costs are matched to; the Dockerfile
        # itself in place when the work tree has it so (its own .dockerignore next to it).
        paths = []
        for index, (name, text) in enumerate(zip(names, texts, strict=True)):
            if index == 0 and dockerfile.read_text(encoding="utf-8") == text:
                paths.append(dockerfile.resolve())
                continue
            path = Path(scratch) / name
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        settings = BenchSettings(
            dockerfiles=tuple(paths), context=root.resolve(), scenarios=(COLD,), target=target
        )
        # Its notices say when it prunes the builder's cache, which a cold build starts with.
        report = run_bench(
            settings, EngineBackend(find_client()), notify=lambda m: typer.echo(m, err=True)
        )
        return bench_json(report)


def _values(
    replays: list[CommitReplay], variants: list[Variant], costs: list[Costs | None]
) -> tuple[str, list[list[float]]]:
    """Per commit and variant: estimated seconds, or steps rebuilt without costs."""
    timed = costs[0] is not None
    rows = []
    for replayed in replays:
        row = []
        for index, prediction in enumerate(replayed.predictions):
            cost = commit_cost(prediction, costs[index])
            row.append((cost.seconds or 0.0) if timed else float(cost.missed))
        rows.append(row)
    return ("s" if timed else "steps"), rows


def _chart(
    replays: list[CommitReplay], variants: list[Variant], costs: list[Costs | None]
) -> Chart:
    from layerwise.cache.replay_plot import Chart

    unit, rows = _values(replays, variants, costs)
    what = "estimated build seconds" if unit == "s" else "steps rebuilt"
    return Chart(
        title=f"layerwise replay: {what} per commit",
        unit=unit,
        commits=tuple(r.commit[:7] for r in replays),
        variants=tuple(v.label for v in variants),
        values=tuple(tuple(row) for row in rows),
    )


def to_json(
    replays: list[CommitReplay],
    variants: list[Variant],
    costs: list[Costs | None],
    *,
    lang: str = "en",
    cache_holds: str = "all",
) -> dict[str, Any]:
    """The replay as plain data: per commit and variant the steps rebuilt (with their first
    cause) and the estimated cost; per variant each step's rebuild count and the totals;
    which earlier builds the cache held."""
    commits = []
    totals: list[dict[str, Any]] = [
        {"rebuilt_steps": 0, "steps": 0, "seconds": None, "bytes": None, "unknown_costs": 0}
        for _ in variants
    ]
    for replayed in replays:
        shown = []
        for index, prediction in enumerate(replayed.predictions):
            cost = commit_cost(prediction, costs[index])
            total = totals[index]
            total["rebuilt_steps"] += cost.missed
            total["steps"] += cost.total
            total["unknown_costs"] += cost.unknown
            if cost.seconds is not None:
                total["seconds"] = round((total["seconds"] or 0.0) + cost.seconds, 3)
            if cost.bytes is not None:
                total["bytes"] = (total["bytes"] or 0) + cost.bytes
            shown.append(
                {
                    "dockerfile": variants[index].label,
                    "rebuilt": cost.missed,
                    "steps": cost.total,
                    "seconds": None if cost.seconds is None else round(cost.seconds, 3),
                    "bytes": cost.bytes,
                    "rebuilt_steps": [
                        {k: v for k, v in verdict.to_json(lang).items() if k != "cached"}
                        for verdict in prediction.verdicts
                        if not verdict.cached
                    ],
                }
            )
        commits.append(
            {"commit": replayed.commit, "subject": replayed.subject, "dockerfiles": shown}
        )
    return {
        "cache_holds": cache_holds,
        "commits": commits,
        "dockerfiles": [
            {
                "dockerfile": variant.label,
                "totals": totals[index],
                "steps": [
                    {
                        "stage": f.stage,
                        "line": f.line,
                        "instruction": f.instruction,
                        "rebuilt": f.rebuilt,
                        "commits": f.commits,
                        "seconds": f.seconds,
                    }
                    for f in frequencies(replays, index, costs[index])
                ],
            }
            for index, variant in enumerate(variants)
        ],
        "costs": {
            "source": None if costs[0] is None else costs[0].source,
            "bytes": costs[0] is not None and costs[0].has_bytes,
        },
    }


def _print(
    replays: list[CommitReplay],
    variants: list[Variant],
    costs: list[Costs | None],
    lang: str,
    cache_holds: str = "all",
) -> None:
    # Rich only for the tables: JSON output skips its import time.
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=False)
    unit, rows = _values(replays, variants, costs)
    top = max((v for row in rows for v in row), default=0.0) or 1.0

    def head(key: str) -> str:
        return HEADERS[key].template(lang)

    table = Table(show_edge=False, pad_edge=False, title=head("per_commit"), title_justify="left")
    table.add_column(head("commit"), no_wrap=True, min_width=7)
    for variant in variants:
        label = escape(variant.label)
        rebuilt = head("rebuilt")
        table.add_column(f"{label}\n{rebuilt}", justify="right", no_wrap=True, min_width=7)
        if unit == "s":
            table.add_column(head("time"), justify="right", no_wrap=True, min_width=7)
        table.add_column("", no_wrap=True, min_width=_BAR + 1)
    # Last, so a narrow terminal cuts the subject, not the numbers.
    table.add_column(head("subject"), no_wrap=True, overflow="ellipsis", min_width=10)
    for replayed, row in zip(replays, rows, strict=True):
        cells = [replayed.commit[:7]]
        for index, prediction in enumerate(replayed.predictions):
            cost = commit_cost(prediction, costs[index])
            cells.append(f"{cost.missed}/{cost.total}")
            if unit == "s":
                cells.append(f"{row[index]:.1f} s")
            colour = ("red", "blue", "green", "magenta")[index % 4]
            cells.append(f"[{colour}]{_bar(row[index], top)}[/{colour}]")
        cells.append(escape(replayed.subject))
        table.add_row(*cells)
    console.print(table)
    for index, variant in enumerate(variants):
        steps = Table(
            show_edge=False,
            pad_edge=False,
            title=escape(HEADERS["how_often"](label=variant.label).render(lang)),
            title_justify="left",
        )
        for key in ("stage", "line", "instruction", "rebuilt"):
            steps.add_column(head(key), justify="right" if key in ("line", "rebuilt") else "left")
        if costs[index] is not None:
            steps.add_column(head("cost"), justify="right")
        for f in frequencies(replays, index, costs[index]):
            cells = [
                escape(str(f.stage)),
                str(f.line),
                escape(_short(" ".join(f.instruction.replace("\\\n", " ").split()))),
                f"{f.rebuilt}/{f.commits}",
            ]
            if costs[index] is not None:
                cells.append("-" if f.seconds is None else f"{f.seconds:.1f} s")
            steps.add_row(*cells)
        console.print(steps)
    data = to_json(replays, variants, costs)
    for entry in data["dockerfiles"]:
        total = entry["totals"]
        seconds = "" if total["seconds"] is None else f", {total['seconds']:.1f} s estimated"
        line = TOTAL(
            label=entry["dockerfile"],
            missed=total["rebuilt_steps"],
            steps=total["steps"],
            commits=len(replays),
            seconds=seconds,
        ).render(lang)
        console.print(escape(line))
        if total["unknown_costs"]:
            unknown = UNKNOWN(label=entry["dockerfile"], count=total["unknown_costs"])
            console.print(escape(unknown.render(lang)))
    console.print(HOLDS[cache_holds].template(lang))
    if costs[0] is None:
        console.print(NO_COSTS.template(lang))
    else:
        console.print(escape(SOURCE(source=costs[0].source).render(lang)))
        if not costs[0].has_bytes:
            console.print(NO_BYTES.template(lang))


def _bar(value: float, top: float) -> str:
    """A bar of up to _BAR cells in eighths."""
    eighths = round(value / top * _BAR * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[rest]


def _short(text: str) -> str:
    return text if len(text) <= _WIDTH else text[: _WIDTH - 3] + "..."


def register(app: typer.Typer) -> None:
    """Add `replay` to the app."""
    app.command(name="replay")(replay_cmd)
