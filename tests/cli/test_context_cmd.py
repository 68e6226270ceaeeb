"""`layerwise context`: the numbers as JSON, the tables, and user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layerwise.cli.app import main
from layerwise.cli.context_cmd import human


def project(root: Path) -> Path:
    files = {
        "Dockerfile": "FROM node:20\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n",
        "package.json": '{"name": "app"}',
        "src/a.ts": "x" * 100,
        "node_modules/p/i.js": "y" * 1000,
        ".dockerignore": "node_modules\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    assert main(["context", str(root), "--output-format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sent"]["files"] == 4  # Dockerfile, package.json, src/a.ts, .dockerignore
    assert data["excluded"] == {"files": 1, "bytes": 1000}
    assert data["ignore_lines"] == [
        {"line": 1, "pattern": "node_modules", "files": 1, "bytes": 1000}
    ]
    tops = {row["path"]: row for row in data["top"]}
    assert tops["src"]["copied_by"] == [4]
    assert tops["."]["copied_by"] == [2, 4]
    assert tops["node_modules"]["files"] == 0 and tops["node_modules"]["excluded_files"] == 1
    copies = {row["line"]: (row["files"], row["instruction"]) for row in data["copies"]}
    assert copies == {2: (1, "COPY package.json ./"), 4: (4, "COPY . .")}
    assert data["largest"][0]["path"] == "src/a.ts"


def test_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["context", str(project(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "By top folder" in out and "Left out by the ignore file" in out
    assert "COPY . ." in out


def test_without_dockerfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("x")
    assert main(["context", str(tmp_path), "--output-format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dockerfile"] is None and data["copies"] == []


def test_missing_directory(tmp_path: Path) -> None:
    assert main(["context", str(tmp_path / "nope")]) == 2


def test_human_sizes() -> None:
    assert [human(n) for n in (0, 999, 1000, 1_234_567, 5 * 10**9)] == [
        "0 B", "999 B", "1.0 kB", "1.2 MB", "5.0 GB",
    ]  # fmt: skip
