"""BuildKit word expansion: cases taken from the behaviour of moby/buildkit's shell lexer."""

from __future__ import annotations

import pytest

from layerwise.errors import LayerwiseError
from layerwise.model.expand import ExpansionError, expand, expand_word

ENV = {"FOO": "xxx", "BAR": "", "UNSET_ARG": None}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("plain", "plain"),
        ("$FOO", "xxx"),
        ("${FOO}", "xxx"),
        ("${FOO}_bar", "xxx_bar"),
        ("$FOO_bar", ""),  # the name runs on: FOO_bar is unset
        ("$BAZ", ""),
        ("$UNSET_ARG", ""),  # declared without a value: unset
        ("a$", "a$"),
        ("$-x", "x"),  # special parameters are never set
        ("$1x", "x"),
        ("$12x", "x"),  # a run of digits is one name
        ("$$", ""),
        ("$ x", "$ x"),
        ("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", "xxx  ccc"),
        ("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", "xxx bbb ccc"),
        ("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", "aaa bbb "),
        ("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", "aaa  "),
        ("${UNSET_ARG:-d}", "d"),
        ("${BAZ:-$FOO}", "xxx"),  # the word is expanded too
        ("${BAZ:-${BAR:-nested}}", "nested"),
        ("${FOO?msg}", "xxx"),
        ("${BAR?msg}", ""),
        ("${FOO:?msg}", "xxx"),
        ("\\$FOO", "$FOO"),
        ("\\${FOO}", "${FOO}"),
        ("a\\ b", "a b"),
        ("trailing\\", "trailing"),
        ("'$FOO'", "$FOO"),
        ("'a\\b'", "a\\b"),
        ('"$FOO"', "xxx"),
        ('"\\$FOO"', "$FOO"),
        ('"a\\b"', "a\\b"),  # inside double quotes \ only escapes " $ and itself
        ('"a\\\\b"', "a\\b"),
        ('"say \\"hi\\""', 'say "hi"'),
        ("\"'$FOO'\"", "'xxx'"),
        ("x'a b'\"c d\"y", "xa bc dy"),
        ("${BAZ}}", "}"),  # a stray `}` is literal
        ("${BAZ:-a {b}", "a {b"),
        ("${BAZ:-\\${FOO}z}", "${FOOz}"),  # an escaped `$` in a default stays literal
        ("${FOO:+${FOO}:}", "xxx:"),
        ("\uc548'\ub155'$FOO", "\uc548\ub155xxx"),  # non-ASCII text and names
        ("$.x", "$.x"),
        ("'\\$FOO'", "\\$FOO"),
    ],
)
def test_expands_like_buildkit(word: str, expected: str) -> None:
    assert expand(word, ENV) == expected


@pytest.mark.parametrize(
    ("word", "value", "expected"),
    [
        ("${V#f*b}", "foobarbaz", "arbaz"),
        ("${V##f*b}", "foobarbaz", "az"),
        ("${V%b*}", "foobarbaz", "foobar"),
        ("${V%%b*}", "foobarbaz", "foo"),
        ("${V/ba/fo}", "foobarbaz", "fooforbaz"),
        ("${V//ba/fo}", "foobarbaz", "fooforfoz"),
        ("${V#*}", "xxyy", "xxyy"),
        ("${V#*x*y}", "xxyy", "y"),
        ("${V##*x}", "xxyy", "yy"),
        ("${V#?\\?}", "???y", "?y"),
        ("${V%%\\**}", "xx**", "xx"),
        ("${V%%\\**\\*}", "a***yy*", "a"),
        ("${V#()[]{\\}^$.\\*\\?|\\\\}", "()[]{}^$.*?|\\x", "x"),
        ("${V//\\//\\/}", "/tmp/foo.txt", "\\/tmp\\/foo.txt"),
        ("${V///}", "xxyy", "xxyy"),
        ("${V/x/}", "xxyy", "xyy"),
        ("${V//?/-}", "abc", "---"),
    ],
)
def test_pattern_operators(word: str, value: str, expected: str) -> None:
    assert expand(word, {"V": value}) == expected


def test_replacement_with_variables() -> None:
    env = {"FOO": "/a/foo/b/c.txt", "NEEDLE": "/?/", "REPLACEMENT": "/"}
    result = expand("${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", env)
    assert result == "/foo/b/c.txt - /foo/c.txt"


@pytest.mark.parametrize(
    "word",
    [
        "${}",
        "${:}",
        "${{x}",
        "${FOO",
        "${FOO:-x",
        "${",
        "${FOO=aaa}",
        "${FOO:x}",
        "${FOO//ww}",
        "${BAZ?missing}",
        "${BAR:?empty}",
        "${BAZ:?}",
        "'open",
        '"open',
        "${FOO#\\x}",
    ],
)
def test_bad_substitution_is_a_layerwise_error(word: str) -> None:
    with pytest.raises(LayerwiseError):
        expand(word, ENV)


def test_error_message_names_the_word_and_the_variable() -> None:
    with pytest.raises(ExpansionError) as info:
        expand("${VAR:?message here$ARG}", {"ARG": "x"})
    assert "message herex" in str(info.value)
    assert "${VAR:?message here$ARG}" in str(info.value)


def test_backtick_escape() -> None:
    env = {"FOO": "xxx"}
    assert expand("`$FOO", env, escape="`") == "$FOO"
    assert expand("C:\\dir\\$FOO", env, escape="`") == "C:\\dir\\xxx"
    assert expand('"a``b`"c"', env, escape="`") == 'a`b"c'


def test_used_and_missing_variables() -> None:
    result = expand_word("${FOO} ${BAZ:-x} $UNSET_ARG '$NOPE'", ENV)
    assert result.text == "xxx x  $NOPE"
    assert result.used == {"FOO"}
    assert result.missing == {"BAZ", "UNSET_ARG"}


@pytest.mark.parametrize(
    ("word", "env", "words"),
    [
        ("80 443/tcp", {}, ("80", "443/tcp")),
        ("$PORTS", {"PORTS": "80 81"}, ("80", "81")),  # an unquoted value is split
        ('"$PORTS"', {"PORTS": "80 81"}, ("80 81",)),
        ("a\\ b c", {}, ("a b", "c")),
        ("  ", {}, ()),
        ("'' x", {}, ("x",)),
    ],
)
def test_split_words(word: str, env: dict[str, str], words: tuple[str, ...]) -> None:
    assert expand_word(word, env, split=True).words == words


@pytest.mark.parametrize(
    ("word", "modifiers", "newer"),
    [
        ("$FOO ${FOO}", set(), False),
        ("${FOO:-a}${FOO:+b}${FOO:?c}${FOO?d}", {":-", ":+", ":?", "?"}, False),
        ("${BAZ-x}", {"-"}, True),
        ("${FOO+x}", {"+"}, True),
        ("${FOO#x}${FOO##x}${FOO%x}${FOO%%x}", {"#", "##", "%", "%%"}, True),
        ("${FOO/x/y}${FOO//x/y}", {"/", "//"}, True),
        ("${BAZ:-${FOO-x}}", {":-", "-"}, True),
    ],
)
def test_modifiers_and_frontend_compatibility(word: str, modifiers: set[str], newer: bool) -> None:
    # Docker 20.10's built-in frontend rejects `-`, `+`, `#`, `%` and `/` (checked on 20.10.24).
    result = expand_word(word, ENV)
    assert result.modifiers == modifiers
    assert result.needs_newer_frontend is newer
