"""Which file a bench edits when the user names none.

A source-only edit must reach the build (a tracked, not .dockerignore'd file that a COPY/ADD from
the build context selects, in a stage the target needs) and must not be a dependency file, or
the `src` scenario would measure a dependency change. The `dep` edit takes a manifest the
Dockerfile copies, lockfiles excluded (the edit must leave the lockfile valid).
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from layerwise import ecosystems
from layerwise.bench.edits import can_edit, has_comment_syntax
from layerwise.errors import LayerwiseError
from layerwise.model import Model, expand

# Manifests and lockfiles of ecosystems that ecosystems/ does not model yet; `dependency_names()`
# adds whatever the modelled ones declare. Erring towards "dependency" only narrows the choice.
_OTHER_MANIFESTS = frozenset(
    {
        "requirements.txt",
        "requirements.in",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "Pipfile",
        "go.mod",
        "Cargo.toml",
        "Gemfile",
        "composer.json",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "settings.gradle",
        "settings.gradle.kts",
        "mix.exs",
        "pnpm-workspace.yaml",
    }
)
_OTHER_LOCKFILES = frozenset(
    {
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "uv.lock",
        "Pipfile.lock",
        "pdm.lock",
        "go.sum",
        "go.work.sum",
        "Cargo.lock",
        "Gemfile.lock",
        "composer.lock",
        "mix.lock",
        "packages.lock.json",
        "gradle.lockfile",
        "constraints.txt",
    }
)
_OTHER_PATTERNS = ("requirements*.txt", "requirements*.in", "*.csproj", "*.fsproj")
# Conventional source folders rank first when picking a source file.
_SOURCE_DIRS = frozenset({"src", "app", "lib", "cmd", "internal", "pkg", "source", "server"})
_CODE_SUFFIXES = frozenset(
    {
        ".ts",
        ".tsx",
        ".js",
        ".jsx",
        ".mjs",
        ".cjs",
        ".py",
        ".go",
        ".rs",
        ".java",
        ".kt",
        ".rb",
        ".php",
        ".cs",
        ".c",
        ".cc",
        ".cpp",
        ".swift",
        ".scala",
        ".ex",
        ".dart",
    }
)


def manifest_names() -> frozenset[str]:
    """Dependency manifests by file name (package.json, requirements.txt, go.mod, ...)."""
    names = set(_OTHER_MANIFESTS)
    for eco in ecosystems.ALL:
        names.update(eco.MANIFESTS)
    return frozenset(names)


def lockfile_names() -> frozenset[str]:
    """Lockfiles by file name."""
    names = set(_OTHER_LOCKFILES)
    for eco in ecosystems.ALL:
        names.update(eco.LOCKFILES)
    return frozenset(names)


def is_dependency_file(rel: str) -> bool:
    """True for a manifest or lockfile of any ecosystem layerwise knows."""
    name = posixpath.basename(rel)
    if name in manifest_names() or name in lockfile_names():
        return True
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in _OTHER_PATTERNS)


def copy_sources(model: Model, target: str | None = None) -> list[str]:
    """Context paths (patterns) that COPY/ADD select in the stages `target` needs.

    Variables are expanded as BuildKit would; sources that cannot be expanded, URLs, git
    sources and heredocs are left out (they select nothing in the context we could edit).
    """
    patterns: list[str] = []
    for stage in model.needed_stages(target):
        for step in stage.steps:
            inst = step.instruction
            if inst.name not in {"COPY", "ADD"} or inst.flag("from") is not None:
                continue
            for word in inst.value[:-1]:
                if word.startswith("<<") or "://" in word or word.startswith("git@"):
                    continue
                try:
                    patterns.append(expand(word, step.state.variables, escape=model.tree.escape))
                except LayerwiseError:
                    continue
    return patterns


def is_copied(rel: str, patterns: Iterable[str]) -> bool:
    """True when one of the COPY source `patterns` selects `rel` (a file in the context).

    Go's filepath.Match per path component (`*` never crosses `/`), and a selected directory
    brings everything below it, as BuildKit copies.
    """
    parts = PurePosixPath(rel).parts
    for pattern in patterns:
        pattern_parts = [p for p in posixpath.normpath(pattern.lstrip("/")).split("/") if p]
        if pattern_parts in ([], ["."]):
            return True
        if len(pattern_parts) > len(parts):
            continue
        if all(
            fnmatch.fnmatchcase(part, pat) for part, pat in zip(parts, pattern_parts, strict=False)
        ):
            return True
    return False


def _source_rank(rel: str) -> tuple[int, int, int, str]:
    parts = PurePosixPath(rel).parts
    in_source_dir = len(parts) > 1 and parts[0] in _SOURCE_DIRS
    is_code = PurePosixPath(rel).suffix.lower() in _CODE_SUFFIXES
    return (0 if in_source_dir else 1, 0 if is_code else 1, len(parts), rel)


def pick_source_file(
    tracked: Iterable[str], patterns: list[str], is_ignored: Callable[[str], bool]
) -> str | None:
    """The file a `src` edit touches: copied, not ignored, not a dependency file, commentable.

    Files in a conventional source folder (src/, app/, cmd/...) and with a code suffix first,
    then the shallowest, then by name, so the choice is stable.
    """
    candidates = [
        rel
        for rel in tracked
        if has_comment_syntax(rel)
        and not is_dependency_file(rel)
        and posixpath.basename(rel) not in {".dockerignore"}
        and not posixpath.basename(rel).startswith("Dockerfile")
        and not is_ignored(rel)
        and is_copied(rel, patterns)
    ]
    return min(candidates, key=_source_rank) if candidates else None


def pick_manifest(
    tracked: Iterable[str], patterns: list[str], is_ignored: Callable[[str], bool]
) -> str | None:
    """The manifest a default `dep` edit touches: copied, not ignored; shallowest first."""
    tracked = list(tracked)
    names = manifest_names()
    candidates = [
        rel
        for rel in tracked
        if posixpath.basename(rel) in names
        and can_edit(rel)
        and not is_ignored(rel)
        and is_copied(rel, patterns)
    ]
    return min(candidates, key=lambda rel: (len(PurePosixPath(rel).parts), rel), default=None)
