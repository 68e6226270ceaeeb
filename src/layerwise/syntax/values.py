"""The value BuildKit gives each instruction (its dispatch table in parser.go).

`value` has the shape of the official parser's Command.value: for FROM the words, for ENV the
key and value pairs, for RUN the command string or the JSON array, and so on.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from layerwise.syntax.messages import MISSING_EQUALS, TWO_ARGUMENTS, DockerfileSyntaxError
from layerwise.syntax.words import (
    RE_WHITESPACE,
    NotJSON,
    SplitLine,
    parse_json,
    parse_words,
    split_command,
)

HEREDOC_KEYWORDS = frozenset({"add", "copy", "run"})
_MAYBE_JSON = frozenset({"cmd", "entrypoint", "run", "shell"})
_MAYBE_JSON_LIST = frozenset({"add", "copy", "volume"})
_WHITESPACE_LIST = frozenset({"expose", "from"})
_STRING = frozenset({"maintainer", "stopsignal", "user", "workdir"})
_NAME_VAL = {"env": "ENV", "label": "LABEL"}


class Parsed(NamedTuple):  # a tuple: one per instruction on every parse, kept cheap
    """One instruction as BuildKit's line parser sees it."""

    split: SplitLine
    keyword: str
    value: tuple[str, ...]  # this node's own value (ONBUILD with a body: ("",))
    is_json: bool
    sub: Parsed | None


# Re-parsing after a fix pass meets the same instruction lines again, and so does a scan of
# similar files; a Parsed holds positions within the line only and is immutable, so one serves
# every occurrence. A line that fails raises again (lru_cache keeps no exceptions).
@functools.lru_cache(maxsize=4096)
def parse_logical(line: str, escape: str, base: int = 0) -> Parsed:
    """newNodeFromLine on `line[base:]`: DockerfileSyntaxError (without location) when BuildKit
    fails.

    Results are remembered per (line, escape, base); `parse_logical.cache_clear()` forgets them.
    """
    split = split_command(line, base)
    keyword = line[split.keyword[0] : split.keyword[1]]
    rest = line[split.args[0] : split.args[1]]
    lower = keyword.lower()
    if lower == "onbuild":
        if not rest:
            return Parsed(split, keyword, (), False, None)
        sub = parse_logical(line, escape, split.args[0])
        return Parsed(split, keyword, ("",), False, sub)
    value, is_json = _value(lower, rest, escape)
    return Parsed(split, keyword, value, is_json, None)


def _value(lower: str, rest: str, escape: str) -> tuple[tuple[str, ...], bool]:
    if lower in _MAYBE_JSON:
        if not rest:
            return (), False
        try:
            return parse_json(rest), True
        except NotJSON:
            return (rest,), False
    if lower in _MAYBE_JSON_LIST:
        try:
            return parse_json(rest), True
        except NotJSON:
            return _whitespace_list(rest), False
    if lower in _WHITESPACE_LIST:
        return _whitespace_list(rest), False
    if lower in _STRING:
        return ((rest,) if rest else ()), False
    if lower in _NAME_VAL:
        return _name_val(rest, _NAME_VAL[lower], escape), False
    if lower == "arg":
        return tuple(parse_words(rest, escape)), False
    if lower == "healthcheck":
        return _healthcheck(rest, escape)
    return ("",), False  # unknown instructions are kept with an empty value


def _whitespace_list(rest: str) -> tuple[str, ...]:
    return tuple(RE_WHITESPACE.split(rest)) if rest else ()


def _name_val(rest: str, key: str, escape: str) -> tuple[str, ...]:
    words = parse_words(rest, escape)
    if not words:
        return ()
    if "=" not in words[0]:
        parts = RE_WHITESPACE.split(rest, maxsplit=1)
        if len(parts) < 2:
            raise DockerfileSyntaxError(TWO_ARGUMENTS, {"keyword": key})
        return parts[0], parts[1]
    out: list[str] = []
    for word in words:
        if "=" not in word:
            raise DockerfileSyntaxError(MISSING_EQUALS, {"word": word})
        name, _, val = word.partition("=")
        out += (name, val)
    return tuple(out)


# parseHealthConfig tests single bytes with unicode.IsSpace: no byte that starts a UTF-8
# sequence is a blank, so only ASCII blanks separate the type from the command.
_ASCII_SPACE = "\t\n\v\f\r "


def _healthcheck(rest: str, escape: str) -> tuple[tuple[str, ...], bool]:
    sep = 0
    while sep < len(rest) and rest[sep] not in _ASCII_SPACE:
        sep += 1
    if sep == 0:
        return (), False
    nxt = sep
    while nxt < len(rest) and rest[nxt] in _ASCII_SPACE:
        nxt += 1
    value, is_json = _value("cmd", rest[nxt:], escape)
    return (rest[:sep], *value), is_json
