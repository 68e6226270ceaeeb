"""pip: install commands (`pip install`, `python -m pip install`), requirement files, the cache
at ~/.cache/pip (Docker's documented target) and `--no-cache-dir`, which defeats a cache mount.

Facts: pip's documentation (user guide "Caching": the cache lives in `$XDG_CACHE_HOME/pip`,
default `~/.cache/pip`, `PIP_CACHE_DIR` or `--cache-dir` override it, `--no-cache-dir` turns it
off; `pip cache purge|remove`), buildkit-facts.md (target /root/.cache/pip).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from layerwise.ecosystems import _python
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    DevForm,
    LockfileForm,
    Pruning,
    cleans_as_a_whole,
    command_env,
    env_words,
    names_config_file,
    never_offline,
    never_repeats_install,
    never_starts_over,
    never_unproven,
    no_build_outputs,
    no_output_cache,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "pip"
PROGRAMS = frozenset({"pip", "pip3"})
MANIFESTS: tuple[str, ...] = ("requirements.txt", "pyproject.toml", "setup.py", "setup.cfg")
LOCKFILES: tuple[str, ...] = ()
# The layout its fixes write built on BuildKit: tests/apps/python-web.
BUILD_PROVEN = True
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
# pip reads every option from `PIP_<OPTION>` too: PIP_NO_CACHE_DIR turns the cache off.
NO_CACHE_VARIABLES = frozenset({"PIP_NO_CACHE_DIR"})
# A requirement naming its project and where to get it (`name @ https://...`, PEP 508).
_NAMED_URL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@")
# What pip takes for an archive file rather than a project name (its `is_archive_file`).
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz", ".tar.xz", ".txz")
# Requirements-file options that read another file or folder (relative to the file itself).
_CHAINED = ("-r", "--requirement", "-c", "--constraint")
_LOCAL_LINKS = ("-f", "--find-links", "-e", "--editable")
# Where an install looks for more than its requirement files: a local path there is read from
# the context, which above the broad COPY holds only the manifests. pip reads each long option
# from PIP_<NAME> too (pip docs "Configuration: Environment Variables"), set by ENV or in front
# of the command.
FIND_LINKS = ("-f", "--find-links")
LOCAL_VARIABLES = ("PIP_FIND_LINKS", "PIP_CONSTRAINT", "PIP_REQUIREMENT", "PIP_EDITABLE")
# pip's configuration page: PIP_CONFIG_FILE names a file pip reads on top of the usual ones (a
# missing one is skipped without a word, so a moved install would run without its settings).
CONFIG_VARIABLES = ("PIP_CONFIG_FILE",)
_PIP_NAME = re.compile(r"pip(\d+(\.\d+)*)?")
# pip's own tools, a few megabytes of wheels with little or nothing else to fetch (pip and
# setuptools declare no dependencies; wheel at most `packaging`): `pip install --upgrade pip`.
SELF_CONTAINED_TOOLS = frozenset({"pip", "setuptools", "wheel"})
# The project name at the start of a requirement specifier (`pip==24.0`, `'pip<25'`).
_PROJECT_NAME = re.compile(r"[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)")
_PYTHON_NAME = re.compile(r"python(\d+(\.\d+)*)?")


def cache_dir(home: str, env: Mapping[str, str] | None = None) -> str:
    """pip's cache for a user with this home (PIP_CACHE_DIR, then XDG_CACHE_HOME, win)."""
    return _python.cache_dir("pip", "PIP_CACHE_DIR", home, env or {})


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
    return option_values(pip_args(cmd) or (), names)


def option_values(args: Sequence[Word], names: tuple[str, ...]) -> tuple[str, ...]:
    """The values every one of `names` is given among `args`: `-f x`, `--find-links=x`, `-fx`."""
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


def installs_only_self_contained_tools(cmd: Command) -> bool:
    """`pip install --upgrade pip`, `pip install -U pip setuptools wheel`: pip's own tools
    (SELF_CONTAINED_TOOLS) alone, no requirement file or other package."""
    packages = installed_packages(cmd)
    if not packages or _values(cmd, ("-r", "--requirement", "-e", "--editable")):
        return False
    names = [_PROJECT_NAME.match(w.text) if w.is_static else None for w in packages]
    return all(m is not None and m[1].lower() in SELF_CONTAINED_TOOLS for m in names)


