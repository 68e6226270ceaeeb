"""layerwise.ecosystems: package managers as data plus small functions, one module each.

`ALL` lists every module; each meets `base.Ecosystem`. Adding one is a module and a line here.
"""

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
from layerwise.ecosystems.base import CacheMount, Ecosystem, Installer, SystemPackages
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


def installer_of(cmd: Command) -> Installer | None:
    """The installer whose install `cmd` is (its cache mounts are known), if any."""
    return next((eco for eco in INSTALLERS if eco.is_install(cmd)), None)


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
    "INSTALLERS",
    "SYSTEM",
    "CacheMount",
    "Ecosystem",
    "Installer",
    "SystemPackages",
    "apk",
    "apt",
    "dnf",
    "for_command",
    "installer_of",
    "npm",
    "pip",
    "pipenv",
    "pnpm",
    "poetry",
    "uv",
    "yarn",
    "zypper",
]
