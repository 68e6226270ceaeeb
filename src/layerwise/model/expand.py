"""BuildKit's word expansion: `$VAR`, `${VAR...}`, quotes and escapes, as the Dockerfile frontend
does it before an instruction runs (moby/buildkit frontend/dockerfile/shell/lex.go, `ProcessWord`).

This is not a shell: there is no command substitution, globbing or field splitting of values,
and a value is never re-expanded. What BuildKit does, we do:

- `$NAME` and `${NAME}`; a name is letters, digits and `_`, or a run of digits (`$10`), or one
  special character (`$@ $* $# $? $- $$ $! $0`), which are never set and expand to "".
  A `$` not followed by a name stays a literal `$`.
- `${NAME:-word}` / `${NAME-word}`: the value, or `word` when unset (`:`: also when empty).
  `${NAME:+word}` / `${NAME+word}`: `word` when set (`:`: and non-empty), else "".
  `${NAME:?msg}` / `${NAME?msg}`: the value, or an error when unset (`:`: or empty).
  `${NAME#pat}` `${NAME##pat}` `${NAME%pat}` `${NAME%%pat}`: strip the shortest/longest prefix
  or suffix matching a glob (`*`, `?`, `\\` escapes; no brackets).
  `${NAME/pat/rep}` `${NAME//pat/rep}`: replace the first/every match.
  `word` is itself expanded, so `${A:-$B}` works.
- Outside quotes the escape character (`\\`, or `` ` `` after `# escape=``) makes the next
  character literal and is removed. Single quotes keep everything literal. In double quotes `$`
  expands and the escape character only escapes `"`, `$` and itself.

Version differences (the frontend is versioned separately from the engine; Docker 20.10 ships
BuildKit 0.8's frontend): 0.8 knows `${NAME}`, `${NAME:-w}`, `${NAME:+w}`, `${NAME?w}` and
`${NAME:?w}` only, and rejects `${NAME-w}`, `${NAME+w}`, `${NAME#p}`, `${NAME%p}` and
`${NAME/p/r}` with "missing ':' in substitution" (checked on Docker 20.10.24's built-in
frontend; `Expansion.modifiers` / LEGACY_MODIFIERS let a rule spot the newer forms).
The unset-only forms, the `#`/`%` trims and the `/` replacements came with later frontends
(the Dockerfile reference first listed the trims and replacements as pre-release, behind
`# syntax=docker/dockerfile-upstream:master`). We implement the current frontend; a file that
relies on the newer forms needs a recent `# syntax=` line on an old engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from layerwise.errors import ErrorText, KeyedError
from layerwise.frozen import quick_init
from layerwise.model import refusals
from layerwise.model.patterns import InvalidEscape, replace_glob, trim_prefix, trim_suffix

_SPECIAL_PARAMS = frozenset("@*#?-$!0")
_EOF = ""
# The characters that mean something to the lexer, per escape character: the others are copied
# a run at a time (a quoted LABEL or ENV value is mostly such a run).
_OUTSIDE = {esc: re.compile(f"[$'\"{re.escape(esc)}]") for esc in "\\`"}
_INSIDE_DOUBLE = {esc: re.compile(f'[$"{re.escape(esc)}]') for esc in "\\`"}
# The `${NAME<op>...}` operators Docker 20.10's built-in frontend (BuildKit 0.8) accepts.
LEGACY_MODIFIERS = frozenset({":-", ":+", ":?", "?"})


class ExpansionError(KeyedError):
    """A word BuildKit refuses to expand (bad substitution, unterminated quote, `${X:?}`...):
    one of the texts of `refusals`, its `word` field the word as written.

    `required` names the variable when the error is a `${NAME?}` / `${NAME:?}` check that
    failed (a build may set it with --build-arg); None for a malformed word.
    """

    def __init__(
        self, text: ErrorText, fields: Mapping[str, object], *, required: str | None = None
    ) -> None:
        super().__init__(text, fields)
        self.required = required


class _Refused(Exception):
    """Where the lexer stops, before `run` knows the word it stopped in."""

    def __init__(self, text: ErrorText, required: str | None = None, **fields: object) -> None:
        super().__init__(text.key)
        self.text = text
        self.fields = fields
        self.required = required


@quick_init
@dataclass(frozen=True, slots=True)
class Expansion:
    """The result of expanding one word, with the variables it looked up."""

    text: str
    words: tuple[str, ...] = ()
    used: frozenset[str] = field(default_factory=frozenset)  # looked up and set
    missing: frozenset[str] = field(default_factory=frozenset)  # looked up and unset
    modifiers: frozenset[str] = field(default_factory=frozenset)  # ":-", "#", "//"...

    @property
    def needs_newer_frontend(self) -> bool:
        """Uses an operator Docker 20.10's built-in frontend rejects (see LEGACY_MODIFIERS)."""
        return not self.modifiers <= LEGACY_MODIFIERS


