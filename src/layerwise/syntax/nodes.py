"""The lossless Dockerfile tree: immutable nodes that own every character of the file.

Printing a tree writes its leaves in order, so `str(parse(text)) == text` holds by
construction: each node keeps the exact text it was cut from (whitespace, line continuations,
comment lines inside continuations, newlines) next to the meaning BuildKit gives it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from layerwise.frozen import quick_init
from layerwise.syntax.lines import LogicalLine
from layerwise.syntax.shell_source import shell_source
from layerwise.syntax.span import MappedText, Span


class LineIndex:
    """Offsets to 1-based (line, column); a BOM takes no column. Shared by a tree's nodes."""

    __slots__ = ("bom", "starts")

    def __init__(self, starts: tuple[int, ...], bom: bool) -> None:
        self.starts = starts
        self.bom = bom

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        col = offset - self.starts[line - 1] + 1
        if line == 1 and self.bom and offset > 0:
            col -= 1
        return line, col

    def span(self, start: int, end: int) -> Span:
        sl, sc = self.line_col(start)
        el, ec = self.line_col(end)
        return Span(start, end, sl, sc, el, ec)


# Spans are computed when asked for: a tree keeps plain offsets and its LineIndex, which keeps
# parsing fast (most nodes' spans are never looked at).


@dataclass(frozen=True, slots=True)
class _Line:
    text: str  # the whole line, newline included
    start: int = field(repr=False, compare=False)
    index: LineIndex = field(repr=False, compare=False)

    @property
    def span(self) -> Span:
        """The line without its newline."""
        return self.index.span(self.start, self.start + len(self.text.rstrip("\r\n")))


@quick_init
@dataclass(frozen=True, slots=True)
class BlankLine(_Line):
    """A line holding only whitespace; `text` includes its newline."""


@quick_init
@dataclass(frozen=True, slots=True)
class CommentLine(_Line):
    """A `# ...` line (leading whitespace allowed); `text` includes its newline."""

    @property
    def comment(self) -> str:
        """The comment after `#`, stripped."""
        return self.text.lstrip().removeprefix("#").strip()


Trivia = BlankLine | CommentLine


@dataclass(frozen=True, slots=True)
class Directive(_Line):
    """A parser directive at the top of the file: `# syntax=...`, `# escape=...`, `# check=...`."""

    name: str = ""  # lower case
    value: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Flag:
    """An instruction flag such as `--mount=type=cache,target=/root/.npm`."""

    name: str  # "mount"
    value: str | None  # None for a bare `--link`
    text: str  # as written in the file
    after: str  # the text up to the next flag or the body (whitespace, continuations)
    start: int = field(repr=False, compare=False)
    index: LineIndex = field(repr=False, compare=False)

    @property
    def span(self) -> Span:
        return self.index.span(self.start, self.start + len(self.text))


@quick_init
@dataclass(frozen=True, slots=True)
class Heredoc:
    """A here-document attached to RUN/COPY/ADD; it owns its body and terminator lines."""

    name: str
    content: str  # the lines between the marker and the terminator, newlines included
    chomp: bool  # `<<-`: BuildKit strips leading tabs when it uses the content
    quoted: bool  # `<<"EOF"` / `<<'EOF'`: no variable expansion in the content
    terminator: str  # the terminator line as written, without its newline
    eol: str  # the terminator line's newline ("" at the end of the file)
    start: int = field(repr=False, compare=False)  # offset of the content
    marker: tuple[int, int] = field(repr=False, compare=False)
    index: LineIndex = field(repr=False, compare=False)

    @property
    def span(self) -> Span:
        """The body and the terminator line, its newline excluded."""
        end = self.start + len(self.content) + len(self.terminator)
        return self.index.span(self.start, end)

    @property
    def content_span(self) -> Span:
        return self.index.span(self.start, self.start + len(self.content))

    @property
    def marker_span(self) -> Span:
        """The `<<EOF` word on the instruction line."""
        return self.index.span(*self.marker)

    def render(self) -> str:
        """The body and the terminator line, as in the file."""
        return self.content + self.terminator + self.eol


