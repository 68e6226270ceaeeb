"""Property tests for BuildKit word expansion."""

from __future__ import annotations

from fnmatch import fnmatchcase

from hypothesis import given
from hypothesis import strategies as st

from layerwise.model.expand import ExpansionError, escape_literal, expand

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
VALUES = st.text(max_size=12)
ESCAPES = st.sampled_from(["\\", "`"])
# Text with nothing BuildKit treats specially.
LITERAL = st.text(
    alphabet=st.characters(exclude_characters="$'\"\\`{}", exclude_categories=["Cs"]),
    max_size=20,
)
ENVS = st.dictionaries(NAMES, st.one_of(st.none(), VALUES), max_size=5)


@given(LITERAL, ENVS, ESCAPES)
def test_literal_text_is_unchanged(text: str, env: dict[str, str | None], escape: str) -> None:
    assert expand(text, env, escape=escape) == text


@given(st.text(max_size=30), ENVS, ESCAPES)
def test_escape_literal_round_trips(text: str, env: dict[str, str | None], escape: str) -> None:
    assert expand(escape_literal(text, escape=escape), env, escape=escape) == text


@given(NAMES, VALUES, LITERAL)
def test_values_are_inserted_verbatim(name: str, value: str, suffix: str) -> None:
    env = {name: value}
    assert expand("${" + name + "}" + suffix, env) == value + suffix
    # `$NAME` stops at the first character that cannot continue a name.
    assert expand("$" + name + "/" + suffix, env) == value + "/" + suffix


@given(NAMES, st.one_of(st.none(), VALUES), LITERAL)
def test_default_and_alternative_forms(name: str, value: str | None, word: str) -> None:
    env = {name: value}
    is_set = value is not None
    non_empty = bool(value)
    assert expand(f"${{{name}:-{word}}}", env) == (value if non_empty else word)
    assert expand(f"${{{name}-{word}}}", env) == (value if is_set else word)
    assert expand(f"${{{name}:+{word}}}", env) == (word if non_empty else "")
    assert expand(f"${{{name}+{word}}}", env) == (word if is_set else "")


@given(NAMES, st.one_of(st.none(), VALUES))
def test_required_forms(name: str, value: str | None) -> None:
    env = {name: value}
    for form, ok in ((f"${{{name}?}}", value is not None), (f"${{{name}:?}}", bool(value))):
        if ok:
            assert expand(form, env) == value
        else:
            try:
                expand(form, env)
            except ExpansionError:
                continue
            raise AssertionError(f"{form} should fail for {value!r}")


@given(st.text(max_size=40), ENVS, ESCAPES)
def test_any_text_expands_or_fails_cleanly(
    text: str, env: dict[str, str | None], escape: str
) -> None:
    try:
        assert isinstance(expand(text, env, escape=escape), str)
    except ExpansionError as exc:
        assert str(exc).startswith("error: failed to process")


GLOB = st.text(alphabet="ab*?", max_size=5)
SUBJECT = st.text(alphabet="ab", max_size=6)


def _posix_trim(value: str, pattern: str, *, suffix: bool, longest: bool) -> str:
    """Shell semantics of ${V#p} ${V##p} ${V%p} ${V%%p}, by brute force with fnmatch."""
    cuts = range(len(value) + 1)
    if suffix:
        hits = [i for i in cuts if fnmatchcase(value[i:], pattern)]
        if not hits:
            return value
        return value[: (min(hits) if longest else max(hits))]
    hits = [i for i in cuts if fnmatchcase(value[:i], pattern)]
    if not hits:
        return value
    return value[(max(hits) if longest else min(hits)) :]


@given(SUBJECT, GLOB)
def test_trims_agree_with_posix_shell_semantics(value: str, pattern: str) -> None:
    env = {"V": value}
    for op, suffix, longest in (("#", False, False), ("##", False, True)):
        got = expand("${V" + op + pattern + "}", env)
        assert got == _posix_trim(value, pattern, suffix=suffix, longest=longest), op
    for op, suffix, longest in (("%", True, False), ("%%", True, True)):
        got = expand("${V" + op + pattern + "}", env)
        assert got == _posix_trim(value, pattern, suffix=suffix, longest=longest), op
