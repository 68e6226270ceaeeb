"""Scripts of plain words: what tree-sitter would give, without tree-sitter.

Most RUN scripts are a few simple commands of plain words joined by `&&` or `;` (`apt-get
update && apt-get install -y curl`, `sh /scripts/build.sh`). For those the shell grammar has
nothing to decide: every word is static and means itself, every command is top level, and the
operators sit between them. `simple_commands` reads such a script directly, for a fraction of
the work; anything else (quotes, `$`, escapes, brackets, redirects, pipes, `||`, `&`, groups,
reserved or declaration words, newlines) is left to the full parser. tests/shell/test_simple.py
checks it against tree-sitter on generated scripts and on every RUN of the test fixtures.
"""

from __future__ import annotations

import re

from layerwise.shell.commands import Command, cd_target_of, join_cwd, split_program
from layerwise.shell.words import Word
from layerwise.syntax.span import MappedText

# A plain word: none of quotes, `$`, escapes, `[`, `~`, `#`, braces, parentheses, redirects,
# `!`, `&`, `|`, `;`, blanks, and no `=` first; `*` and `?` are kept as written (a glob is
# static: its value is the pattern). A command's first word is plainer still: no `=` (`A=1
# cmd` assigns), no glob, none of `:+@%,` and no `-` first, which tree-sitter-bash reads oddly
# there (`a@` and `a+:` come back as errors, `- a=` as no command at all).
_FIRST = r"[A-Za-z0-9_./][A-Za-z0-9_./-]*"
_WORD = r"[A-Za-z0-9_./:+@%,*?-][A-Za-z0-9_./:+@%,=*?-]*"
_COMMAND = rf"{_FIRST}(?:[ \t]+{_WORD})*"
_SCRIPT = re.compile(rf"[ \t]*{_COMMAND}(?:[ \t]*(?:&&|;)[ \t]*{_COMMAND})*[ \t]*")
_TOKEN = re.compile(r"&&|;|[^ \t&;]+")
# Words the grammar reads as more than a command's word: reserved words, and the commands it
# parses on their own (declarations, unset).
_SPECIAL = frozenset(
    {"if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac",
     "in", "function", "select", "time", "coproc", "declare", "typeset", "export", "readonly",
     "local", "unset", "unsetenv"}
)  # fmt: skip


def simple_commands(src: MappedText) -> tuple[Command, ...] | None:
    """The commands of `src` when it is plain words joined by `&&` and `;` (see the module
    doc), as the full parser finds them; None for any other script."""
    text = src.text
    if _SCRIPT.fullmatch(text) is None:
        return None
    offsets = src.offsets
    # Each command: its words, and where its text starts and ends in `text`.
    found: list[tuple[list[Word], int, int]] = []
    operators: list[str] = []
    words: list[Word] = []
    first = last = 0
    for token in _TOKEN.finditer(text):
        raw = token.group()
        if raw == "&&" or raw == ";":
            found.append((words, first, last))
            operators.append(raw)
            words = []
            continue
        if raw in _SPECIAL:
            return None
        start, last = token.span()
        if not words:
            first = start
        words.append(Word(raw, raw, offsets[start], offsets[last - 1] + 1, True))
    found.append((words, first, last))
    commands: list[Command] = []
    cwd: str | None = None
    for index, (group, start, end) in enumerate(found):
        line = tuple(group)
        program_index, n_wrappers = split_program(line, 0)
        commands.append(
            Command(
                line,
                line[0].start,
                line[-1].end,
                text[start:end],
                (),
                line[:n_wrappers],
                operators[index - 1] if index else None,
                operators[index] if index < len(operators) else None,
                cwd,
                (),
                False,
                program_index,
            )
        )
        if program_index is not None and line[program_index].text == "cd":
            cwd = join_cwd(cwd, cd_target_of(line[program_index + 1 :]))
    return tuple(commands)
