"""RUN steps that read nothing a broad COPY brings (LW106): proven command by command.

A step is context-free when every command of its script is on a short list of programs whose
inputs we know (package managers on package names, account tools, file tools on absolute
paths), every word is literal or a Dockerfile variable, nothing is redirected, and none of what
those programs read lies under the COPY's destination: their configuration, the PATH they are
found on, the home directory a language tool reads its settings from. For each such step we also
list the image paths it writes, so a fix can tell whether the COPY placed after it would lay
files over them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

from layerwise.ecosystems import apt
from layerwise.ecosystems.base import is_under
from layerwise.model import Step
from layerwise.rules._apt_lists import apt_only_command
from layerwise.rules.base import RuleContext
from layerwise.rules.lw2_mounts import cache_mounts
from layerwise.shell import Command, Word

# What a distribution package may write: the system tree (Debian policy keeps packages out of
# /usr/local; /opt and /usr/src hold only a few vendors' own subfolders).
_SYSTEM = ("/bin", "/boot", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/sbin", "/usr/bin",
           "/usr/sbin", "/usr/lib", "/usr/libexec", "/usr/share", "/usr/include", "/var/lib",
           "/var/cache", "/var/log", "/var/www")  # fmt: skip
_APT_READS = ("/etc/apt", "/etc/dpkg", "/var/lib/apt", "/var/lib/dpkg", "/var/cache/apt")
_APK_READS = ("/etc/apk", "/lib/apk", "/var/cache/apk")
_RPM_READS = ("/etc/yum.repos.d", "/etc/dnf", "/etc/yum.conf", "/etc/pki", "/var/lib/rpm")
_PIP_READS = ("/etc/pip.conf", "/etc/xdg", "/usr/local/lib", "/usr/lib")
_PIP_WRITES = ("/usr/local/lib", "/usr/local/bin", "/usr/lib")
_NPM_READS = ("/usr/local/etc", "/usr/local/lib/node_modules", "/etc/npmrc")
_NPM_WRITES = ("/usr/local/lib/node_modules", "/usr/local/bin")
_ACCOUNT_TOOLS = frozenset({"useradd", "adduser", "groupadd", "addgroup"})
_RPM_TOOLS = frozenset({"dnf", "yum", "microdnf"})
_APT_VERBS = frozenset(
    {
        "update",
        "install",
        "reinstall",
        "upgrade",
        "dist-upgrade",
        "full-upgrade",
        "remove",
        "purge",
        "autoremove",
        "clean",
        "autoclean",
    }
)
_APK_VERBS = frozenset({"add", "del", "update", "upgrade"})
_RPM_VERBS = frozenset({"install", "update", "upgrade", "remove", "clean", "makecache"})
_INSTALL_VERBS = frozenset({"add", "install", "upgrade", "update"})
_APK_VALUE_OPTIONS = frozenset({"-t", "--virtual", "-X", "--repository", "--arch"})
_APK_PATH_OPTIONS = ("-p", "--root", "--repositories-file", "--keys-dir", "--cache-dir")
_RPM_PATH_OPTIONS = ("--installroot", "-c", "--config", "--setopt")
_PIP_VALUE_OPTIONS = frozenset(
    {"-i", "--index-url", "--extra-index-url", "--trusted-host", "--progress-bar",
     "--root-user-action", "--default-timeout", "--retries", "--timeout", "--only-binary",
     "--no-binary"}
)  # fmt: skip
# pip options that take a file, a folder or a project: what they name may be the copied tree.
_PIP_PATH_OPTIONS = ("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-f",
                     "--find-links", "-t", "--target", "--prefix", "--root", "--src",
                     "--cache-dir", "--log", "--config-settings", "-C", "--report")  # fmt: skip
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar", ".apk", ".rpm", ".deb")
_SHELL_SETUP = frozenset({"set", "export", "true", ":", "echo"})
_HARMLESS_REDIRECT = re.compile(r"\d?>>?\s*/dev/null|\d?>&\d|&>\s*/dev/null")
_QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")
_SIMPLE_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
# A path in an option's value (whole, after `=` or `,`, or as a file:// URL): a repository may
# be a local folder (apk-repositories(5); `apk -X /app/repo`, dnf's `--repofrompath=x,/app/rpms`)
# and apt's `-o Dir::Etc::SourceList=/app/sources.list` names a file to read.
_PATH_IN_VALUE = re.compile(r"(?:^|[=,]|file://)(\.{0,2}/[^\s,]*)")


@dataclass(frozen=True, slots=True)
class ContextFree:
    """A RUN proven to read nothing a broad COPY brings. `notable`: its first command worth a
    finding (a package or tool install, an account), None when it only does cheap setup;
    `writes`: the image paths its commands write."""

    notable: Command | None
    writes: tuple[str, ...]


def overlaps(a: str, b: str) -> bool:
    """One path is the other or lies under it."""
    return is_under(a, b) or is_under(b, a)


def context_free(ctx: RuleContext, step: Step, dest: str) -> ContextFree | None:
    """`step` as a context-free RUN, given the broad COPY's absolute destination; else None."""
    instruction = step.instruction
    if instruction.name != "RUN" or instruction.is_json:
        return None
    if len(cache_mounts(ctx, step)) != len(instruction.flags):
        return None  # a bind mount reads the context; other flags we do not judge
    script = ctx.script(instruction)
    if script is None or script.has_errors or not script.commands:
        return None
    if _redirects(script.text) or _path_into(step.state.variables.get("PATH", ""), dest):
        return None
    assigned = {w.text.split("=", 1)[0] for c in script.commands for w in c.assignments}
    notable: Command | None = None
    writes: list[str] = []
    for cmd in script.commands:
        if not cmd.top_level or cmd.nested or cmd.wrappers or cmd.program_name is None:
            return None
        values = _values(cmd, step, assigned)
        if values is None:
            return None
        found = _judge(cmd, values, step, dest)
        if found is None:
            return None
        worth, paths = found
        writes += paths
        if worth and notable is None:
            notable = cmd
    return ContextFree(notable, tuple(writes))


