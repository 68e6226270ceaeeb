"""The build state an instruction runs in: working directory, user, shell, variables."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from layerwise.frozen import quick_init
from layerwise.model.accounts import Account
from layerwise.model.expand import ExpansionError, expand
from layerwise.model.users import known_user

DEFAULT_SHELL = ("/bin/sh", "-c")
_WINDOWS_PATH = re.compile(r"[A-Za-z]:[\\/]")
# BuildKit adds this PATH to every Linux stage whose image config has none; the official
# images we care about set exactly this or extend it, so it is the best guess for `$PATH`.
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@quick_init
@dataclass(frozen=True, slots=True)
class State:
    """What BuildKit knows when it reaches an instruction (before the instruction's effect).

    `env` holds the ENV values set in the Dockerfile, on top of what we assume of the base
    image (the default PATH, and the few variables model.users.IMAGE_ENV knows). `args` holds
    the ARGs declared in the stage, or inherited from the stage it is built FROM, with their
    effective values (None: declared without a value).
    `variables` is what expansion and RUN see: ARG and ENV values in the order they were set,
    which is how BuildKit keeps them (both are added to one environment, the later one wins).
    """

    workdir: str = "/"
    user: str = "root"
    shell: tuple[str, ...] = DEFAULT_SHELL
    env: Mapping[str, str] = field(default_factory=lambda: {"PATH": DEFAULT_PATH})
    args: Mapping[str, str | None] = field(default_factory=dict)
    variables: Mapping[str, str] = field(default_factory=lambda: {"PATH": DEFAULT_PATH})
    escape: str = "\\"
    image_family: str | None = None  # repository name of the stage chain's base image
    # Users and groups (name -> gid) created by earlier RUNs (useradd, adduser, ...).
    users: Mapping[str, Account] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    # `home`, worked out on first use: rules ask for it at every install of every check.
    _home: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def user_name(self) -> str:
        """The user part of `user:group`."""
        return self.user.split(":", 1)[0]

    @property
    def is_root(self) -> bool:
        """The RUN runs as root: no USER yet, `root` or uid 0."""
        return self.user_name in ("", "root", "0")

    @property
    def home(self) -> str:
        """The home directory a tool run as this user resolves `~` to.

        An explicit `ENV HOME` wins, then the home of a user an earlier RUN created (its
        -d/--home, else /home/<name>). Otherwise root (or uid 0) -> /root, a user known for the
        base image (node -> /home/node) -> its home, and any other name -> /home/<name>, the
        useradd/adduser default. A numeric uid is looked up the same way (an account created
        with that uid, then our tables); one found nowhere -> `/`: with no passwd entry the
        runtime sets HOME=/ for it.
        """
        home = self._home
        if home is None:
            home = self._find_home()
            object.__setattr__(self, "_home", home)  # a cache: the state itself is unchanged
        return home

    def _find_home(self) -> str:
        explicit = self.env.get("HOME")
        if explicit:
            return explicit
        name = self.user_name or "root"
        created = self._created(name)
        if created is not None:
            return created.home
        known = known_user(name, self.image_family)
        if known is not None:
            return known.home
        if name.isdigit():
            return "/"
        return f"/home/{name}"

    @property
    def uid_gid(self) -> tuple[str, str] | None:
        """Numeric (uid, gid) when the user is numeric or known; None for unknown names.

        Users created by an earlier RUN with an explicit uid (see model.accounts) come first,
        then our tables. A group given as `user:group` wins for the gid. A uid without a stated
        group gets gid == uid, the user-private-group convention of useradd/adduser.
        """
        name, _, group = self.user.partition(":")
        name = name or "root"
        created = self._created(name)
        known = known_user(name, self.image_family)
        if created is not None:
            if created.uid is None:
                return None
            uid, gid = created.uid, created.gid or created.uid
        elif known is not None:
            uid, gid = known.uid, known.gid
        elif name.isdigit():
            uid, gid = name, name
        else:
            return None
        if group:
            if group.isdigit():
                gid = group
            elif group in self.groups:
                gid = self.groups[group]
            else:
                known_group = known_user(group, self.image_family)
                if known_group is None:
                    return None
                gid = known_group.gid
        return uid, gid

    def _created(self, name: str) -> Account | None:
        """The account an earlier RUN created for `name`: by name, or for a numeric USER the
        last one created with that uid (the runtime finds a uid's passwd entry, HOME and
        primary group included, as it finds a name's)."""
        created = self.users.get(name)
        if created is None and name.isdigit():
            by_uid = [a for a in self.users.values() if a.uid == name]
            created = by_uid[-1] if by_uid else None
        return created

    def expand(self, word: str) -> str:
        """Expand `word` with this state's variables and the file's escape character; a word
        BuildKit cannot expand stays as written (the model reports it, LW407)."""
        try:
            return expand(word, self.variables, escape=self.escape)
        except ExpansionError:
            return word


def resolve_workdir(current: str, requested: str) -> str:
    """BuildKit's NormalizeWorkdir: join a relative path to the current one, then clean it.

    Windows paths (`C:\\app`, for Windows base images) are kept as written, or joined with a
    backslash to a current Windows path; we do not model Windows path cleaning.
    """
    if _WINDOWS_PATH.match(requested):
        return requested
    if _WINDOWS_PATH.match(current):
        return current.rstrip("\\/") + "\\" + requested
    joined = posixpath.normpath(posixpath.join("/", current, requested))
    # Go's path.Clean folds a leading `//` that posixpath.normpath keeps.
    return "/" + joined.lstrip("/")
