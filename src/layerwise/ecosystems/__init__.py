"""layerwise.ecosystems: package managers as data plus small functions, one module each.

`ALL` lists every module; each meets `base.Ecosystem`. Adding one is a module and a line here.
"""

from layerwise.ecosystems import apt, npm, pip, pnpm, yarn
from layerwise.ecosystems.base import CacheMount, Ecosystem
from layerwise.shell import Command

ALL: tuple[Ecosystem, ...] = (npm, yarn, pnpm, pip, apt)


def for_command(cmd: Command) -> Ecosystem | None:
    """The ecosystem whose program runs the command (`npm ci` -> npm), if any."""
    name = cmd.program_name
    for eco in ALL:
        if name in eco.PROGRAMS:
            return eco
    if pip.pip_args(cmd) is not None:  # `python -m pip`, `pip3.11`
        return pip
    return None


__all__ = ["ALL", "CacheMount", "Ecosystem", "apt", "for_command", "npm", "pip", "pnpm", "yarn"]
