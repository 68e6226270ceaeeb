"""The survey of a context: clutter folders and credential files, and the lines leaving them out."""

from __future__ import annotations

from pathlib import Path

from layerwise.context import BuildContext
from layerwise.context.survey import Found, credential_kind, ignore_lines, survey


def make(root: Path, files: dict[str, str]) -> BuildContext:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return BuildContext.open(root)


def test_clutter_is_found_without_entering_it(tmp_path: Path) -> None:
    ctx = make(tmp_path, {
        ".git/HEAD": "ref", "node_modules/a/index.js": "1", "web/node_modules/b/i.js": "1",
        "dist/main.js": "1", "src/build/mod.rs": "1", "lib/target/x": "1",
        "api/package.json": "{}", "api/build/out.js": "1", ".venv/pyvenv.cfg": "home",
        "tools/venv/pyvenv.cfg": "home", "venvs/notes.txt": "x", "a/__pycache__/m.pyc": "x",
        "npm-debug.log": "x", "node_modules/a/.env": "SECRET=1", "sub/.git/HEAD": "x",
    })  # fmt: skip
    found = survey(ctx)
    assert sorted((f.path, f.kind) for f in found.clutter) == [
        (".git", "vcs"), (".venv", "virtualenv"), ("a/__pycache__", "cache"),
        ("api/build", "build"), ("dist", "build"), ("node_modules", "dependencies"),
        ("npm-debug.log", "log"), ("tools/venv", "virtualenv"),
        ("web/node_modules", "dependencies"),
    ]  # fmt: skip
    assert found.credentials == ()  # the .env inside node_modules is never looked at


def test_ignored_paths_are_not_reported(tmp_path: Path) -> None:
    ctx = make(tmp_path, {".dockerignore": "node_modules\n*.log\n.env\n",
                          "node_modules/a/i.js": "1", "x.log": "1", ".env": "A=1"})  # fmt: skip
    found = survey(ctx)
    assert found.clutter == () and found.credentials == ()


def test_ignore_lines_name_exactly_what_is_there() -> None:
    found = (
        Found(".git", "vcs"), Found("node_modules", "dependencies"),
        Found("web/node_modules", "dependencies"), Found("dist", "build"),
        Found("api/build", "build"), Found("a/__pycache__", "cache"), Found("x.log", "log"),
    )  # fmt: skip
    assert [line for line, _ in ignore_lines(found)] == [
        ".git", "**/node_modules", "api/build", "dist", "**/__pycache__", "*.log",
    ]  # fmt: skip
    root_only = ignore_lines((Found("__pycache__", "cache"), Found("a/b.log", "log")))
    assert [line for line, _ in root_only] == ["__pycache__", "**/*.log"]


def test_credential_kinds(tmp_path: Path) -> None:
    ctx = make(tmp_path, {
        ".env": "A=1", ".env.production": "A=1", ".env.example": "A=", "app.env": "A=1",
        "id_rsa": "k", "id_rsa.pub": "ssh-rsa", "tls/key.pem": "-----BEGIN PRIVATE KEY-----",
        "tls/cert.pem": "-----BEGIN CERTIFICATE-----", ".npmrc": "//r/:_authToken=abc",
        "web/.npmrc": "//r/:_authToken=${NPM_TOKEN}", ".aws/credentials": "[default]",
        ".docker/config.json": '{"auths": {"r": {"auth": "eA=="}}}', ".pypirc": "[pypi]\n",
    })  # fmt: skip
    kinds = {
        rel: credential_kind(ctx, rel)
        for rel in sorted(
            p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
        )
    }
    assert kinds == {
        ".aws/credentials": "cloud-credentials", ".docker/config.json": "registry-auth",
        ".env": "dotenv", ".env.example": None, ".env.production": "dotenv", ".npmrc": "npm-token",
        ".pypirc": None, "app.env": None, "id_rsa": "ssh-key", "id_rsa.pub": None,
        "tls/cert.pem": None, "tls/key.pem": "private-key", "web/.npmrc": None,
    }  # fmt: skip