def expand(word: str, variables: Mapping[str, str | None], *, escape: str = "\\") -> str:
    """Expand `word` the way BuildKit's `ProcessWord` does.

    `variables` maps names to values; a name mapped to None (an ARG declared without a value)
    counts as unset, like a missing name. Raises ExpansionError (a LayerwiseError without a
    location) on a bad substitution.
    """
    if not _needs_work(word, escape):
        return word
    return _Lexer(word, variables, escape).run().text


def expand_word(
    word: str, variables: Mapping[str, str | None], *, escape: str = "\\", split: bool = False
) -> Expansion:
    """Like `expand`, also reporting the variables used and missing.

    With `split`, `.words` holds BuildKit's `ProcessWords` split (on unquoted whitespace, after
    expansion), as EXPOSE uses it.
    """
    if not _needs_work(word, escape):
        return Expansion(word, tuple(word.split()) if split else ())
    return _Lexer(word, variables, escape, split=split).run()


def escape_literal(text: str, *, escape: str = "\\") -> str:
    """Quote `text` so that `expand` gives it back unchanged, whatever the variables."""
    out = []
    for ch in text:
        if ch in "$'\"" or ch == escape:
            out.append(escape)
        out.append(ch)
    return "".join(out)


def _needs_work(word: str, escape: str) -> bool:
    return "$" in word or "'" in word or '"' in word or escape in word


class _Words:
    """Field splitting that follows BuildKit's `wordsStruct` exactly."""

    __slots__ = ("in_word", "word", "words")

    def __init__(self) -> None:
        self.words: list[str] = []
        self.word = ""
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if ch.isspace():
            if self.in_word and self.word:
                self.words.append(self.word)
                self.word = ""
                self.in_word = False
        else:
            self.add_raw(ch)

    def add_string(self, text: str) -> None:
        for ch in text:
            self.add_char(ch)

    def add_raw(self, text: str) -> None:
        self.word += text
        self.in_word = True

    def done(self) -> tuple[str, ...]:
        if self.word:
            self.words.append(self.word)
        return tuple(self.words)