def installs_local_source(cmd: Command) -> bool:
    """`pip install .` / `-e .` / a path: the install needs the project's sources, not just its
    manifests."""
    if not is_install(cmd):
        return False
    editable = _values(cmd, ("-e", "--editable"))
    targets = [w.text for w in installed_packages(cmd)] + list(editable)
    return any(installs_from_context(t) for t in targets)


def installs_from_context(target: str) -> bool:
    """A requirement specifier naming a path (`.`, `./pkg`, `libs/pkg`, `dist/x.whl`, `/src`)
    or a `file:` URL, not a package on an index nor another URL. pip takes any name holding a
    `/` or starting with `.` for a path (its `_looks_like_path`), and an archive name for a
    file; its options (`--hash=...`) and environment markers (`; python_version < "3.9"`) are
    not part of it."""
    spec = re.split(r";|\s-", target, maxsplit=1)[0].strip()
    named = _NAMED_URL.match(spec)
    where = spec[named.end() :].strip() if named else spec
    if where.startswith("file:"):
        return True
    if named or "://" in where:
        return False
    return "/" in spec or spec.startswith(".") or spec.lower().endswith(_ARCHIVES)


def cache_disabling_flags(cmd: Command) -> tuple[Word, ...]:
    """`--no-cache-dir` words: pip then never reads nor fills a mounted cache."""
    args = pip_args(cmd) or ()
    return tuple(w for w in args if w.text == NO_CACHE_FLAG)


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`pip cache purge`/`remove`, or an `rm` of pip's cache directory."""
    return _purges_cache(cmd) or _python.removes_cache(cmd, "pip", cache_dir(home))


def _purges_cache(cmd: Command) -> bool:
    """pip's own cleaning command."""
    operands = _operands(cmd)
    return (
        len(operands) > 1
        and operands[0].text == "cache"
        and operands[1].text in ("purge", "remove")
    )


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`pip cache purge` empties the cache an install by the same command would use."""
    return (_cache_of(cmd, home, env),) if _purges_cache(cmd) else ()


cleaning_options = cleans_as_a_whole


def _cache_of(cmd: Command, home: str, env: Mapping[str, str]) -> str:
    """`--cache-dir` wins over `PIP_CACHE_DIR` (ENV or prefix)."""
    option = _values(cmd, ("--cache-dir",))
    return option[0] if option else cache_dir(home, command_env(cmd, env))


def is_dependency_install(cmd: Command) -> bool:
    """`pip install -r requirements.txt` (named packages beside it allowed): installs what
    requirement files list. `pip install .` or `-e .` builds the project itself: not one."""
    return bool(requirement_files(cmd)) and not installs_local_source(cmd)


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """The requirement files the install reads, with the files they chain (`-r base.txt`,
    `-c constraints.txt`, relative to the file naming them) when the context has them. None
    when one is outside the context or a line installs from the context (`-e .`, `./pkg`,
    `--find-links ./wheels`), or the command or its environment names a local path to look in
    (`--find-links wheels`, `PIP_CONSTRAINT=/app/c.txt`) or a configuration file
    (PIP_CONFIG_FILE): then the install needs more than its manifests."""
    if not is_dependency_install(cmd):
        return None
    if looks_in_context(cmd, pip_args(cmd) or (), env, FIND_LINKS, LOCAL_VARIABLES):
        return None
    if names_config_file(cmd, env, variables=CONFIG_VARIABLES):
        return None
    return requirements_install(requirement_files(cmd), context, project_dir)


def requirements_install(
    files: tuple[str, ...], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """What an install of requirement `files` (as named, from `project_dir`) reads; see
    `dependency_install`."""
    named: list[str] = []
    for path in files:
        inside = _python.relative_inside(path, project_dir)
        if inside is None:
            return None
        named.append(inside)
    if context is None:
        return DependencyInstall(tuple(named), tuple(named), False)
    seen: list[str] = []
    todo = list(named)
    proven = True
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.append(path)
        text = context.read_text(path)
        if text is None:
            proven = False
            continue
        chained = _chained(text, posixpath.dirname(path))
        if chained is None:
            return None
        todo.extend(chained)
    return DependencyInstall(tuple(seen), tuple(named), proven)


def looks_in_context(
    cmd: Command,
    args: Sequence[Word],
    env: Mapping[str, str],
    options: tuple[str, ...],
    variables: tuple[str, ...],
) -> bool:
    """One of `options` among the command's `args`, or of `variables` in its environment (the
    stage's ENV, `NAME=value` in front of it), names a local path (`names_local_path`)."""
    seen = command_env(cmd, env)
    return names_local_path([*option_values(args, options), *(seen.get(n, "") for n in variables)])


