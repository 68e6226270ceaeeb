"""Properties of the build-context rules' fixes on generated contexts: the .dockerignore they
write never leaves out what a COPY names, and leaves out every credential file it reports."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from layerwise.context import BuildContext
from layerwise.context.ignore_file import ignore_path, with_ignore_text
from layerwise.fix import fix_text
from layerwise.rules.base import Settings

CLUTTER = [".git/HEAD", "node_modules/a/i.js", "web/node_modules/b/i.js", "dist/main.js",
           "a/__pycache__/m.pyc", ".pytest_cache/x", "debug.log", "web/out.log",
           ".venv/pyvenv.cfg", "target/app"]  # fmt: skip
SECRETS = {".env": "A=1", "deploy/id_rsa": "k", ".aws/credentials": "[default]",
           ".npmrc": "//r/:_authToken=abc"}  # fmt: skip
SOURCES = ["src/app.js", "package.json", "Cargo.toml", "web/package.json"]
NAMED = st.sampled_from(
    [".git", "dist", "dist/main.js", "node_modules", "web", "src", "debug.log", "*.log",
     "web/node_modules", ".venv", "target", "deploy", ".env"]
)  # fmt: skip
RUNS = st.sampled_from(["npm ci", "git describe > v", "npm run build", "cargo build", "true"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(CLUTTER), min_size=1, unique=True),
    st.lists(st.sampled_from(sorted(SECRETS)), unique=True),
    st.lists(NAMED, max_size=3, unique=True),
    st.lists(RUNS, max_size=2),
    st.booleans(),
)
def test_fix_keeps_what_copies_name(
    clutter: list[str], secrets: list[str], named: list[str], runs: list[str], unsafe: bool
) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        for rel in clutter + SOURCES + secrets:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(SECRETS.get(rel, "x"))
        lines = ["FROM node:20", "WORKDIR /app"]
        lines += [f"COPY {n} ./{n.replace('*', 'x')}" for n in named]
        lines += ["COPY . .", *(f"RUN {r}" for r in runs)]
        text = "\n".join(lines) + "\n"
        ctx = BuildContext.open(root, root / "Dockerfile")
        result = fix_text(
            text, path=str(root / "Dockerfile"), context=ctx,
            settings=Settings(select=("LW6", "LW7")), unsafe=unsafe,
        )  # fmt: skip
        assert result.bugs == ()
        assert result.text == text  # these fixes only write the ignore file
        written = result.files.get(ignore_path(ctx))
        if written is None:
            return
        after = with_ignore_text(ctx, written)
        for name in named:
            if "*" not in name and (root / name).exists():
                assert not after.is_ignored(name), f"{name} is left out but COPY names it"
        if "git describe > v" in runs:
            assert not after.is_ignored(".git")
        reported = {f.message.split("`")[3] for f in result.applied if f.code == "LW702"}
        assert all(after.is_ignored(path) for path in reported)
        left = [f for f in result.remaining if f.code in ("LW601", "LW702") and f.fix]
        assert not [f for f in left if f.fix is not None and (f.fix.safety == "safe" or unsafe)]
    finally:
        shutil.rmtree(root)


PROJECT = {"package.json": '{"name": "a"}', "package-lock.json": '{"lockfileVersion": 3}',
           "src/a.js": "1"}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(CLUTTER), unique=True),
    st.lists(st.sampled_from(sorted(SECRETS)), unique=True),
    st.lists(NAMED, max_size=2, unique=True),
    st.lists(RUNS, min_size=1, max_size=2),
    st.booleans(),
)
# Found by the property: LW601 chose `node_modules` and `*.log` one by one, each leaving
# `web/` something, together nothing (`COPY web ./web` then copied an empty folder: LW602).
@example(["web/node_modules/b/i.js", "web/out.log"], [], ["web"], ["npm ci"], False)
def test_every_rule_together_leaves_every_copy_something_to_copy(
    clutter: list[str], secrets: list[str], named: list[str], runs: list[str], unsafe: bool
) -> None:
    """With every rule on (LW101 moving manifests first, LW6xx/LW7xx writing the ignore file),
    the fixed Dockerfile and ignore file agree: no COPY names what the ignore file leaves out."""
    root = Path(tempfile.mkdtemp())
    try:
        for rel, text in {**PROJECT, **dict.fromkeys(clutter, "x"), **SECRETS}.items():
            if rel in SECRETS and rel not in secrets:
                continue
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        lines = ["FROM node:20", "WORKDIR /app"]
        lines += [f"COPY {n} ./{n.replace('*', 'x')}" for n in named if (root / n).exists()]
        lines += ["COPY . .", *(f"RUN {r}" for r in runs)]
        text = "\n".join(lines) + "\n"
        ctx = BuildContext.open(root, root / "Dockerfile")
        path = str(root / "Dockerfile")
        result = fix_text(text, path=path, context=ctx, unsafe=unsafe)
        assert result.bugs == ()
        written = result.files.get(ignore_path(ctx))
        after = ctx if written is None else with_ignore_text(ctx, written)
        left = fix_text(result.text, path=path, context=after, settings=Settings(select=("LW602",)))
        assert left.remaining == ()
    finally:
        shutil.rmtree(root)


def test_lw702_own_ignore_file_keeps_the_fix_safe_beside_other_dockerfiles() -> None:
    """Other Dockerfiles of the context read `.dockerignore`, not `app.Dockerfile.dockerignore`:
    a line added to the latter cannot break them (the fixture LW702/other_dockerfile is the
    shared case, where the fix is unsafe)."""
    root = Path(tempfile.mkdtemp())
    try:
        files = {"app.Dockerfile.dockerignore": ".git\n", "index.html": "hi",
                 "Dockerfile.deploy": "FROM debian:bookworm-slim\nCOPY deploy/id_rsa /k\n",
                 "deploy/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----"}  # fmt: skip
        for rel, body in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(body)
        ctx = BuildContext.open(root, root / "app.Dockerfile")
        result = fix_text(
            "FROM debian:bookworm-slim\nCOPY . /srv\n", path=str(root / "app.Dockerfile"),
            context=ctx, settings=Settings(select=("LW702",)), unsafe=False,
        )  # fmt: skip
        assert result.files == {"app.Dockerfile.dockerignore": ".git\ndeploy/id_rsa\n"}
    finally:
        shutil.rmtree(root)