class _Lexer:
    __slots__ = (
        "escape",
        "missing",
        "modifiers",
        "pos",
        "raw_escapes",
        "split",
        "src",
        "used",
        "variables",
    )

    def __init__(
        self, src: str, variables: Mapping[str, str | None], escape: str, *, split: bool = False
    ) -> None:
        self.src = src
        self.pos = 0
        self.variables = variables
        self.escape = escape
        self.split = split
        self.raw_escapes = False
        self.used: set[str] = set()
        self.missing: set[str] = set()
        self.modifiers: set[str] = set()

    def run(self) -> Expansion:
        try:
            text, words = self.process_until(_EOF, raw_escapes=False)
        except _Refused as exc:
            fields = {"word": self.src, **exc.fields}
            raise ExpansionError(exc.text, fields, required=exc.required) from None
        return Expansion(
            text,
            words,
            frozenset(self.used),
            frozenset(self.missing),
            frozenset(self.modifiers),
        )

    def peek(self) -> str:
        return self.src[self.pos] if self.pos < len(self.src) else _EOF

    def next(self) -> str:
        if self.pos >= len(self.src):
            return _EOF
        ch = self.src[self.pos]
        self.pos += 1
        return ch

    def lookup(self, name: str) -> tuple[str, bool]:
        value = self.variables.get(name)
        if value is None:
            self.missing.add(name)
            return "", False
        self.used.add(name)
        return value, True

    def process_until(self, stop: str, *, raw_escapes: bool) -> tuple[str, tuple[str, ...]]:
        """BuildKit's processStopOn: read up to `stop` (consumed) or the end for _EOF."""
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        try:
            return self._process_until(stop)
        finally:
            self.raw_escapes = saved

    def _process_until(self, stop: str) -> tuple[str, tuple[str, ...]]:
        out: list[str] = []
        words = _Words() if self.split else None
        src, n, esc = self.src, len(self.src), self.escape
        special = _OUTSIDE.get(esc) if words is None else None
        while self.pos < n:
            if special is not None:
                # Copy the run of ordinary characters up to the next special one (or `stop`).
                found = special.search(src, self.pos)
                end = n if found is None else found.start()
                if stop:
                    at = src.find(stop, self.pos, end)
                    end = end if at < 0 else at
                if end > self.pos:
                    out.append(src[self.pos : end])
                    self.pos = end
                    continue
            ch = src[self.pos]
            if stop and ch == stop:
                self.pos += 1
                return "".join(out), words.done() if words is not None else ()
            if ch == "$":
                value = self.dollar()
                out.append(value)
                if words is not None:
                    words.add_string(value)
            elif ch == "'" or ch == '"':
                value = self.single_quoted() if ch == "'" else self.double_quoted()
                out.append(value)
                if words is not None:
                    words.add_raw(value)
            else:
                self.pos += 1
                if ch == esc:
                    if self.raw_escapes:
                        out.append(ch)
                        if words is not None:
                            words.add_raw(ch)
                    if self.pos >= n:
                        break  # a trailing escape character is dropped
                    ch = src[self.pos]
                    self.pos += 1
                    if words is not None:
                        words.add_raw(ch)
                elif words is not None:
                    words.add_char(ch)
                out.append(ch)
        if stop:
            raise _Refused(refusals.UNMATCHED, stop=stop)
        return "".join(out), words.done() if words is not None else ()

    def single_quoted(self) -> str:
        self.pos += 1
        end = self.src.find("'", self.pos)
        if end < 0:
            raise _Refused(refusals.UNMATCHED_SINGLE_QUOTE)
        text = self.src[self.pos : end]
        self.pos = end + 1
        return text

    def double_quoted(self) -> str:
        self.pos += 1
        out: list[str] = []
        esc = self.escape
        special = _INSIDE_DOUBLE.get(esc)
        while True:
            if special is not None:
                found = special.search(self.src, self.pos)
                end = len(self.src) if found is None else found.start()
                if end > self.pos:  # a run of ordinary characters, copied at once
                    out.append(self.src[self.pos : end])
                    self.pos = end
            ch = self.peek()
            if ch == _EOF:
                raise _Refused(refusals.UNMATCHED_DOUBLE_QUOTE)
            if ch == '"':
                self.pos += 1
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
                continue
            self.pos += 1
            if ch == esc:
                if self.raw_escapes:
                    out.append(ch)
                following = self.peek()
                if following == _EOF:
                    continue
                if following in ('"', "$", esc):
                    ch = self.next()
            out.append(ch)

    def name(self) -> str:
        src, start, n = self.src, self.pos, len(self.src)
        if start >= n:
            return ""
        first = src[start]
        if first.isdecimal():
            end = start + 1
            while end < n and src[end].isdecimal():
                end += 1
            self.pos = end
            return src[start:end]
        if first in _SPECIAL_PARAMS:
            self.pos += 1
            return first
        end = start
        while end < n and (src[end].isalpha() or src[end].isdecimal() or src[end] == "_"):
            end += 1
        self.pos = end
        return src[start:end]

    def dollar(self) -> str:
        self.pos += 1  # the `$`
        if self.peek() != "{":
            name = self.name()
            if not name:
                return "$"
            return self.lookup(name)[0]
        self.pos += 1  # the `{`
        following = self.peek()
        if following == _EOF:
            raise _Refused(refusals.MISSING_BRACE)
        if following in "{}:":
            raise _Refused(refusals.BAD_SUBSTITUTION)
        name = self.name()
        ch = self.next()
        if ch == _EOF:
            raise _Refused(refusals.MISSING_BRACE)
        if ch == "}":
            return self.lookup(name)[0]
        if ch in ":+-?#%":
            return self.modifier(name, ch)
        if ch == "/":
            return self.replace(name)
        raise _Refused(refusals.UNSUPPORTED_MODIFIER, modifier=ch)

    def modifier(self, name: str, ch: str) -> str:
        null_is_unset = ch == ":"
        modifier = ch
        if null_is_unset:
            ch = self.next()
            modifier += ch
        try:
            word, _ = self.process_until("}", raw_escapes=ch in "#%" and ch != _EOF)
        except _Refused:
            if self.peek() == _EOF:
                raise _Refused(refusals.MISSING_BRACE) from None
            raise
        value, is_set = self.lookup(name)
        empty = not is_set or (null_is_unset and value == "")
        if ch in "-+?":
            self.modifiers.add(modifier)
        if ch == "-":
            return word if empty else value
        if ch == "+":
            return "" if empty else word
        if ch == "?":
            if not empty:
                return value
            if is_set:
                text = refusals.EMPTY_WITH_REASON if word else refusals.EMPTY
            else:
                text = refusals.UNSET_WITH_REASON if word else refusals.UNSET
            reason = {"reason": word} if word else {}
            raise _Refused(text, required=name, name=name, **reason)
        if ch == "#" or ch == "%":
            greedy = word.startswith(ch)
            if greedy:
                word = word[1:]
            self.modifiers.add(modifier + ch if greedy else modifier)
            try:
                if ch == "%":
                    return trim_suffix(word, value, greedy=greedy)
                return trim_prefix(word, value, greedy=greedy)
            except InvalidEscape as exc:
                pattern, escaped = exc.pattern, exc.escaped
                raise _Refused(refusals.INVALID_PATTERN, pattern=pattern, escaped=escaped) from None
        raise _Refused(refusals.UNSUPPORTED_MODIFIER, modifier=modifier)

    def replace(self, name: str) -> str:
        replace_all = self.peek() == "/"
        if replace_all:
            self.pos += 1
        self.modifiers.add("//" if replace_all else "/")
        try:
            pattern, _ = self.process_until("/", raw_escapes=True)
        except _Refused:
            if self.peek() == _EOF:
                raise _Refused(refusals.MISSING_SLASH) from None
            raise
        try:
            replacement, _ = self.process_until("}", raw_escapes=True)
        except _Refused:
            if self.peek() == _EOF:
                raise _Refused(refusals.MISSING_BRACE) from None
            raise
        value, _ = self.lookup(name)
        try:
            return replace_glob(value, pattern, replacement, every=replace_all)
        except InvalidEscape as exc:
            pattern, escaped = exc.pattern, exc.escaped
            raise _Refused(refusals.INVALID_PATTERN, pattern=pattern, escaped=escaped) from None