def _redirects(text: str) -> bool:
    """A redirect other than to /dev/null or between descriptors: it may write or read a file."""
    bare = _HARMLESS_REDIRECT.sub("", _QUOTED.sub("", text))
    return "<" in bare or ">" in bare


def _path_into(value: str, dest: str) -> bool:
    """A `:`-separated list of paths (PATH, PYTHONPATH) names a folder in the copied tree."""
    return any(p.startswith("/") and overlaps(p, dest) for p in value.split(":"))


def _values(cmd: Command, step: Step, assigned: set[str]) -> dict[int, str] | None:
    """The value of each word (by start offset): literal, or made of Dockerfile variables the
    script does not set itself; None when one is only known at run time."""
    out: dict[int, str] = {}
    for word in (*cmd.assignments, *cmd.words):
        if word.is_static:
            out[word.start] = word.text
            continue
        raw = word.raw
        names = _SIMPLE_VAR.findall(raw)
        rest = _SIMPLE_VAR.sub("", raw).strip('"')
        if not names or any(c in rest for c in "$`'\"\\{~") or raw.startswith("'"):
            return None
        if any(n in assigned or n not in step.state.variables for n in names):
            return None
        out[word.start] = step.state.expand(raw).strip('"')
    return out


def _judge(
    cmd: Command, values: dict[int, str], step: Step, dest: str
) -> tuple[bool, list[str]] | None:
    """(worth a finding, paths written) for a command known to read nothing under `dest`."""
    if any(_path_into(values[w.start].partition("=")[2], dest) for w in cmd.assignments):
        return None
    name = cmd.program_name or ""
    if name in _SHELL_SETUP:
        return False, []
    if name in apt.PROGRAMS or (name == "rm" and apt.cache_removal(cmd)):
        return _apt(cmd, values, dest)
    if name == "apk":
        return _package_tool(cmd, values, dest, _APK_VERBS, _APK_VALUE_OPTIONS, _APK_PATH_OPTIONS)
    if name in _RPM_TOOLS:
        return _package_tool(cmd, values, dest, _RPM_VERBS, frozenset(), _RPM_PATH_OPTIONS)
    if name.startswith("pip") or _python_m_pip(cmd):
        return _pip(cmd, values, step, dest)
    if name == "npm":
        return _npm_global(cmd, values, step, dest)
    if name in _ACCOUNT_TOOLS:
        if _reads(dest, ("/etc",)) or any(a.startswith(".") for a in _split(values, cmd.args)):
            return None
        home = cmd.option_value("-d", "--home-dir", "--home", "-h")
        return True, ["/etc", home if home and home.startswith("/") else "/home"]
    return _file_tool(cmd, values, dest)


def _apt(cmd: Command, values: dict[int, str], dest: str) -> tuple[bool, list[str]] | None:
    """apt-get/apt on package names, or an `rm` of apt's own folders."""
    verb = apt.verb(cmd)
    args = _split(values, cmd.args)
    if _reads(dest, _APT_READS) or _relative(args) or _points_into(args, dest):
        return None
    if verb is None:
        return (False, []) if apt_only_command(cmd) else None
    if not verb.is_static or verb.text not in _APT_VERBS:
        return None  # `apt-get download` and `source` write into the working directory
    if not all(map(_name_like, _split(values, cmd.operands(apt.VALUE_OPTIONS)[1:]))):
        return None
    return apt.fetches_packages(cmd), list(_SYSTEM)


def _split(values: dict[int, str], words: Sequence[Word]) -> list[str]:
    """The words' values as the shell splits them (a variable holding `jq curl` is two)."""
    return [part for w in words for part in values[w.start].split()]


def _reads(dest: str, paths: Sequence[str]) -> bool:
    return any(overlaps(dest, p) for p in paths)


def _points_into(args: Sequence[str], dest: str) -> bool:
    """An argument names a path in the copied tree, or a relative one (from the working
    directory, which may be in it): the tool reads there, so the step needs the COPY."""
    paths = (p for a in args for p in _PATH_IN_VALUE.findall(a))
    return any(not p.startswith("/") or overlaps(posixpath.normpath(p), dest) for p in paths)


