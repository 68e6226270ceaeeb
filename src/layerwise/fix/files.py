"""Dockerfiles on disk: finding them under directories, and checking or fixing one of them."""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from layerwise.context.build_context import BuildContext, mode_of
from layerwise.errors import LayerwiseError
from layerwise.fix.loop import FixResult, fix_text, read_context_file
from layerwise.fix.write import write_atomic
from layerwise.rules.base import Finding, Settings
from layerwise.rules.lw400_dockerfile_syntax_error import syntax_error
from layerwise.rules.runner import check_tree
from layerwise.syntax import DockerfileSyntaxError, parse
from layerwise.syntax.files import read_text

NAME_PATTERNS = ("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile")
# `Dockerfile.dockerignore` is BuildKit's per-Dockerfile ignore file, not a Dockerfile.
NOT_DOCKERFILE = ("*.dockerignore",)
SKIP_DIRS = frozenset({".git", "node_modules"})


def is_dockerfile_name(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in NAME_PATTERNS) and not any(
        fnmatch.fnmatchcase(name, p) for p in NOT_DOCKERFILE
    )


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files given by name, plus Dockerfiles found under directories (skipping .git and
    node_modules), in sorted order without duplicates. A missing path is a LayerwiseError."""
    found: dict[str, Path] = {}
    for path in paths:
        mode = mode_of(os.fspath(path))  # one stat (no Path.is_file, Path.is_dir) per name
        if stat.S_ISREG(mode):
            found.setdefault(os.path.normpath(path), path)
        elif stat.S_ISDIR(mode):
            for file in _walk(path):
                found.setdefault(os.path.normpath(file), file)
        else:
            raise LayerwiseError("no such file or directory", path=str(path))
    return [found[key] for key in sorted(found)]


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if is_dockerfile_name(name):
                yield Path(dirpath) / name


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file: its text, the findings left, and the fix (when asked)."""

    path: Path
    source: str
    findings: tuple[Finding, ...]
    fix: FixResult | None = None

    @property
    def fixed_text(self) -> str:
        return self.fix.text if self.fix is not None else self.source


def write_context_files(result: FixResult) -> None:
    """Write the context files a fix added lines to (a new `.dockerignore`), atomically."""
    if result.context_root is None:
        return
    for rel, text in result.files.items():
        write_atomic(Path(result.context_root) / rel, text)


def context_file_changes(result: FixResult | None) -> list[tuple[str, str, str]]:
    """(path, text before, text after) of each context file the fixes add lines to; the path
    joins the context directory as it was given (`app/.dockerignore`)."""
    if result is None or result.context_root is None:
        return []
    out = []
    for rel, after in result.files.items():
        path = os.path.normpath(Path(result.context_root) / rel)
        out.append((path, read_context_file(Path(path)), after))
    return out


def open_context(dockerfile: Path, context_dir: Path | None) -> BuildContext:
    """The build context: `context_dir`, else the Dockerfile's directory."""
    root = context_dir if context_dir is not None else dockerfile.parent
    return BuildContext.open(root, dockerfile, hint=None)


def run_file(
    path: Path,
    *,
    settings: Settings,
    context_dir: Path | None = None,
    fix: bool = False,
    unsafe: bool = False,
    write: bool = False,
) -> FileOutcome:
    """Check one Dockerfile; with `fix`, fix it to a fixed point, and with `write`, save it.

    A file BuildKit's parser rejects gives one LW400 finding and is never fixed or written;
    what cannot be read as text at all (missing, a directory, binary, not UTF-8) is a
    LayerwiseError.
    """
    text = read_text(path)
    context = open_context(path, context_dir)
    try:
        tree = parse(text, path=str(path))
    except DockerfileSyntaxError as exc:
        finding = syntax_error(exc, text).localized(settings.lang)
        return FileOutcome(path, text, (dataclasses.replace(finding, path=str(path)),))
    if not fix:
        findings = check_tree(tree, context=context, settings=settings)
        return FileOutcome(path, tree.text, tuple(findings))
    result = fix_text(tree.text, path=str(path), context=context, settings=settings, unsafe=unsafe)
    if write and result.text != result.original:
        write_atomic(path, result.text)
    if write and result.files:
        write_context_files(result)
    return FileOutcome(path, tree.text, result.remaining, result)
