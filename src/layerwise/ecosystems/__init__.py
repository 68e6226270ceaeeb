"""layerwise.ecosystems: package managers as data plus small functions, one module each.

`ALL` lists every module; each meets `base.Ecosystem`. Adding one is a module and a line here.
"""

from typing import Protocol, TypeVar

from layerwise.ecosystems import (
    apk,
    apt,
    bundler,
    cargo,
    composer,
    dnf,
    dotnet,
    golang,
    gradle,
    maven,
    npm,
    pip,
    pipenv,
    pnpm,
    poetry,
    uv,
    yarn,
    zypper,
)
from layerwise.ecosystems.base import CacheMount, Compiler, Ecosystem, Installer, SystemPackages
from layerwise.shell import Command

ALL: tuple[Ecosystem, ...] = (npm, yarn, pnpm, pip, uv, poetry, pipenv, apt)
ALL += (golang, cargo, maven, gradle, dotnet, bundler, composer, apk, dnf, zypper)
# The ecosystems whose installs the dependency-layer rules handle (LW101, LW201): an ecosystem
# joins them by meeting `base.Installer`.
INSTALLERS: tuple[Installer, ...] = (npm, yarn, pnpm, pip, uv, poetry, pipenv)
INSTALLERS += (golang, cargo, maven, gradle, dotnet, bundler, composer)
# The distributions' package managers the system cache-mount rule handles (LW204); apt has
# its own rules.
SYSTEM: tuple[SystemPackages, ...] = (apk, dnf, zypper)
# The compiled languages whose toolchain a final stage may keep (LW305).
COMPILERS: tuple[Compiler, ...] = (golang, cargo, maven, gradle, dotnet)
# The context files a dependency install reads and a source edit leaves alone: manifests,
# lockfiles (npm's `package*.json` glob too) and the package managers' own settings. A stage
# whose context copies bring only these keeps its layers across source-only commits.
DEPENDENCY_FILES: frozenset[str] = frozenset(
    name for eco in ALL for name in (*eco.MANIFESTS, *eco.LOCKFILES)
) | {*npm.FALLBACK_MANIFESTS, ".npmrc", *yarn.RC_FILES, *pnpm.CONFIG, *uv.PROJECT_CONFIG,
     *poetry.PROJECT_CONFIG, *dotnet.CONFIG_FILES}  # fmt: skip


class _Named(Protocol):
    PROGRAMS: frozenset[str]


_E = TypeVar("_E", bound=_Named)


def _by_program(modules: tuple[_E, ...]) -> dict[str, tuple[_E, ...]]:
    index: dict[str, list[_E]] = {}
    for eco in modules:
        for program in eco.PROGRAMS:
            index.setdefault(program, []).append(eco)
    return {program: tuple(ecos) for program, ecos in index.items()}


# Every module answers only for commands that run one of its PROGRAMS (pip also for `python -m
# pip` and `pip3.11`), except that a cache cleaning may be an `rm` of its cache: asking just the
# modules named by a command's program gives the same answers as asking them all, in the same
# order, without ten or more calls that can only say no for each command of every RUN.
_INSTALLERS_BY_PROGRAM = _by_program(INSTALLERS)
_ALL_BY_PROGRAM = _by_program(ALL)
_SYSTEM_BY_PROGRAM = _by_program(SYSTEM)


def installers_for(cmd: Command) -> tuple[Installer, ...]:
    """The installers that may answer yes about `cmd` (an install, its caches, a dependency
    install, a cache defeat), in the order of INSTALLERS; every other one answers no."""
    found = _INSTALLERS_BY_PROGRAM.get(cmd.program_name or "")
    if found is not None:
        return found
    return (pip,) if pip.pip_args(cmd) is not None else ()


def installers_named(cmd: Command) -> tuple[Installer, ...]:
    """The installers whose PROGRAMS name `cmd`'s program, in the order of INSTALLERS (pip not
    for `python -m pip`, as `installers_for` gives it)."""
    return _INSTALLERS_BY_PROGRAM.get(cmd.program_name or "", ())


def system_for(cmd: Command) -> tuple[SystemPackages, ...]:
    """The system package managers that may answer yes about `cmd` (each answers only for its
    PROGRAMS), in the order of SYSTEM."""
    return _SYSTEM_BY_PROGRAM.get(cmd.program_name or "", ())


def cleaners_for(cmd: Command) -> tuple[Ecosystem, ...]:
    """The ecosystems whose `cache_cleaning` may answer yes about `cmd`, in the order of ALL:
    all of them for an `rm` (of any one's cache), else those its program names."""
    name = cmd.program_name or ""
    if name == "rm":
        return ALL
    found = _ALL_BY_PROGRAM.get(name)
    if found is not None:
        return found
    return (pip,) if pip.pip_args(cmd) is not None else ()


def installer_of(cmd: Command) -> Installer | None:
    """The installer whose install `cmd` is (its cache mounts are known), if any."""
    return next((eco for eco in installers_for(cmd) if eco.is_install(cmd)), None)


def for_command(cmd: Command) -> Ecosystem | None:
    """The ecosystem whose program runs the command (`npm ci` -> npm), if any."""
    name = cmd.program_name
    for eco in ALL:
        if name in eco.PROGRAMS:
            return eco
    if pip.pip_args(cmd) is not None:  # `python -m pip`, `pip3.11`
        return pip
    return None


__all__ = [
    "ALL",
    "COMPILERS",
    "DEPENDENCY_FILES",
    "INSTALLERS",
    "SYSTEM",
    "CacheMount",
    "Compiler",
    "Ecosystem",
    "Installer",
    "SystemPackages",
    "apk",
    "apt",
    "cleaners_for",
    "dnf",
    "for_command",
    "installer_of",
    "installers_for",
    "installers_named",
    "npm",
    "pip",
    "pipenv",
    "pnpm",
    "poetry",
    "system_for",
    "uv",
    "yarn",
    "zypper",
]
