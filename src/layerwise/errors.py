"""Errors a user can cause. The CLI prints them on one line and exits 2."""

from __future__ import annotations


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


class EngineError(LayerwiseError):
    """No usable BuildKit client or a build that failed for a reason outside the Dockerfile."""


class OverlappingEditsError(ValueError):
    """Two edits touch the same bytes: a bug in whatever produced them, not a user error."""
