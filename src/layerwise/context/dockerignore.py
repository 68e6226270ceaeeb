""".dockerignore as BuildKit applies it (moby/patternmatcher + ignorefile).

Reading (ignorefile.ReadAll): a line starting with `#` in column 1 is a comment; other lines are
trimmed, blank ones dropped; `!` marks an exception; the rest is cleaned like Go's filepath.Clean
and a leading `/` dropped (patterns are anchored at the context root anyway).

Matching (PatternMatcher.MatchesOrParentMatches): Go filepath.Match syntax (`*` and `?` never
cross `/`, `[...]` classes with `^` negation, `\\` escapes) plus `**` for any number of
directories; a path is excluded when it or any parent directory matches; the last matching line
wins, so a later `!pattern` re-includes. Matching is case-sensitive.

docker-py's `docker.utils.build.PatternMatcher` differs, which is why it is not used here (the
tests pin each difference against it): it lower-cases paths and patterns, it checks only the parent
prefix as long as the pattern (moby's deprecated `Matches`, so `**/node_modules` misses
`a/b/node_modules/x`), it always re-includes `.dockerignore`, it reads `[!x]` as negation (Go
reads `!` literally and negates with `^`), and it has no `\\` escapes.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

# Characters that are special in a regexp but plain in filepath.Match (patternmatcher escapes
# exactly these; `^` and others are passed through as Go does).
_ESCAPE = frozenset(".+()|{}$")


def read_patterns(text: str) -> list[str]:
    """The patterns of a .dockerignore file, cleaned the way BuildKit's reader does."""
    patterns: list[str] = []
    for index, line in enumerate(text.splitlines()):
        if index == 0:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        patterns.append("!" + pattern if invert else pattern)
    return patterns


def clean(path: str) -> str:
    """Go's filepath.Clean for slash paths (Python's normpath keeps a leading `//`, Go does not)."""
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


@dataclass(frozen=True, slots=True)
class Pattern:
    """One .dockerignore line: the cleaned pattern, whether it is an exception, its regexp."""

    text: str
    exclusion: bool
    regex: re.Pattern[str]

    @classmethod
    def parse(cls, line: str) -> Pattern:
        exclusion = line.startswith("!")
        text = clean(line[1:] if exclusion else line)
        return cls(text, exclusion, re.compile(_to_regex(text)))

    def match(self, path: str) -> bool:
        return self.regex.match(path) is not None


def _to_regex(pattern: str) -> str:
    """patternmatcher's Pattern.compile: filepath.Match syntax plus `**`, as a Python regexp."""
    out = ["^"]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if i < n and pattern[i] == "/":
                    i += 1
                out.append(".*" if i >= n else "(.*/)?")
            else:
                out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch in _ESCAPE:
            out.append("\\" + ch)
        elif ch == "\\":
            if i < n:
                out.append(re.escape(pattern[i]))
                i += 1
            else:
                out.append("\\\\")
        elif ch == "[":
            end = _class_end(pattern, i)
            if end < 0:
                out.append("\\[")  # Go rejects the pattern; a literal never matches a path
            else:
                body = pattern[i:end]
                negate = body.startswith("^")
                body = body[1:] if negate else body
                out.append("[" + ("^" if negate else "") + _class_body(body) + "]")
                i = end + 1
        elif ch == "]":
            out.append("\\]")
        else:
            out.append(re.escape(ch))
    out.append("$")
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    i = start
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]" and i > start:
            return i
        i += 1
    return -1


def _class_body(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(re.escape(body[i + 1]))
            i += 2
            continue
        out.append(ch if ch == "-" else re.escape(ch))
        i += 1
    return "".join(out)


class IgnoreMatcher:
    """Decides which context paths BuildKit leaves out, from .dockerignore patterns."""

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = tuple(Pattern.parse(p) for p in patterns if p and p != "!")
        self.has_exceptions = any(p.exclusion for p in self.patterns)

    @classmethod
    def from_text(cls, text: str) -> IgnoreMatcher:
        return cls(read_patterns(text))

    def is_ignored(self, path: str) -> bool:
        """True when BuildKit leaves `path` (slash-separated, relative to the root) out."""
        path = clean(path).lstrip("/")
        if path in ("", "."):
            return False
        parents = path.split("/")[:-1]
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue  # only a later exception can change an exclusion, and vice versa
            match = pattern.match(path)
            if not match:
                for k in range(1, len(parents) + 1):
                    if pattern.match("/".join(parents[:k])):
                        match = True
                        break
            if match:
                matched = not pattern.exclusion
        return matched

    def may_include_below(self, directory: str) -> bool:
        """Whether files under an ignored directory could be re-included by an exception (so a
        walk must enter it); False lets a walk skip e.g. an ignored node_modules at once."""
        return self.has_exceptions
