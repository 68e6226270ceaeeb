"""BuildContext.files() against the files the real BuildKit puts in the context.

`FROM scratch` + `COPY . /` exported with `-o type=local` gives exactly the context BuildKit
received; it must equal what BuildContext predicts, including the cases where docker-py's
matcher answers differently (see test_dockerignore.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layerwise.context import BuildContext
from layerwise.engine.client import Client

CASES = {
    "docker_py_differences": (
        "README.MD\n**/node_modules\n[!a]b\na\\*b\n",
        ["README.md", "a/b/node_modules/x/y.js", "cb", "!b", "a*b", "axb", "keep.txt"],
    ),
    "everything_but": ("*\n!keep.txt\n!src\n", ["keep.txt", "other.txt", "src/a/b.ts", "x/y"]),
    "exceptions_and_order": (
        "# comment\n*.md\n!README*.md\nREADME-secret.md\ndocs/**\n!docs/keep/**\n",
        ["README.md", "README-secret.md", "CHANGES.md", "docs/a.txt", "docs/keep/k.txt"],
    ),
}


def _tree(root: Path) -> list[str]:
    found = []
    for directory, _, names in os.walk(root):
        for name in names:
            found.append(str((Path(directory) / name).relative_to(root)))
    return sorted(found)


@pytest.mark.engine
@pytest.mark.parametrize("case", sorted(CASES))
def test_context_files_equal_what_buildkit_receives(
    buildkit: Client, tmp_path: Path, case: str
) -> None:
    client = buildkit
    ignore, files = CASES[case]
    context = tmp_path / "ctx"
    for rel in files:
        (context / rel).parent.mkdir(parents=True, exist_ok=True)
        (context / rel).write_text(rel)
    (context / ".dockerignore").write_text(ignore)
    (context / "Dockerfile").write_text("FROM scratch\nCOPY . /\n")
    out = tmp_path / "out"
    argv = ["buildx", "build"] if client.kind == "buildx" else ["build"]
    client.check(*argv, "-q", "-o", f"type=local,dest={out}", str(context), timeout=300)
    received = _tree(out)
    assert received, "the build exported nothing"
    assert sorted(BuildContext.open(context, context / "Dockerfile").files()) == received
