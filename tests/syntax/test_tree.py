"""The tree's nodes: trivia ownership, flags, heredocs, ONBUILD, directives, shell_source."""

from __future__ import annotations

import pytest

from layerwise.syntax import BlankLine, CommentLine, Dockerfile, MappedText, parse

TEXT = """\
# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended

# build stage
FROM --platform=$BUILDPLATFORM node:20 AS build
RUN --mount=type=cache,target=/root/.npm \\
    # comment inside the continuation
    npm ci \\

    && npm run build
COPY --link --chown=node:node <<EOF <<-"SCRIPT" /app/
hello
EOF
\techo hi
\tSCRIPT
onbuild Run echo later
CMD ["node", "dist/main.js"]
# trailing comment
"""


@pytest.fixture
def tree() -> Dockerfile:
    return parse(TEXT)


def test_round_trip_and_top_level_nodes(tree: Dockerfile) -> None:
    assert str(tree) == TEXT == tree.render()
    assert [(d.name, d.value) for d in tree.directives] == [
        ("syntax", "docker/dockerfile:1"),
        ("check", "skip=JSONArgsRecommended"),
    ]
    assert tree.directives[1].span.start_line == 2
    assert [i.name for i in tree.instructions] == ["FROM", "RUN", "COPY", "ONBUILD", "CMD"]
    assert [type(t) for t in tree.trailing] == [CommentLine]
    assert tree.escape == "\\" and tree.newline == "\n"


def test_leading_trivia_belongs_to_the_next_instruction(tree: Dockerfile) -> None:
    leading = tree.instructions[0].leading
    assert [type(t) for t in leading] == [BlankLine, CommentLine]
    assert isinstance(leading[1], CommentLine) and leading[1].comment == "build stage"
    assert leading[1].span.start_line == 4


def test_flags_and_spans(tree: Dockerfile) -> None:
    from_ = tree.instructions[0]
    platform = from_.flag("platform")
    assert platform is not None and platform.value == "$BUILDPLATFORM"
    assert platform.text == "--platform=$BUILDPLATFORM"
    assert (platform.span.start_line, platform.span.start_col) == (5, 6)
    assert from_.value == ("node:20", "AS", "build")
    copy = tree.instructions[2]
    link = copy.flag("link")
    assert link is not None and link.value is None
    assert [f.name for f in copy.flags] == ["link", "chown"]
    assert copy.flags_named("chown")[0].value == "node:node"


def test_continuation_with_inner_comment_and_empty_line(tree: Dockerfile) -> None:
    run = tree.instructions[1]
    assert (run.start_line, run.end_line) == (6, 10)
    assert run.value == ("npm ci     && npm run build",)
    assert run.args == run.value[0]
    assert run.text.startswith("RUN --mount") and run.text.endswith("npm run build")
    assert run.args_span.start_line == 8 and run.args_span.end_line == 10


def test_heredocs(tree: Dockerfile) -> None:
    copy = tree.instructions[2]
    assert [(h.name, h.content, h.chomp, h.quoted) for h in copy.heredocs] == [
        ("EOF", "hello\n", False, False),
        ("SCRIPT", "\techo hi\n", True, True),
    ]
    first, second = copy.heredocs
    assert TEXT[first.marker_span.start : first.marker_span.end] == "<<EOF"
    assert TEXT[second.marker_span.start : second.marker_span.end] == '<<-"SCRIPT"'
    assert second.span.end_line == 15 and copy.end_line == 15
    assert copy.text.endswith("\tSCRIPT")


def test_onbuild_keeps_casing_and_has_an_inner_instruction(tree: Dockerfile) -> None:
    onbuild = tree.instructions[3]
    assert onbuild.keyword == "onbuild" and onbuild.name == "ONBUILD"
    assert onbuild.sub is not None
    assert (onbuild.sub.keyword, onbuild.sub.name) == ("Run", "RUN")
    assert onbuild.value == ("echo later",) == onbuild.sub.value
    assert onbuild.sub.span.start_col == 9


