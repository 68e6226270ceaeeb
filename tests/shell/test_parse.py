"""parse_script: simple commands, operators, words and offsets of RUN scripts."""

from __future__ import annotations

import pytest

from layerwise.shell import Command, Script, parse_script
from layerwise.syntax.span import MappedText


def identity(text: str) -> MappedText:
    return MappedText(text, tuple(range(len(text) + 1)))


def parse(text: str) -> Script:
    return parse_script(identity(text))


def only(script: Script, program: str) -> Command:
    found = [c for c in script.commands if c.program == program]
    assert len(found) == 1, [c.text for c in script.commands]
    return found[0]


def test_and_chain_gives_commands_with_operators() -> None:
    script = parse("apt-get update && apt-get install -y curl || true")
    assert [c.text for c in script.commands] == [
        "apt-get update",
        "apt-get install -y curl",
        "true",
    ]
    ops = [(c.operator_before, c.operator_after) for c in script.commands]
    assert ops == [(None, "&&"), ("&&", "||"), ("||", None)]
    assert not script.has_errors


@pytest.mark.parametrize(
    ("text", "ops"),
    [
        ("a; b", [(None, ";"), (";", None)]),
        ("a | b", [(None, "|"), ("|", None)]),
        ("a |& b", [(None, "|"), ("|", None)]),
        ("a & b", [(None, "&"), ("&", None)]),
        ("a\nb", [(None, "\n"), ("\n", None)]),
        ("a;\nb", [(None, ";"), (";", None)]),
        ("a\n# note\n\nb", [(None, "\n"), ("\n", None)]),
        ("if a; then b; fi\nc", [(None, ";"), (None, ";"), ("\n", None)]),
        ("(a) && b", [(None, None), ("&&", None)]),
    ],
)
def test_operators(text: str, ops: list[tuple[str | None, str | None]]) -> None:
    script = parse(text)
    assert [(c.operator_before, c.operator_after) for c in script.commands] == ops


def test_newline_tree_sitter_swallows_still_ends_the_command() -> None:
    # tree-sitter-bash 0.25 parses `a | b\nc` inside a list as one command `b c`.
    script = parse("a && b | c | d\ne && f")
    assert [c.text for c in script.commands] == ["a", "b", "c", "d", "e", "f"]
    assert [c.operator_after for c in script.commands] == ["&&", "|", "|", "\n", "&&", None]
    assert parse("a \\\n b\nc").commands[0].words[-1].text == "b"  # continuation kept


def test_set_eux_is_a_command_of_its_own() -> None:
    script = parse("set -eux; npm ci")
    set_cmd, npm = script.commands
    assert set_cmd.program == "set"
    assert set_cmd.has_option("-e")
    assert set_cmd.has_option("-x")
    assert npm.program == "npm"
    assert npm.operator_before == ";"


def test_words_have_static_values_after_quote_removal() -> None:
    script = parse("""npm ci --omit="dev" '--cache' /tmp/a\\ b "x\\"y" a'b'"c" $'t\\tu'""")
    (cmd,) = script.commands
    assert [w.text for w in cmd.words] == [
        "npm",
        "ci",
        "--omit=dev",
        "--cache",
        "/tmp/a b",
        'x"y',
        "abc",
        "t\tu",
    ]
    assert all(w.is_static for w in cmd.words)
    assert cmd.words[2].raw == '--omit="dev"'


@pytest.mark.parametrize(
    "word",
    ["$HOME", "${X:-y}", '"$A"', "$(pwd)", "`pwd`", "~/.npm", "{a,b}", "$((1+2))", 'a"$b"c'],
)
def test_dynamic_words_are_not_static_and_keep_their_text(word: str) -> None:
    cmd = parse(f"echo {word}").commands[0]
    assert cmd.words[1].raw == word
    assert cmd.words[1].text == word
    assert not cmd.words[1].is_static


def test_glob_stays_static() -> None:
    cmd = parse("rm -rf /var/lib/apt/lists/*").commands[0]
    assert cmd.words[-1].text == "/var/lib/apt/lists/*"
    assert cmd.words[-1].is_static


def test_tree_sitter_split_words_are_merged() -> None:
    # tree-sitter-bash gives `$"x"` and `"a"$b` as two siblings; the shell sees one word.
    cmd = parse('echo $"x" "a"$b c').commands[0]
    assert [w.raw for w in cmd.words] == ["echo", '$"x"', '"a"$b', "c"]
    assert not cmd.words[2].is_static


def test_program_skips_assignments_and_wrappers() -> None:
    cmd = parse("NODE_ENV=production sudo -E -u node env -i X=1 npm ci").commands[0]
    assert cmd.program == "npm"
    assert [w.text for w in cmd.assignments] == ["NODE_ENV=production"]
    assert [w.text for w in cmd.wrappers] == ["sudo", "-E", "-u", "node", "env", "-i", "X=1"]
    assert [w.text for w in cmd.args] == ["ci"]
    assert cmd.words[0].text == "NODE_ENV=production"


