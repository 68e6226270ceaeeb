"""The build context's ignore file as text: where it is, which line decides about a path, and
the context seen with other ignore text (what a fix that adds .dockerignore lines leads to)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from layerwise.context.build_context import BuildContext
from layerwise.context.dockerignore import IgnoreMatcher, Pattern, clean, read_patterns

ROOT_IGNORE = ".dockerignore"


def ignore_path(context: BuildContext) -> str:
    """The ignore file BuildKit reads, relative to the context root: the one in use
    (`<Dockerfile>.dockerignore` when present), else `.dockerignore`, which a fix creates."""
    if context.ignore_file is None:
        return ROOT_IGNORE
    return os.path.relpath(context.ignore_file, context.root).replace(os.sep, "/")


class _Overlaid(BuildContext):
    """A context whose ignore file says `ignore_source`, whatever the disk holds (yet)."""

    def __init__(self, context: BuildContext, text: str) -> None:
        path = context.ignore_file or context.root / ROOT_IGNORE
        super().__init__(context.root, IgnoreMatcher.from_text(text), path)
        self.ignore_source = text


def ignore_text(context: BuildContext) -> str:
    """The current text of the ignore file ("" when there is none)."""
    if isinstance(context, _Overlaid):
        return context.ignore_source
    if context.ignore_file is None:
        return ""
    try:
        return context.ignore_file.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def with_ignore_text(context: BuildContext, text: str) -> BuildContext:
    """The same directory as BuildKit sees it when its ignore file (`ignore_path`) says
    `text` (as a fix that has not written it yet sees it)."""
    return _Overlaid(context, text)


@dataclass(frozen=True, slots=True)
class Decision:
    """The ignore-file line that decides about a path: its 1-based line number and text."""

    line: int
    pattern: str


def deciding_line(text: str, path: str) -> Decision | None:
    """The last line of ignore-file `text` that matches `path` or a parent of it, when it is an
    exclusion (the path is left out); None when the path reaches the builder."""
    lines = text.splitlines()
    found: Decision | None = None
    for number, line in enumerate(lines, start=1):
        cleaned = read_patterns(line if number > 1 else line.removeprefix("\ufeff"))
        if not cleaned or cleaned[0] == "!":
            continue
        pattern = Pattern.parse(cleaned[0])
        if _matches_or_parent(pattern, path):
            found = None if pattern.exclusion else Decision(number, line.strip())
    return found


def _matches_or_parent(pattern: Pattern, path: str) -> bool:
    path = clean(path).lstrip("/")
    if pattern.match(path):
        return True
    parts = path.split("/")
    return any(pattern.match("/".join(parts[:k])) for k in range(1, len(parts)))


def add_lines(text: str, lines: tuple[str, ...]) -> str:
    """`text` with each of `lines` not already in it (as a trimmed line) added at the end, in
    the file's own line ending."""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in dict.fromkeys(lines) if line.strip() not in present]
    if not missing:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    lead = newline if text and not text.endswith(("\n", "\r")) else ""
    return text + lead + "".join(line + newline for line in missing)
