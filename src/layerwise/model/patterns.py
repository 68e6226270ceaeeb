"""Glob patterns inside `${VAR#pat}`, `${VAR%pat}` and `${VAR/pat/rep}`, as BuildKit has them
(shell/lex.go: convertShellPatternToRegex, trimPrefix, trimSuffix, reversePattern).

`*` and `?` are wildcards, `\\` escapes `*`, `?` and itself (and a `}` or `/` that had to be
escaped inside `${}`); there are no bracket expressions. A bad escape is an InvalidEscape; the
expander turns it into an ExpansionError.
"""

from __future__ import annotations

import re

_REGEX_SPECIAL = frozenset("[]{}.+()|^$")


class InvalidEscape(ValueError):
    """A `\\` before a character a pattern cannot escape (BuildKit: "invalid pattern")."""

    def __init__(self, pattern: str, escaped: str) -> None:
        super().__init__(pattern, escaped)
        self.pattern = pattern
        self.escaped = escaped


def glob_regex(pattern: str, *, greedy: bool, anchored: bool) -> re.Pattern[str]:
    """BuildKit's convertShellPatternToRegex."""
    out = ["^"] if anchored else []
    star = ".*" if greedy else ".*?"
    i, n = 0, len(pattern)
    while i < n:
        tok = pattern[i]
        i += 1
        if tok == "*":
            out.append(star)
            continue
        if tok == "?":
            out.append(".")
            continue
        if tok == "\\":
            following = pattern[i] if i < n else ""
            if following in ("}", "/"):
                continue  # an escape needed inside ${} that is not part of the pattern
            if following not in ("*", "?", "\\"):
                raise InvalidEscape(pattern, following)
            out.append("\\" + following)
            i += 1
            continue
        out.append("\\" + tok if tok in _REGEX_SPECIAL else re.escape(tok))
    return re.compile("".join(out))


def trim_prefix(pattern: str, value: str, *, greedy: bool) -> str:
    """`${VAR#pat}` (shortest) / `${VAR##pat}` (greedy)."""
    m = glob_regex(pattern, greedy=greedy, anchored=True).search(value)
    return value if m is None else value[m.end() :]


def reverse_pattern(pattern: str) -> str:
    """Reverse a glob, keeping each `\\x` escape pair in order: `a\\*c` -> `c\\*a`."""
    pairs: list[str] = []
    i, last = 0, len(pattern) - 1
    while i <= last:
        if pattern[i] == "\\" and i != last:
            pairs.append(pattern[i : i + 2])
            i += 2
        else:
            pairs.append(pattern[i])
            i += 1
    return "".join(reversed(pairs))


def trim_suffix(pattern: str, value: str, *, greedy: bool) -> str:
    """`${VAR%pat}` / `${VAR%%pat}`."""
    # A regex cannot find the shortest rightmost match, so reverse both and trim a prefix.
    return trim_prefix(reverse_pattern(pattern), value[::-1], greedy=greedy)[::-1]


def replace_glob(value: str, pattern: str, replacement: str, *, every: bool) -> str:
    """`${VAR/pat/rep}` (first match) / `${VAR//pat/rep}` (every match)."""
    regex = glob_regex(pattern, greedy=True, anchored=False)
    if not every:
        m = regex.search(value)
        return value if m is None else value[: m.start()] + replacement + value[m.end() :]
    # Go's ReplaceAllString ignores an empty match right after a previous match; Python's
    # re.sub would replace it, so walk the matches ourselves. (Go would also expand `$1`
    # templates in the replacement; a literal replacement is what a Dockerfile means.)
    out: list[str] = []
    last = 0
    prev_end = -1
    for m in regex.finditer(value):
        if m.start() == m.end() == prev_end:
            continue
        out.append(value[last : m.start()])
        out.append(replacement)
        last = prev_end = m.end()
    out.append(value[last:])
    return "".join(out)
