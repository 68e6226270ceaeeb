"""Which words of a RUN/COPY/ADD line open a here-document, as BuildKit decides it.

BuildKit runs its shell lexer (frontend/dockerfile/shell/lex.go) over the whole logical line
with raw quotes and raw escapes and leaves unset variables as written, then takes every word
matching `^(\\d*)<<(-?)([^<]*)$`; the rest of the word, lexed again without raw quotes, is the
terminator. A lexing error means "no heredocs". The escape character here is always `\\`,
whatever the escape directive says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layerwise.syntax.words import GO_SPACE

_SPACE = frozenset(GO_SPACE)
_HEREDOC_WORD = re.compile(r"([0-9]*)<<(-?)([^<]*)\Z")
_SPECIAL_PARAMS = frozenset("@*#?-$!0")


class _LexError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class HeredocMarker:
    name: str
    chomp: bool
    quoted: bool
    fd: int
    start: int  # position of the word in the logical line
    end: int


class _Lexer:
    """A port of the parts of BuildKit's shell lexer that decide words (no environment)."""

    def __init__(self, text: str, raw_quotes: bool, raw_escapes: bool) -> None:
        self.s = text
        self.pos = 0
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes

    def words(self) -> list[tuple[str, int, int]]:
        """Words with their `[start, end)` in the text."""
        s, n = self.s, len(self.s)
        words: list[tuple[str, int, int]] = []
        word: list[str] = []
        start = -1

        def flush(end: int) -> None:
            nonlocal start
            if word:
                words.append(("".join(word), start, end))
                word.clear()
            start = -1

        while self.pos < n:
            ch = s[self.pos]
            if start < 0 and ch not in _SPACE:
                start = self.pos
            if ch == "$":
                for c in self._dollar():  # expanded text splits on blanks
                    if c in _SPACE:
                        flush(self.pos)
                    else:
                        word.append(c)
            elif ch == "'":
                word.append(self._single_quote())
            elif ch == '"':
                word.append(self._double_quote())
            else:
                self.pos += 1
                if ch == "\\":
                    if self.raw_escapes:
                        word.append(ch)
                    if self.pos >= n:
                        break
                    word.append(s[self.pos])
                    self.pos += 1
                elif ch in _SPACE:
                    flush(self.pos - 1)
                else:
                    word.append(ch)
        flush(self.pos)
        return words

    def _stop_on(self, stop: str, raw_escapes: bool) -> str:
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        try:
            out: list[str] = []
            s, n = self.s, len(self.s)
            while self.pos < n:
                ch = s[self.pos]
                if ch == stop:
                    self.pos += 1
                    return "".join(out)
                if ch == "$":
                    out.append(self._dollar())
                elif ch == "'":
                    out.append(self._single_quote())
                elif ch == '"':
                    out.append(self._double_quote())
                else:
                    self.pos += 1
                    if ch == "\\":
                        if self.raw_escapes:
                            out.append(ch)
                        if self.pos >= n:
                            break
                        ch = s[self.pos]
                        self.pos += 1
                    out.append(ch)
            raise _LexError(f"missing {stop}")
        finally:
            self.raw_escapes = saved

    def _single_quote(self) -> str:
        s = self.s
        end = s.find("'", self.pos + 1)
        if end < 0:
            raise _LexError("unterminated single quote")
        start, self.pos = self.pos, end + 1
        return s[start : end + 1] if self.raw_quotes else s[start + 1 : end]

    def _double_quote(self) -> str:
        s, n = self.s, len(self.s)
        out = ['"'] if self.raw_quotes else []
        self.pos += 1
        while True:
            if self.pos >= n:
                raise _LexError("unterminated double quote")
            ch = s[self.pos]
            if ch == '"':
                self.pos += 1
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            self.pos += 1
            if ch == "\\":
                if self.raw_escapes:
                    out.append(ch)
                if self.pos >= n:
                    continue
                if s[self.pos] in '"$\\':
                    ch = s[self.pos]
                    self.pos += 1
            out.append(ch)

    def _dollar(self) -> str:
        """`$NAME` and `${...}` stay as written: no variable is set here."""
        s, n = self.s, len(self.s)
        self.pos += 1
        if self.pos >= n or s[self.pos] != "{":
            name = self._name()
            return "$" + name
        self.pos += 1
        if self.pos >= n:
            raise _LexError("missing }")
        if s[self.pos] in "{}:":
            raise _LexError("bad substitution")
        name = self._name()
        if self.pos >= n:
            raise _LexError("unsupported modifier")
        ch = s[self.pos]
        self.pos += 1
        if ch == "}":
            return "${" + name + "}"
        modifier = ch
        if ch == ":":
            if self.pos >= n:
                raise _LexError("missing }")
            ch = s[self.pos]
            self.pos += 1
            modifier += ch
        if ch in "+-?#%":
            word = self._stop_on("}", ch in "#%")
            return "${" + name + modifier + word + "}"
        if modifier == "/":
            if self.pos < n and s[self.pos] == "/":
                self.pos += 1
            pattern = self._stop_on("/", True)
            repl = self._stop_on("}", True)
            return "${" + name + "/" + pattern + "/" + repl + "}"
        raise _LexError("unsupported modifier")

    def _name(self) -> str:
        s, n, start = self.s, len(self.s), self.pos
        if start < n and s[start].isdecimal():
            while self.pos < n and s[self.pos].isdecimal():
                self.pos += 1
            return s[start : self.pos]
        if start < n and s[start] in _SPECIAL_PARAMS:
            self.pos += 1
            return s[start]
        while self.pos < n and (s[self.pos].isalnum() or s[self.pos] == "_"):
            self.pos += 1
        return s[start : self.pos]


def heredoc_markers(line: str) -> list[HeredocMarker]:
    """The heredocs a RUN/COPY/ADD logical line opens, in order (BuildKit's heredocsFromLine)."""
    if "<<" not in line:
        return []
    try:
        words = _Lexer(line, raw_quotes=True, raw_escapes=True).words()
    except _LexError:
        return []
    markers = []
    for word, start, end in words:
        m = _HEREDOC_WORD.match(word)
        if m is None or not m.group(3):
            continue
        rest = m.group(3)
        try:
            plain = _Lexer(rest, raw_quotes=False, raw_escapes=False).words()
            raw = _Lexer(rest, raw_quotes=True, raw_escapes=False).words()
        except _LexError:
            continue
        if len(plain) != 1 or len(raw) != 1:
            continue
        name, raw_name = plain[0][0], raw[0][0]
        quotes = name.count("'") + name.count('"')
        quoted = quotes != raw_name.count("'") + raw_name.count('"')
        fd = int(m.group(1)) if m.group(1) else 0
        markers.append(HeredocMarker(name, m.group(2) == "-", quoted, fd, start, end))
    return markers
