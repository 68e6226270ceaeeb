"""Cargo's dependency step: which `cargo build` counts as one, and how its target folder is kept in
a cache mount with the binary copied back (LW101)."""

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


@pytest.mark.parametrize(
    ("text", "folder"),
    [
        ("cargo build", "debug"),
        ("cargo build -r --locked -j 2", "release"),
        ("cargo build --profile dev", "debug"),
        ("cargo build --profile=bench", "release"),
        ("cargo build --profile small --target t", "t/small"),
        ("cargo build --target=aarch64-unknown-linux-gnu -r", "aarch64-unknown-linux-gnu/release"),
    ],
)  # fmt: skip
def test_the_output_cache_copies_the_binary_back_where_the_build_wrote_it(
    make_context: ContextMaker, text: str, folder: str
) -> None:
    context = make_context({"Cargo.toml": MANIFEST, "src/main.rs": "", "src/lib.rs": ""})
    found = cargo.output_cache(cmd(text), {}, context, "", "/usr/src/shop", None)
    assert found is not None
    assert found.mount.flag_text() == (
        "--mount=type=cache,target=/tmp/cargo-target,id=/usr/src/shop/target"
    )
    assert found.assignment == "CARGO_TARGET_DIR=/tmp/cargo-target"
    assert found.copy_out == (
        f"mkdir -p target/{folder} && cp /tmp/cargo-target/{folder}/shop target/{folder}/"
    )
    assert found.outputs == (f"target/{folder}/shop",)


def test_the_output_cache_belongs_to_the_user(make_context: ContextMaker) -> None:
    context = make_context({"app/Cargo.toml": MANIFEST, "app/src/main.rs": ""})
    found = cargo.output_cache(cmd("cargo build"), {}, context, "app", "/src/app", ("1000", "1000"))
    assert found is not None
    assert found.mount.flag_text() == (
        "--mount=type=cache,target=/tmp/cargo-target,id=/src/app/target,uid=1000,gid=1000"
    )


@pytest.mark.parametrize(
    "files",
    [
        {"Cargo.toml": '[workspace]\nmembers = ["a"]\n', "src/main.rs": ""},
        {"Cargo.toml": MANIFEST + '\n[[bin]]\nname = "x"\npath = "x.rs"\n', "src/main.rs": ""},
        {"Cargo.toml": MANIFEST, "src/main.rs": "", "build.rs": ""},
        {"Cargo.toml": MANIFEST, "src/main.rs": "", "src/bin/tool.rs": ""},
        {"Cargo.toml": MANIFEST + 'core = { path = "core" }\n', "src/main.rs": ""},
        {"Cargo.toml": MANIFEST, "src/lib.rs": ""},
        {"Cargo.toml": MANIFEST},
        {"Cargo.toml": "[package\n", "src/main.rs": ""},
        {"Cargo.toml": MANIFEST, "src/main.rs": "", ".cargo/config.toml": "[build]\ntarget = 't'"},
        {"Cargo.toml": MANIFEST, "src/main.rs": "", ".cargo/config": "[build]\ntarget-dir = 'o'"},
    ],
)
def test_no_output_cache_where_the_binary_is_not_known(
    make_context: ContextMaker, files: dict[str, str]
) -> None:
    assert cargo.output_cache(cmd("cargo build"), {}, make_context(files), "", "/app", None) is None


def test_no_output_cache_without_a_context_or_for_other_commands(
    make_context: ContextMaker,
) -> None:
    assert cargo.output_cache(cmd("cargo build"), {}, None, "", "/app", None) is None
    context = make_context({"Cargo.toml": MANIFEST, "src/main.rs": ""})
    for text in ("cargo fetch", "cargo build --bin shop", "CARGO_TARGET_DIR=/o cargo build"):
        assert cargo.output_cache(cmd(text), {}, context, "", "/app", None) is None
    for name in ("CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR", "CARGO_BUILD_TARGET"):
        moved = {name: "x"}
        assert cargo.output_cache(cmd("cargo build"), moved, context, "", "/app", None) is None
    assert cargo.dependency_install(cmd("cargo build"), {}, context, "") is None
    assert cargo.split_repeats_install(cmd("cargo build --release"))
    assert not cargo.split_repeats_install(cmd("cargo fetch"))
