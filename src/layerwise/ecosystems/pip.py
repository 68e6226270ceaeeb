"""pip: install commands (`pip install`, `python -m pip install`), requirement files, the cache
at ~/.cache/pip (Docker's documented target) and `--no-cache-dir`, which defeats a cache mount.

Facts: pip's documentation (user guide "Caching": the cache lives in `$XDG_CACHE_HOME/pip`,
default `~/.cache/pip`, `PIP_CACHE_DIR` or `--cache-dir` override it, `--no-cache-dir` turns it
off; `pip cache purge|remove`), buildkit-facts.md (target /root/.cache/pip).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from layerwise.ecosystems.base import CacheMount, is_under, removed_paths
from layerwise.shell import Command, Word

NAME = "pip"
PROGRAMS = frozenset({"pip", "pip3"})
MANIFESTS: tuple[str, ...] = ("requirements.txt", "pyproject.toml", "setup.py", "setup.cfg")
LOCKFILES: tuple[str, ...] = ()
INSTALL_VERBS = frozenset({"install"})
VALUE_OPTIONS = frozenset(
    {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
     "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
     "--cache-dir", "--python-version", "--platform", "--implementation", "--abi",
     "--progress-bar", "--trusted-host", "--src", "--upgrade-strategy", "--only-binary",
     "--no-binary", "--log", "--timeout", "--retries", "--proxy", "--cert", "--client-cert",
     "--exists-action", "-C", "--config-settings", "--python", "--report"}
)  # fmt: skip
NO_CACHE_FLAG = "--no-cache-dir"
_PIP_NAME = re.compile(r"pip(\d+(\.\d+)*)?")
_PYTHON_NAME = re.compile(r"python(\d+(\.\d+)*)?")


def cache_dir(home: str, env: Mapping[str, str] | None = None) -> str:
    """pip's cache for a user with this home (PIP_CACHE_DIR, then XDG_CACHE_HOME, win)."""
    env = env or {}
    if env.get("PIP_CACHE_DIR"):
        return env["PIP_CACHE_DIR"]
    if env.get("XDG_CACHE_HOME"):
        return f"{env['XDG_CACHE_HOME'].rstrip('/')}/pip"
    return f"{home.rstrip('/')}/.cache/pip"


def cache_mount(
    home: str, uid_gid: tuple[str, str] | None = None, env: Mapping[str, str] | None = None
) -> CacheMount:
    """The cache mount for pip run as this user (uid/gid only when not root)."""
    return CacheMount.for_user(cache_dir(home, env), uid_gid)


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (cache_mount(home, uid_gid),)


def pip_args(cmd: Command) -> tuple[Word, ...] | None:
    """The words after `pip` (`pip3.11 install x`, `python3 -m pip install x`), else None."""
    name = cmd.program_name
    if name is None:
        return None
    if _PIP_NAME.fullmatch(name):
        return cmd.args
    args = cmd.args
    if _PYTHON_NAME.fullmatch(name) and len(args) >= 2:
        if args[0].text == "-m" and args[1].text == "pip":
            return args[2:]
        if args[0].text == "-mpip":
            return args[1:]
    return None


def _operands(cmd: Command) -> tuple[Word, ...]:
    args = pip_args(cmd)
    if args is None:
        return ()
    out: list[Word] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word.is_option:
            i += 2 if word.text in VALUE_OPTIONS else 1
            continue
        out.append(word)
        i += 1
    return tuple(out)


def verb(cmd: Command) -> Word | None:
    """pip's subcommand word (`install`), None when the command does not run pip."""
    operands = _operands(cmd)
    return operands[0] if operands else None


def is_install(cmd: Command) -> bool:
    word = verb(cmd)
    return word is not None and word.text in INSTALL_VERBS


def _values(cmd: Command, names: tuple[str, ...]) -> tuple[str, ...]:
    args = pip_args(cmd) or ()
    found: list[str] = []
    for i, word in enumerate(args):
        for name in names:
            if word.text == name and i + 1 < len(args):
                found.append(args[i + 1].text)
            elif name.startswith("--") and word.text.startswith(name + "="):
                found.append(word.text[len(name) + 1 :])
            elif not name.startswith("--") and word.text.startswith(name) and word.text != name:
                found.append(word.text[len(name) :])  # `-rrequirements.txt`
    return tuple(found)


def requirement_files(cmd: Command) -> tuple[str, ...]:
    """The files `-r`/`-c` name (what a manifest-first COPY must bring for this install)."""
    if not is_install(cmd):
        return ()
    return _values(cmd, ("-r", "--requirement", "-c", "--constraint"))


def installed_packages(cmd: Command) -> tuple[Word, ...]:
    """The requirement specifiers named on the command line (`flask==3.0`, `.`)."""
    return _operands(cmd)[1:] if is_install(cmd) else ()


def installs_local_source(cmd: Command) -> bool:
    """`pip install .` / `-e .` / a path: the install needs the project's sources, not just its
    manifests."""
    if not is_install(cmd):
        return False
    editable = _values(cmd, ("-e", "--editable"))
    targets = [w.text for w in installed_packages(cmd)] + list(editable)
    return any(t == "." or t.startswith(("./", "/", "../")) or t.endswith("/") for t in targets)


def cache_disabling_flags(cmd: Command) -> tuple[Word, ...]:
    """`--no-cache-dir` words: pip then never reads nor fills a mounted cache."""
    args = pip_args(cmd) or ()
    return tuple(w for w in args if w.text == NO_CACHE_FLAG)


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`pip cache purge`/`remove`, or an `rm` of pip's cache directory."""
    word = verb(cmd)
    if word is not None and word.text == "cache":
        operands = _operands(cmd)
        return len(operands) > 1 and operands[1].text in ("purge", "remove")
    cache = cache_dir(home)
    for removed in removed_paths(cmd):
        path = removed.text
        if path in ("~/.cache", "~/.cache/pip") or path.startswith("~/.cache/pip/"):
            return True
        if path.startswith("/") and path != "/" and (is_under(path, cache) or path == cache):
            return True
        if path.startswith("/") and path.rstrip("/") == cache.rsplit("/", 1)[0]:
            return True  # `rm -rf /root/.cache`
    return False
