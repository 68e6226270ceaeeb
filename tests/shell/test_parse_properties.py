"""Property tests: random scripts parse without raising, and offsets always point at the source."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from layerwise.shell import parse_script
from layerwise.syntax.span import MappedText

KEYWORDS = {
    "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case",
    "esac", "function", "select", "time", "coproc", "declare", "export", "local", "readonly",
    "typeset", "unset", "unsetenv",
}  # fmt: skip

plain_word = st.from_regex(r"[a-z][a-z0-9_./-]{0,8}", fullmatch=True).filter(
    lambda w: w not in KEYWORDS
)
operator = st.sampled_from([" && ", " || ", "; ", " | ", "\n", " & ", " ;\n"])
OP_NAMES = {" && ": "&&", " || ": "||", "; ": ";", " | ": "|", "\n": "\n", " & ": "&", " ;\n": ";"}

any_piece = st.one_of(
    plain_word,
    st.sampled_from(
        [
            "'single q'", '"dq $X"', "$HOME", "${A:-b}", "$(sub cmd)", "`tick`", "\\ ", "(",
            ")", "{", "}", ";", "&&", "||", "|", "&", "\n", "#c\n", "<<EOF\nx\nEOF\n", "if", "then",
            "fi", "do", "done", "for", "'", '"', "$(", "\\", "2>&1", ">", "<", "=", "é", "日本",
            "\t", "!", "*", "~", "[[", "]]", "X=1", "sudo", "env", "-y", "--omit=dev", "sh -c",
            "su x -c", "'npm ci && b'", '"c; d"', "gosu u",
        ]
    ),
)  # fmt: skip


def with_continuations(shell: str, cuts: list[int]) -> tuple[str, MappedText]:
    """A file text in which `\\<newline>` is inserted at the given shell positions, and the
    MappedText the syntax layer would produce from it."""
    file_parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    cut_set = set(cuts)
    for i, char in enumerate(shell):
        if i in cut_set:
            file_parts.append("\\\n")
            pos += 2
        offsets.append(pos)
        file_parts.append(char)
        pos += 1
    offsets.append(pos)
    return "".join(file_parts), MappedText(shell, tuple(offsets))


@given(st.lists(any_piece, max_size=30), st.lists(st.integers(0, 200), max_size=6))
def test_random_scripts_never_raise_and_offsets_match(pieces: list[str], cuts: list[int]) -> None:
    shell = " ".join(pieces)
    file_text, src = with_continuations(shell, cuts)
    script = parse_script(src)
    for cmd in script.commands:
        assert 0 <= cmd.start <= cmd.end <= len(file_text)
        assert file_text[cmd.start : cmd.end].replace("\\\n", "") == cmd.text
        assert cmd.text in shell
        for word in cmd.words:
            assert file_text[word.start : word.end].replace("\\\n", "") == word.raw
            assert cmd.start <= word.start <= word.end <= cmd.end
        if not cuts:
            assert shell[cmd.start : cmd.end] == cmd.text
    starts = [c.start for c in script.commands]
    assert starts == sorted(starts)


@given(
    st.lists(st.lists(plain_word, min_size=1, max_size=5), min_size=1, max_size=8),
    st.lists(operator, min_size=8, max_size=8),
    st.lists(st.integers(0, 200), max_size=4),
)
def test_generated_command_lists_round_trip(
    commands: list[list[str]], ops: list[str], cuts: list[int]
) -> None:
    shell = " ".join(commands[0])
    for words, op in zip(commands[1:], ops, strict=False):
        shell += op + " ".join(words)
    _, src = with_continuations(shell, cuts)
    script = parse_script(src)
    assert not script.has_errors
    assert [[w.text for w in c.words] for c in script.commands] == commands
    used = [OP_NAMES[op] for op in ops[: len(commands) - 1]]
    assert [c.operator_after for c in script.commands] == [*used, None]
    assert [c.operator_before for c in script.commands] == [None, *used]
    assert all(c.program == words[0] for c, words in zip(script.commands, commands, strict=True))
