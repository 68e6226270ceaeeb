"""Fixes that add lines to context files: the loop, writing, and `check --diff`."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from layerwise.cli.app import main
from layerwise.context import BuildContext
from layerwise.fix import fix_text
from layerwise.fix.files import run_file
from layerwise.rules.base import FileLines, Fix, Safety, Settings

DOCKERFILE = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"


def context(root: Path) -> Path:
    for rel, text in {
        "package.json": "{}",
        ".git/HEAD": "ref",
        "node_modules/a/i.js": "1",
        "deploy/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----",
        "Dockerfile": DOCKERFILE,
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_fix_pickles_with_its_files() -> None:
    fix = Fix(Safety.SAFE, [], "t", [FileLines(".dockerignore", (".git",))])
    assert pickle.loads(pickle.dumps(fix)) == fix


def test_two_rules_add_to_one_new_file(tmp_path: Path) -> None:
    root = context(tmp_path)
    ctx = BuildContext.open(root, root / "Dockerfile")
    settings = Settings(select=("LW6", "LW7"))
    result = fix_text(DOCKERFILE, path=str(root / "Dockerfile"), context=ctx, settings=settings)
    assert result.bugs == ()
    assert result.text == DOCKERFILE and result.changed
    assert dict(result.files) == {".dockerignore": ".git\nnode_modules\ndeploy/id_rsa\n"}
    assert {f.code for f in result.applied} == {"LW601", "LW702"}
    assert result.remaining == ()
    assert not (root / ".dockerignore").exists()  # the loop writes nothing


def test_other_dockerfiles_make_the_new_file_unsafe(tmp_path: Path) -> None:
    root = context(tmp_path)
    (root / "Dockerfile.dev").write_text(DOCKERFILE)
    ctx = BuildContext.open(root, root / "Dockerfile")
    settings = Settings(select=("LW601",))
    path = str(root / "Dockerfile")
    assert not fix_text(DOCKERFILE, path=path, context=ctx, settings=settings).files
    unsafe = fix_text(DOCKERFILE, path=path, context=ctx, settings=settings, unsafe=True)
    assert dict(unsafe.files) == {".dockerignore": ".git\nnode_modules\n"}


def test_run_file_writes_the_new_file(tmp_path: Path) -> None:
    root = context(tmp_path)
    settings = Settings(select=("LW6", "LW7"))
    outcome = run_file(root / "Dockerfile", settings=settings, fix=True, write=True)
    assert outcome.fix is not None and outcome.fix.files
    assert (root / ".dockerignore").read_text() == ".git\nnode_modules\ndeploy/id_rsa\n"
    assert (root / "Dockerfile").read_text() == DOCKERFILE
    again = run_file(root / "Dockerfile", settings=settings)
    assert again.findings == ()


def test_existing_file_gets_lines_appended(tmp_path: Path) -> None:
    root = context(tmp_path)
    (root / ".dockerignore").write_text(".git\r\nnode_modules")  # CRLF, no final newline
    run_file(root / "Dockerfile", settings=Settings(select=("LW7",)), fix=True, write=True)
    assert (root / ".dockerignore").read_bytes() == b".git\r\nnode_modules\r\ndeploy/id_rsa\r\n"


def test_check_diff_shows_the_new_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = context(tmp_path)
    code = main(["check", "--diff", "--select", "LW601", str(root / "Dockerfile")])
    out = capsys.readouterr().out
    assert code == 1
    assert f"+++ b/{root / '.dockerignore'}" in out
    assert "+.git\n+node_modules\n" in out
    assert not (root / ".dockerignore").exists()


def test_check_fix_writes_it(tmp_path: Path) -> None:
    root = context(tmp_path)
    assert main(["check", "--fix", "--select", "LW601", str(root / "Dockerfile")]) == 0
    assert (root / ".dockerignore").read_text() == ".git\nnode_modules\n"


def test_npmrc_with_a_token_is_left_to_a_secret_mount(tmp_path: Path) -> None:
    """All rules, unsafe fixes: LW101 copies `.npmrc` manifest-first, so LW702 must not leave
    it out (the COPY would fail); the finding stays, pointing to a secret mount."""
    files = {
        "package.json": '{"name": "a"}',
        "package-lock.json": '{"lockfileVersion": 3}',
        ".npmrc": "//registry.npmjs.org/:_authToken=abc",
        "src/a.js": "1",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    ctx = BuildContext.open(tmp_path, tmp_path / "Dockerfile")
    path = str(tmp_path / "Dockerfile")
    result = fix_text(DOCKERFILE, path=path, context=ctx, unsafe=True)
    assert result.bugs == ()
    assert ".npmrc" not in result.files.get(".dockerignore", "")
    assert [f.code for f in result.remaining if f.code.startswith("LW7")] == ["LW702"]
