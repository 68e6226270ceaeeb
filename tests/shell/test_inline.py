"""Commands inside `sh -c '...'` and `su user -c "..."` are reported with file offsets."""

from __future__ import annotations

import pytest

from layerwise.shell import Script, parse_script
from layerwise.syntax.span import MappedText


def parse(text: str) -> Script:
    return parse_script(MappedText(text, tuple(range(len(text) + 1))))


@pytest.mark.parametrize(
    "text",
    [
        "sh -c 'npm ci'",
        'bash -ec "npm ci"',
        "/bin/sh -lc 'npm ci'",
        "su node -c 'npm ci'",
        "su -c 'npm ci' node",
        "su - node --command 'npm ci'",
    ],
)
def test_inline_script_commands_are_found(text: str) -> None:
    script = parse(text)
    npm = [c for c in script.commands if c.program == "npm"]
    assert len(npm) == 1
    assert text[npm[0].start : npm[0].end] == "npm ci"
    assert npm[0].enclosing == ("shell",)
    assert not npm[0].top_level


def test_inline_script_operators_and_cwd() -> None:
    text = "cd /srv && su node -c 'cd app && npm install --production' && echo done"
    script = parse(text)
    assert [c.program for c in script.commands] == ["cd", "su", "cd", "npm", "echo"]
    npm = script.commands[3]
    assert npm.cwd_hint == "app"
    assert npm.operator_before == "&&"
    assert script.commands[1].cwd_hint == "/srv"
    flag = npm.words[-1]
    assert text[flag.start : flag.end] == "--production"


@pytest.mark.parametrize(
    "text",
    [
        'bash -c "echo \\"x\\" && npm ci"',  # escapes: characters do not map one to one
        "sh -c $SCRIPT",
        "sh script.sh -c 'npm ci'",
        "sh -c npm",
    ],
)
def test_scripts_that_do_not_map_are_left_closed(text: str) -> None:
    assert [c.program for c in parse(text).commands] == [parse(text).commands[0].program]


def test_inline_script_through_continuations() -> None:
    file_text = "su node -c 'npm \\\n ci'"
    gap = file_text.index("\\\n")
    kept = [i for i in range(len(file_text)) if i not in (gap, gap + 1)]
    shell = "".join(file_text[i] for i in kept)
    script = parse_script(MappedText(shell, (*kept, len(file_text))))
    npm = script.commands[-1]
    assert npm.program == "npm"
    assert file_text[npm.start : npm.end] == "npm \\\n ci"
