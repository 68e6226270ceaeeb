"""The options a configuration file may set, each checked for its key, its type and its value.

A mistake is a `LayerwiseError` located at the key (or the value) in the file, with a
did-you-mean hint where one is close: a misspelt option must not be silently ignored.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from layerwise.config.locate import Positions
from layerwise.errors import LayerwiseError
from layerwise.model.platforms import platform_problem
from layerwise.rules.base import TARGET_ENGINES
from layerwise.rules.registry import names_rule
from layerwise.rules.texts import LANGS


@dataclass(frozen=True, slots=True)
class Options:
    """What one configuration file says; None (or empty) where it says nothing."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    # (glob relative to the file's directory, codes) in the order written
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target_engine: str | None = None
    platforms: tuple[str, ...] | None = None
    language: str | None = None
    context: str | None = None  # relative to the file's directory
    build_args: Mapping[str, str] = field(default_factory=dict)
    hadolint: bool | None = None  # honour hadolint's ignores (default: yes)
    lines: Mapping[str, int] = field(default_factory=dict)  # option -> line it is set on


KEYS = (
    "select",
    "ignore",
    "per-file-ignores",
    "target-engine",
    "platforms",
    "language",
    "context",
    "build-args",
    "hadolint",
)


def _kind(value: object) -> str:
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "a boolean"),
        (str, "a string"),
        (int, "an integer"),
        (float, "a number"),
        (list, "an array"),
        (dict, "a table"),
        ((datetime.date, datetime.time), "a date or time"),
    ]
    return next((name for t, name in kinds if isinstance(value, t)), type(value).__name__)


def _display(key: tuple[str, ...]) -> str:
    """`"select"`, or a nested key as TOML writes it: `per-file-ignores."legacy/**"`."""
    head, *rest = key
    return f'"{head}"' if not rest else head + "".join(f'."{k}"' for k in rest)


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None


class _Reader:
    """Checks one table of options, locating each error in the file."""

    def __init__(self, path: str, positions: Positions, table: tuple[str, ...]) -> None:
        self.path = path
        self.positions = positions
        self.table = table
        self.where = f" in [{'.'.join(table)}]" if table else ""

    def error(
        self, message: str, key: tuple[str, ...], item: str | None = None, hint: str | None = None
    ) -> LayerwiseError:
        full = (*self.table, *key)
        line, col = self.positions.key(full) if item is None else self.positions.value(full, item)
        return LayerwiseError(message, path=self.path, line=line, col=col, hint=hint)

    def codes(self, value: object, key: tuple[str, ...]) -> tuple[str, ...]:
        name = _display(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            got = _kind(value) if not isinstance(value, list) else "an array with non-strings"
            raise self.error(f"{name} must be an array of rule codes, not {got}", key)
        codes = tuple(v.strip().upper() for v in value)
        for raw, code in zip(value, codes, strict=True):
            if not code or not names_rule(code):
                raise self.error(
                    f"`{raw}` in {name} names no rule",
                    key,
                    item=raw,
                    hint="`layerwise rule --all` lists them",
                )
        return codes

    def platforms(self, value: object, key: tuple[str, ...]) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            got = _kind(value) if not isinstance(value, list) else "an array with non-strings"
            raise self.error(f'"platforms" must be an array of platforms, not {got}', key)
        for raw in value:
            problem = platform_problem(raw)
            if problem is not None:
                raise self.error(f'"{raw}" in "platforms" {problem}', key, item=raw)
        return tuple(v.strip() for v in value)

    def choice(self, value: object, key: str, choices: tuple[str, ...]) -> str:
        allowed = ", ".join(f'"{c}"' for c in choices)
        if not isinstance(value, str):
            raise self.error(f'"{key}" must be one of {allowed}, not {_kind(value)}', (key,))
        if value not in choices:
            raise self.error(
                f'"{key}" must be one of {allowed}, not "{value}"',
                (key,),
                hint=did_you_mean(value, choices),
            )
        return value

    def table_of(self, value: object, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(f'"{key}" must be a table, not {_kind(value)}', (key,))
        return value

    def read(self, data: Mapping[str, Any]) -> Options:
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key, value in data.items():
            if key not in KEYS:
                raise self.error(
                    f'unknown key "{key}"{self.where}', (key,), hint=did_you_mean(key, list(KEYS))
                )
            lines[key] = self.positions.key((*self.table, key))[0]
            values[key.replace("-", "_")] = self.option(key, value)
        return Options(**values, lines=lines)

    def option(self, key: str, value: object) -> object:
        if key in ("select", "ignore"):
            codes = self.codes(value, (key,))
            if key == "select" and not codes:  # would read as "every rule": say so instead
                raise self.error(
                    '"select" is empty', (key,), hint="leave it out to select every rule"
                )
            return codes
        if key == "per-file-ignores":
            table = self.table_of(value, key)
            return tuple((glob, self.codes(codes, (key, glob))) for glob, codes in table.items())
        if key == "target-engine":
            return self.choice(value, key, TARGET_ENGINES)
        if key == "platforms":
            return self.platforms(value, (key,))
        if key == "language":
            return self.choice(value, key, LANGS)
        if key == "context":
            if not isinstance(value, str) or not value:
                got = _kind(value) if value != "" else "an empty string"
                raise self.error(f'"context" must be a directory path, not {got}', (key,))
            return value
        if key == "build-args":
            args = self.table_of(value, key)
            for name, arg in args.items():
                if not isinstance(arg, str):
                    raise self.error(
                        f'build arg "{name}" must be a string, not {_kind(arg)}', (key, name)
                    )
            return dict(args)
        if not isinstance(value, bool):  # "hadolint"
            raise self.error(f'"{key}" must be true or false, not {_kind(value)}', (key,))
        return value


def read_options(
    data: Mapping[str, Any], *, path: str, text: str, table: tuple[str, ...] = ()
) -> Options:
    """Check the table `data` (found at `table` in the file `path` holding `text`)."""
    return _Reader(path, Positions.of(text), table).read(data)
