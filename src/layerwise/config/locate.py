"""Where a key or a value sits in a TOML text, for `path:line:col` errors.

`tomllib` (the standard library's TOML reader) checks the syntax and gives the values, but no
positions; tomlkit keeps formatting, not positions either. So this module walks the text once
more, after tomllib has accepted it, and records the offset of every key under its full dotted
path: table headers, dotted keys, inline tables and arrays of tables, with strings (multi-line
ones included) and comments skipped, so a `select =` inside a string never counts.
"""

from __future__ import annotations

from dataclasses import dataclass

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SPACE = " \t"


@dataclass(frozen=True, slots=True)
class Positions:
    """Offsets of the keys of one TOML text, by full path (`("tool", "layerwise", "select")`)."""

    text: str
    keys: dict[tuple[str, ...], int]

    @classmethod
    def of(cls, text: str) -> Positions:
        scanner = _Scanner(text)
        scanner.document()
        return cls(text, scanner.keys)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    def key(self, path: tuple[str, ...]) -> tuple[int, int]:
        """Where the key at `path` is written; else its closest written parent; else 1:1."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.keys:
                return self.line_col(self.keys[path[:end]])
        return 1, 1

    def value(self, path: tuple[str, ...], item: str) -> tuple[int, int]:
        """Where the string `item` is written in the value of `path` (a list of codes, say);
        the key when it cannot be told apart."""
        start = self.keys.get(path)
        if start is None:
            return self.key(path)
        for quote in ('"', "'"):
            at = self.text.find(f"{quote}{item}{quote}", start)
            if at >= 0:
                return self.line_col(at)
        return self.line_col(start)


class _Scanner:
    """A reader for text tomllib has accepted: it only needs to find keys, not to judge."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.keys: dict[tuple[str, ...], int] = {}

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def skip(self, chars: str) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1

    def skip_trivia(self, newlines: bool) -> None:
        """Whitespace and comments (and newlines, inside arrays and between statements)."""
        while self.pos < len(self.text):
            self.skip(_SPACE + ("\r\n" if newlines else ""))
            if self.peek() != "#":
                return
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end < 0 else (end + 1 if newlines else end)

    def document(self) -> None:
        table: tuple[str, ...] = ()
        while True:
            self.skip_trivia(newlines=True)
            if self.pos >= len(self.text):
                return
            if self.peek() == "[":
                double = self.peek(2) == "[["
                self.pos += 2 if double else 1
                table = self.dotted_key(())
                self.pos += 2 if double else 1
            else:
                path = self.dotted_key(table)
                self.skip(_SPACE)
                self.pos += 1  # "="
                self.value(path)
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end < 0 else end + 1  # rest of the line: trivia

    def dotted_key(self, prefix: tuple[str, ...]) -> tuple[str, ...]:
        """Read `a."b c".d`, record each prefix's first position, return the full path."""
        path = prefix
        while True:
            self.skip(_SPACE)
            start = self.pos
            path = (*path, self.simple_key())
            self.keys.setdefault(path, start)
            self.skip(_SPACE)
            if self.peek() != ".":
                return path
            self.pos += 1

    def simple_key(self) -> str:
        start = self.pos
        if self.peek() in ('"', "'"):
            import tomllib  # loaded by the file's reading already

            self.string()
            return str(tomllib.loads(f"k = {self.text[start : self.pos]}")["k"])
        self.skip("".join(_BARE))
        return self.text[start : self.pos]

    def string(self) -> None:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            end = self.text.find(quote * 3, self.pos + 3)
            while quote == '"' and _escaped(self.text, end):
                end = self.text.find(quote * 3, end + 1)
            self.pos = end + 3
            self.skip(quote)  # up to two quotes may end the content
            return
        self.pos += 1
        while self.pos < len(self.text) and self.text[self.pos] != quote:
            self.pos += 2 if quote == '"' and self.text[self.pos] == "\\" else 1
        self.pos += 1

    def value(self, path: tuple[str, ...]) -> None:
        self.skip(_SPACE)
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.pos += 1
            while True:
                self.skip_trivia(newlines=True)
                if self.peek() in ("]", ""):
                    self.pos += 1
                    return
                self.value(path)
                self.skip_trivia(newlines=True)
                if self.peek() == ",":
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.skip(_SPACE)
                if self.peek() in ("}", ""):
                    self.pos += 1
                    return
                inner = self.dotted_key(path)
                self.skip(_SPACE)
                self.pos += 1  # "="
                self.value(inner)
                self.skip(_SPACE)
                if self.peek() == ",":
                    self.pos += 1
        else:  # number, boolean, date: up to whatever ends a value
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}#\r\n":
                self.pos += 1


def _escaped(text: str, at: int) -> bool:
    """Whether the character at `at` is escaped by an odd run of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1