def test_json_form(tree: Dockerfile) -> None:
    cmd = tree.instructions[4]
    assert cmd.is_json and cmd.value == ("node", "dist/main.js")
    assert cmd.shell_source() is None


def _assert_mapped(text: str, source: MappedText | None) -> MappedText:
    assert source is not None
    for i, ch in enumerate(source.text):
        assert text[source.offsets[i]] == ch
    return source


def test_shell_source_drops_continuations_and_inner_comments(tree: Dockerfile) -> None:
    source = _assert_mapped(TEXT, tree.instructions[1].shell_source())
    assert source.text == "npm ci     && npm run build"
    a, b = source.file_range(0, 6)
    assert TEXT[a:b] == "npm ci"


def test_shell_source_of_heredoc_runs() -> None:
    text = "FROM a\nRUN <<X\nset -e\necho hi\nX\nRUN python3 <<PY && echo done\nprint(1)\nPY\n"
    tree = parse(text)
    alone = _assert_mapped(text, tree.instructions[1].shell_source())
    assert alone.text == "set -e\necho hi\n"
    piped = _assert_mapped(text, tree.instructions[2].shell_source())
    assert piped.text == "python3 <<PY && echo done\nprint(1)\nPY"


def test_shell_source_only_for_shell_form_run_cmd_entrypoint() -> None:
    tree = parse('FROM a\nCOPY a b\nENTRYPOINT exec app\nRUN ["a"]\nONBUILD RUN make\n')
    sources = [i.shell_source() for i in tree.instructions]
    assert sources[0] is None and sources[1] is None and sources[3] is None
    assert _assert_mapped(tree.text, sources[2]).text == "exec app"
    assert _assert_mapped(tree.text, sources[4]).text == "make"


def test_escape_directive_backtick_and_crlf() -> None:
    text = "# escape=`\r\nFROM mcr.microsoft.com/windows\r\nRUN dir C:\\ `\r\n    && echo ok\r\n"
    tree = parse(text)
    assert tree.escape == "`" and tree.newline == "\r\n"
    run = tree.instructions[1]
    assert run.value == ("dir C:\\     && echo ok",)
    assert run.eol == "\r\n"
    assert str(tree) == text


def test_check_directive_is_recognised_like_current_buildkit() -> None:
    # Frontend 1.8+ treats `# check=` as a directive, so an escape directive may follow it.
    # The v0.12 oracle predates that and reads it as a comment (a documented divergence).
    tree = parse("# check=error=true\n# escape=`\nFROM a\nRUN x `\n  y\n")
    assert [d.name for d in tree.directives] == ["check", "escape"]
    assert tree.instructions[1].value == ("x   y",)


def test_directive_after_a_comment_is_a_comment() -> None:
    tree = parse("# hello\n# escape=`\nFROM a\n")
    assert tree.directives == () and tree.escape == "\\"
    assert len(tree.instructions[0].leading) == 2


def test_no_final_newline_tabs_and_trailing_whitespace() -> None:
    text = "FROM\talpine  \n\tRUN\techo hi \t"
    tree = parse(text)
    run = tree.instructions[1]
    assert (run.indent, run.keyword, run.after_keyword, run.body, run.eol) == (
        "\t",
        "RUN",
        "\t",
        "echo hi \t",
        "",
    )
    assert str(tree) == text


def test_keyword_split_by_a_continuation_still_prints_back() -> None:
    text = "FROM a\nRU\\\nN echo\n"
    tree = parse(text)
    run = tree.instructions[1]
    assert run.name == "RUN" and run.keyword == "RU\\\nN"
    assert str(tree) == text


def test_line_col_and_span_helpers() -> None:
    tree = parse("FROM a\nRUN b\n")
    assert tree.line_col(7) == (2, 1)
    assert tree.line_col(len(tree.text)) == (3, 1)
    span = tree.span(11, 12)
    assert (span.start_line, span.start_col, span.end_line, span.end_col) == (2, 5, 2, 6)
