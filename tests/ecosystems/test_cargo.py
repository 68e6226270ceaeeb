"""Cargo's dependency-only build: which `cargo build` splits, what it reads, what runs above the
copy (LW101)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from layerwise.context import BuildContext
from layerwise.ecosystems import cargo
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText

# The `make_context` fixture (conftest.py): a build context holding the given files.
ContextMaker = Callable[[dict[str, str]], BuildContext]

MANIFEST = '[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\nserde_json = "1.0"\n'


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("text", "splits"),
    [
        ("cargo build --release", True),
        ("cargo b -r --locked", True),
        ("cargo build --features=tls --target x86_64-unknown-linux-musl", True),
        ("RUSTFLAGS=-Cdebuginfo=0 cargo build --release", True),
        ("cargo fetch", True),
        ("cargo build --release --bin server", False),
        ("cargo build -p api", False),
        ("cargo build --target-dir /out", False),
        ("CARGO_TARGET_DIR=/out cargo build", False),
        ("cargo install --path .", False),
        ("cargo test", False),
    ],
)
def test_which_commands_are_dependency_installs(text: str, splits: bool) -> None:
    assert cargo.is_dependency_install(cmd(text)) is splits


def test_a_build_splits_into_a_placeholder_build_and_a_clean(make_context: ContextMaker) -> None:
    context = make_context(
        {"Cargo.toml": MANIFEST, "Cargo.lock": "", "src/main.rs": "", "src/lib.rs": ""}
    )
    found = cargo.dependency_install(cmd("cargo build -r --target t -j 2"), context, "")
    assert found is not None
    assert found.inputs == ("Cargo.toml", "Cargo.lock")
    assert found.proven
    assert found.before == (
        "mkdir -p src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs"
        " && cargo build -r --target t -j 2 && cargo clean -r --target t -p shop && rm -rf src"
    )


def test_without_a_lockfile_the_split_is_not_proven(make_context: ContextMaker) -> None:
    context = make_context({"Cargo.toml": MANIFEST, "src/main.rs": "", ".cargo/config.toml": ""})
    found = cargo.dependency_install(cmd("cargo build"), context, "")
    assert found is not None
    assert found.inputs == ("Cargo.toml", ".cargo/config.toml")
    assert not found.proven


@pytest.mark.parametrize(
    "files",
    [
        {"Cargo.toml": '[workspace]\nmembers = ["a"]\n', "src/main.rs": ""},
        {"Cargo.toml": MANIFEST + '\n[[bin]]\nname = "x"\npath = "x.rs"\n', "src/main.rs": ""},
        {"Cargo.toml": MANIFEST, "src/main.rs": "", "build.rs": ""},
        {"Cargo.toml": MANIFEST, "src/main.rs": "", "src/bin/tool.rs": ""},
        {"Cargo.toml": MANIFEST + 'core = { path = "core" }\n', "src/main.rs": ""},
        {"Cargo.toml": MANIFEST},
        {"Cargo.toml": "[package\n", "src/main.rs": ""},
    ],
)
def test_no_split_where_a_placeholder_cannot_stand_in(
    make_context: ContextMaker, files: dict[str, str]
) -> None:
    assert cargo.dependency_install(cmd("cargo build"), make_context(files), "") is None


def test_no_split_without_a_context_or_for_fetch(make_context: ContextMaker) -> None:
    assert cargo.dependency_install(cmd("cargo build"), None, "") is None
    context = make_context({"Cargo.toml": MANIFEST, "src/main.rs": ""})
    assert cargo.dependency_install(cmd("cargo fetch"), context, "") is None
    assert cargo.split_repeats_install(cmd("cargo build --release"))
    assert not cargo.split_repeats_install(cmd("cargo fetch"))
