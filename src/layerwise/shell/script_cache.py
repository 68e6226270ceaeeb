"""`parse_script`'s memory: one parse per script text, wherever in a file the text sits.

The fix loop re-checks a file after each pass, and a fix that inserts or removes text moves
every RUN below it; a monorepo repeats the same RUN lines in many files. A Script depends on its
source's text and offsets only, and an offset enters a Script only as a file position, so when
the offsets of a known text are all moved by the same amount the known Script with every
position moved by that amount is exactly what parsing again would give, at a fraction of the
cost (no tree-sitter, no walk).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from layerwise.shell.commands import Command
from layerwise.shell.words import Word
from layerwise.syntax.span import MappedText

if TYPE_CHECKING:
    from layerwise.shell.parse import Script


class ScriptCache:
    """Calls `parse` once per script text (least recently used first out past `maxsize`)."""

    __slots__ = ("_known", "_maxsize", "_parse")

    def __init__(self, parse: Callable[[MappedText], Script], maxsize: int) -> None:
        self._parse = parse
        self._maxsize = maxsize
        self._known: dict[str, Script] = {}

    def __call__(self, src: MappedText) -> Script:
        """`parse(src)`, from memory when this text was parsed before (see the module doc)."""
        known = self._known.pop(src.text, None)
        script = None if known is None else _moved(known, src)
        if script is None:
            script = self._parse(src)
            if len(self._known) >= self._maxsize:
                del self._known[next(iter(self._known))]  # the least recently used
        self._known[src.text] = script  # (re)inserted last: the most recently used
        return script

    def cache_clear(self) -> None:
        """Forget every script (benchmarks call this to measure parsing from scratch)."""
        self._known.clear()


def _moved(known: Script, src: MappedText) -> Script | None:
    """`known` (same text as `src`) with its positions moved onto `src`'s offsets, or None when
    `src`'s offsets are not `known`'s all moved by one amount (a continuation line in between)."""
    old = known.source.offsets
    delta = src.offsets[0] - old[0]
    if delta == 0:
        return known if src.offsets == old else None
    if src.offsets != tuple(map(delta.__add__, old)):
        return None
    words: dict[int, Word] = {}

    def move(word: Word) -> Word:
        new = words.get(id(word))
        if new is None:
            new = Word(word.text, word.raw, word.start + delta, word.end + delta, word.is_static)
            words[id(word)] = new
        return new

    commands = tuple(
        Command(
            words=tuple(map(move, c.words)),
            start=c.start + delta,
            end=c.end + delta,
            text=c.text,
            assignments=tuple(map(move, c.assignments)),
            wrappers=tuple(map(move, c.wrappers)),
            operator_before=c.operator_before,
            operator_after=c.operator_after,
            cwd_hint=c.cwd_hint,
            enclosing=c.enclosing,
            nested=c.nested,
            program_index=c.program_index,
        )
        for c in known.commands
    )
    return type(known)(src, commands, known.has_errors)
