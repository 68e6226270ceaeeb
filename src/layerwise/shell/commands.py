"""A simple command of a RUN script: its words, what program it runs and how it is chained."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from layerwise.frozen import quick_init
from layerwise.shell.words import Word

# Operators that chain simple commands; "\n" is a newline acting as `;`.
Operator = str

# Wrappers run the command that follows them; the options listed take the next word as value.
_WRAPPER_VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "sudo": frozenset(
        {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "-R", "--user", "--group"}
    ),
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}),
    "exec": frozenset({"-a"}),
    "nohup": frozenset(),
    "time": frozenset({"-f", "--format", "-o", "--output"}),
    "nice": frozenset({"-n", "--adjustment"}),
    "runuser": frozenset({"-u", "--user", "-g", "--group", "-G", "--supp-group"}),
    "gosu": frozenset(),
    "su-exec": frozenset(),
    "tini": frozenset({"-p", "-e"}),
    # GNU findutils xargs(1) (`+0a:E:e::i::I:l::L:n:prs:txP:d:`): `-e`, `-i`, `-l` take their
    # value attached only. What it runs gets its operands from stdin, after those written here.
    "xargs": frozenset(
        {"-a", "--arg-file", "-d", "--delimiter", "-E", "-I", "-L", "-n", "--max-args",
         "-P", "--max-procs", "-s", "--max-chars", "--process-slot-var"}
    ),
}  # fmt: skip
# Wrappers that give the command they run more operands, read from their input.
_FEEDERS = frozenset({"xargs"})
# Wrappers whose first operand is a user, not the program (`gosu node npm ci`).
_WRAPPER_USER_OPERAND = frozenset({"gosu", "su-exec"})


@quick_init
@dataclass(frozen=True, slots=True)
class Command:
    """One simple command (`npm ci --omit=dev`), with the words before it that only set up how it
    runs (`X=1`, `sudo -E`, `env Y=2`).

    Offsets are file offsets; `text` is the command as the shell receives it (line continuations
    removed). `enclosing` names the constructs around it, outermost first: "subshell", "group",
    "if", "for", "while", "case", "function", "substitution", "redirect". `nested` is True inside
    `$( )`, backticks or `<( )`: its output becomes part of another command.

    Under `xargs` (`cat pkgs | xargs apt-get install -y`) the program also gets operands read
    from its input at run time: `operands()` ends with one word standing for them (empty, not
    static, at the command's end), so a check for "no operands" or "only these names" does not
    take `xargs npm install` for a bare `npm install`.
    """

    words: tuple[Word, ...]
    start: int
    end: int
    text: str
    assignments: tuple[Word, ...] = ()
    wrappers: tuple[Word, ...] = ()
    operator_before: Operator | None = None
    operator_after: Operator | None = None
    cwd_hint: str | None = None
    enclosing: tuple[str, ...] = ()
    nested: bool = False
    program_index: int | None = field(default=None, repr=False)
    # Derived once: rules ask for these thousands of times per file.
    program_word: Word | None = field(init=False, repr=False, compare=False)
    program: str | None = field(init=False, compare=False)
    program_name: str | None = field(init=False, repr=False, compare=False)
    args: tuple[Word, ...] = field(init=False, repr=False, compare=False)
    _operands: dict[frozenset[str], tuple[Word, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _option_words: tuple[Word, ...] | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        index = self.program_index
        word = None if index is None else self.words[index]
        name = None if word is None else word.text
        setattr_ = object.__setattr__
        # program_word: the word naming the program, after assignments and wrappers.
        setattr_(self, "program_word", word)
        # program: as the shell sees it (`/usr/bin/apt-get` stays as is).
        setattr_(self, "program", name)
        # program_name: the basename (`/usr/bin/apt-get` -> `apt-get`).
        setattr_(self, "program_name", None if name is None else name.rsplit("/", 1)[-1])
        # args: the words after the program.
        setattr_(self, "args", () if index is None else self.words[index + 1 :])
        setattr_(self, "_operands", {})

    @property
    def top_level(self) -> bool:
        """Not inside any subshell, group, control structure or substitution."""
        return not self.enclosing

    def operands(self, value_options: Iterable[str] = frozenset()) -> tuple[Word, ...]:
        """The arguments that are neither options nor the values of `value_options`.

        After `--` every word is an operand. `--opt=value` carries its own value.
        """
        values = frozenset(value_options)
        cached = self._operands.get(values)
        if cached is None:
            cached = self._operands[values] = self._find_operands(values)
        return cached

    def _find_operands(self, values: frozenset[str]) -> tuple[Word, ...]:
        out: list[Word] = []
        args = self.args
        i = 0
        while i < len(args):
            word = args[i]
            if word.text == "--" and word.is_static:
                out.extend(args[i + 1 :])
                break
            if word.is_option:
                if word.text in values:
                    i += 1  # skip its value
            else:
                out.append(word)
            i += 1
        if any(w.text.rsplit("/", 1)[-1] in _FEEDERS for w in self.wrappers):
            out.append(Word("", "", self.end, self.end, False))
        return tuple(out)

    def option_words(self) -> tuple[Word, ...]:
        """The arguments that look like options (before any `--`). Worked out once: every
        `has_option` and `find_option` reads them, and an install may name dozens of packages."""
        found = self._option_words
        if found is None:
            out: list[Word] = []
            for word in self.args:
                if word.text == "--" and word.is_static:
                    break
                if word.is_option:
                    out.append(word)
            found = tuple(out)
            object.__setattr__(self, "_option_words", found)
        return found

    def has_option(self, *names: str) -> bool:
        """True when any of `names` is given: `--flag`, `--flag=value`, or a one-letter `-y`
        inside a cluster like `-qy`."""
        return any(self.find_option(name) is not None for name in names)

    def find_option(self, name: str) -> Word | None:
        """The first word giving option `name` (see `has_option`)."""
        short = len(name) == 2 and name[0] == "-" and name[1] != "-"
        for word in self.option_words():
            text = word.text
            if text == name or (name.startswith("--") and text.startswith(name + "=")):
                return word
            if short and not text.startswith("--") and text[1:].isalpha() and name[1] in text:
                return word
        return None

    def option_value(self, *names: str) -> str | None:
        """The value given to the first of `names` found: `--x=v`, `--x v` or `-x v`."""
        args = self.args
        for i, word in enumerate(args):
            if word.text == "--" and word.is_static:
                break
            for name in names:
                if word.text.startswith(name + "=") and name.startswith("--"):
                    return word.text[len(name) + 1 :]
                if word.text == name and i + 1 < len(args):
                    return args[i + 1].text
        return None


def split_program(words: tuple[Word, ...], n_assignments: int) -> tuple[int | None, int]:
    """Where the program word is, skipping `VAR=x` prefixes and wrappers like `sudo -E` or
    `env -i X=1`. Returns (program index or None, number of wrapper words)."""
    i = n_assignments
    while i < len(words):
        word = words[i]
        name = word.text.rsplit("/", 1)[-1] if word.is_static else None
        value_options = _WRAPPER_VALUE_OPTIONS.get(name or "")
        if value_options is None:
            return i, i - n_assignments
        i += 1
        while i < len(words):
            text = words[i].text
            if not words[i].is_static:
                break
            if text == "--":
                i += 1
                break
            if name == "env" and "=" in text and not text.startswith("-"):
                i += 1
                continue
            if not text.startswith("-") or text == "-":
                break
            i += 2 if text in value_options or _ends_in_value_option(text, value_options) else 1
        if name in _WRAPPER_USER_OPERAND:
            i += 1
    return None, i - n_assignments


def _ends_in_value_option(text: str, value_options: frozenset[str]) -> bool:
    """A cluster of one-letter options whose value is the next word (`-rn 1`, `-Eu node`):
    the first letter that takes a value is the last one (before it, `-rn1` holds the value)."""
    if text.startswith("--") or len(text) < 3:
        return False
    for k, letter in enumerate(text[1:], start=1):
        if f"-{letter}" in value_options:
            return k == len(text) - 1
    return False


def cd_target_of(args: tuple[Word, ...]) -> str:
    """Where `cd ARGS` goes: its first operand (as written when not static), `~` for none."""
    operands = [w for w in args if not (w.is_option and w.text in ("-P", "-L", "-e", "-@"))]
    if not operands:
        return "~"
    word = operands[0]
    return word.text if word.is_static else word.raw


def join_cwd(base: str | None, target: str) -> str:
    """The directory after `cd target` from `base` (None: unknown, the WORKDIR)."""
    if base is None or target.startswith(("/", "~", "$")) or target == "-":
        return target
    return posixpath.normpath(posixpath.join(base, target))
