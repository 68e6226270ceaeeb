"""The pieces every ecosystem module shares."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.context import BuildContext
from layerwise.ecosystems.base import deletes_inside, is_normal, is_under, project_files

# The `make_context` fixture (conftest.py): a build context holding the given files.
ContextMaker = Callable[[dict[str, str]], BuildContext]


def test_project_files_reads_required_and_lists_present_optional(
    make_context: ContextMaker,
) -> None:
    context = make_context({"app/go.mod": "module x", "app/vendor/m.txt": "", "app/.env": ""})
    files = project_files(context, "app", ("go.mod", "go.sum"), (".env", "uv.toml", "vendor/"))
    assert files.paths == ("app/go.mod", "app/go.sum", "app/.env", "app/vendor/")
    assert files.texts == ("module x", None)
    assert not files.complete


def test_project_files_counts_a_present_directory_as_read(make_context: ContextMaker) -> None:
    files = project_files(make_context({"src/a.rb": ""}), "", ("src/",))
    assert files.texts == ("",)
    assert files.complete
    assert files.install(True).manifests == ("src/",)


def test_project_files_without_context_is_never_complete() -> None:
    files = project_files(None, "app", ("Gemfile", "Gemfile.lock"), ("vendor/",))
    assert files.paths == ("app/Gemfile", "app/Gemfile.lock")
    assert not files.complete


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/root/.cache/pip", True),
        ("/root/.cache/pip/http", True),
        ("/root/.cache/pipx", False),
        ("/root/.cache", False),
        (".cache/pip", False),  # relative: depends on the working directory
        ("/", False),
    ],
)
def test_deletes_inside(path: str, expected: bool) -> None:
    assert deletes_inside(path, ("/tmp/other", "/root/.cache/pip")) is expected


def test_deletes_inside_never_counts_the_root() -> None:
    assert not deletes_inside("/", ("/",))
    assert deletes_inside("/srv", ("/",))


@given(
    st.lists(st.sampled_from(["", ".", "..", "a", "b.c", ".d", "e."]), max_size=6), st.booleans()
)
def test_is_normal_says_only_what_normpath_agrees_with(parts: list[str], trailing: bool) -> None:
    """The shortcut that spares `normpath` never calls a path normal that normpath changes."""
    path = "/" + "/".join(parts) + ("/" if trailing else "")
    if is_normal(path):
        assert posixpath.normpath(path) == path
    for root in ("/", "/a", "/a/", "/b.c", "/a/b.c"):
        clean = posixpath.normpath(path)
        stripped = root.rstrip("/") or "/"
        expected = clean == stripped or clean.startswith(stripped + "/") or stripped == "/"
        assert is_under(path, root) == expected