def names_local_path(values: Iterable[str]) -> bool:
    """One of these option or variable values (a variable's split at spaces or commas) is a
    location in the build context: a path, relative or absolute (the context may be copied
    there), or a `file:` URL; not a remote URL (`https://...`)."""
    return any(
        path.startswith("file:") or "://" not in path
        for value in values
        for path in re.split(r"[\s,]+", value)
        if path
    )


def _chained(text: str, folder: str) -> list[str] | None:
    """The files a requirements file chains, as context paths; None when a line reads the
    context some other way (a local path, `-e`, `--find-links` to a folder) or leaves it."""
    out: list[str] = []
    for line in _lines(text):
        option, value = _split_option(line)
        if option in _CHAINED:
            if "://" in value:
                continue
            inside = _python.relative_inside(value, folder)
            if inside is None:
                return None
            out.append(inside)
        elif option in _LOCAL_LINKS:
            if option in FIND_LINKS and not names_local_path([value]):
                continue
            return None
        elif not option and installs_from_context(line):
            return None
    return out


def _split_option(line: str) -> tuple[str, str]:
    """`-r base.txt`, `--requirement=base.txt`, `-rbase.txt` -> ("-r", "base.txt");
    a requirement line -> ("", line)."""
    match = re.match(r"(--[\w-]+)(?:[=\s]\s*(.*))?$|(-\w)\s*(.*)$", line)
    if not line.startswith("-") or match is None:
        return "", line
    if match.group(1):
        return match.group(1), (match.group(2) or "").strip()
    return match.group(3), match.group(4).strip()


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    """pip's cache for an install as this user (not of pip's own tools alone, see
    `installs_only_self_contained_tools`), where `_cache_of` puts it."""
    if not is_install(cmd) or disabled_by_env(env) or installs_only_self_contained_tools(cmd):
        return ()
    if reads_no_index(cmd, env):
        return ()
    return (CacheMount.for_user(_cache_of(cmd, home, env), uid_gid),)


# The values pip's option parser takes for true in a `PIP_<FLAG>` variable (its `strtobool`).
_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})


def reads_no_index(cmd: Command, env: Mapping[str, str]) -> bool:
    """`--no-index` (or PIP_NO_INDEX true) with only local `--find-links` and no URL among the
    requirements named on the command line (`pip install --no-index --find-links=/wheels
    /wheels/*.whl`): pip downloads nothing, so its cache has nothing to keep. Requirement
    files are not read: an offline install lists names there."""
    args = pip_args(cmd) or ()
    seen = command_env(cmd, env)
    flag = any(w.text == "--no-index" for w in args)
    if not flag and seen.get("PIP_NO_INDEX", "").strip().lower() not in _TRUE:
        return False
    links = [*option_values(args, FIND_LINKS), seen.get("PIP_FIND_LINKS", "")]
    remote = [p for v in links for p in re.split(r"[\s,]+", v) if p and not names_local_path([p])]
    if remote or any(not w.is_static for w in installed_packages(cmd)):
        return False
    return not any(
        "://" in w.text and not installs_from_context(w.text) for w in installed_packages(cmd)
    )


def disabled_by_env(env: Mapping[str, str]) -> bool:
    """`ENV PIP_NO_CACHE_DIR=...` turns pip's cache off for the whole stage, whatever the value
    (pip keeps "false" disabling it too, for backward compatibility): a mount would stay empty,
    and only unsetting the variable would help, which is the Dockerfile's choice to make."""
    return any(name in env for name in NO_CACHE_VARIABLES)


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    """`--no-cache-dir` and a `PIP_NO_CACHE_DIR=...` prefix of a pip command."""
    if pip_args(cmd) is None:
        return ()
    return (*env_words(cmd, NO_CACHE_VARIABLES), *cache_disabling_flags(cmd))


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def lockfile_of(cmd: Command) -> str | None:
    """None: pip has no lockfile of its own: requirement files are read as they are."""
    return None


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    return None


