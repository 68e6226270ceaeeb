"""`parse(text)`: BuildKit's line loop (frontend/dockerfile/parser/parser.go) as a lossless tree.

The loop mirrors BuildKit's: parser directives only at the very top, comment and blank lines
skipped (also inside continuations), the escape character ending a line joins the next one,
heredoc bodies read after the instruction's last line. Where BuildKit reports an error, a
DockerfileSyntaxError with the line and column is raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from layerwise.errors import ErrorText
from layerwise.syntax import messages
from layerwise.syntax.heredoc_words import heredoc_markers
from layerwise.syntax.lines import LogicalLine, PhysicalLine, split_lines
from layerwise.syntax.messages import DockerfileSyntaxError
from layerwise.syntax.nodes import (
    BlankLine,
    CommentLine,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    LineIndex,
    Trivia,
)
from layerwise.syntax.values import HEREDOC_KEYWORDS, Parsed, parse_logical
from layerwise.syntax.words import GO_SPACE

_DIRECTIVE = re.compile(
    r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*"
)
# `check` is a directive from Dockerfile frontend 1.8 on; the v0.12 oracle still reads it as
# a comment, which is the one place we knowingly follow newer BuildKit.
DIRECTIVE_NAMES = frozenset({"syntax", "escape", "check"})
_MAX_LINE_BYTES = 65536  # bufio.MaxScanTokenSize


class _Builder:
    """Turns the pieces of one parsed instruction into nodes with exact spans."""

    def __init__(self, tree: _Positions) -> None:
        self.tree = tree

    def instruction(
        self,
        parsed: Parsed,
        logical: LogicalLine,
        line_start: int,
        content_end: int,
        leading: tuple[Trivia, ...],
        line_end: int,
        heredocs: tuple[Heredoc, ...],
        lines: tuple[int, int],
        end: int,
    ) -> Instruction:
        text = self.tree.text
        split = parsed.split
        has_args = split.args[0] < split.args[1]
        if len(logical.parts) == 1 and not split.flags:  # the common case: one plain line
            base = logical.base
            kw_start, kw_end = base + split.keyword[0], base + split.keyword[1]
            body_start = base + split.args[0] if has_args else content_end
            args_end = base + split.args[1] if has_args else body_start
            return self._make(
                parsed, logical, line_start, (kw_start, kw_end, body_start, args_end),
                content_end, leading, line_end, heredocs, lines, end, (),
            )  # fmt: skip
        if logical.parts:
            start_of, end_of = logical.token_start, logical.token_end
        else:  # only line continuations: everything sits at the end of the last line

            def start_of(i: int) -> int:
                return content_end

            end_of = start_of
        kw_start = start_of(split.keyword[0])
        kw_end = kw_start if split.keyword[0] == split.keyword[1] else end_of(split.keyword[1])
        body_start = start_of(split.args[0]) if has_args else content_end
        flags: tuple[Flag, ...] = ()
        if split.flags:
            index = self.tree.index
            token_starts = [start_of(f[0]) for f in split.flags] + [body_start]
            found = []
            for k, (_, fe, ftext) in enumerate(split.flags):
                f_start, f_end = token_starts[k], end_of(fe)
                name, eq, flag_value = ftext[2:].partition("=")
                after = text[f_end : token_starts[k + 1]]
                value = flag_value if eq else None
                found.append(Flag(name, value, text[f_start:f_end], after, f_start, index))
            flags = tuple(found)
        args_end = end_of(split.args[1]) if has_args else body_start
        return self._make(
            parsed, logical, line_start, (kw_start, kw_end, body_start, args_end),
            content_end, leading, line_end, heredocs, lines, end, flags,
        )  # fmt: skip

    def _make(
        self,
        parsed: Parsed,
        logical: LogicalLine,
        line_start: int,
        tokens: tuple[int, int, int, int],  # keyword start/end, body start, args end
        content_end: int,
        leading: tuple[Trivia, ...],
        line_end: int,
        heredocs: tuple[Heredoc, ...],
        lines: tuple[int, int],
        end: int,
        flags: tuple[Flag, ...],
    ) -> Instruction:
        kw_start, kw_end, body_start, args_end = tokens
        sub = None
        value, is_json = parsed.value, parsed.is_json
        if parsed.sub is not None:
            sub = self.instruction(
                parsed.sub,
                logical,
                body_start,
                content_end,
                (),
                content_end,
                (),
                lines,
                content_end,
            )
            value, is_json = parsed.sub.value, parsed.sub.is_json
        first_token = flags[0].start if flags else body_start
        return Instruction(
            leading,
            parsed.keyword,
            flags,
            heredocs,
            value,
            is_json,
            sub,
            lines[0],
            lines[1],
            (
                line_start,
                kw_start,
                kw_end,
                first_token,
                body_start,
                content_end,
                line_end,
                end,
                args_end,
            ),
            self.tree.text,
            self.tree.index,
            logical if logical.parts else None,
            parsed.split.args,
        )


class _Positions:
    """The text and its line index while the tree is being built."""

    def __init__(self, text: str, lines: list[PhysicalLine], bom: str) -> None:
        self.text = text
        starts = [ln.start for ln in lines] or [0]
        if lines and text.endswith("\n"):
            starts.append(len(text))
        self.index = LineIndex(tuple(starts), bool(bom))

    def line_col(self, offset: int) -> tuple[int, int]:
        return self.index.line_col(offset)


def _continuation(content: str, escape: str) -> tuple[bool, str]:
    """BuildKit's lineContinuationRegex: the escape char last (blanks after it allowed),
    not itself escaped. Returns (continues, the line without it)."""
    stripped = content.rstrip(" \t")
    if stripped.endswith(escape) and (len(stripped) == 1 or stripped[-2] != escape):
        return True, stripped[:-1]
    return False, content


def _read_heredocs(
    text: str,
    lines: list[PhysicalLine],
    i: int,
    logical: LogicalLine,
    index: LineIndex,
    fail: Callable[..., DockerfileSyntaxError],
) -> tuple[tuple[Heredoc, ...], int]:
    """The heredoc bodies opened on `logical`, read from line `i` on, and the next line index.

    Each body runs to the first line equal to its name (tabs stripped first for `<<-`).
    """
    heredocs = []
    n = len(lines)
    for marker in heredoc_markers(logical.text):
        body_start = lines[i].start if i < n else len(text)
        term = None
        while i < n:
            cand = lines[i]
            i += 1
            if (cand.content.lstrip("\t") if marker.chomp else cand.content) == marker.name:
                term = cand
                break
        marker_start = logical.offset(marker.start)
        if term is None:
            raise fail(messages.UNTERMINATED_HEREDOC, marker_start)
        heredocs.append(
            Heredoc(
                name=marker.name,
                content=text[body_start : term.start],
                chomp=marker.chomp,
                quoted=marker.quoted,
                terminator=term.content,
                eol=text[term.content_end : term.end],
                start=body_start,
                marker=(marker_start, logical.end_offset(marker.end)),
                index=index,
            )
        )
    return tuple(heredocs), i


def parse(text: str, *, path: str | None = None) -> Dockerfile:
    """Parse Dockerfile text into a lossless tree; `str(tree) == text`.

    Raises DockerfileSyntaxError (with line and column) wherever BuildKit's parser fails.
    """
    lines = split_lines(text)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    pos = _Positions(text, lines, bom)
    builder = _Builder(pos)

    def fail(text: ErrorText, offset: int, **fields: object) -> DockerfileSyntaxError:
        line, col = pos.line_col(offset)
        return DockerfileSyntaxError(text, fields, path=path, line=line, col=col)

    escape = "\\"
    directives: list[Directive] = []
    seen: set[str] = set()
    done = False
    trivia: list[Trivia] = []
    instructions: list[Instruction] = []
    i, n = 0, len(lines)
    # A line needs at least a quarter of the limit in characters (UTF-8: at most 4 bytes each)
    # to reach it: a shorter file has none, and most files are far shorter.
    for ln in lines if len(text) > _MAX_LINE_BYTES // 4 else ():
        if ln.end - ln.start > _MAX_LINE_BYTES // 4 and len(
            text[ln.start : ln.end].encode("utf-8", "surrogatepass")
        ) >= _MAX_LINE_BYTES + (ln.end > ln.content_end):
            raise fail(messages.LINE_TOO_LONG, ln.start, limit=_MAX_LINE_BYTES - 1)
    while i < n:
        ln = lines[i]
        if i == 0 and bom:
            start, content = ln.start + 1, ln.content[1:]
        else:
            start, content = ln.start, ln.content
        stripped = content.lstrip(GO_SPACE)
        lead = start + len(content) - len(stripped)
        if not done:
            m = _DIRECTIVE.fullmatch(stripped)
            name = m.group(1).lower() if m else ""
            if m and name in DIRECTIVE_NAMES:
                if name in seen:
                    raise fail(messages.DUPLICATE_DIRECTIVE, lead, directive=name)
                seen.add(name)
                value = m.group(2)
                if name == "escape":
                    if value not in ("`", "\\"):
                        raise fail(messages.INVALID_ESCAPE, lead, token=value)
                    escape = value
                directives.append(Directive(text[start : ln.end], start, pos.index, name, value))
                i += 1
                continue
            done = True
        is_comment = stripped.startswith("#")
        if is_comment or not stripped:
            cont, piece = False, ""
        elif stripped[-1] in " \t" or stripped[-1] == escape:
            cont, piece = _continuation(stripped, escape)
        else:  # the common case: nothing at the end of the line to look at
            cont, piece = False, stripped
        if not cont and not piece:
            node = CommentLine if is_comment else BlankLine
            trivia.append(node(text[start : ln.end], start, pos.index))
            i += 1
            continue
        first = i
        logical = LogicalLine(lead, piece)
        i += 1
        while cont and i < n:
            nxt = lines[i]
            i += 1
            rest = nxt.content.lstrip(GO_SPACE)
            if not rest or rest.startswith("#"):
                continue
            cont, piece = _continuation(nxt.content, escape)
            logical.add(nxt.start, piece)
        last = lines[i - 1]
        line = logical.finish()
        try:
            parsed = parse_logical(line, escape)
        except DockerfileSyntaxError as exc:
            raise fail(exc.text, lead, **exc.fields) from None
        node_parsed = parsed.sub if parsed.sub is not None else parsed
        heredocs: tuple[Heredoc, ...] = ()
        end = last.content_end
        if (
            "<<" in line  # no heredoc marker possible: skip the lookup (most RUN/COPY lines)
            and node_parsed.keyword.lower() in HEREDOC_KEYWORDS
            and not node_parsed.is_json
        ):
            heredocs, i = _read_heredocs(text, lines, i, logical, pos.index, fail)
            if heredocs:
                end = heredocs[-1].start + len(heredocs[-1].content) + len(heredocs[-1].terminator)
        instructions.append(
            builder.instruction(
                parsed,
                logical,
                start if first == 0 else lines[first].start,
                last.content_end,
                tuple(trivia) if trivia else (),
                last.end,
                heredocs,
                (first + 1, i),
                end,
            )
        )
        trivia = []
    if not instructions:
        text_error = messages.NO_INSTRUCTIONS
        raise DockerfileSyntaxError(text_error, path=path, line=max(1, n), col=1)
    nl = text.find("\n")
    newline = "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"
    return Dockerfile(
        text=text,
        path=path,
        bom=bom,
        directives=tuple(directives),
        instructions=tuple(instructions),
        trailing=tuple(trivia),
        escape=escape,
        newline=newline,
        index=pos.index,
    )
