"""Cargo: its download step (`cargo fetch`), the commands that fill its registry, and where the
registry and git caches live.

Facts from the Cargo Book ("Cargo Home": `$CARGO_HOME`, default `~/.cargo`, keeps `registry/`
(index, downloaded `.crate` files, extracted sources) and `git/db` (bare clones of git
dependencies); "Build cache": `target/` holds the build output) and buildkit-facts.md (mounts
on /usr/local/cargo/registry and /usr/local/cargo/git/db; the official rust image sets
CARGO_HOME=/usr/local/cargo). `target/` is the build output, not a download cache.

`cargo build` after `COPY . .` compiles every dependency again on each source edit: nothing of
`target/` survives the rebuilt step. The fix keeps the target folder in a cache mount, as
Docker's Rust guide does: the build writes there (`CARGO_TARGET_DIR`), so a source edit
recompiles the package alone and a dependency change only the crates it touches, and the same
RUN copies the binary back to where the build wrote it before (`target/release/<name>`), so
the image still has it. The mount sits at /tmp/cargo-target (the project's own `target` cannot
be both the mount and where the binary lands) with the id a mount on the project's `target`
would have, so two projects on one builder do not share it. A dependency-only build of
placeholder sources above the copy (cargo-chef's way, the layout this module wrote before)
keeps the crates in a layer instead, which a registry cache carries to another builder, but a
dependency change then compiles every crate and the package twice: measured slower than the
naive build on tests/apps/rust-api (16.3 s against 15.2 s). Cargo judges a package fresh by its
sources' times: a source older than the last build in the mount would be taken as built; a
checkout or an edit gives it the current time. Only for a single package in the default layout
(no `[workspace]`, `[lib]`/`[[bin]]` tables, `src/bin`, build script or path dependency) with a
`src/main.rs` (the binary it copies out is named after the package), options that only choose
how it compiles, and nothing in ENV or `.cargo/config.toml` moving the output (`_moves_output`).
`cargo fetch` after copying only Cargo.toml and Cargo.lock fails when the package has no target
file yet (`src/main.rs` or `src/lib.rs`: "no targets specified in the manifest"), so LW101
reports it without a fix.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from layerwise.ecosystems import _toolchain as tc
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    OutputCache,
    Pruning,
    cleans_as_a_whole,
    cleans_nothing,
    command_env,
    image_tag,
    never_needs_dev,
    never_starts_over,
    never_unproven,
    no_dev_form,
    no_lockfile_form,
    no_project_env,
    subcommand,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "cargo"
PROGRAMS = frozenset({"cargo"})
MANIFESTS: tuple[str, ...] = ("Cargo.toml",)
LOCKFILES: tuple[str, ...] = ("Cargo.lock",)
# Proven with the rust:1.63 stand-in, whose cargo takes crates.io's crates from Debian's packaged
# ones (crates.io is out of reach here): tests/apps/rust-api, tests/fixtures/buildable/cargo_*.
BUILD_PROVEN = True
VALUE_OPTIONS = frozenset(
    {"--manifest-path", "--target", "--target-dir", "-p", "--package", "--bin", "--example",
     "--test", "--bench", "--features", "-F", "-j", "--jobs", "--profile", "--color", "--config",
     "-Z", "--root", "--path", "--version", "--git", "--branch", "--tag", "--rev", "--registry",
     "--index", "--exclude", "--message-format"}
)  # fmt: skip
INSTALL_VERBS = frozenset({"fetch", "build", "b", "install", "test", "t", "check", "c", "run",
                           "r", "doc", "d", "clippy", "bench"})  # fmt: skip
# The official rust image's CARGO_HOME.
OFFICIAL_HOME = "/usr/local/cargo"


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    word = verb(cmd)
    return word is not None and word.text in INSTALL_VERBS


BUILD_VERBS = frozenset({"build", "b"})
# `cargo build` options that only choose how the package and its dependencies compile. Any
# other (`--bin`, `-p`, `--manifest-path`, `--target-dir`...) or an operand builds something
# else than the one package, and LW101 leaves it alone.
_SPLIT_FLAGS = frozenset({"--release", "-r", "--locked", "--frozen", "--offline",
                          "--all-features", "--no-default-features", "-v", "-vv", "--verbose",
                          "-q", "--quiet"})  # fmt: skip
_SPLIT_VALUES = frozenset({"--features", "-F", "--target", "--profile", "-j", "--jobs"})
# Manifest tables that move targets or sources away from the default layout.
_LAYOUT_TABLES = ("workspace", "lib", "bin", "example", "test", "bench", "patch", "replace")


def is_dependency_install(cmd: Command) -> bool:
    """`cargo fetch` (Cargo's download step), a `cargo build` of the one package (it compiles
    every dependency, the costly part of a build), or cargo-chef's `cargo chef cook` (it compiles
    every dependency its recipe lists, and nothing of the package)."""
    word = verb(cmd)
    if word is None:
        return False
    return word.text == "fetch" or split_repeats_install(cmd) or _cooks(cmd)


def _cooks(cmd: Command) -> bool:
    """`cargo chef cook`: cargo-chef's dependency-only build (its README: the cooked
    dependencies are the layer that `COPY . .` and `cargo build` below it reuse)."""
    return [w.text for w in cmd.operands(VALUE_OPTIONS)[:2]] == ["chef", "cook"]


def split_repeats_install(cmd: Command) -> bool:
    """A `cargo build` of the one package: the same build above `COPY . .` (on placeholder
    sources, cargo-chef's layout) already compiled the dependencies (LW101)."""
    word = verb(cmd)
    return word is not None and word.text in BUILD_VERBS and _output_folder(cmd) is not None


# The folders under `target/` of the profiles whose folder is not their name.
_PROFILE_DIRS = {"dev": "debug", "test": "debug", "release": "release", "bench": "release"}


def _output_folder(cmd: Command) -> str | None:
    """The folder under `target/` a `cargo build` of the one package writes its binary to,
    `[<triple>/]<profile folder>`; None when the build takes another option, an operand or
    moves its target folder."""
    if any(
        w.text.startswith(("CARGO_TARGET_DIR=", "CARGO_BUILD_TARGET_DIR=")) for w in cmd.assignments
    ):
        return None
    args = [w.text for w in cmd.args]
    word = verb(cmd)
    i = next(i for i, w in enumerate(cmd.args) if w is word) + 1 if word is not None else 0
    triple, profile = None, "dev"
    while i < len(args):
        text = args[i]
        name, eq, value = text.partition("=")
        if text in _SPLIT_FLAGS:
            profile = "release" if text in ("--release", "-r") else profile
        elif name in _SPLIT_VALUES and (eq or i + 1 < len(args)):
            if not eq:
                i += 1
                value = args[i]
            triple = value if name == "--target" else triple
            profile = value if name == "--profile" else profile
        else:
            return None
        i += 1
    folder = _PROFILE_DIRS.get(profile, profile)
    return f"{triple}/{folder}" if triple else folder


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """None: `cargo fetch` does not load with the manifests alone, and `cargo build` keeps its
    work in a cache mount instead (`output_cache`)."""
    return None


# Where the fix mounts the target folder.
CACHED_TARGET = "/tmp/cargo-target"


def output_cache(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    cwd: str,
    uid_gid: tuple[str, str] | None,
) -> OutputCache | None:
    """A splittable `cargo build` of a default-layout binary package: the target folder in a
    cache mount and the binary copied back (see the module docstring). None without a context
    (the binary's name is the package's), for a layout whose binaries are not that one, or
    where ENV or a `.cargo/config.toml` moves the output (`_moves_output`)."""
    word = verb(cmd)
    folder = _output_folder(cmd)
    if context is None or word is None or word.text not in BUILD_VERBS or folder is None:
        return None
    if _moves_output(command_env(cmd, env), context, project_dir):
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    # Cargo looks for the workspace root in every parent folder (the Cargo Book, "Workspaces"):
    # a member's binary lands in the root's `target/`, not the one the copy-out writes.
    if any(context.exists(f"{up}Cargo.toml") for up in tc.folders_up(project_dir)[1:]):
        return None  # the project may be a member of a parent's workspace
    name = _package_name(context.read_text(prefix + "Cargo.toml"))
    if name is None or not context.exists(prefix + "src/main.rs"):
        return None
    if context.exists(prefix + "build.rs") or context.exists(prefix + "src/bin"):
        return None
    out = f"target/{folder}"
    mount = CacheMount.for_user(CACHED_TARGET, uid_gid)
    mount = dataclasses.replace(mount, id=tc.resolve("target", cwd))
    copy_out = f"mkdir -p {out} && cp {CACHED_TARGET}/{folder}/{name} {out}/"
    return OutputCache(mount, f"CARGO_TARGET_DIR={CACHED_TARGET}", copy_out, (f"{out}/{name}",))


# What moves a build's output away from `target/<profile>` (the Cargo Book, "Configuration" and
# "Environment variables"): the target folder (`build.target-dir`, CARGO_TARGET_DIR,
# CARGO_BUILD_TARGET_DIR) and the default target triple (`build.target`, CARGO_BUILD_TARGET),
# which puts the binary under `target/<triple>/<profile>`. Cargo reads `.cargo/config.toml`
# (or the older `.cargo/config`) of the folder it runs in and of every parent.
_OUTPUT_VARIABLES = ("CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR", "CARGO_BUILD_TARGET")
_CONFIG_FILES = (".cargo/config.toml", ".cargo/config")


def _moves_output(env: Mapping[str, str], context: BuildContext, project_dir: str) -> bool:
    """ENV, or a config file of the project's folder or a parent the context shows, sets the
    target folder or triple: the copy-out would miss the binary (a config that does not parse
    counts as setting them). Config files outside the context are not seen."""
    if any(env.get(name) for name in _OUTPUT_VARIABLES):
        return True
    for prefix in tc.folders_up(project_dir):
        for name in _CONFIG_FILES:
            text = context.read_text(prefix + name)
            if text is None:
                continue
            try:
                build = tomllib.loads(text).get("build")
            except tomllib.TOMLDecodeError:
                return True
            if isinstance(build, dict) and ("target" in build or "target-dir" in build):
                return True
    return False


def _package_name(text: str | None) -> str | None:
    """The package's name when the manifest keeps the default layout (see the module
    docstring), else None."""
    try:
        manifest = tomllib.loads(text or "")
    except tomllib.TOMLDecodeError:
        return None
    package = manifest.get("package")
    if not isinstance(package, dict) or any(t in manifest for t in _LAYOUT_TABLES):
        return None
    name = package.get("name")
    if not isinstance(name, str) or not name.replace("-", "").replace("_", "").isalnum():
        return None
    if package.get("build", False) is not False or any(k.startswith("auto") for k in package):
        return None
    return None if _has_path_dependency(manifest) else name


def _has_path_dependency(manifest: dict[str, Any]) -> bool:
    tables = [
        manifest,
        *(t for t in (manifest.get("target") or {}).values() if isinstance(t, dict)),
    ]
    for table in tables:
        for key in ("dependencies", "build-dependencies"):
            deps = table.get(key) or {}
            if any(isinstance(d, dict) and "path" in d for d in deps.values()):
                return True
    return False


def cargo_home(home: str, env: Mapping[str, str]) -> str:
    return tc.env_dir(env, "CARGO_HOME", tc.under_home(home, ".cargo"))


def _caches(root: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    root = root.rstrip("/")
    return (
        CacheMount.for_user(f"{root}/registry", uid_gid),
        CacheMount.for_user(f"{root}/git/db", uid_gid),
    )


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return _caches(cargo_home(home, {}), uid_gid)


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    """The registry and git caches of a command that downloads crates; () for an offline one,
    which downloads nothing (`offline`)."""
    if not is_install(cmd) or offline(cmd, env):
        return ()
    return _caches(cargo_home(home, command_env(cmd, env)), uid_gid)


def offline(cmd: Command, env: Mapping[str, str]) -> bool:
    """`--offline`, `--frozen` ("equivalent to specifying both `--locked` and `--offline`") or
    CARGO_NET_OFFLINE=true (the `net.offline` setting): Cargo "will restrict itself to crates
    that are downloaded locally" (the Cargo Book, cargo-build). Only the command's own options
    count (`cargo run -- --offline` hands it to the program)."""
    if verb(cmd) is None:
        return False
    if cmd.has_option("--offline", "--frozen"):
        return True
    return command_env(cmd, env).get("CARGO_NET_OFFLINE", "").lower() == "true"


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    return False  # no cargo command empties CARGO_HOME; an `rm` of it is found by its path


def lockfile_of(cmd: Command) -> str | None:
    """None: Not covered yet: `cargo build`/`cargo install --path` take `--locked`."""
    return None


lockfile_form = no_lockfile_form

DEV_OUTPUTS: tuple[str, ...] = ()

# None: Cargo's `[dev-dependencies]` only build tests and examples, never the binary. What a build
# leaves in the image is the toolchain (LW305).
dev_form = no_dev_form
needs_dev = never_needs_dev
project_env = no_project_env
# Not starting over: the next run reuses the module, package or build caches it finds.
starts_over = never_starts_over
unproven = never_unproven
cleaned_caches = cleans_nothing
cleaning_options = cleans_as_a_whole


# The toolchain out of the final image (LW305). Rust links glibc and libgcc: distroless `cc` of
# the same Debian release, known only when the tag names it; the alpine images build for musl,
# which Rust links statically by default: distroless `static`.
TOOLCHAIN_IMAGE = "rust"
LAUNCHERS: frozenset[str] = frozenset()
COPY_FOLDER = False


def is_toolchain_image(image: str) -> bool:
    return image_tag(image, TOOLCHAIN_IMAGE) is not None


def build_outputs(cmd: Command, cwd: str, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`cargo build`: the target folder (`--target-dir`, CARGO_TARGET_DIR, `target`);
    `cargo install`: `<root>/bin` (`--root`, CARGO_INSTALL_ROOT, CARGO_HOME)."""
    word = verb(cmd)
    seen = command_env(cmd, env)
    if word is not None and word.text in ("build", "b"):
        target = cmd.option_value("--target-dir") or seen.get("CARGO_TARGET_DIR") or "target"
        return (tc.resolve(target, cwd),) if "$" not in target else ()
    if word is not None and word.text == "install":
        root = cmd.option_value("--root") or seen.get("CARGO_INSTALL_ROOT")
        root = root or cargo_home(home, seen)
        return (tc.resolve(f"{root.rstrip('/')}/bin", cwd),) if "$" not in root else ()
    return ()


def runtime_image(image: str, build: Command, env: Mapping[str, str]) -> str | None:
    tag = image_tag(image, TOOLCHAIN_IMAGE)
    if tag is None or "$" in tag:
        return None
    if "alpine" in tag.lower().split("-") or tag.lower().startswith("alpine"):
        return "gcr.io/distroless/static-debian12"
    release = tc.debian_release(tag)
    return f"gcr.io/distroless/cc-debian{release}" if release else None


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: the install lands outside the project, or where settings decide."""
    return None
