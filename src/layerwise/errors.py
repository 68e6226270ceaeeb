"""Errors a user can cause. The CLI prints them on one line and exits 2."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class LayerwiseError(Exception):
    """A problem with the user's input, located where possible.

    `str()` gives the one-line form `path:line:col: error: message` (`error: message` when the
    problem is not located in a file).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.hint = hint

    @property
    def location(self) -> str:
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        if self.path is None and self.line is None:
            return f"error: {self.message}"  # not about a file: no made-up location
        return f"{self.location}: error: {self.message}"


@dataclass(frozen=True, slots=True)
class ErrorText:
    """One of the fixed error texts BuildKit prints, as a `str.format` template, and the key a
    translation names it by (the rules say each in Korean, see rules/texts.py)."""

    key: str
    template: str

    def format(self, fields: Mapping[str, object]) -> str:
        return self.template.format(**fields)


class KeyedError(LayerwiseError):
    """A LayerwiseError whose message is an `ErrorText` filled with `fields`: the text stays
    BuildKit's English, and the key and fields let a finding say it in another language."""

    def __init__(
        self,
        text: ErrorText,
        fields: Mapping[str, object] | None = None,
        *,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        self.text = text
        self.fields: Mapping[str, object] = dict(fields or {})
        super().__init__(text.format(self.fields), path=path, line=line, col=col)


class EngineError(LayerwiseError):
    """No usable BuildKit client or a build that failed for a reason outside the Dockerfile."""


class OverlappingEditsError(ValueError):
    """Two edits touch the same bytes: a bug in whatever produced them, not a user error."""
