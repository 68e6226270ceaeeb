"""The ignore file as text: where it is, which line decides, adding lines, seeing through it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from layerwise.context import BuildContext
from layerwise.context.dockerignore import IgnoreMatcher
from layerwise.context.ignore_file import (
    Decision,
    add_lines,
    deciding_line,
    ignore_path,
    ignore_text,
    with_ignore_text,
)


def test_ignore_path_is_the_root_file_or_the_dockerfile_specific_one(tmp_path: Path) -> None:
    assert ignore_path(BuildContext.open(tmp_path)) == ".dockerignore"
    (tmp_path / "api.Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "api.Dockerfile.dockerignore").write_text("dist\n")
    ctx = BuildContext.open(tmp_path, tmp_path / "api.Dockerfile")
    assert ignore_path(ctx) == "api.Dockerfile.dockerignore"
    assert ignore_text(ctx) == "dist\n"


def test_deciding_line_is_the_last_matching_exclusion() -> None:
    text = "# build output\ndist\n\n*.log\n!keep.log\n"
    assert deciding_line(text, "dist/a/b.js") == Decision(2, "dist")
    assert deciding_line(text, "x.log") == Decision(4, "*.log")
    assert deciding_line(text, "keep.log") is None  # re-included by line 5
    assert deciding_line(text, "src/a.ts") is None


def test_deciding_line_agrees_with_the_matcher_on_a_parent_match() -> None:
    text = "build\n!build/keep\n"
    for path in ("build/x", "build/keep", "build/keep/y", "buildx"):
        assert (deciding_line(text, path) is not None) == IgnoreMatcher.from_text(text).is_ignored(
            path
        )


def test_add_lines_keeps_the_text_and_its_line_ending() -> None:
    assert add_lines("", (".git", "node_modules")) == ".git\nnode_modules\n"
    assert add_lines("dist", (".git",)) == "dist\n.git\n"
    assert add_lines("dist\r\n", (".git",)) == "dist\r\n.git\r\n"
    assert add_lines(" .git \n", (".git",)) == " .git \n"


_LINE = st.text(alphabet="ab*/.!_", min_size=1, max_size=6).filter(lambda s: s.strip() == s)


@given(st.text(alphabet="ab*/.\n!", max_size=30), st.lists(_LINE, max_size=4))
def test_add_lines_is_idempotent_and_adds_every_line(text: str, lines: list[str]) -> None:
    once = add_lines(text, tuple(lines))
    assert once.startswith(text)
    assert add_lines(once, tuple(lines)) == once
    present = {line.strip() for line in once.splitlines()}
    assert all(line in present for line in lines)


def test_with_ignore_text_sees_the_context_through_new_lines(tmp_path: Path) -> None:
    (tmp_path / "node_modules" / "a").mkdir(parents=True)
    (tmp_path / "node_modules" / "a" / "i.js").write_text("1")
    (tmp_path / "app.js").write_text("1")
    ctx = BuildContext.open(tmp_path)
    assert list(ctx.files()) == ["app.js", "node_modules/a/i.js"]
    after = with_ignore_text(ctx, "node_modules\n")
    assert list(after.files()) == ["app.js"]
    assert ignore_path(after) == ".dockerignore"
    assert ignore_text(after) == "node_modules\n"  # not on disk yet
    assert deciding_line(ignore_text(after), "node_modules/a/i.js") == Decision(1, "node_modules")
