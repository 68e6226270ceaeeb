"""`layerwise check [PATHS...]`: report what slows builds down, and fix it with `--fix`.

Exit codes: 0 nothing left to report, 1 findings left (or, with `--diff`, a fix to show; a file
BuildKit's parser rejects is an LW400 finding), 2 a user error (missing path, a file that is not
UTF-8 text), 3 a fix dropped because of a layerwise bug.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from layerwise.cli.app import EXIT_BUG, EXIT_FINDINGS, EXIT_OK, EXIT_USER_ERROR
from layerwise.cli.config_options import ConfigOption, IsolatedOption
from layerwise.cli.engine_option import TargetEngineOption, chosen_engine
from layerwise.cli.fix_options import (
    DiffOption,
    FixOption,
    IgnoreOption,
    ShowFixesOption,
    UnsafeFixesOption,
)
from layerwise.cli.lang import LangOption, chosen_lang
from layerwise.config import Overrides, Resolver
from layerwise.errors import LayerwiseError
from layerwise.fix import unified_diff
from layerwise.fix.batch import FileJob, run_jobs
from layerwise.fix.files import FileOutcome, context_file_changes, discover
from layerwise.model.platforms import platform_problem
from layerwise.report import (
    Counts,
    render_applied,
    render_json,
    render_text,
    summary_line,
    unchecked_line,
    would_fix_line,
)
from layerwise.report.formats import CI_FORMATS, STATISTICS_FORMATS, render_for
from layerwise.rules.base import Finding
from layerwise.rules.registry import names_rule


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    GITLAB = "gitlab"
    JUNIT = "junit"


def _codes(values: list[str] | None, option: str) -> tuple[str, ...]:
    """`--select LW1,LW201 --select LW5` -> ("LW1", "LW201", "LW5"); a code or prefix that names
    no rule is a user error (a typo would otherwise silently select nothing)."""
    codes = tuple(c.strip().upper() for v in values or [] for c in v.split(",") if c.strip())
    for code in codes:
        if not names_rule(code):
            raise LayerwiseError(
                f"`{code}` in {option} names no rule", hint="`layerwise rule --all` lists them"
            )
    return codes


def _platforms(values: list[str]) -> tuple[str, ...]:
    """`--platform linux/amd64,linux/arm64` (repeatable) -> the platforms; a word that is no
    platform is a user error."""
    found = tuple(p.strip() for v in values for p in v.split(",") if p.strip())
    for each in found:
        problem = platform_problem(each)
        if problem is not None:
            raise LayerwiseError(f"`{each}` in --platform {problem}")
    return tuple(dict.fromkeys(found))


def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Dockerfiles, or directories to search (default: the current one)."),
    ] = None,
    fix: FixOption = False,
    unsafe_fixes: UnsafeFixesOption = False,
    diff: DiffOption = False,
    show_fixes: ShowFixesOption = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these rule codes or prefixes (comma list: LW1,LW201)."),
    ] = None,
    ignore: IgnoreOption = None,
    context: Annotated[
        Path | None,
        typer.Option("--context", help="Build context directory (default: the Dockerfile's)."),
    ] = None,
    platform: Annotated[
        list[str] | None,
        typer.Option(
            "--platform",
            help="Platforms the build targets, as buildx takes them (linux/amd64,linux/arm64).",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--output-format",
            help="text (people), json, sarif (code scanning), github (Actions annotations), "
            "gitlab (Code Quality), junit (XML test report).",
        ),
    ] = OutputFormat.TEXT,
    lang: LangOption = None,
    target_engine: TargetEngineOption = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule instead of listing them.")
    ] = False,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    jobs_option: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes for many files (default: the available cores)."
        ),
    ] = None,
) -> None:
    """Check Dockerfiles for what costs build time, cache reuse and pushed bytes."""
    cli = Overrides(
        select=_codes(select, "--select") if select else None,
        ignore=_codes(ignore, "--ignore"),
        context=context,
        platforms=_platforms(platform) if platform else None,
        lang=chosen_lang(lang) if lang else None,
        locale_lang=chosen_lang(None),
        target_engine=chosen_engine(target_engine),
    )
    resolver = Resolver(cli, config=config, isolated=isolated)
    files = discover(paths or [Path()])
    # Settings per file (a monorepo's directories may differ); a bad config stops the run.
    resolved = [resolver.for_file(path) for path in files]
    if not files:
        where = ", ".join(str(p) for p in paths or [Path()])
        typer.echo(f"warning: no Dockerfiles found under {where}", err=True)
    if statistics and output_format not in STATISTICS_FORMATS:
        raise LayerwiseError("`--statistics` works with `--output-format` text or json")
    outcomes: list[FileOutcome] = []
    failed: list[LayerwiseError] = []  # one bad file must not hide the others
    write = fix and not diff
    jobs = [
        FileJob(each.path, each.settings, each.context, fix or diff, unsafe_fixes, write)
        for each in resolved
    ]
    for result in run_jobs(jobs, processes=jobs_option):
        if result.outcome is not None:
            outcomes.append(result.outcome)
        elif result.error is not None:
            failed.append(result.error)
    errors = [str(exc) + (f"\nhint: {exc.hint}" if exc.hint else "") for exc in failed]
    bugs = [bug for o in outcomes if o.fix is not None for bug in o.fix.bugs]
    for message in errors + [f"bug: {b}" for b in bugs]:
        typer.echo(message, err=True)
    # Run-wide lines (summary, "would fix") speak the first file's language.
    lang = resolved[0].settings.lang if resolved else cli.locale_lang
    if diff:
        code = _print_diff(outcomes, lang)
    elif statistics or output_format in CI_FORMATS:
        remaining = [f for o in outcomes for f in o.findings]
        sources = {str(o.path): o.fixed_text for o in outcomes}
        report = render_for(
            output_format,
            remaining,
            sources=sources,
            errors=failed,
            statistics=statistics,
            unsafe=unsafe_fixes,
        )
        sys.stdout.write(report)
        code = EXIT_FINDINGS if remaining else EXIT_OK
    else:
        code = _print_report(outcomes, errors, output_format, unsafe_fixes, show_fixes, lang)
    if bugs:
        code = EXIT_BUG
    raise typer.Exit(EXIT_USER_ERROR if errors else code)


def _print_diff(outcomes: list[FileOutcome], lang: str) -> int:
    changed = [o for o in outcomes if o.fixed_text != o.source or (o.fix and o.fix.files)]
    for o in changed:
        sys.stdout.write(unified_diff(o.source, o.fixed_text, str(o.path)))
        for path, before, after in context_file_changes(o.fix):
            sys.stdout.write(unified_diff(before, after, path))
    fixes = sum(len(o.fix.applied) for o in outcomes if o.fix is not None)
    typer.echo(would_fix_line(fixes, lang), err=True)
    return EXIT_FINDINGS if changed else EXIT_OK


def _print_report(
    outcomes: list[FileOutcome],
    errors: list[str],
    output_format: OutputFormat,
    unsafe: bool,
    show_fixes: bool,
    lang: str,
) -> int:
    remaining: list[Finding] = [f for o in outcomes for f in o.findings]
    applied = [f for o in outcomes if o.fix is not None for f in o.fix.applied]
    if output_format is OutputFormat.JSON:
        sys.stdout.write(render_json(remaining, fixed=applied, errors=errors))
    else:
        sources = {str(o.path): o.fixed_text for o in outcomes}
        sys.stdout.write(render_text(remaining, sources, unsafe=unsafe, lang=lang))
        if show_fixes:
            sys.stdout.write(render_applied(applied, lang))
        counts = Counts.of(remaining, unsafe=unsafe, fixed=len(applied))
        if errors:
            # "All checks passed." would be a lie when some files were never checked.
            unchecked = unchecked_line(len(errors), lang)
            typer.echo(unchecked if not (remaining or applied) else summary_line(counts, lang))
            if remaining or applied:
                typer.echo(unchecked)
        else:
            typer.echo(summary_line(counts, lang))
    return EXIT_FINDINGS if remaining else EXIT_OK


def register(app: typer.Typer) -> None:
    """Add `check` to the app."""
    app.command(name="check")(check)
