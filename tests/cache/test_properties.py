"""Properties of the cache model over generated Dockerfiles and changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from layerwise.cache import Change, FileState, predict

SOURCES = ("a.txt", "b.txt", "dir", ".")
FILES = ("a.txt", "b.txt", "dir/c.txt", "other.txt")
LINES = st.one_of(
    st.sampled_from(SOURCES).map(lambda s: f"COPY {s} /app/"),
    st.sampled_from(SOURCES).map(lambda s: f"COPY --link {s} /app/"),
    st.sampled_from(("echo a", "echo $V", "ls")).map(lambda c: f"RUN {c}"),
    st.sampled_from(("ARG V=1", "ENV E=1", "WORKDIR /w", "USER nobody", "LABEL x=y")),
)


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    first = draw(st.lists(LINES, min_size=1, max_size=8))
    text = "FROM alpine AS one\n" + "\n".join(first) + "\n"
    if draw(st.booleans()):
        second = draw(st.lists(LINES, max_size=5))
        text += "\nFROM one\n" + "\n".join(second) + "\n"
    return text


def _selected(text: str, path: str) -> bool:
    for line in text.splitlines():
        if line.startswith("COPY"):
            source = line.split()[-2]
            if source == "." or path == source or path.startswith(source + "/"):
                return True
    return False


OLD, NEW = FileState.of(b"1"), FileState.of(b"2")


@given(dockerfiles())
def test_nothing_changed_everything_hits(text: str) -> None:
    result = predict(Change.simple(text))
    assert all(v.cached and v.cause is None for v in result.verdicts)


@given(
    dockerfiles(),
    st.sampled_from(FILES),
    st.booleans(),
    st.booleans(),
)
def test_a_miss_carries_a_cause_and_every_later_step_of_its_stage_misses(
    text: str, path: str, arg: bool, base: bool
) -> None:
    change = Change.simple(
        text,
        files={path: (OLD, NEW)},
        new_args={"V": "2"} if arg else {},
        new_bases=frozenset({"alpine"}) if base else frozenset(),
    )
    missed: set[int] = set()
    for verdict in predict(change).verdicts:
        assert (verdict.cause is None) == verdict.cached
        if verdict.stage.index in missed:
            assert not verdict.cached
        if not verdict.cached:
            missed.add(verdict.stage.index)
        if base:
            assert not verdict.cached


@given(dockerfiles(), st.sampled_from(FILES))
def test_a_file_no_copy_selects_changes_nothing(text: str, path: str) -> None:
    result = predict(Change.simple(text, files={path: (OLD, NEW)}))
    if not _selected(text, path):
        assert all(v.cached for v in result.verdicts)
    else:
        assert any(not v.cached for v in result.verdicts)
