""".dockerignore semantics (BuildKit's patternmatcher), checked against docker-py where they agree
and pinned where docker-py differs."""

from __future__ import annotations

import pytest
from docker.utils.build import PatternMatcher
from hypothesis import given
from hypothesis import strategies as st

from layerwise.context import IgnoreMatcher, read_patterns


def ignored(patterns: str, path: str) -> bool:
    return IgnoreMatcher.from_text(patterns).is_ignored(path)


def test_read_patterns_like_buildkit() -> None:
    text = "\ufeff# comment\n  node_modules/  \n\n!  keep.txt\n/abs/path\n #not a comment\na/../b\n"
    assert read_patterns(text) == ["node_modules", "!keep.txt", "abs/path", "#not a comment", "b"]


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        ("node_modules", "node_modules", True),
        ("node_modules", "node_modules/x/index.js", True),
        ("node_modules", "web/node_modules/x.js", False),  # anchored at the root
        ("**/node_modules", "web/node_modules/x.js", True),
        ("**/node_modules", "a/b/node_modules/x/y.js", True),
        ("**/node_modules", "node_modules/y.js", True),
        ("*.md", "README.md", True),
        ("*.md", "docs/a.md", False),  # `*` never crosses `/`
        ("**/*.md", "docs/a.md", True),
        ("*/temp*", "somedir/temporary.txt", True),
        ("temp?", "tempa", True),
        ("temp?", "tempab", False),
        ("docs/**", "docs/a/b.md", True),
        ("docs/**", "docsx", False),
        ("*.md\n!README.md", "README.md", False),
        ("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", True),
        ("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", False),
        ("*\n!src", "src/app.ts", False),
        ("*\n!src", "package.json", True),
        ("dist/", "dist/main.js", True),
        ("/dist", "dist/main.js", True),
        (".git", ".git/HEAD", True),
        ("*", "Dockerfile", True),  # BuildKit does not keep the Dockerfile or .dockerignore
        ("*", ".dockerignore", True),
        ("README.MD", "README.md", False),  # case-sensitive
        ("[^a]b", "cb", True),
        ("[^a]b", "ab", False),
        ("[!a]b", "!b", True),  # `!` is literal inside a class in Go
        ("[!a]b", "cb", False),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("file.txt", "fileXtxt", False),
        ("a+b(c)", "a+b(c)", True),
        ("", "x", False),
    ],
)
def test_matching(patterns: str, path: str, expected: bool) -> None:
    assert ignored(patterns, path) is expected


def test_root_is_never_ignored() -> None:
    assert not ignored("*", ".")
    assert not ignored("**", "")


# --- docker-py: same answers where its semantics match BuildKit's, pinned differences elsewhere.


def docker_py(patterns: list[str], path: str) -> bool:
    return bool(PatternMatcher(patterns).matches(path))  # type: ignore[arg-type]  # stub too narrow


@pytest.mark.parametrize(
    ("patterns", "path", "buildkit", "docker_py_says"),
    [
        # docker-py lower-cases: BuildKit on Linux is case-sensitive.
        (["README.MD"], "README.md", False, True),
        # docker-py checks one parent prefix as long as the pattern (moby's deprecated Matches).
        (["**/node_modules"], "a/b/node_modules/x/y.js", True, False),
        # docker-py always re-includes .dockerignore; BuildKit excludes it like any file.
        (["*"], ".dockerignore", True, False),
        # `[!a]`: negation in docker-py, a literal `!` in Go.
        (["[!a]b"], "cb", False, True),
        # `\\` escapes in Go; docker-py has no escapes.
        (["a\\*b"], "a*b", True, False),
    ],
)
def test_known_differences_from_docker_py(
    patterns: list[str], path: str, buildkit: bool, docker_py_says: bool
) -> None:
    assert IgnoreMatcher(patterns).is_ignored(path) is buildkit
    assert docker_py(patterns, path) is docker_py_says


segment = st.sampled_from(["a", "b", "src", "x.md", "README.md", "node_modules", "d.txt"])
pattern_segment = st.sampled_from(["a", "b", "src", "*", "*.md", "?", "x.*", "node_modules", "d*"])


@given(
    st.lists(
        st.tuples(st.booleans(), st.lists(pattern_segment, min_size=1, max_size=3)),
        min_size=1,
        max_size=5,
    ),
    st.lists(segment, min_size=1, max_size=4),
)
def test_agrees_with_docker_py_without_double_star(
    raw: list[tuple[bool, list[str]]], parts: list[str]
) -> None:
    # Without `**` a pattern only matches paths with as many segments as it has, so docker-py's
    # single-prefix parent check equals BuildKit's; lower-case names avoid its case folding.
    patterns = [("!" if negate else "") + "/".join(segs) for negate, segs in raw]
    path = "/".join(parts).lower()
    if path == ".dockerignore":
        return
    assert IgnoreMatcher(patterns).is_ignored(path) == docker_py(patterns, path)
