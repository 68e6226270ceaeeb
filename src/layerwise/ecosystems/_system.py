"""What the distribution package managers other than apt (apk, dnf and its kin, zypper) share:
their verbs as words, settings a RUN writes into their configuration, and the locked cache mounts.

Not an ecosystem (no `NAME`): the modules import it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from layerwise.ecosystems.base import CacheMount
from layerwise.shell import Command

# The values a boolean setting of dnf, yum and zypper takes as "on" (dnf.conf(5): 1, yes, true,
# on; yum.conf(5) and zypper's .repo files: 1).
TRUE = frozenset({"1", "true", "yes", "on"})
# Programs that write a configuration file from a RUN (`echo keepcache=1 >> /etc/dnf/dnf.conf`,
# `sed -i 's/keeppackages=0/keeppackages=1/' ...`, `crudini --set ...`).
WRITERS = frozenset({"echo", "printf", "sed", "tee", "crudini", "cat"})


def locked(targets: Iterable[str]) -> tuple[CacheMount, ...]:
    """Locked cache mounts on `targets`: the manager's own lock lives in the image, not in the
    mount, so two builds sharing the mount would not see each other (apt's reason, too)."""
    return tuple(CacheMount(t, sharing="locked") for t in targets)


def cleaned_folders(cleans: bool, moved: bool, mounts: Iterable[CacheMount]) -> tuple[str, ...]:
    """A manager's `cleaned_caches`: the folders of `mounts` when the command `cleans`, none
    when it also moves them (`--cache-dir`, `--installroot`...): where it cleans is not known."""
    return tuple(m.target for m in mounts) if cleans and not moved else ()


def words(cmd: Command, value_options: frozenset[str]) -> list[str]:
    """The command's operands as text (`["group", "install", "x"]` for `dnf -y group install x`)."""
    return [w.text for w in cmd.operands(value_options)]


def written_setting(cmd: Command, name: str) -> str | None:
    """The value a configuration writer gives setting `name` (`keepcache` in `echo
    keepcache=True >> /etc/dnf/dnf.conf` gives "true"), lower-cased; None when it names none."""
    if cmd.program_name not in WRITERS:
        return None
    # A path stays whole; any other value ends at a `/` (`s/keepcache=0/keepcache=1/`).
    pattern = re.compile(rf"\b{re.escape(name)}\s*=\s*(/[^\s'\"]*|[^\s'\"/]+)")
    found = None
    for word in cmd.args:
        for match in pattern.finditer(word.text):
            found = match.group(1).lower()  # the last one wins, as in that `sed` expression
    return found
