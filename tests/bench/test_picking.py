from __future__ import annotations

import pytest

from layerwise.bench.picking import (
    copy_sources,
    is_copied,
    is_dependency_file,
    pick_manifest,
    pick_source_file,
)
from layerwise.model import build_model
from layerwise.syntax import parse


@pytest.mark.parametrize(
    ("rel", "patterns", "expected"),
    [
        ("src/a/b.ts", ["."], True),
        ("src/a/b.ts", ["./"], True),
        ("src/a/b.ts", ["src/"], True),
        ("src/a/b.ts", ["./src"], True),
        ("src/a/b.ts", ["/src"], True),
        ("src/a/b.ts", ["lib/"], False),
        ("main.go", ["*.go"], True),
        ("cmd/main.go", ["*.go"], False),  # `*` never crosses `/` (Go filepath.Match)
        ("cmd/main.go", ["*/*.go"], True),
        ("package-lock.json", ["package*.json"], True),
        ("package.json", ["package.json", "package-lock.json"], True),
        ("src", ["src/app.ts"], False),
    ],
)
def test_is_copied(rel: str, patterns: list[str], expected: bool) -> None:
    assert is_copied(rel, patterns) is expected


def test_dependency_files_of_several_ecosystems() -> None:
    for rel in ("package.json", "web/package-lock.json", "requirements-dev.txt", "go.sum",
                "uv.lock", "Cargo.toml", "api/App.csproj"):  # fmt: skip
        assert is_dependency_file(rel), rel
    for rel in ("src/main.ts", "app/main.py", "main.go", "config/default.json"):
        assert not is_dependency_file(rel), rel


def test_copy_sources_follow_the_target_and_expand_variables() -> None:
    model = build_model(
        parse(
            "FROM node:20 AS deps\n"
            "ARG DIR=src\n"
            "COPY package.json ./\n"
            "COPY ${DIR}/ ./src/\n"
            "FROM node:20 AS other\n"
            "COPY docs/ /docs/\n"
            "FROM node:20\n"
            "COPY --from=deps /app /app\n"
            "ADD https://example.invalid/x.tgz /x.tgz\n"
            "COPY extra.txt /\n"
        )
    )
    # The final stage needs `deps` (COPY --from), never `other`; URLs select nothing local.
    assert copy_sources(model) == ["package.json", "src/", "extra.txt"]
    assert copy_sources(model, "deps") == ["package.json", "src/"]
    assert copy_sources(model, "other") == ["docs/"]


TRACKED = [
    "Dockerfile",
    ".dockerignore",
    "README.md",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "config/default.json",
    "scripts/seed.sh",
    "src/main.ts",
    "src/app.module.ts",
    "src/deep/x.ts",
    "test/app.spec.ts",
]


def test_source_pick_prefers_code_in_a_source_folder_and_skips_dependency_files() -> None:
    def never(rel: str) -> bool:
        return False

    assert pick_source_file(TRACKED, ["."], never) == "src/app.module.ts"
    # Only what the Dockerfile copies and .dockerignore lets through counts.
    assert pick_source_file(TRACKED, ["package.json", "scripts/"], never) == "scripts/seed.sh"

    def ignore_src(rel: str) -> bool:
        return rel.startswith("src/")

    assert pick_source_file(TRACKED, ["package.json", "src/"], ignore_src) is None
    assert pick_source_file(TRACKED, ["package*.json", "tsconfig.json"], never) is None


def test_manifest_pick_takes_a_copied_manifest_never_a_lockfile() -> None:
    def never(rel: str) -> bool:
        return False

    assert pick_manifest(TRACKED, ["."], never) == "package.json"
    assert pick_manifest(TRACKED, ["package-lock.json", "src/"], never) is None
    assert pick_manifest(["a/go.mod", "go.mod"], ["."], never) == "go.mod"
