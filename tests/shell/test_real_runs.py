"""parse_script over real RUN instructions (Instruction.shell_source): offsets land in the file."""

from __future__ import annotations

from layerwise.shell import Command, parse_script
from layerwise.syntax import parse


def commands(text: str, index: int) -> tuple[Command, ...]:
    instruction = parse(text).instructions[index]
    source = instruction.shell_source()
    assert source is not None
    return parse_script(source).commands


def word_slices(text: str, cmd: Command) -> list[str]:
    return [text[w.start : w.end] for w in cmd.words]


DOCKERFILE = """\
FROM debian:bookworm
RUN set -eux; \\
    apt-get update \\
    # a comment inside the continuation
    && apt-get install -y \\
       # pinned on purpose
       curl \\
    && rm -rf /var/lib/apt/lists/*
"""


def test_continuations_and_inner_comments_map_back_to_the_file() -> None:
    set_cmd, update, install, rm = commands(DOCKERFILE, 1)
    assert DOCKERFILE[set_cmd.start : set_cmd.end] == "set -eux"
    assert DOCKERFILE[update.start : update.end] == "apt-get update"
    assert update.operator_before == ";" and update.operator_after == "&&"
    # The install spans the continuation and the comment line inside it.
    assert DOCKERFILE[install.start : install.end] == (
        "apt-get install -y \\\n       # pinned on purpose\n       curl"
    )
    assert install.text == "apt-get install -y        curl"
    assert word_slices(DOCKERFILE, install) == ["apt-get", "install", "-y", "curl"]
    assert [w.text for w in rm.args] == ["-rf", "/var/lib/apt/lists/*"]
    line, col = parse(DOCKERFILE).line_col(rm.words[-1].start)
    assert (line, col) == (8, 15)


def test_heredoc_run_maps_into_the_heredoc_body() -> None:
    text = "FROM node:20\nRUN <<EOF\nset -e\nnpm ci --omit=dev\nEOF\n"
    set_cmd, npm = commands(text, 1)
    assert set_cmd.program == "set"
    assert text[npm.start : npm.end] == "npm ci --omit=dev"
    assert npm.operator_before == "\n"
    assert word_slices(text, npm)[-1] == "--omit=dev"


def test_command_with_heredoc_redirect() -> None:
    text = "FROM node:20\nRUN cat <<EOF > /etc/app.conf && npm ci\nkey=1\nEOF\n"
    cat, npm = commands(text, 1)
    assert cat.program == "cat"
    assert text[npm.start : npm.end] == "npm ci"
    assert npm.operator_before == "&&"


def test_crlf_and_backtick_escape() -> None:
    text = "# escape=`\r\nFROM mcr.microsoft.com/x\r\nRUN npm ci `\r\n    && npm run build\r\n"
    ci, build = commands(text, 1)
    assert text[ci.start : ci.end] == "npm ci"
    assert text[build.start : build.end] == "npm run build"
    assert build.operator_before == "&&"


def test_json_form_has_no_script() -> None:
    assert parse('FROM x\nRUN ["npm", "ci"]\n').instructions[1].shell_source() is None


def test_crlf_heredoc_run() -> None:
    text = "FROM x\r\nRUN <<EOF\r\nset -e\r\nnpm ci --omit=dev\r\nEOF\r\n"
    set_cmd, npm = commands(text, 1)
    assert [w.text for w in set_cmd.words] == ["set", "-e"]
    assert text[npm.start : npm.end] == "npm ci --omit=dev"
    assert npm.operator_before == "\n"
