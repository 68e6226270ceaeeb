"""parse_script's memory: a remembered script moved to new offsets equals a fresh parse there."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from test_parse_properties import any_piece, with_continuations

from layerwise.shell import parse_script
from layerwise.shell.parse import Script, _parse_script
from layerwise.shell.script_cache import ScriptCache
from layerwise.syntax.span import MappedText

SCRIPTS = [
    "apt-get update && apt-get install -y curl",
    "cd /app && X=1 sudo -E npm ci --omit=dev; (cd web && npm run build) | tee log &",
    "sh -c 'cd /srv && npm ci' && su node -c \"npm run build\"",
    "if [ -f x ]; then rm -rf /root/.npm; fi && echo $(date +%s) > /stamp",
    "cat <<EOF > /etc/x\nhello\nEOF\nnpm ci",
    "echo 日本 é && npm ci",
]


def at(text: str, base: int, cuts: tuple[int, ...] = ()) -> MappedText:
    """`text` as if it started at file offset `base`, with `\\<newline>` at `cuts`."""
    _, src = with_continuations(text, list(cuts))
    return MappedText(text, tuple(base + o for o in src.offsets))


def assert_same(moved: Script, fresh: Script) -> None:
    assert moved == fresh
    for a, b in zip(moved.commands, fresh.commands, strict=True):
        assert (a.program_word, a.program, a.program_name, a.args) == (
            b.program_word,
            b.program,
            b.program_name,
            b.args,
        )
        # assignments and wrappers are the very words of `words`, as in a fresh parse
        for part in (a.assignments, a.wrappers):
            assert all(any(w is v for v in a.words) for w in part)


def test_a_moved_script_equals_a_fresh_parse_at_the_new_offsets() -> None:
    for text in SCRIPTS:
        cache = ScriptCache(_parse_script, maxsize=8)
        first = cache(at(text, 0))
        moved = cache(at(text, 37))
        assert moved is not first
        assert moved.source == at(text, 37)
        assert_same(moved, _parse_script(at(text, 37)))


def test_same_offsets_give_the_same_object_and_other_gaps_parse_again() -> None:
    calls: list[MappedText] = []

    def counting(src: MappedText) -> Script:
        calls.append(src)
        return _parse_script(src)

    cache = ScriptCache(counting, maxsize=8)
    text = SCRIPTS[1]
    first = cache(at(text, 5))
    assert cache(at(text, 5)) is first
    cache(at(text, 90))  # moved as a whole: no parse
    assert len(calls) == 1
    gapped = cache(at(text, 90, cuts=(10,)))  # a continuation inside: offsets not one shift
    assert len(calls) == 2
    assert_same(gapped, _parse_script(at(text, 90, cuts=(10,))))


def test_least_recently_used_text_goes_first_and_cache_clear_forgets_all() -> None:
    calls: list[str] = []

    def counting(src: MappedText) -> Script:
        calls.append(src.text)
        return _parse_script(src)

    cache = ScriptCache(counting, maxsize=2)
    cache(at("a", 0))
    cache(at("b", 0))
    cache(at("a", 0))  # a is now the most recently used
    cache(at("c", 0))  # b goes
    cache(at("a", 0))
    cache(at("b", 0))
    assert calls == ["a", "b", "c", "b"]
    cache.cache_clear()
    cache(at("a", 0))
    assert calls[-1] == "a" and len(calls) == 5


@given(
    st.lists(any_piece, max_size=30),
    st.lists(st.integers(0, 200), max_size=4),
    st.integers(1, 5000),
)
def test_random_scripts_moved_equal_fresh_parses(
    pieces: list[str], cuts: list[int], delta: int
) -> None:
    text = " ".join(pieces)
    parse_script.cache_clear()
    first = at(text, 0, tuple(cuts))
    parse_script(first)
    moved = MappedText(text, tuple(o + delta for o in first.offsets))
    assert_same(parse_script(moved), _parse_script(moved))
