"""The pre-commit hooks in `.pre-commit-hooks.yaml`, run by the real pre-commit.

`pre-commit try-repo PATH` clones PATH at HEAD plus its tracked, uncommitted changes; untracked
files are left out, so a new module not yet added would be missing from the hook. The test
therefore commits a snapshot of this working tree (tracked and untracked files, .gitignore
respected) into a scratch repository and tries that, the same in a clean CI checkout and in a
work tree mid-change. pre-commit builds the hook's virtualenv with `pip install .`, which needs
PyPI: deselect with `-m "not network"`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pre_commit.clientlib import load_manifest

from layerwise.fix.files import is_dockerfile_name

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / ".pre-commit-hooks.yaml"

BAD = """\
FROM node:20 as app
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "index.js"]
"""
FIXED = """\
FROM node:20 AS app
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
COPY . .
CMD ["node", "index.js"]
"""


def _hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in load_manifest(str(HOOKS))}


def test_manifest_is_valid_and_has_both_hooks() -> None:
    hooks = _hooks()
    assert hooks["layerwise"]["entry"] == "layerwise check"
    assert hooks["layerwise-fix"]["entry"] == "layerwise check --fix"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is True


@pytest.mark.parametrize(
    "path",
    ["Dockerfile", "svc/Dockerfile", "Dockerfile.prod", "a/b/api.Dockerfile", "x.dockerfile",
     ".Dockerfile", "Dockerfile.dockerignore", "api.Dockerfile.dockerignore", "Dockerfile-old",
     "dockerfile.md", "Dockerfile.d/run.sh", "docs/Dockerfile.md", "MyDockerfile",
     "Containerfile", "dockerfile"],
)  # fmt: skip
def test_files_pattern_matches_what_check_discovers(path: str) -> None:
    """A hook runs on exactly the names `layerwise check DIR` would pick up."""
    for hook in _hooks().values():
        selected = re.search(hook["files"], path) is not None
        selected = selected and re.search(hook["exclude"], path) is None
        assert selected is is_dockerfile_name(path.rsplit("/", 1)[-1]), (hook["id"], path)


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _clean_env(tmp_path: Path) -> dict[str, str]:
    # A test run from inside a git hook inherits GIT_DIR and friends; they would point pre-commit's
    # git calls at the wrong repository.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["HOME"] = str(tmp_path / "home")  # no user git config or pip config leaks in
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return env


def _snapshot(dest: Path, env: dict[str, str]) -> Path:
    """This working tree as it is now, committed in a new repository at `dest`."""
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT, env=env)
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file():  # a tracked file deleted in the work tree stays deleted
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    _git("init", "-q", cwd=dest, env=env)
    _git("add", "-A", cwd=dest, env=env)
    _git(
        "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot", cwd=dest, env=env
    )
    return dest


def _try_repo(hooks: Path, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hooks),
            "--all-files",
            "--color=never",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.network
def test_try_repo_reports_then_fixes_then_passes(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    (tmp_path / "home").mkdir()
    try:
        _git("rev-parse", "--is-inside-work-tree", cwd=ROOT, env=env)
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("needs git and a git checkout of layerwise (an sdist has no file list)")
    hooks = _snapshot(tmp_path / "hooks", env)
    project = tmp_path / "project"
    project.mkdir()
    (project / "Dockerfile").write_text(BAD)
    (project / "package.json").write_text('{"name": "app"}\n')
    (project / "package-lock.json").write_text("{}\n")
    _git("init", "-q", cwd=project, env=env)
    _git("add", ".", cwd=project, env=env)

    first = _try_repo(hooks, project, env)
    out = first.stdout + first.stderr
    assert first.returncode == 1, out
    # Hooks run in id order: the check reports, then the fixer rewrites the file.
    check_part, fix_part = out.split("layerwise (fix)", 1)
    assert re.search(r"layerwise\.+Failed", check_part), out
    assert "Dockerfile:1:14: LW401" in check_part, out
    assert "Dockerfile:4:5: LW201" in check_part, out
    assert "files were modified by this hook" in fix_part, out
    assert (project / "Dockerfile").read_text() == FIXED

    second = _try_repo(hooks, project, env)
    out = second.stdout + second.stderr
    assert second.returncode == 0, out
    assert re.search(r"layerwise\.+Passed", out), out
    assert re.search(r"layerwise \(fix\)\.+Passed", out), out
