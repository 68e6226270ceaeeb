"""What a build context holds that no image needs: version control, installed dependencies,
build outputs, virtualenvs, tool caches and logs (clutter), and credential files.

One walk over the files that reach the builder (.dockerignore applied), which never enters a
clutter folder: a `node_modules` of a hundred thousand files costs one directory entry.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from layerwise.context.build_context import BuildContext, join

# Folders that are clutter wherever they are.
ANYWHERE_DIRS = {
    "node_modules": "dependencies",
    "__pycache__": "cache",
    ".pytest_cache": "cache",
    ".mypy_cache": "cache",
    ".ruff_cache": "cache",
    ".tox": "cache",
    ".nox": "cache",
    ".hypothesis": "cache",
    ".parcel-cache": "cache",
}
# Build outputs: clutter at the root or beside a manifest of a tool that writes them there; a
# folder of that name elsewhere may be sources (`src/build/`).
BUILD_DIRS = {
    "dist": ("package.json", "pyproject.toml", "setup.py"),
    "build": ("package.json", "pyproject.toml", "setup.py", "build.gradle", "build.gradle.kts"),
    "target": ("Cargo.toml", "pom.xml"),
}
VENV_MARKER = "pyvenv.cfg"  # every virtualenv (venv, virtualenv, uv) has it at its top
LOG_SUFFIX = ".log"
# Folders of test data: a log file in one is a fixture a test reads, not clutter.
TEST_DATA_DIRS = frozenset({"test", "tests", "testdata", "fixtures", "__fixtures__", "__tests__"})

# Credential files by name (lower-cased). `.env` samples hold no secrets by convention.
_CREDENTIAL_NAMES = {
    "id_rsa": "ssh-key",
    "id_dsa": "ssh-key",
    "id_ecdsa": "ssh-key",
    "id_ed25519": "ssh-key",
    "credentials.json": "cloud-credentials",
    ".netrc": "netrc",
    ".git-credentials": "git-credentials",
}
_DOTENV = re.compile(r"^\.env(\.[A-Za-z0-9_-]+)*$")
_DOTENV_SAMPLES = frozenset({"example", "sample", "template", "dist", "defaults", "schema"})
_KEY_SUFFIXES = (".pem", ".key")
_PRIVATE_KEY = b"PRIVATE KEY-----"
_KEYSTORE_SUFFIXES = (".p12", ".pfx")
_MAX_SNIFF = 64 * 1024


@dataclass(frozen=True, slots=True)
class Found:
    """A path of the context (relative, slash-separated) and what it is."""

    path: str
    kind: str


@dataclass(frozen=True, slots=True)
class Survey:
    clutter: tuple[Found, ...]  # folders (and log files) no image needs
    credentials: tuple[Found, ...]  # files that hold secrets
    test_logs: tuple[Found, ...] = ()  # log files in test data folders (fixtures, kept)


def survey(context: BuildContext) -> Survey:
    """Clutter and credential files among what reaches the builder, in walk order."""
    clutter: list[Found] = []
    credentials: list[Found] = []
    _walk(context, "", clutter, credentials)
    test_logs = [f for f in clutter if f.kind == "log" and _in_test_data(f.path)]
    clutter = [f for f in clutter if f not in test_logs]
    return Survey(tuple(clutter), tuple(credentials), tuple(test_logs))


def _in_test_data(path: str) -> bool:
    return any(part in TEST_DATA_DIRS for part in path.split("/")[:-1])


def _walk(context: BuildContext, directory: str, clutter: list[Found], creds: list[Found]) -> None:
    try:
        entries = sorted(os.scandir(context.root / directory), key=lambda e: e.name)
    except OSError:
        return
    names = {e.name for e in entries}
    matcher = context.matcher
    for entry in entries:
        rel = join(directory, entry.name)
        ignored = matcher.is_ignored(rel)
        if entry.is_dir(follow_symlinks=False):
            kind = _clutter_dir(context, directory, entry.name, rel, names)
            if kind is not None:
                if not ignored:
                    clutter.append(Found(rel, kind))
                continue
            if not ignored or matcher.may_include_below(rel):
                _walk(context, rel, clutter, creds)
            continue
        if ignored:
            continue
        if rel == ".git":  # a worktree's or submodule's `.git` file
            clutter.append(Found(rel, "vcs"))
        elif entry.name.endswith(LOG_SUFFIX) and entry.is_file(follow_symlinks=False):
            clutter.append(Found(rel, "log"))
        else:
            kind = credential_kind(context, rel)
            if kind is not None:
                creds.append(Found(rel, kind))


def _clutter_dir(
    context: BuildContext, directory: str, name: str, rel: str, siblings: set[str]
) -> str | None:
    if name == ".git":
        return "vcs" if directory == "" else None
    if name in ANYWHERE_DIRS:
        return ANYWHERE_DIRS[name]
    manifests = BUILD_DIRS.get(name)
    if manifests is not None and (directory == "" or siblings.intersection(manifests)):
        return "build"
    if (context.root / rel / VENV_MARKER).is_file():
        return "virtualenv"
    return None


def credential_kind(context: BuildContext, rel: str) -> str | None:
    """What kind of credential file `rel` is, by its name and, where the name alone does not
    tell (`.npmrc`, `*.pem`), by its content; None for any other file."""
    name = rel.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower in _CREDENTIAL_NAMES:
        return _CREDENTIAL_NAMES[lower]
    match = _DOTENV.match(name)
    if match:
        suffixes = set(name.lower().split(".")[2:])
        return None if suffixes & _DOTENV_SAMPLES else "dotenv"
    if rel.endswith(".aws/credentials"):
        return "cloud-credentials"
    if lower.endswith(_KEYSTORE_SUFFIXES):
        return "private-key"
    if lower.endswith(_KEY_SUFFIXES):
        return "private-key" if _PRIVATE_KEY in _head(context, rel) else None
    if lower == ".npmrc":
        return "npm-token" if npmrc_has_token(context.read_text(rel)) else None
    if lower == ".pypirc":
        text = context.read_text(rel) or ""
        return "pypi-password" if re.search(r"(?m)^\s*password\s*[=:]\s*\S", text) else None
    if rel.endswith(".docker/config.json"):
        text = context.read_text(rel) or ""
        return "registry-auth" if '"auth"' in text else None
    return None


def npmrc_has_token(text: str | None) -> bool:
    """An .npmrc holding a literal credential (`_authToken=npm_...`), not a `${VAR}` one."""
    # The reading of .npmrc lines lives with the npm project model.
    from layerwise.context.npm_project import _npmrc_credentials

    return _npmrc_credentials(text)[0]


def _head(context: BuildContext, rel: str) -> bytes:
    try:
        with (context.root / rel).open("rb") as handle:
            return handle.read(_MAX_SNIFF)
    except OSError:
        return b""


# The order lines go in a written .dockerignore.
_KIND_ORDER = ("vcs", "dependencies", "build", "virtualenv", "cache", "log")


def ignore_lines(found: tuple[Found, ...] | list[Found]) -> list[tuple[str, tuple[Found, ...]]]:
    """.dockerignore lines that leave out exactly the `found` clutter, each with what it covers.

    A folder that is clutter wherever it is (`node_modules`, `__pycache__`) gets `name` when it
    is only at the root and `**/name` when it is deeper too; build outputs and virtualenvs get
    their own paths (a `build/` elsewhere may be sources); log files `*.log` or `**/*.log`.
    """
    groups: dict[str, list[Found]] = {}
    for item in sorted(found, key=lambda f: (_KIND_ORDER.index(f.kind), f.path)):
        name = item.path.rsplit("/", 1)[-1]
        if item.kind in ("build", "virtualenv", "vcs"):
            key = item.path
        elif item.kind == "log":
            key = "*" + LOG_SUFFIX
        else:
            key = name
        groups.setdefault(key, []).append(item)
    lines = []
    for key, items in groups.items():
        nested = any("/" in item.path for item in items)
        line = f"**/{key}" if nested and items[0].kind in ("dependencies", "cache", "log") else key
        lines.append((line, tuple(items)))
    return lines