@quick_init
@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction with its trivia; printing it gives back its source exactly."""

    leading: tuple[Trivia, ...]  # blank and comment lines between the previous node and this one
    logical_keyword: str  # as BuildKit reads it (differs only if a continuation splits it)
    flags: tuple[Flag, ...]  # each flag owns the text after it
    heredocs: tuple[Heredoc, ...]
    value: tuple[str, ...]  # exactly as the official parser's Command.value
    is_json: bool
    sub: Instruction | None  # ONBUILD's inner instruction
    start_line: int
    end_line: int
    # The text pieces (indent, keyword, after_keyword, body, eol) are cut from the source on
    # demand at these offsets: line start, keyword start/end, first flag or body, body start,
    # end of the last line's content, end of that line, end of the span, end of the args.
    offsets: tuple[int, int, int, int, int, int, int, int, int] = field(repr=False, compare=False)
    source: str = field(repr=False, compare=False)
    index: LineIndex = field(repr=False, compare=False)
    line: LogicalLine | None = field(repr=False, compare=False)
    args_range: tuple[int, int] = field(repr=False, compare=False)
    # Rules ask for `name` on every instruction many times per check: upper-cased once here.
    name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.logical_keyword.upper())

    @property
    def indent(self) -> str:
        """Text before the keyword on its first line."""
        return self.source[self.offsets[0] : self.offsets[1]]

    @property
    def keyword(self) -> str:
        """The keyword as written: "RUN", "run", "Run"."""
        return self.source[self.offsets[1] : self.offsets[2]]

    @property
    def after_keyword(self) -> str:
        """Text between the keyword and the first flag or the body."""
        return self.source[self.offsets[2] : self.offsets[3]]

    @property
    def body(self) -> str:
        """The arguments as written, through the end of the last line (no newline)."""
        return self.source[self.offsets[4] : self.offsets[5]]

    @property
    def eol(self) -> str:
        """The newline of the last instruction line ("" at the end of the file)."""
        return self.source[self.offsets[5] : self.offsets[6]]

    @property
    def span(self) -> Span:
        """From the keyword to the end of the last line (heredocs included), newline excluded."""
        return self.index.span(self.offsets[1], self.offsets[7])

    @property
    def start(self) -> int:
        """`span.start`, without working out lines and columns."""
        return self.offsets[1]

    @property
    def end(self) -> int:
        """`span.end`, without working out lines and columns."""
        return self.offsets[7]

    @property
    def args_span(self) -> Span:
        """The body after the flags as written, trailing blanks excluded."""
        return self.index.span(self.offsets[4], self.offsets[8])

    @property
    def logical(self) -> MappedText | None:
        """The arguments with continuations joined, each character mapped to its offset."""
        if self.line is None:
            return None
        return self.line.mapped(*self.args_range)

    @property
    def text(self) -> str:
        """The source of `span`."""
        return self.source[self.offsets[1] : self.offsets[7]]

    @property
    def args(self) -> str:
        """The arguments as BuildKit reads them: continuations joined, inner comments gone."""
        return self.line.text[slice(*self.args_range)] if self.line is not None else ""

    def flag(self, name: str) -> Flag | None:
        """The flag called `name` (the last one if repeated: BuildKit's flag parser rejects a
        repeated single-valued flag, only `--mount` and the like may repeat)."""
        for f in reversed(self.flags):  # most instructions have none: no tuple built
            if f.name == name:
                return f
        return None

    def flags_named(self, name: str) -> tuple[Flag, ...]:
        """Every flag called `name`, in order (`--mount` may repeat)."""
        if not self.flags:
            return ()
        return tuple(f for f in self.flags if f.name == name)

    def render(self) -> str:
        """The instruction's source, leading trivia and heredoc bodies included."""
        parts = [t.text for t in self.leading]
        parts += (self.indent, self.keyword, self.after_keyword)
        for f in self.flags:
            parts += (f.text, f.after)
        parts += (self.body, self.eol)
        parts += (h.render() for h in self.heredocs)
        return "".join(parts)

    def __str__(self) -> str:
        return self.render()

    def shell_source(self) -> MappedText | None:
        """The command a shell-form RUN/CMD/ENTRYPOINT hands to the shell, mapped to offsets.

        Line continuations and comment lines inside them are removed. For `RUN <<EOF` alone
        the heredoc content is the script; for `RUN cmd <<EOF` the command line is followed by
        the heredoc lines exactly as in the file, as a shell would read them. None for JSON
        form and for other instructions.
        """
        return shell_source(self)


@dataclass(frozen=True, slots=True)
class Dockerfile:
    """A parsed Dockerfile: `str(tree) == tree.text`, byte for byte."""

    text: str
    path: str | None
    bom: str  # "\ufeff" or ""
    directives: tuple[Directive, ...]
    instructions: tuple[Instruction, ...]
    trailing: tuple[Trivia, ...]  # blank and comment lines after the last instruction
    escape: str  # "\\" or "`"
    newline: str  # the first line ending in the file ("\n" when there is none)
    index: LineIndex = field(repr=False, compare=False)

    def render(self) -> str:
        """The file's text, printed from the tree's leaves."""
        parts = [self.bom]
        parts += (d.text for d in self.directives)
        parts += (i.render() for i in self.instructions)
        parts += (t.text for t in self.trailing)
        return "".join(parts)

    def __str__(self) -> str:
        return self.render()

    def line_col(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a file offset; a BOM takes no column."""
        return self.index.line_col(offset)

    def span(self, start: int, end: int) -> Span:
        """A Span with line/column for the file offsets `[start, end)`."""
        return self.index.span(start, end)
