"""Gradle: the commands that download dependencies and the wrapper's distribution, and where
Gradle keeps them.

Facts from Gradle's documentation ("Gradle-managed directories": the Gradle user home is
`$GRADLE_USER_HOME`, default `~/.gradle`; its `caches/` holds downloaded dependencies and
`wrapper/dists/` the distributions `gradlew` downloads; the rest of it is configuration such
as `gradle.properties` and `init.d/`, which a mount would hide) and buildkit-facts.md (gradle
/root/.gradle). Gradle has no standard dependency-only task (`gradle dependencies` resolves
only what the report needs), so LW101 leaves Gradle alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from layerwise.ecosystems import _toolchain as tc
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    Pruning,
    cleans_as_a_whole,
    cleans_nothing,
    command_env,
    image_tag,
    never_needs_dev,
    never_repeats_install,
    never_starts_over,
    never_unproven,
    no_dev_form,
    no_lockfile_form,
    no_output_cache,
    no_project_env,
    subcommand,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "gradle"
PROGRAMS = frozenset({"gradle", "gradlew"})
MANIFESTS: tuple[str, ...] = ("build.gradle", "build.gradle.kts")
LOCKFILES: tuple[str, ...] = ("gradle.lockfile",)
# No fix proven by a real build: Gradle's repositories are out of reach here.
BUILD_PROVEN = False
VALUE_OPTIONS = frozenset(
    {"-x", "--exclude-task", "-p", "--project-dir", "-g", "--gradle-user-home", "-D", "-P",
     "-I", "--init-script", "-b", "--build-file", "-c", "--settings-file", "--console",
     "--max-workers", "--warning-mode", "-M", "--write-verification-metadata"}
)  # fmt: skip


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    """A Gradle run of tasks (`gradle build`, `./gradlew bootJar`): it resolves dependencies."""
    return verb(cmd) is not None


def is_dependency_install(cmd: Command) -> bool:
    return False


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    return None


def user_home(home: str, env: Mapping[str, str]) -> str:
    return tc.env_dir(env, "GRADLE_USER_HOME", tc.under_home(home, ".gradle"))


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (CacheMount.for_user(f"{user_home(home, {})}/caches", uid_gid),)


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    """`caches/`, and `wrapper/` for the wrapper; `-g DIR` moves both. () offline
    (`offline`): the build downloads nothing."""
    if not is_install(cmd) or offline(cmd, env):
        return ()
    root = cmd.option_value("-g", "--gradle-user-home") or user_home(home, command_env(cmd, env))
    folders = ("caches", "wrapper") if cmd.program_name == "gradlew" else ("caches",)
    return tuple(CacheMount.for_user(f"{root.rstrip('/')}/{f}", uid_gid) for f in folders)


def offline(cmd: Command, env: Mapping[str, str]) -> bool:
    """`--offline` ("the build should operate without accessing network resources", Gradle's
    command-line reference): dependencies come from the dependency cache alone."""
    return verb(cmd) is not None and cmd.has_option("--offline")


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    return False


def lockfile_of(cmd: Command) -> str | None:
    """None: Gradle applies its dependency locks (gradle.lockfile) whenever locking is on."""
    return None


lockfile_form = no_lockfile_form


DEV_OUTPUTS: tuple[str, ...] = ()


# None: Gradle's test configurations never reach the packaged artifact. What a build leaves in the
# image is the toolchain (LW305).
dev_form = no_dev_form
needs_dev = never_needs_dev
project_env = no_project_env
# Not starting over: the next run reuses the module, package or build caches it finds.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
unproven = never_unproven
cleaned_caches = cleans_nothing
cleaning_options = cleans_as_a_whole


# The toolchain out of the final image (LW305): the JDK (and the build tool) give way to the
# Eclipse Temurin JRE of the same Java version, alpine for alpine, when the tag tells it.
TOOLCHAIN_IMAGE = "gradle"
# `gradle:8.7-jdk17`, `gradle:8-jdk21-alpine`, `gradle:jdk17-jammy`.
_JDK_TAG = re.compile(r"(?:^|-)jdk(\d+)(-alpine)?(?:-(?:jammy|focal|noble))?$")
# Tasks that write a runnable artifact into `build/`.
PACKAGE_TASKS = frozenset({"build", "assemble", "jar", "bootJar", "shadowJar", "installDist",
                           "war", "bootWar"})  # fmt: skip
LAUNCHERS = frozenset({"java"})
COPY_FOLDER = False


def is_toolchain_image(image: str) -> bool:
    temurin = image_tag(image, "eclipse-temurin")
    return image_tag(image, TOOLCHAIN_IMAGE) is not None or "jdk" in (temurin or "")


def runtime_image(image: str, build: Command, env: Mapping[str, str]) -> str | None:
    temurin = image_tag(image, "eclipse-temurin")
    if temurin is not None and "$" not in temurin:
        return f"eclipse-temurin:{temurin.replace('jdk', 'jre')}" if "jdk" in temurin else None
    tag = image_tag(image, TOOLCHAIN_IMAGE)
    match = _JDK_TAG.search(tag) if tag is not None else None
    if match is None:
        return None
    return f"eclipse-temurin:{match.group(1)}-jre{match.group(2) or ''}"


def build_outputs(cmd: Command, cwd: str, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """A packaging task (`gradle build`, `./gradlew bootJar`): `build/` of the project."""
    tasks = cmd.operands(VALUE_OPTIONS) if cmd.program_name in PROGRAMS else ()
    if not any(t.text.rsplit(":", 1)[-1] in PACKAGE_TASKS for t in tasks):
        return ()
    folder = cmd.option_value("-p", "--project-dir") or "."
    return (tc.resolve(f"{folder}/build", cwd),) if "$" not in folder else ()


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: the install lands outside the project, or where settings decide."""
    return None
