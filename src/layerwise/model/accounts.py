"""Users and groups a RUN creates (useradd/adduser/groupadd/addgroup), for USER's uid and home.

`RUN addgroup --system --gid 1001 nodejs && adduser --system --uid 1001 nextjs` followed by
`USER nextjs` is the common way to drop root; knowing uid 1001 lets a cache mount be owned by
that user. Only what the command states is taken: an explicit uid/gid/home. A uid the tool
would allocate itself stays unknown. This reads the RUN text with a small regex tokenizer, not
a shell parser: build_model must stay cheap, and these commands are plain.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PROGRAMS = ("useradd", "adduser", "groupadd", "addgroup")
_SEPARATORS = re.compile(r"&&|\|\||[;|&()]")

# Options that take a value, per program (short and long forms).
_USERADD_VALUES = frozenset(
    [
        "-u",
        "--uid",
        "-g",
        "--gid",
        "-d",
        "--home-dir",
        "--home",
        "-s",
        "--shell",
        "-G",
        "--groups",
        "-c",
        "--comment",
        "-k",
        "--skel",
        "-K",
        "--key",
        "-e",
        "--expiredate",
        "-f",
        "--inactive",
        "-p",
        "--password",
        "-b",
        "--base-dir",
        "-Z",
        "--selinux-user",
    ]
)
# Debian's adduser (long options) and BusyBox's adduser (-h home, -g GECOS, -G group, -u uid).
_ADDUSER_VALUES = frozenset(
    [
        "-h",
        "-g",
        "-G",
        "-s",
        "-k",
        "-u",
        "--home",
        "--uid",
        "--gid",
        "--ingroup",
        "--shell",
        "--gecos",
        "--firstuid",
        "--lastuid",
        "--conf",
        "--comment",
    ]
)
_GROUP_VALUES = frozenset(["-g", "--gid", "-K", "--key", "-p", "--password"])


@dataclass(frozen=True, slots=True)
class Account:
    """A user created in the Dockerfile: what its command says (None: not stated)."""

    uid: str | None
    gid: str | None
    home: str


def created_accounts(
    script: str, users: Mapping[str, Account], groups: Mapping[str, str]
) -> tuple[dict[str, Account], dict[str, str]]:
    """The users and groups (name -> gid) after a RUN script, given those before it."""
    if not any(p in script for p in PROGRAMS):
        return dict(users), dict(groups)
    new_users, new_groups = dict(users), dict(groups)
    for command in _commands(script):
        words = _strip_prefix(command)
        if not words:
            continue
        program = words[0].rsplit("/", 1)[-1]
        if program in ("groupadd", "addgroup"):
            opts, names = _options(words[1:], _GROUP_VALUES)
            gid = opts.get("-g") or opts.get("--gid")
            if len(names) == 1 and gid is not None and gid.isdigit():
                new_groups[names[0]] = gid
        elif program in ("useradd", "adduser"):
            values = _USERADD_VALUES if program == "useradd" else _ADDUSER_VALUES
            opts, names = _options(words[1:], values)
            if not names:
                continue
            name = names[0]
            uid = opts.get("-u") or opts.get("--uid")
            if program == "useradd":
                group = opts.get("-g") or opts.get("--gid")
                home = opts.get("-d") or opts.get("--home-dir") or opts.get("--home")
            else:  # BusyBox: -G group, -h home; Debian: --gid, --ingroup, --home
                group = opts.get("--gid") or opts.get("--ingroup") or opts.get("-G")
                home = opts.get("--home") or opts.get("-h")
            gid = group if group is None or group.isdigit() else new_groups.get(group)
            new_users[name] = Account(
                uid=uid if uid is not None and uid.isdigit() else None,
                gid=gid,
                home=home or f"/home/{name}",
            )
    return new_users, new_groups


def _commands(script: str) -> list[list[str]]:
    """The simple commands that mention one of PROGRAMS, as word lists.

    A newline, `&&`, `||`, `;`, `|` and `&` end a command. Splitting on them before quoting
    is understood is wrong only for an operator inside quotes next to these programs, which
    real scripts do not do; it keeps the (slow) shlex tokenizer off everything else.
    """
    commands: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        if not any(p in line for p in PROGRAMS):
            continue
        for segment in _SEPARATORS.split(line):
            if not any(p in segment for p in PROGRAMS):
                continue
            words = _words(segment)
            if words:
                commands.append(words)
    return commands


# Possessive quantifiers keep a failed match linear (no backtracking between word pieces).
_WORD_PATTERN = r"""(?:[^\s'"\\]++|\\.|'[^']*+'|"(?:[^"\\]++|\\.)*+")++"""
_WORD = re.compile(_WORD_PATTERN)
_SEGMENT = re.compile(rf"\s*+(?:{_WORD_PATTERN}\s*+)*+")
_QUOTED = re.compile(r"""'([^']*)'|"((?:[^"\\]|\\.)*)"|\\(.)""")
_DOUBLE_QUOTED_ESCAPE = re.compile(r"""\\([\\"$`])""")


def _words(segment: str) -> list[str]:
    """Shell words with quotes removed; [] for unbalanced quotes (shlex is too slow here)."""
    if _SEGMENT.fullmatch(segment) is None:
        return []
    return [_QUOTED.sub(_unquote, m.group()) for m in _WORD.finditer(segment)]


def _unquote(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return m.group(1)
    if m.group(2) is not None:  # inside "...", a backslash escapes only \ " $ and `
        return _DOUBLE_QUOTED_ESCAPE.sub(r"\1", m.group(2))
    return m.group(3)


def _strip_prefix(words: list[str]) -> list[str]:
    """Drop leading `VAR=value` assignments and `sudo`/`set -x`-style prefixes we know."""
    i = 0
    while i < len(words) and ("=" in words[i] and not words[i].startswith("-")):
        i += 1
    if i < len(words) and words[i] in ("sudo", "exec", "command"):
        i += 1
    return words[i:]


def _options(words: list[str], takes_value: frozenset[str]) -> tuple[dict[str, str], list[str]]:
    opts: dict[str, str] = {}
    names: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--") and "=" in word:
            key, _, value = word.partition("=")
            opts[key] = value
        elif word in takes_value and i + 1 < len(words):
            opts[word] = words[i + 1]
            i += 1
        elif word.startswith("-") and len(word) > 2 and word[:2] in takes_value:
            opts[word[:2]] = word[2:]  # -u1001
        elif not word.startswith("-"):
            names.append(word)
        i += 1
    return opts, names
