"""How BuildKit cuts one logical instruction line into keyword, flags and value.

These follow moby/buildkit frontend/dockerfile/parser (split_command.go, line_parsers.go) as
built into the official `dockerfile` package (BuildKit v0.12): the same whitespace classes, the
same quote and escape handling, the same value shape per instruction. Positions are indices
into the logical line so the tree can map every token back to the file.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from layerwise.syntax.messages import JSON_NOT_STRINGS, DockerfileSyntaxError

# Go's unicode.IsSpace: what strings.TrimSpace and the word splitters treat as blanks.
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000")
)
_GO_SPACE_SET = frozenset(GO_SPACE)
# reWhitespace in parser.go: only ASCII blanks split FROM/EXPOSE/COPY words and the keyword.
RE_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class SplitLine(NamedTuple):  # a tuple: one per instruction on every parse, kept cheap
    """Token positions in a logical line: `[start, end)` pairs."""

    keyword: tuple[int, int]
    flags: tuple[tuple[int, int, str], ...]  # start, end, the flag as BuildKit reads it
    args: tuple[int, int]  # the arguments, trimmed


def split_command(line: str, base: int = 0) -> SplitLine:
    """splitCommand: keyword, builder flags and the trimmed rest of `line[base:]`."""
    rest = line[base:] if base else line
    start = base + len(rest) - len(rest.lstrip(GO_SPACE))
    end = base + len(rest.rstrip(GO_SPACE))
    if end < start:
        end = start
    m = RE_WHITESPACE.search(line, start, end)
    if m is None:
        return SplitLine((start, end), (), (end, end))
    pos = m.end()
    if line[pos] != "-" and line[pos] not in _GO_SPACE_SET:  # no flags: the common case
        return SplitLine((start, m.start()), (), (pos, end))
    flags, args_start = _extract_builder_flags(line, pos, end)
    return SplitLine((start, m.start()), flags, _trim(line, args_start, end))


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start] in _GO_SPACE_SET:
        start += 1
    while end > start and line[end - 1] in _GO_SPACE_SET:
        end -= 1
    return start, end


# extractBuilderFlags reads bytes and asks unicode.IsSpace(rune(byte)): a byte 0x85 or 0xA0
# (a continuation byte of many UTF-8 characters) counts as a blank there.
_BYTE_SPACE_SET = frozenset("\t\n\v\f\r \x85\xa0")

Flags = tuple[tuple[int, int, str], ...]


def _extract_builder_flags(line: str, pos: int, end: int) -> tuple[Flags, int]:
    """extractBuilderFlags: leading `--words` (quotes and backslashes processed) end at the
    first word not starting with `--`, or after a bare `--`."""
    if line.isascii():
        return _extract_flags(line, pos, end, _GO_SPACE_SET)
    # Replay BuildKit's byte loop on the UTF-8 bytes (one code point per byte), then map the
    # positions back to characters; a flag cut inside a character keeps the stray bytes as
    # surrogate escapes, as BuildKit keeps them as bytes.
    seg = line[pos:end]
    data = seg.encode("utf-8", "surrogatepass")
    view = data.decode("latin-1")
    byte_flags, byte_args = _extract_flags(view, 0, len(view), _BYTE_SPACE_SET)
    char_at = [0] * (len(data) + 1)
    b = 0
    for i, ch in enumerate(seg):
        width = len(ch.encode("utf-8", "surrogatepass"))
        for k in range(width):
            char_at[b + k] = i if k == 0 else i + 1
        b += width
    char_at[len(data)] = len(seg)
    flags = tuple(
        (
            pos + char_at[fs],
            pos + char_at[fe],
            text.encode("latin-1").decode("utf-8", "surrogateescape"),
        )
        for fs, fe, text in byte_flags
    )
    return flags, pos + char_at[byte_args]


# A flag word without quotes or backslashes reads as written: no need to walk it by character.
_PLAIN_FLAG = re.compile(r"--[^\t\n\v\f\r \x85\xa0'\"\\]*")


def _extract_flags(line: str, pos: int, end: int, spaces: frozenset[str]) -> tuple[Flags, int]:
    flags: list[tuple[int, int, str]] = []
    while True:
        while pos < end and line[pos] in spaces:
            pos += 1
        if pos >= end or not line.startswith("--", pos) or pos + 1 >= end:
            return tuple(flags), pos
        start = pos
        plain = _PLAIN_FLAG.match(line, pos, end)
        if plain is not None and (plain.end() == end or line[plain.end()] in spaces):
            pos = plain.end()
            if pos - start == 2:  # a bare `--` ends the flags
                return tuple(flags), pos
            flags.append((start, pos, line[start:pos]))
            continue
        word: list[str] = []
        blank_ok = False
        quote = ""
        while pos < end:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\":
                    if pos + 1 == end:
                        quote = ""
                    else:
                        pos += 1
                        word.append(line[pos])
                else:
                    word.append(ch)
                pos += 1
                continue
            if ch in spaces:
                break
            if ch in "'\"":
                quote = ch
                blank_ok = True
            elif ch == "\\":
                if pos + 1 < end:
                    pos += 1
                    word.append(line[pos])
            else:
                word.append(ch)
            pos += 1
        text = "".join(word)
        if text == "--":
            return tuple(flags), pos
        if blank_ok or text:
            flags.append((start, pos, text))


# Words with nothing but plain ASCII need no quote or escape handling: split them directly.
_NOT_PLAIN = re.compile(r"[^\x21\x23-\x26\x28-\x5b\x5d-\x5f\x61-\x7e\t\n\v\f\r ]")


def parse_words(rest: str, escape: str) -> list[str]:
    """parseWords: split on blanks, keeping quotes and escapes (ENV, LABEL, ARG)."""
    if _NOT_PLAIN.search(rest) is None:
        return RE_WHITESPACE.split(rest.strip("\t\n\v\f\r ")) if rest.strip() else []
    words: list[str] = []
    buf: list[str] = []
    in_word = False
    blank_ok = False
    quote = ""
    pos, n = 0, len(rest)
    while pos < n:
        ch = rest[pos]
        if not in_word:
            if ch in _GO_SPACE_SET:
                pos += 1
                continue
            in_word = True
        if quote:
            if ch == quote:
                quote = ""
            if ch == escape and quote != "'":
                if pos + 1 == n:
                    quote = ""
                    pos += 1
                    continue
                buf.append(ch)
                pos += 1
                ch = rest[pos]
            buf.append(ch)
            pos += 1
            continue
        if ch in _GO_SPACE_SET:
            if blank_ok or buf:
                words.append("".join(buf))
            buf.clear()
            blank_ok = False
            in_word = False
            pos += 1
            continue
        if ch in "'\"":
            quote = ch
            blank_ok = True
        if ch == escape:
            if pos + 1 == n:
                pos += 1
                continue
            buf.append(ch)
            pos += 1
            ch = rest[pos]
        buf.append(ch)
        pos += 1
    if in_word and (blank_ok or buf):
        words.append("".join(buf))
    return words


class NotJSON(Exception):
    """The text is not a JSON array: BuildKit falls back to shell form."""


def parse_json(rest: str) -> tuple[str, ...]:
    """parseJSON: a JSON array of strings (text after the array is ignored, as Go's Decoder does).

    Raises NotJSON when it is not an array, DockerfileSyntaxError when it holds a
    non-string.
    """
    rest = rest.lstrip(GO_SPACE)
    if not rest.startswith("["):
        raise NotJSON
    try:
        value, _ = _JSON.raw_decode(rest)
    except ValueError as exc:  # includes NaN/Infinity, which Go's decoder refuses
        raise NotJSON from exc
    items = []
    for item in value:
        if not isinstance(item, str):
            raise DockerfileSyntaxError(JSON_NOT_STRINGS)
        items.append(item if item.isascii() else _LONE_SURROGATE.sub("\ufffd", item))
    return tuple(items)


def _reject_constant(name: str) -> None:
    raise ValueError(name)


_JSON = json.JSONDecoder(parse_constant=_reject_constant)
