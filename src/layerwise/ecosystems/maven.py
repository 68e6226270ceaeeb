"""Maven: its download step (`mvn dependency:go-offline`), the wrapper, and the local
repository.

Facts from Maven's documentation (Settings reference: the local repository defaults to
`${user.home}/.m2/repository`, `-Dmaven.repo.local` moves it; `~/.m2/settings.xml` is
configuration; the Maven Wrapper reads `.mvn/wrapper/maven-wrapper.properties`; `.mvn/`
also holds `maven.config`, `jvm.config` and `extensions.xml`; a `<parent>` is looked up at
`../pom.xml` unless `<relativePath/>` is empty; the dependency plugin's `go-offline`,
`resolve` and `resolve-plugins` goals and `purge-local-repository`) and buildkit-facts.md
(Maven /root/.m2). The mount is on `repository/` alone so a `settings.xml` copied into ~/.m2
stays visible.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from layerwise.ecosystems import _toolchain as tc
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    Pruning,
    cleans_as_a_whole,
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
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "maven"
PROGRAMS = frozenset({"mvn", "mvnw"})
MANIFESTS: tuple[str, ...] = ("pom.xml",)
LOCKFILES: tuple[str, ...] = ()
# No fix proven by a real build: Maven Central is out of reach here.
BUILD_PROVEN = False
VALUE_OPTIONS = frozenset(
    {"-f", "--file", "-s", "--settings", "-gs", "--global-settings", "-P", "--activate-profiles",
     "-pl", "--projects", "-rf", "--resume-from", "-T", "--threads", "-l", "--log-file", "-t",
     "--toolchains", "-b", "--builder", "-D", "--define"}
)  # fmt: skip
# Goals that only download what the POM needs (plugin prefix or full coordinates).
DOWNLOAD_GOALS = ("go-offline", "resolve", "resolve-plugins", "resolve-dependencies")
_REPO_LOCAL = re.compile(r"-Dmaven\.repo\.local=(\S+)")
_PARENT_FROM_REPOSITORY = re.compile(r"<relativePath\s*/>|<relativePath>\s*</relativePath>")


def _goals(cmd: Command) -> tuple[Word, ...]:
    return cmd.operands(VALUE_OPTIONS) if cmd.program_name in PROGRAMS else ()


def verb(cmd: Command) -> Word | None:
    goals = _goals(cmd)
    return goals[0] if goals else None


def is_install(cmd: Command) -> bool:
    """A Maven run of phases or goals: it resolves plugins and dependencies."""
    return bool(_goals(cmd))


def is_dependency_install(cmd: Command) -> bool:
    """Every goal is a dependency-plugin download (`dependency:go-offline`)."""
    goals = _goals(cmd)
    return bool(goals) and all(
        ":" in g.text and g.text.rsplit(":", 1)[1] in DOWNLOAD_GOALS for g in goals
    )


def _sound(pom: str) -> bool:
    """A single-module POM whose parent, if any, comes from a repository."""
    if "<modules>" in pom:
        return False
    return "<parent>" not in pom or bool(_PARENT_FROM_REPOSITORY.search(pom))


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """pom.xml (and `mvnw` with `.mvn/` for the wrapper, `.mvn/` when present), and the
    settings and toolchains files the command line names (`-s settings.xml`, also through
    MAVEN_ARGS or `.mvn/maven.config`); None with `-f` or `-pl` (another POM or a reactor
    subset), or such a file Maven would not find in the project folder (`$DIR/settings.xml`,
    an absolute path, `../`)."""
    if not is_dependency_install(cmd) or cmd.has_option("-f", "--file", "-pl", "--projects"):
        return None
    words = [w.text for w in cmd.args]
    words += command_env(cmd, env).get("MAVEN_ARGS", "").split()
    prefix = f"{project_dir}/" if project_dir else ""
    config = context.read_text(prefix + ".mvn/maven.config") if context is not None else None
    named = _files_named([*words, *(config or "").split()])
    if named is None:
        return None
    wrapper = cmd.program_name == "mvnw"
    base: tuple[str, ...] = ("pom.xml", "mvnw", ".mvn/") if wrapper else ("pom.xml",)
    optional = () if wrapper else (".mvn/",)
    required = (*base, *(n for n in named if n not in base))
    return tc.project_files(context, project_dir, required, optional, sound=_sound)


# The options that name a file Maven reads before it resolves anything: user and global settings
# (`-s`, `-gs`) and toolchains (`-t`), relative to where it runs.
_FILE_OPTIONS = ("-s", "--settings", "-gs", "--global-settings", "-t", "--toolchains")


def _files_named(words: list[str]) -> list[str] | None:
    """The files `_FILE_OPTIONS` name in a Maven command line, normalised (`./ci/s.xml` ->
    `ci/s.xml`); None for one that is not a plain path inside the project folder."""
    found: list[str] = []
    for i, text in enumerate(words):
        for name in _FILE_OPTIONS:
            if text == name and i + 1 < len(words):
                value = words[i + 1]
            elif name.startswith("--") and text.startswith(name + "="):
                value = text[len(name) + 1 :]
            else:
                continue
            path = posixpath.normpath(value)
            if any(c in value for c in "$~`\"'") or path.startswith(("/", "..")):
                return None
            found.append(path)
    return found


def local_repository(cmd: Command | None, home: str, env: Mapping[str, str]) -> str:
    for text in [*(w.text for w in (cmd.args if cmd else ())), env.get("MAVEN_OPTS", "")]:
        match = _REPO_LOCAL.search(text)
        if match and "$" not in match.group(1):
            return match.group(1)
    return tc.under_home(home, ".m2/repository")


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (CacheMount.for_user(local_repository(None, home, {}), uid_gid),)


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    """The local repository of a command that downloads; () offline (`offline`)."""
    if not is_install(cmd) or offline(cmd, env):
        return ()
    return (CacheMount.for_user(local_repository(cmd, home, command_env(cmd, env)), uid_gid),)


def offline(cmd: Command, env: Mapping[str, str]) -> bool:
    """`-o`/`--offline` (Maven's "Work offline" option): plugins and dependencies come from the
    local repository alone."""
    return bool(_goals(cmd)) and cmd.has_option("-o", "--offline")


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`mvn dependency:purge-local-repository` empties the local repository."""
    return any(g.text.endswith(":purge-local-repository") for g in _goals(cmd))


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """The purge empties the local repository where `-Dmaven.repo.local` (on the command or in
    MAVEN_OPTS) puts it."""
    if not cache_cleaning(cmd):
        return ()
    return (local_repository(cmd, home, command_env(cmd, env)),)


cleaning_options = cleans_as_a_whole


def lockfile_of(cmd: Command) -> str | None:
    """None: Maven has no lockfile."""
    return None


lockfile_form = no_lockfile_form


DEV_OUTPUTS: tuple[str, ...] = ()


# None: Maven's `test` scope never reaches the packaged artifact. What a build leaves in the image
# is the toolchain (LW305).
dev_form = no_dev_form
needs_dev = never_needs_dev
project_env = no_project_env
# Not starting over: the next run reuses the module, package or build caches it finds.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
unproven = never_unproven


# The toolchain out of the final image (LW305): the JDK (and the build tool) give way to the
# Eclipse Temurin JRE of the same Java version, alpine for alpine, when the tag tells it.
TOOLCHAIN_IMAGE = "maven"
# `maven:3.9-eclipse-temurin-17`, `maven:3-eclipse-temurin-21-alpine`.
_JDK_TAG = re.compile(r"eclipse-temurin-(\d+)(-alpine)?(?:-(?:jammy|focal|noble))?$")
# Phases that package the project into `target/`.
PACKAGE_PHASES = frozenset({"package", "install", "verify", "deploy"})
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
    """`mvn package` (or a later phase): `target/` beside the POM."""
    if not any(g.text in PACKAGE_PHASES for g in _goals(cmd)):
        return ()
    pom = cmd.option_value("-f", "--file")
    folder = posixpath.dirname(pom) if pom and pom.endswith(".xml") else pom
    return (tc.resolve(f"{folder or '.'}/target", cwd),) if "$" not in (folder or "") else ()


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: the install lands outside the project, or where settings decide."""
    return None