def _relative(args: Sequence[str]) -> bool:
    return any(a.startswith(("./", "../")) or a in (".", "..") for a in args)


def _name_like(value: str) -> bool:
    """A package name or spec, not a path, a URL or an archive in the working directory."""
    return (
        not value.startswith((".", "/", "~"))
        and "://" not in value
        and not value.lower().endswith(_ARCHIVES)
    )


def _package_tool(
    cmd: Command,
    values: dict[int, str],
    dest: str,
    verbs: frozenset[str],
    value_options: frozenset[str],
    path_options: Sequence[str],
) -> tuple[bool, list[str]] | None:
    """apk, dnf, yum, microdnf on package names."""
    reads = _APK_READS if cmd.program_name == "apk" else _RPM_READS
    args = _split(values, cmd.args)
    if _reads(dest, reads) or any(a.split("=")[0] in path_options for a in args):
        return None
    if _points_into(args, dest):
        return None
    operands = cmd.operands(value_options)
    if not operands or not operands[0].is_static or operands[0].text not in verbs:
        return None
    # apk's virtual packages are named `.build-deps`: a leading dot alone makes no path.
    names = _split(values, operands[1:])
    if not all(_name_like(v.removeprefix(".")) and "/" not in v for v in names):
        return None
    return operands[0].text in _INSTALL_VERBS, list(_SYSTEM)


def _python_m_pip(cmd: Command) -> bool:
    return (cmd.program_name or "").startswith("python") and [w.text for w in cmd.args[:2]] == [
        "-m",
        "pip",
    ]


def _language_tool_reads(step: Step, dest: str) -> bool:
    """A language tool reads settings from the home folder and from variables that name files:
    either in the copied tree makes its result depend on it."""
    if overlaps(step.state.home, dest):
        return True
    return any(_path_into(v, dest) for v in step.state.variables.values())


def _pip(
    cmd: Command, values: dict[int, str], step: Step, dest: str
) -> tuple[bool, list[str]] | None:
    """`pip install <names>`: no requirement file, project folder, archive or target folder.
    `python -m pip` also imports from its working directory, which must be outside the tree."""
    if _python_m_pip(cmd):
        cwd = posixpath.join(step.state.workdir, cmd.cwd_hint or ".")
        if overlaps(posixpath.normpath(cwd), dest):
            return None
        words = cmd.args[2:]
    else:
        words = cmd.args
    if _reads(dest, _PIP_READS) or _language_tool_reads(step, dest):
        return None
    if any(a.split("=")[0] in _PIP_PATH_OPTIONS for a in _split(values, words)):
        return None
    operands = _operands(words, _PIP_VALUE_OPTIONS)
    if not operands or operands[0].text != "install" or not operands[0].is_static:
        return None
    names = _split(values, operands[1:])
    if not names or not all(_name_like(v) and "/" not in v and "@" not in v for v in names):
        return None
    return True, [*_PIP_WRITES, step.state.home]


def _npm_global(
    cmd: Command, values: dict[int, str], step: Step, dest: str
) -> tuple[bool, list[str]] | None:
    """`npm install -g <names>`: npm ignores the project's .npmrc in global mode."""
    if not (cmd.has_option("-g", "--global") or "--location=global" in _split(values, cmd.args)):
        return None
    if _reads(dest, _NPM_READS) or _language_tool_reads(step, dest):
        return None
    operands = cmd.operands()
    if not operands or not operands[0].is_static or operands[0].text not in ("install", "i", "add"):
        return None
    names = _split(values, operands[1:])
    if not names or not all(_name_like(v) and ":" not in v for v in names):
        return None
    prefix = step.state.variables.get("NPM_CONFIG_PREFIX") or step.state.variables.get(
        "npm_config_prefix"
    )
    return True, [*_NPM_WRITES, step.state.home, *([prefix] if prefix else [])]


def _operands(words: Sequence[Word], value_options: frozenset[str]) -> list[Word]:
    out: list[Word] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.is_option:
            skip = word.text in value_options
        else:
            out.append(word)
    return out


def _file_tool(cmd: Command, values: dict[int, str], dest: str) -> tuple[bool, list[str]] | None:
    """mkdir, ln -s, chown, chmod, rm on absolute paths. chown, chmod and rm of a path in the
    copied tree change copied files: not context-free."""
    name = cmd.program_name
    operands = _split(values, cmd.operands())
    if name in ("chown", "chmod"):
        operands = operands[1:]
    elif name == "ln":
        if not cmd.has_option("-s", "--symbolic"):
            return None
        operands = operands[-1:] if len(operands) == 2 else []
    elif name not in ("mkdir", "rm"):
        return None
    if not operands or not all(p.startswith("/") for p in operands):
        return None
    if name in ("chown", "chmod", "rm") and any(overlaps(p, dest) for p in operands):
        return None
    return False, operands
