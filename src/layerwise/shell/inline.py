"""Scripts handed to another shell as one word: `sh -c 'npm ci'`, `su node -c "npm ci"`.

Their commands run like any other, so they are reported too (enclosing "shell"), with offsets
into the file. Only a script whose characters map one to one onto the file is opened: a
single-quoted word, or a double-quoted one without escapes or expansions.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from layerwise.shell.commands import Command
from layerwise.shell.words import Word
from layerwise.syntax.span import MappedText

if TYPE_CHECKING:
    from layerwise.shell.parse import Script

SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh"})
SU = frozenset({"su"})
INLINE_PROGRAMS = SHELLS | SU


def script_word(cmd: Command) -> Word | None:
    """The word holding the script: `sh -c WORD` (also `-ec`, `-lc`), `su ... -c WORD`."""
    args = cmd.args
    if cmd.program_name in SHELLS:
        has_c = False
        for i, word in enumerate(args):
            text = word.text
            if text.startswith("-") and not text.startswith("--") and len(text) > 1:
                has_c = has_c or "c" in text[1:]
                continue
            if text.startswith("--"):
                continue
            return word if has_c and i > 0 else None
        return None
    if cmd.program_name in SU:
        for i, word in enumerate(args[:-1]):
            if word.text in ("-c", "--command"):
                return args[i + 1]
        for word in args:
            if word.text.startswith("--command="):
                return None  # value shares the word with the option: not worth mapping
    return None


def inner_source(src: MappedText, word: Word) -> MappedText | None:
    """The script inside a quoted word, mapped to file offsets; None when not one to one."""
    raw = word.raw
    if not word.is_static or len(raw) < 2 or raw[0] != raw[-1] or raw[0] not in "'\"":
        return None
    if word.text != raw[1:-1]:
        return None  # escapes inside double quotes: characters no longer map one to one
    first = bisect.bisect_left(src.offsets, word.start)
    if first >= len(src.text) or src.text[first : first + len(raw)] != raw:
        return None
    inner = slice(first + 1, first + len(raw) - 1)
    offsets = src.offsets[inner] + (src.offsets[first + len(raw) - 1],)
    return MappedText(src.text[inner], offsets)


def with_inline_scripts(
    src: MappedText, commands: tuple[Command, ...], parse: Callable[[MappedText], Script]
) -> tuple[Command, ...]:
    """`commands` with the commands of every inline script inserted after the one running it."""
    out: list[Command] = []
    for cmd in commands:
        out.append(cmd)
        if cmd.program_name not in INLINE_PROGRAMS:
            continue
        word = script_word(cmd)
        inner = inner_source(src, word) if word is not None else None
        if inner is None:
            continue
        for sub in parse(inner).commands:
            out.append(
                replace(
                    sub,
                    enclosing=(*cmd.enclosing, "shell", *sub.enclosing),
                    nested=cmd.nested or sub.nested,
                    cwd_hint=sub.cwd_hint if sub.cwd_hint is not None else cmd.cwd_hint,
                )
            )
    return tuple(out)
