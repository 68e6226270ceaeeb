"""Cargo: its download step (`cargo fetch`), the commands that fill its registry, and where the
registry and git caches live.

Facts from the Cargo Book ("Cargo Home": `$CARGO_HOME`, default `~/.cargo`, keeps `registry/`
(index, downloaded `.crate` files, extracted sources) and `git/db` (bare clones of git
dependencies); "Build cache": `target/` holds the build output) and buildkit-facts.md (mounts
on /usr/local/cargo/registry and /usr/local/cargo/git/db; the official rust image sets
CARGO_HOME=/usr/local/cargo). `target/` is the build output, not a download cache: a mount on
it leaves the built binary out of the image unless the same RUN copies it out, so no fix
mounts it. `cargo fetch` after copying only Cargo.toml and Cargo.lock fails when the package
has no target file yet (`src/main.rs` or `src/lib.rs`: "no targets specified in the
manifest"), so LW101 reports it without a fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from layerwise.ecosystems import _toolchain as tc
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    DevForm,
    LockfileForm,
    Pruning,
    command_env,
    image_tag,
    subcommand,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "cargo"
PROGRAMS = frozenset({"cargo"})
MANIFESTS: tuple[str, ...] = ("Cargo.toml",)
LOCKFILES: tuple[str, ...] = ("Cargo.lock",)
# No fix proven by a real build: crates.io is out of reach here.
BUILD_PROVEN = False
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


def is_dependency_install(cmd: Command) -> bool:
    """`cargo fetch`: Cargo's download step (a build after `COPY . .` is where it belongs)."""
    word = verb(cmd)
    return word is not None and word.text == "fetch"


def dependency_install(
    cmd: Command, context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """None: the manifests alone do not load (see the module docstring)."""
    return None


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
    if not is_install(cmd):
        return ()
    return _caches(cargo_home(home, command_env(cmd, env)), uid_gid)


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    return False  # no cargo command empties CARGO_HOME; an `rm` of it is found by its path


def lockfile_of(cmd: Command) -> str | None:
    """None: Not covered yet: `cargo build`/`cargo install --path` take `--locked`."""
    return None


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    return None


DEV_OUTPUTS: tuple[str, ...] = ()


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """None: Cargo's `[dev-dependencies]` only build tests and examples, never the binary. What a
    build leaves in the image is the toolchain (LW305)."""
    return None


def needs_dev(cmd: Command) -> bool:
    return False


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    return {}


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
