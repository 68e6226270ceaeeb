"""`layerwise config [PATH]`: the settings `check` would use for a file or a directory, and
where each one comes from (a configuration file and line, or the default)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from layerwise.cli.app import EXIT_OK
from layerwise.cli.config_options import ConfigOption, IsolatedOption
from layerwise.config import Resolved, Resolver
from layerwise.errors import LayerwiseError
from layerwise.rules.hadolint_map import overlaps
from layerwise.rules.registry import all_rules


class ConfigFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def as_json(resolved: Resolved, is_dir: bool) -> dict[str, Any]:
    """The effective settings as data: `ignore` includes the per-file ignores that match."""
    s = resolved.settings
    config = resolved.config
    patterns = config.options.per_file_ignores if config is not None else ()
    return {
        "path": str(resolved.path),
        "config": str(config.path) if config is not None else None,
        "config_table": ".".join(config.table) if config is not None and config.table else None,
        "hadolint_config": str(resolved.hadolint.path) if resolved.hadolint else None,
        "settings": {
            "select": list(s.select),
            "ignore": list(s.ignore),
            "per_file_ignores": {glob: list(codes) for glob, codes in patterns},
            "per_file_ignores_applied": None
            if is_dir
            else [glob for glob, _ in resolved.per_file_ignores],
            "language": s.lang,
            "target_engine": s.target_engine,
            "platforms": list(s.platforms),
            "context": str(resolved.context) if resolved.context is not None else None,
            "build_args": dict(s.build_args),
            "hadolint": resolved.hadolint_compat,
            "hadolint_ignore": list(s.hadolint_ignore),
            "hadolint_pragmas": s.hadolint_pragmas,
        },
        "origins": dict(resolved.origins),
        "rules": [r.code for r in all_rules() if s.enabled(r.code)],
    }


def as_text(resolved: Resolved, is_dir: bool) -> str:
    data = as_json(resolved, is_dir)
    s = data["settings"]
    origins = data["origins"]
    config = resolved.config
    applied = set(s["per_file_ignores_applied"] or ())

    def codes(values: list[str]) -> str:
        return ", ".join(values) if values else "(none)"

    patterns = [
        f'"{glob}" = {codes(c)}' + ("" if is_dir else (" (applies)" if glob in applied else ""))
        for glob, c in s["per_file_ignores"].items()
    ]
    hadolint = "off"
    if resolved.hadolint_compat:
        ignored = [_silences(code) for code in s["hadolint_ignore"]]
        pragmas = "pragmas honoured" if s["hadolint_pragmas"] else "pragmas disabled"
        hadolint = f"on, {pragmas}; ignored: {codes(ignored)}"
    context = s["context"] or "(each Dockerfile's directory)"
    args = ", ".join(f"{k}={v}" for k, v in s["build_args"].items()) or "(none)"
    rows = [
        ("select", codes(s["select"]) if s["select"] else "(all rules)", origins["select"]),
        ("ignore", codes(s["ignore"]), origins["ignore"]),
        ("per-file-ignores", "; ".join(patterns) or "(none)", origins["per-file-ignores"]),
        ("language", s["language"], origins["language"]),
        ("target-engine", s["target_engine"], origins["target-engine"]),
        ("platforms", ", ".join(s["platforms"]) or "(not said)", origins["platforms"]),
        ("context", context, origins["context"]),
        ("build-args", args, origins["build-args"]),
        ("hadolint", hadolint, origins["hadolint"]),
    ]
    width = max(len(name) for name, _, _ in rows)
    what = "files in" if is_dir else "file"
    lines = [
        f"settings for {what} {resolved.path}",
        f"configuration: {config.label if config is not None else '(none: defaults)'}",
        f"hadolint configuration: {data['hadolint_config'] or '(none)'}",
        "",
        *(f"{name.ljust(width)}  {value}  [{origin}]" for name, value, origin in rows),
        "",
        f"rules enabled ({len(data['rules'])} of {len(all_rules())}): {codes(data['rules'])}",
    ]
    return "\n".join(lines) + "\n"


def _silences(code: str) -> str:
    """`DL3014 (LW503 -y)`: a hadolint code and the layerwise findings it silences."""
    rules = ", ".join(f"{o.rule} {o.facet}".strip() for o in overlaps(code))
    return f"{code} ({rules or 'no overlap'})"


def config(
    path: Annotated[
        Path | None,
        typer.Argument(help="A Dockerfile or a directory (default: the current one)."),
    ] = None,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    output_format: Annotated[
        ConfigFormat, typer.Option("--output-format", help="text (people) or json (machines).")
    ] = ConfigFormat.TEXT,
) -> None:
    """Show the settings `check` uses for a file or directory, and which files they come from."""
    target = path or Path()
    if not target.exists():
        raise LayerwiseError("no such file or directory", path=str(target))
    is_dir = target.is_dir()
    resolved = Resolver(config=config_file, isolated=isolated).for_file(target, is_dir=is_dir)
    if output_format is ConfigFormat.JSON:
        sys.stdout.write(json.dumps(as_json(resolved, is_dir), indent=2) + "\n")
    else:
        sys.stdout.write(as_text(resolved, is_dir))
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add `config` to the app."""
    app.command(name="config")(config)