@pytest.mark.parametrize(
    "text", ["gosu node npm ci", "su-exec node:node npm ci", "runuser -u node -- npm ci"]
)
def test_user_switching_wrappers(text: str) -> None:
    cmd = parse(text).commands[0]
    assert cmd.program == "npm"
    assert [w.text for w in cmd.args] == ["ci"]


@pytest.mark.parametrize(
    ("text", "wrappers"),
    [
        ("xargs apt-get install -y", ["xargs"]),
        ("cat pkgs | xargs -r apt-get install -y", ["xargs", "-r"]),
        ("xargs -n 1 apt-get install -y", ["xargs", "-n", "1"]),
        ("xargs -rn 1 apt-get install -y", ["xargs", "-rn", "1"]),
        ("xargs -0rn1 apt-get install -y", ["xargs", "-0rn1"]),
        ("xargs -a /tmp/pkgs apt-get install -y", ["xargs", "-a", "/tmp/pkgs"]),
        ("xargs --arg-file /tmp/pkgs apt-get install -y", ["xargs", "--arg-file", "/tmp/pkgs"]),
        ("xargs --max-args=1 apt-get install -y", ["xargs", "--max-args=1"]),
        ("xargs -I {} apt-get install -y", ["xargs", "-I", "{}"]),
        ("xargs -I{} apt-get install -y", ["xargs", "-I{}"]),
        ("xargs -i apt-get install -y", ["xargs", "-i"]),  # -i takes its value attached only
        ("sudo -Eu node apt-get install -y", ["sudo", "-Eu", "node"]),
    ],
)
def test_xargs_is_a_wrapper(text: str, wrappers: list[str]) -> None:
    cmd = parse(text).commands[-1]
    assert cmd.program == "apt-get"
    assert [w.text for w in cmd.wrappers] == wrappers
    assert [w.text for w in cmd.args][:2] == ["install", "-y"]


def test_xargs_gives_operands_known_at_run_time() -> None:
    fed = parse("cat list | xargs npm install").commands[-1]
    assert [(w.text, w.is_static) for w in fed.operands()] == [("install", True), ("", False)]
    assert fed.operands()[-1].start == fed.end
    assert [w.text for w in parse("npm install").commands[0].operands()] == ["install"]
    assert [w.text for w in parse("sudo npm install").commands[0].operands()] == ["install"]


def test_program_name_is_the_basename() -> None:
    cmd = parse("/usr/bin/apt-get install -y x").commands[0]
    assert cmd.program == "/usr/bin/apt-get"
    assert cmd.program_name == "apt-get"


def test_only_assignments_and_wrappers_give_no_program() -> None:
    assert parse("X=1 sudo").commands[0].program is None
    assert parse("env X=1").commands[0].program is None


def test_export_is_a_command() -> None:
    cmd = parse("export PATH=/x:$PATH A=1").commands[0]
    assert cmd.program == "export"
    assert [w.raw for w in cmd.args] == ["PATH=/x:$PATH", "A=1"]


def test_operands_skip_options_and_their_values() -> None:
    cmd = parse("npm --prefix /app install -w pkg --save-dev left-pad -- -weird").commands[0]
    values = frozenset({"--prefix", "-w"})
    assert [w.text for w in cmd.operands(values)] == ["install", "left-pad", "-weird"]
    assert [w.text for w in cmd.operands()] == ["/app", "install", "pkg", "left-pad", "-weird"]


def test_has_option_and_option_value() -> None:
    cmd = parse("apt-get -qy install --no-install-recommends --target-release=x curl").commands[0]
    assert cmd.has_option("-y")
    assert cmd.has_option("-q")
    assert not cmd.has_option("-f")
    assert cmd.has_option("--no-install-recommends")
    assert cmd.has_option("--target-release")
    assert cmd.option_value("--target-release") == "x"
    assert not cmd.has_option("--no-install")
    npm = parse("npm ci --omit dev").commands[0]
    assert npm.option_value("--omit") == "dev"
    assert npm.option_value("--include") is None


def test_nested_and_enclosing_commands() -> None:
    script = parse(
        "x=$(npm bin); (cd a && make) ; { b; } ; if c; then d; elif e; then f; else g; fi;"
        " for i in 1; do h; done; while k; do l; done; echo <(m) `n`"
    )
    by_program = {c.program: c for c in script.commands}
    assert by_program["npm"].nested
    assert by_program["npm"].enclosing == ("substitution",)
    assert by_program["make"].enclosing == ("subshell",)
    assert by_program["b"].enclosing == ("group",)
    assert {by_program[p].enclosing for p in "cdefg"} == {("if",)}
    assert by_program["h"].enclosing == ("for",)
    assert by_program["l"].enclosing == ("while",)
    assert by_program["m"].nested and by_program["n"].nested
    assert by_program["echo"].top_level
    # Source order, nested commands where they appear.
    starts = [c.start for c in script.commands]
    assert starts == sorted(starts)


