"""The plain-word shortcut (shell.simple) gives exactly what tree-sitter gives, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layerwise.errors import LayerwiseError
from layerwise.shell import parse as shell_parse
from layerwise.shell.simple import simple_commands
from layerwise.syntax import parse
from layerwise.syntax.span import MappedText

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Words it takes and words it must leave to the grammar, to mix.
_PLAIN = st.text(alphabet="abcz019_./:+@%,-=*?", min_size=1, max_size=8)
_OTHER = st.sampled_from(
    ["$X", "'a b'", '"x"', "a\\ b", "*.txt", "~/x", "#c", "{a,b}", "[x]", "(x)", "a>b", "!",
     "|", "||", "&", "<x", "A=1", "B=$C", "if", "then", "fi", "for", "in", "do", "done", "export",
     "unset", "local", "declare", "time", "case", "esac", "while", "function", "{", "}", "\n"]
)  # fmt: skip
_NAMED = st.sampled_from(
    ["cd", "sudo", "env", "-u", "root", "-E", "sh", "bash", "-c", "-ec", "su", "npm", "ci",
     "apt-get", "install", "-y", "/app", "..", "sub/dir", "-", "--", ":", ".", "true"]
)  # fmt: skip
_WORDS = st.one_of(_PLAIN, _NAMED, _NAMED, _OTHER)
_BLANK = st.sampled_from([" ", "  ", "\t", " \t "])
_JOIN = st.sampled_from([" && ", "&&", "; ", ";", " ;", " \t&& "])


@st.composite
def scripts(draw: st.DrawFn) -> MappedText:
    commands = draw(st.lists(st.lists(_WORDS, min_size=1, max_size=5), min_size=1, max_size=4))
    parts = [draw(_BLANK).join(words) for words in commands]
    text = draw(st.sampled_from(["", " "])) + "".join(
        part + (draw(_JOIN) if i + 1 < len(parts) else "") for i, part in enumerate(parts)
    )
    # File offsets with gaps, as line continuations leave them.
    offsets, at = [], draw(st.integers(0, 50))
    for _ in range(len(text) + 1):
        offsets.append(at)
        at += 1 + draw(st.sampled_from([0, 0, 0, 0, 2]))
    return MappedText(text, tuple(offsets))


def _same_as_tree_sitter(src: MappedText) -> bool:
    """Whether the shortcut took `src`; when it did, its script equals tree-sitter's."""
    commands = simple_commands(src)
    if commands is None:
        return False
    full = shell_parse.parse_tree(src)
    assert not full.has_errors, src.text
    assert shell_parse._parse_script(src) == shell_parse.Script(src, full.commands, False)
    for mine, theirs in zip(commands, full.commands, strict=False):
        # Fields out of comparison too: the program, its name and arguments.
        assert (mine.program, mine.program_name, mine.args) == (
            theirs.program,
            theirs.program_name,
            theirs.args,
        ), src.text
    return True


@settings(max_examples=1500, deadline=None)
@given(scripts())
def test_generated_scripts(src: MappedText) -> None:
    _same_as_tree_sitter(src)


def test_every_fixture_run() -> None:
    taken = 0
    paths = sorted((FIXTURES / "rules").glob("*/*.Dockerfile"))
    paths += sorted((FIXTURES / "corpus").glob("*.Dockerfile"))
    for path in paths:
        try:
            tree = parse(path.read_text(encoding="utf-8"))
        except (LayerwiseError, UnicodeDecodeError):
            continue
        for instruction in tree.instructions:
            source = instruction.shell_source()
            if source is not None:
                taken += _same_as_tree_sitter(source)
    assert taken > 100  # the shortcut is exercised, not just skipped


@pytest.mark.parametrize(
    "text",
    [
        "apt-get update && apt-get install -y curl",
        "cd /app && npm ci ; cd sub && make",
        "sudo -u app env A=1 pip install -r requirements.txt",
        "sh /scripts/build.sh",
        "sh -c x",
        "  npm  ci  ",
        "apt-get update && rm -rf /var/lib/apt/lists/* /tmp/?.log",
    ],
)
def test_plain_scripts_take_the_shortcut(text: str) -> None:
    assert _same_as_tree_sitter(MappedText(text, tuple(range(len(text) + 1))))


@pytest.mark.parametrize(
    "text",
    ["A=1 make", "a | b", "a || b", "a &", "echo $X", "echo 'x'", "ls [ab]", "*.sh x", "cd ~",
     "export A=1", "if true; then x; fi", "a;;b", "a && && b", "&& a", "a &&", "echo a\nb", ""],
)  # fmt: skip
def test_other_scripts_are_left_to_the_grammar(text: str) -> None:
    assert simple_commands(MappedText(text, tuple(range(len(text) + 1)))) is None
