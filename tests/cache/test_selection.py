"""Which context paths a COPY source or bind mount selects, and where a copy lands."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.cache.change import FileState, blob_digest
from layerwise.cache.git import disk_state
from layerwise.cache.selection import Selection, context_path, overlaps
from layerwise.context import IgnoreMatcher


@pytest.mark.parametrize(
    ("source", "path", "selected"),
    [
        ("", "a/b/c", True),
        ("src", "src/a.ts", True),
        ("src", "srcx/a.ts", False),
        ("src/a.ts", "src/a.ts", True),
        ("*.json", "package.json", True),
        ("*.json", "sub/package.json", False),
        ("src/*", "src/deep/file", True),  # a matched folder is copied whole
        ("[ab].txt", "b.txt", True),
        ("[^ab].txt", "b.txt", False),
        ("?.txt", "ab.txt", False),
    ],
)
def test_selects(source: str, path: str, selected: bool) -> None:
    assert Selection(source).selects(path) is selected


def test_excludes_are_relative_to_the_source() -> None:
    selection = Selection("app", IgnoreMatcher(["*.md"]))
    assert not selection.selects("app/README.md")
    assert selection.selects("app/docs/README.md")  # `*` does not cross `/`
    assert selection.selects("app/main.py")


def test_context_paths_and_prefix_and_overlap() -> None:
    assert [context_path(p) for p in ("./src/", "/", ".", "a//b")] == ["src", "", "", "a/b"]
    assert Selection("src/*/x").prefix == "src"
    assert overlaps("/out/", "/out/a.txt") and overlaps("/", "/x")
    assert not overlaps("/out/b.txt", "/out/a.txt")
    assert not overlaps("/outer", "/out")


def test_disk_state_like_git(tmp_path: Path) -> None:
    file = tmp_path / "f"
    file.write_bytes(b"hello\n")
    # `git hash-object` of "hello\n"
    assert blob_digest(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert disk_state(file) == FileState("ce013625030ba8dba906f756967f9e9ca394464a", 0o100644)
    file.chmod(0o755)
    state = disk_state(file)
    assert state is not None and state.mode == 0o100755
    (tmp_path / "ln").symlink_to("f")
    assert disk_state(tmp_path / "ln") == FileState(blob_digest(b"f"), 0o120000)
    assert disk_state(tmp_path / "missing") is None and disk_state(tmp_path) is None
