"""The inventory of a context agrees with the matcher asked file by file."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from layerwise.context import BuildContext
from layerwise.context.inventory import ROOT_FILES, Selector, take_inventory

_NAMES = st.sampled_from(["a", "b", "node_modules", "dist", "x.log", ".git", "src"])
_PATHS = st.lists(_NAMES, min_size=1, max_size=3).map("/".join)
_PATTERNS = st.sampled_from(
    ["node_modules", "**/node_modules", "*.log", "**/*.log", "dist", "!dist/a", "a/*", "!a/b",
     ".git", "src/**", "!**/x.log", "b"]
)  # fmt: skip


def _make(root: Path, paths: list[str]) -> dict[str, int]:
    """Files at `paths` (a path under another file's name is skipped); their sizes."""
    sizes: dict[str, int] = {}
    for i, rel in enumerate(paths):
        path = root / rel
        if any(rel.startswith(other + "/") or other.startswith(rel + "/") for other in sizes):
            continue
        if rel in sizes:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x" * i)
        sizes[rel] = i
    return sizes


@settings(max_examples=60, deadline=None)
@given(st.lists(_PATHS, min_size=1, max_size=12), st.lists(_PATTERNS, max_size=4))
def test_tallies_agree_with_is_ignored(paths: list[str], patterns: list[str]) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        sizes = _make(root, paths)
        (root / "Dockerfile.dockerignore").write_text("\n".join(patterns) + "\n")
        ctx = BuildContext.open(root, root / "Dockerfile")
        sizes["Dockerfile.dockerignore"] = (root / "Dockerfile.dockerignore").stat().st_size
        everything = Selector(1, "")
        inv = take_inventory(ctx, [everything, Selector(2, "src")], largest=3)
        sent = {p: s for p, s in sizes.items() if not ctx.is_ignored(p)}
        left = {p: s for p, s in sizes.items() if ctx.is_ignored(p)}
        assert (inv.sent.files, inv.sent.bytes) == (len(sent), sum(sent.values()))
        assert (inv.excluded.files, inv.excluded.bytes) == (len(left), sum(left.values()))
        assert sum(t.files for t in inv.by_line.values()) == len(left)
        assert inv.by_selector[everything].files == len(sent)
        src = [p for p in sent if p == "src" or p.startswith("src/")]
        assert inv.by_selector[Selector(2, "src")].files == len(src)
        tops = {p.split("/", 1)[0] if "/" in p else ROOT_FILES for p in sent}
        assert set(inv.top_sent) == tops
        assert [s for s, _ in inv.largest] == sorted(sent.values(), reverse=True)[:3]
    finally:
        shutil.rmtree(root)


def test_lines_count_what_they_leave_out(tmp_path: Path) -> None:
    for rel in ("node_modules/a/i.js", "node_modules/b/j.js", "x.log", "src/m.ts"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("12345")
    (tmp_path / ".dockerignore").write_text("# deps\nnode_modules\n*.log\n")
    inv = take_inventory(BuildContext.open(tmp_path))
    assert {k: (t.files, t.bytes) for k, t in inv.by_line.items()} == {
        (2, "node_modules"): (2, 10), (3, "*.log"): (1, 5),
    }  # fmt: skip
    assert inv.sent.files == 2  # src/m.ts and .dockerignore