def test_heredoc_inside_run_script() -> None:
    script = parse("cat <<EOF > /etc/x.conf\nnot $(a command) && b\nEOF\nnpm ci")
    # Heredoc bodies are data: commands substituted inside them are not reported.
    assert [c.program for c in script.commands] == ["cat", "npm"]
    assert script.commands[-1].operator_before == "\n"


@pytest.mark.parametrize(
    ("text", "programs", "ops"),
    [
        ("cat <<EOF > /x && npm ci\nk=1\nEOF", ["cat", "npm"], ["&&"]),
        ("cat <<-'E' | grep x; npm ci\nk=1\nE\nb", ["cat", "grep", "npm", "b"], ["|", ";", "\n"]),
        ("cat <<A <<B && c\n1\nA\n2\nB\n", ["cat", "c"], ["&&"]),
        ("echo $((1<<2)) <<<'s' && c", ["echo", "c"], ["&&"]),
    ],
)
def test_rest_of_a_heredoc_line(text: str, programs: list[str], ops: list[str]) -> None:
    script = parse(text)
    assert [c.program for c in script.commands] == programs
    assert [c.operator_after for c in script.commands[:-1]] == ops
    for cmd in script.commands:
        assert text[cmd.start : cmd.end] == cmd.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cd /app && npm ci", "/app"),
        ("cd /app; npm ci", "/app"),
        ("cd /app\nnpm ci", "/app"),
        ("cd /app && cd web && npm ci", "/app/web"),
        ("cd web && npm ci", "web"),
        ("cd $APP && npm ci", "$APP"),
        ("cd && npm ci", "~"),
        ("cd /x || exit 1; npm ci", "/x"),
        ("(cd /x) && npm ci", None),
        ("cd /x | true; npm ci", None),
        ("cd /x & npm ci", None),
        ("echo $(cd /x && pwd) && npm ci", None),
        ("npm ci && cd /x", None),
        ("if true; then cd /x; fi; npm ci", "/x"),
        ("cd /a && (cd b && npm ci)", "/a/b"),
    ],
)
def test_cwd_hint(text: str, expected: str | None) -> None:
    assert only(parse(text), "npm").cwd_hint == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "echo 'unterminated",
        'echo "unterminated',
        "if then fi",
        "a && && b",
        ")))(((",
        "for do done",
        "case x in",
        "echo $(",
        "cat <<EOF",
        "\\",
        "a |",
        "é && ü | 日本 ; npm ci",
        "\x00\x01",
        "echo ${",
        "`",
    ],
)
def test_never_raises_and_offsets_stay_in_range(text: str) -> None:
    script = parse(text)
    for cmd in script.commands:
        assert 0 <= cmd.start <= cmd.end <= len(text)
        assert text[cmd.start : cmd.end] == cmd.text
        for word in cmd.words:
            assert text[word.start : word.end] == word.raw


def test_keeps_what_parses_around_errors() -> None:
    script = parse('echo "a && b" ) ; (( ; cd x && npm ci')
    assert script.has_errors
    assert [c.program for c in script.commands] == ["echo", "cd", "npm"]
    assert script.commands[-1].cwd_hint == "x"


def test_non_ascii_offsets_are_characters_not_bytes() -> None:
    text = "echo 'héllo wörld' && npm ci --prefix /日本"
    script = parse(text)
    npm = script.commands[1]
    assert text[npm.start : npm.end] == npm.text == "npm ci --prefix /日本"
    assert npm.words[-1].text == "/日本"
    assert script.commands[0].words[1].text == "héllo wörld"


def test_offsets_map_through_line_continuations() -> None:
    # `RUN apt-get update \<newline>    && apt-get install -y curl` as the shell receives it:
    # the continuation (backslash, newline) is gone, each character keeps its file offset.
    file_text = "RUN apt-get update \\\n    && apt-get install -y curl\n"
    kept = [i for i in range(4, len(file_text) - 1) if file_text[i] not in "\\\n"]
    shell = "".join(file_text[i] for i in kept)
    src = MappedText(shell, (*kept, len(file_text) - 1))
    update, install = parse_script(src).commands
    assert file_text[update.start : update.end] == "apt-get update"
    assert file_text[install.start : install.end] == "apt-get install -y curl"
    assert install.operator_before == "&&"
    curl = install.words[-1]
    assert file_text[curl.start : curl.end] == "curl"


def test_word_spanning_a_continuation_maps_to_the_whole_file_range() -> None:
    file_text = "npm ci --om\\\nit=dev"
    kept = [i for i, ch in enumerate(file_text) if file_text[i : i + 2] != "\\\n" and ch != "\n"]
    shell = "".join(file_text[i] for i in kept)
    assert shell == "npm ci --omit=dev"
    cmd = parse_script(MappedText(shell, (*kept, len(file_text)))).commands[0]
    word = cmd.words[-1]
    assert word.text == "--omit=dev"
    assert file_text[word.start : word.end] == "--om\\\nit=dev"


def test_programs() -> None:
    assert parse("sudo apt-get update && /bin/rm -rf x").programs() == ("apt-get", "rm")
