"""`layerwise ci check [FILES]` and `layerwise ci generate`: the build step of CI pipelines.

`ci check` has the exit codes of `check`: 0 nothing to report, 1 findings left (or, with
`--diff`, a fix to show), 2 a user error (a missing file, YAML that does not parse).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from layerwise.ci.check import PipelineOutcome
from layerwise.cli.app import EXIT_FINDINGS, EXIT_OK, EXIT_USER_ERROR
from layerwise.cli.check_cmd import OutputFormat, _codes
from layerwise.cli.config_options import ConfigOption, IsolatedOption
from layerwise.cli.fix_options import (
    DiffOption,
    FixOption,
    IgnoreOption,
    ShowFixesOption,
    UnsafeFixesOption,
)
from layerwise.cli.lang import LangOption, chosen_lang
from layerwise.errors import LayerwiseError
from layerwise.fix import unified_diff
from layerwise.fix.write import write_atomic
from layerwise.report import Counts, render_applied, render_json, render_text, summary_line
from layerwise.report.formats import CI_FORMATS, render_for
from layerwise.rules.base import Settings

ci_app = typer.Typer(
    name="ci",
    help="Check and generate the image build step of CI pipelines (Jenkins, GitHub, GitLab).",
    no_args_is_help=True,
)


@ci_app.command("check")
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Pipeline files, or directories to search for Jenkinsfile, "
            ".github/workflows/*.yml, .gitlab-ci.yml, bitbucket-pipelines.yml, buildspec.yml "
            "(default: the current one)."
        ),
    ] = None,
    fix: FixOption = False,
    unsafe_fixes: UnsafeFixesOption = False,
    diff: DiffOption = False,
    show_fixes: ShowFixesOption = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these rule codes or prefixes (comma list: LW901)."),
    ] = None,
    ignore: IgnoreOption = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--output-format",
            help="text (people), json, sarif (code scanning), github (Actions annotations), "
            "gitlab (Code Quality), junit (XML test report).",
        ),
    ] = OutputFormat.TEXT,
    lang: LangOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Check CI pipelines for builds that lose their cache (rules LW901-LW912)."""
    from layerwise.ci import discover
    from layerwise.ci.check import run_pipeline_file
    from layerwise.config import Overrides, Resolver
    from layerwise.syntax.files import read_text

    # The configuration `check` reads (select, ignore, per-file-ignores, language), found from
    # each pipeline file's directory up, with the command line on top as for Dockerfiles.
    cli = Overrides(
        select=_codes(select, "--select") if select else None,
        ignore=_codes(ignore, "--ignore"),
        lang=chosen_lang(lang) if lang else None,
        locale_lang=chosen_lang(None),
    )
    resolver = Resolver(cli, config=config, isolated=isolated)
    files = discover(paths or [Path()])
    settings_of = {path: resolver.for_file(path).settings for path in files}
    settings = next(iter(settings_of.values()), Settings(lang=cli.lang or cli.locale_lang))
    if not files:
        where = ", ".join(str(p) for p in paths or [Path()])
        typer.echo(f"warning: no pipeline files found under {where}", err=True)
    outcomes: list[PipelineOutcome] = []
    failed: list[LayerwiseError] = []
    for path in files:
        try:
            text = read_text(path)
            outcomes.append(
                run_pipeline_file(
                    path, text, settings_of[path], fix=fix or diff, unsafe=unsafe_fixes
                )
            )
        except LayerwiseError as exc:
            failed.append(exc)
    for error in failed:
        typer.echo(str(error) + (f"\nhint: {error.hint}" if error.hint else ""), err=True)
    if fix and not diff:
        for o in outcomes:
            if o.fixed_text != o.source:
                write_atomic(o.path, o.fixed_text)
    remaining = [f for o in outcomes for f in o.findings]
    applied = [f for o in outcomes for f in o.applied]
    sources = {str(o.path): o.fixed_text for o in outcomes}
    if diff:
        for o in outcomes:
            sys.stdout.write(unified_diff(o.source, o.fixed_text, str(o.path)))
        code = EXIT_FINDINGS if any(o.fixed_text != o.source for o in outcomes) else EXIT_OK
    elif output_format in CI_FORMATS:
        sys.stdout.write(
            render_for(
                output_format, remaining, sources=sources, errors=failed, unsafe=unsafe_fixes
            )
        )
        code = EXIT_FINDINGS if remaining else EXIT_OK
    elif output_format is OutputFormat.JSON:
        errors = [str(e) for e in failed]
        sys.stdout.write(render_json(remaining, fixed=applied, errors=errors))
        code = EXIT_FINDINGS if remaining else EXIT_OK
    else:
        sys.stdout.write(render_text(remaining, sources, unsafe=unsafe_fixes, lang=settings.lang))
        if show_fixes:
            sys.stdout.write(render_applied(applied, settings.lang))
        _notes(outcomes)
        counts = Counts.of(remaining, unsafe=unsafe_fixes, fixed=len(applied))
        typer.echo(summary_line(counts, settings.lang))
        code = EXIT_FINDINGS if remaining else EXIT_OK
    raise typer.Exit(EXIT_USER_ERROR if failed else code)


def _notes(outcomes: list[PipelineOutcome]) -> None:
    """A `docker buildx bake` keeps its cache settings in a bake file: say where it is when this
    run did not check it, or that none was found beside the pipeline."""
    from layerwise.ci.bake import BAKE_FILES
    from layerwise.ci.dockerfiles import root_of

    checked = {o.path.resolve() for o in outcomes}
    for outcome in outcomes:
        for span, kind in outcome.notes:
            if kind != "bake":
                continue
            root = root_of(outcome.path)
            files = [p for name in BAKE_FILES if (p := root / name).is_file()]
            if files and all(p.resolve() in checked for p in files):
                continue
            where = f"note: {outcome.path}:{span.start_line}:{span.start_col}: `buildx bake`: "
            if files:
                names = " ".join(str(p) for p in files)
                typer.echo(
                    f"{where}its targets are in {names}: `layerwise ci check {names}`", err=True
                )
            else:
                typer.echo(
                    f"{where}no bake file beside it ({', '.join(BAKE_FILES)}): its "
                    "targets' cache settings are not checked",
                    err=True,
                )


def register(app: typer.Typer) -> None:
    """Add `ci` (with `check` and `generate`) to the app."""
    from layerwise.cli import ci_generate  # noqa: F401  (adds `ci generate` to ci_app)

    app.add_typer(ci_app, name="ci")
