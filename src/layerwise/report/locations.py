"""Where a finding is, as CI systems want it: paths relative to the working directory, columns
in UTF-16 code units (SARIF's default unit), and a fingerprint that survives moved lines."""

from __future__ import annotations

import bisect
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from layerwise.rules.base import Finding


def relative_path(path: str, root: Path) -> str:
    """`path` relative to `root` with `/` separators; absolute when it lies outside `root`."""
    # abspath, not resolve(): a symlinked Dockerfile is reported where the user named it.
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    try:
        return absolute.relative_to(os.path.abspath(root)).as_posix()  # noqa: PTH100
    except ValueError:
        return absolute.as_posix()


class Utf16Lines:
    """Code-point offsets into a text as 1-based (line, column), the column counted in UTF-16
    code units. Lines end after each `\\n` (a `\\r` before it belongs to its line, as in
    `LineIndex`), and a BOM takes no column, as in the rest of layerwise and in editors."""

    __slots__ = ("_bom", "_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        self._bom = text.startswith("\ufeff")

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        start = self._starts[line - 1]
        if line == 1 and self._bom and offset > 0:
            start = 1
        prefix = self._text[start:offset]
        return line, len(prefix.encode("utf-16-le")) // 2 + 1


def fingerprints(
    findings: Iterable[Finding], sources: Mapping[str, str], root: Path
) -> Iterator[str]:
    """A stable id per finding, in the order given: a hash of the relative path, the rule code,
    the text of the lines the finding covers (whitespace folded) and which occurrence of that
    triple it is. Adding a line above a finding keeps its fingerprint; editing its lines or
    moving it to another file changes it."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for finding in findings:
        path = relative_path(finding.path or "", root)
        source = sources.get(finding.path or "", "")
        line_start = source.rfind("\n", 0, finding.span.start) + 1
        line_end = source.find("\n", max(finding.span.start, finding.span.end - 1))
        lines = " ".join(source[line_start : len(source) if line_end < 0 else line_end].split())
        key = (path, finding.code, lines)
        seen[key] += 1
        data = "\0".join((*key, str(seen[key])))
        yield hashlib.sha256(data.encode("utf-8")).hexdigest()
