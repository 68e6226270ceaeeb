"""What every package-manager module offers, and the pieces they share.

An ecosystem is a module of data plus small functions (see `npm.py`); it meets the `Ecosystem`
protocol so rules can treat them alike (`for eco in ALL: if eco.is_install(cmd): ...`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Protocol

from layerwise.shell import Command, Word

_UNWRITABLE = re.compile(r"[\s,\"'\\`$]")


@dataclass(frozen=True, slots=True)
class CacheMount:
    """A `RUN --mount=type=cache` as layerwise writes it.

    BuildKit's defaults (buildkit-facts.md): id = the target path, sharing=shared, uid=gid=0.
    Fields left None are omitted from the flag so the default applies.
    """

    target: str
    id: str | None = None
    sharing: str | None = None
    uid: str | None = None
    gid: str | None = None

    @classmethod
    def for_user(cls, target: str, uid_gid: tuple[str, str] | None) -> CacheMount:
        """A mount on `target` owned by the user: uid/gid only when not root, so the tool can
        write to it (BuildKit creates the mount as 0:0 by default)."""
        if uid_gid is None or uid_gid == ("0", "0"):
            return cls(target)
        return cls(target, uid=uid_gid[0], gid=uid_gid[1])

    @property
    def writable(self) -> bool:
        """Whether `flag_text` reads back as this mount: no blank, quote, escape, `$` or `,`
        in a value (a home such as `ENV HOME="my app"` would split or change the flag)."""
        values = (self.target, self.id, self.sharing, self.uid, self.gid)
        return not any(v is not None and _UNWRITABLE.search(v) for v in values)

    def flag_text(self) -> str:
        """The flag as written in a Dockerfile: `--mount=type=cache,target=/root/.npm`."""
        parts = ["type=cache", f"target={self.target}"]
        for key in ("id", "sharing", "uid", "gid"):
            value = getattr(self, key)
            if value is not None:
                parts.append(f"{key}={value}")
        return "--mount=" + ",".join(parts)

    @classmethod
    def from_flag(cls, value: str, workdir: str = "/") -> CacheMount | None:
        """Read a `--mount` flag's value; None unless it is a cache mount with a target.

        A relative target is resolved against `workdir`, as BuildKit does.
        """
        options = parse_mount_options(value)
        if options.get("type") != "cache":
            return None
        target = options.get("target") or options.get("dst") or options.get("destination")
        if not target:
            return None
        return cls(
            target=posixpath.normpath(posixpath.join(workdir, target)),
            id=options.get("id"),
            sharing=options.get("sharing"),
            uid=options.get("uid"),
            gid=options.get("gid"),
        )

    def covers(self, path: str) -> bool:
        """True when `path` lies in this mount (the target itself or below it)."""
        return is_under(path, self.target)


def parse_mount_options(value: str) -> dict[str, str]:
    """`type=cache,target=/x,ro` -> {"type": "cache", "target": "/x", "ro": ""} (lower-case keys).

    BuildKit reads the value as CSV; a quoted field may contain a comma.
    """
    import csv

    options: dict[str, str] = {}
    for row in csv.reader([value]):
        for field in row:
            key, _, val = field.partition("=")
            options[key.strip().lower()] = val.strip()
    return options


def is_under(path: str, root: str) -> bool:
    """`/var/lib/apt/lists/*` is under `/var/lib/apt`; `/var/lib/aptx` is not."""
    path = posixpath.normpath(path) if path.startswith("/") else path
    root = root.rstrip("/") or "/"
    return path == root or path.startswith(root + "/") or root == "/"


def removed_paths(cmd: Command) -> tuple[Word, ...]:
    """The paths an `rm` command deletes (its operands), empty for any other command."""
    if cmd.program_name != "rm":
        return ()
    return cmd.operands()


class Ecosystem(Protocol):
    """The part every ecosystem module provides. Modules add their own specifics next to it."""

    NAME: str
    PROGRAMS: frozenset[str]
    MANIFESTS: tuple[str, ...]
    LOCKFILES: tuple[str, ...]

    def is_install(self, cmd: Command) -> bool:
        """The command downloads and installs packages (the step a cache mount speeds up)."""
        ...

    def cache_mounts(self, home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
        """The cache mounts an install needs when run as a user with this home and uid/gid."""
        ...

    def cache_cleaning(self, cmd: Command, home: str = "/root") -> bool:
        """The command empties the cache a cache mount keeps (pointless, or harmful, with one)."""
        ...


def subcommand(
    cmd: Command, programs: frozenset[str], value_options: frozenset[str]
) -> Word | None:
    """The subcommand word of a tool (`ci` in `npm --prefix /app ci`): the first operand that is
    neither an option nor an option's value; None for another program or a bare invocation."""
    if cmd.program_name not in programs:
        return None
    operands = cmd.operands(value_options)
    return operands[0] if operands else None


def static_text(word: Word | None) -> str | None:
    """The word's text when it is known before the shell runs (no expansions), else None."""
    return word.text if word is not None and word.is_static else None