# pip has no development dependencies of its own: a project splits them into requirement
# files of their own, named for what they hold (`requirements-dev.txt`, `dev-requirements.txt`,
# `requirements/test.txt`).
_DEV_FILE = re.compile(
    r"(?:^|[-_.])(?:dev|devel|develop|development|test|tests|testing|lint|docs)(?:[-_.]|$)"
)
DEV_OUTPUTS: tuple[str, ...] = ()


def is_dev_requirements(path: str) -> bool:
    """A requirement file named for development tools (`requirements-dev.txt`)."""
    stem = posixpath.basename(path).removesuffix(".txt").removesuffix(".in")
    return bool(_DEV_FILE.search(stem))


def requirement_options(args: Sequence[Word]) -> list[tuple[tuple[Word, ...], str]]:
    """Each `-r FILE` among an install's arguments: the words spelling it (`-r`, `FILE`; or one
    word, `--requirement=FILE`, `-rFILE`) and the file."""
    found: list[tuple[tuple[Word, ...], str]] = []
    for i, word in enumerate(args):
        text = word.text
        if text in ("-r", "--requirement") and i + 1 < len(args):
            found.append(((word, args[i + 1]), args[i + 1].text))
        elif text.startswith("--requirement="):
            found.append(((word,), text.partition("=")[2]))
        elif text.startswith("-r") and not text.startswith("--") and len(text) > 2:
            found.append(((word,), text[2:]))
    return found


def dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    """Only when the requirements are split and the install names a development file: beside
    others, its `-r` goes; alone, and chaining exactly one other file (`-r requirements.txt`,
    which the context shows), that file takes its place. None for any other install: pip
    cannot tell a development requirement from another."""
    if not is_dependency_install(cmd):
        return None
    return requirements_dev_form(pip_args(cmd) or (), context, project_dir)


def requirements_dev_form(
    args: Sequence[Word], context: BuildContext | None, project_dir: str
) -> DevForm | None:
    """`dev_form` for an install of requirement files with these arguments (pip's, or `uv pip
    install`'s)."""
    options = requirement_options(args)
    dev = [(words, path) for words, path in options if is_dev_requirements(path)]
    if not dev:
        return None
    if len(dev) < len(options):
        words = tuple(w for spelled, _ in dev for w in spelled)
        return DevForm(words, "", "remove", " ".join(w.text for w in words))
    base = _base_file(dev[0][1], context, project_dir) if len(dev) == 1 else None
    spelled = dev[0][0]
    if base is None or len(spelled) != 2:
        return DevForm((), "")
    return DevForm((spelled[1],), base, "replace")


def _base_file(path: str, context: BuildContext | None, project_dir: str) -> str | None:
    """The one other requirement file a development file chains (`-r requirements.txt`), as a
    path from where the install runs; None when it chains none, several, or another
    development file, or the context does not show them."""
    inside = _python.relative_inside(path, project_dir)
    text = context.read_text(inside) if context is not None and inside is not None else None
    if text is None or inside is None:
        return None
    chained = [
        value
        for option, value in map(_split_option, _lines(text))
        if option in ("-r", "--requirement")
    ]
    if len(chained) != 1 or "://" in chained[0] or is_dev_requirements(chained[0]):
        return None
    target = _python.relative_inside(chained[0], posixpath.dirname(inside))
    if target is None or context is None or not context.exists(target):
        return None
    return posixpath.relpath(target, project_dir or ".")


def _lines(text: str) -> list[str]:
    """A requirements file's lines without comments, `\\`-continued lines joined (as pip
    reads them)."""
    raws = text.replace("\\\n", " ").splitlines()
    lines = (re.sub(r"(^|\s)#.*", "", raw).strip() for raw in raws)
    return [line for line in lines if line]


def needs_dev(cmd: Command) -> bool:
    return False


def project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    return {}


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: the install lands outside the project, or where settings decide."""
    return None


# Not starting over: pip installs over site-packages, skipping requirements already satisfied.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
build_outputs = no_build_outputs
unproven = never_unproven
offline = never_offline
