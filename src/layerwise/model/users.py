"""What we assume about base images we cannot inspect: their users and working directories.

The model never pulls an image, so the image config (USER, WORKDIR, ENV, /etc/passwd) is
unknown. These tables hold the few facts worth knowing because they move cache-mount targets
and ownership: the official `node` images create a `node` user (uid/gid 1000, home /home/node),
the official `golang` images set WORKDIR /go and GOPATH=/go, Microsoft's .NET images an `app`
user and APP_UID. Extend them as data; no rule
hard-codes a user.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KnownUser:
    uid: str
    gid: str
    home: str


ROOT = KnownUser("0", "0", "/root")

# Users present in every common Linux base image (Debian, Ubuntu, Alpine, RHEL families).
COMMON_USERS: dict[str, KnownUser] = {
    "root": ROOT,
    "nobody": KnownUser("65534", "65534", "/nonexistent"),
}

# Users an official image family adds, keyed by repository name (the last path component).
IMAGE_USERS: dict[str, dict[str, KnownUser]] = {
    "node": {"node": KnownUser("1000", "1000", "/home/node")},
}
# Microsoft's .NET images (8.0 on: runtime-deps and the images built on it) add the non-root user
# `app`, uid and gid 1654, home /home/app, and give its uid in ENV APP_UID, for `USER $APP_UID`
# (dotnet/dotnet-docker: "UID of the non-root user 'app'"; .NET 8.0 container images
# announcement). Before 8.0 neither exists, so no Dockerfile that builds names them there.
_DOTNET_IMAGES = ("runtime-deps", "runtime", "aspnet", "sdk")
_DOTNET_APP = KnownUser("1654", "1654", "/home/app")
IMAGE_USERS.update({f"dotnet/{name}": {"app": _DOTNET_APP} for name in _DOTNET_IMAGES})

# WORKDIR set by an official image family's config.
IMAGE_WORKDIRS: dict[str, str] = {
    "golang": "/go",
}

# ENV an official image family sets that decides where tools put their caches (the official
# golang images: GOPATH=/go, so the module cache is /go/pkg/mod). PATH is handled in state.py.
IMAGE_ENV: dict[str, dict[str, str]] = {
    "golang": {"GOPATH": "/go"},
    "rust": {"CARGO_HOME": "/usr/local/cargo"},
    **{f"dotnet/{name}": {"APP_UID": _DOTNET_APP.uid} for name in _DOTNET_IMAGES},
}


def image_family(reference: str) -> str:
    """The repository name of an image reference: `docker.io/library/node:20-slim` -> `node`;
    Microsoft's .NET images keep their `dotnet/` (`mcr.microsoft.com/dotnet/sdk:8.0` ->
    `dotnet/sdk`), whose last component alone (`sdk`, `runtime`) other images use too."""
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    family = last.split(":", 1)[0].lower()
    path = name.lower()
    if path.startswith(("mcr.microsoft.com/dotnet/", "mcr.microsoft.com/dotnet/nightly/")):
        return f"dotnet/{family}"
    return family


def known_user(user: str, family: str | None) -> KnownUser | None:
    """The uid, gid and home of a user name or uid in an image family, when known."""
    found = COMMON_USERS.get(user)
    if found is not None:
        return found
    table = IMAGE_USERS.get(family or "", {})
    found = table.get(user)
    if found is not None:
        return found
    if user == "0":
        return ROOT
    for entry in table.values():
        if entry.uid == user:
            return entry
    return None
