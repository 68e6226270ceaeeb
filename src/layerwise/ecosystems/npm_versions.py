"""Which npm a base image ships, and how each npm major spells "leave dev dependencies out".

npm 7 added `--omit=dev`; npm 6 and older ignore it (and install dev dependencies) and need
`--production` (buildkit-facts.md ## npm). So a rule that writes `--omit=dev` must know the npm
major, and only the official `node` images tell it: their tag names the Node.js major, which
fixes the bundled npm major. Other bases (Debian's or Alpine's packaged npm, Windows, custom
images) have an npm we cannot know, and `npm_major_of_image` answers None for them.
"""

from __future__ import annotations

import re

from layerwise.ecosystems import npm
from layerwise.ecosystems.base import image_tag, static_text
from layerwise.shell import Command

# The lowest npm major an official `node:<major>` image ships. Even majors: buildkit-facts.md
# ## npm (the floating tags); a line may update npm during its life, but never across the npm 7
# line that matters here. Odd majors: the npm their first release bundled (Node 15 was the first
# with npm 7). Newer majors than the table hold ship the table's newest npm or a later one.
NPM_BY_NODE: dict[int, int] = {
    8: 5, 9: 5, 10: 6, 11: 6, 12: 6, 13: 6, 14: 6, 15: 7, 16: 8, 17: 8, 18: 9, 19: 8, 20: 9,
    21: 10, 22: 10,
}  # fmt: skip
# The npm of the newest images: `node:latest`, `node:lts`, `node:current`, `node:alpine`.
NEWEST_NPM = NPM_BY_NODE[max(NPM_BY_NODE)]
# LTS code names the official image tags by (`node:iron-slim` is `node:20-slim`).
LTS_CODENAMES: dict[str, int] = {
    "carbon": 8, "dubnium": 10, "erbium": 12, "fermium": 14, "gallium": 16, "hydrogen": 18,
    "iron": 20, "jod": 22, "krypton": 24,
}  # fmt: skip
# Tags that follow the newest release: `lts`, `current`, `latest` and bare variant names.
_FLOATING = frozenset(
    {"lts", "current", "latest", "alpine", "slim", "bookworm", "bullseye", "buster", "trixie"}
)
FIRST_OMIT_NPM = 7  # the first npm major that knows `--omit`
_MAJOR = re.compile(r"(\d+)")


def official_node_tag(reference: str) -> str | None:
    """The tag of an official `node` image reference (`latest` when none is given), else None:
    `node:20-slim`, `docker.io/library/node:20`, `public.ecr.aws/docker/library/node:20`; not
    `registry.example.com/node:20` (a custom image as far as its name tells)."""
    return image_tag(reference, "node")


def node_major_of_tag(tag: str) -> int | None:
    """The Node.js major a `node` image tag names (`20`, `20.11.1-alpine`, `iron-slim`), or
    None for a tag that follows the newest release or one we cannot read."""
    first = tag.lower().split("-", 1)[0]
    digits = re.fullmatch(r"(\d+)(\.\d+)*", first)
    if digits:
        return int(digits.group(1))
    return LTS_CODENAMES.get(first)


def npm_for_node(major: int) -> int | None:
    """The lowest npm major an official image of Node.js `major` ships (None before Node 8)."""
    if major > max(NPM_BY_NODE):
        return NEWEST_NPM
    return NPM_BY_NODE.get(major)


def npm_major_of_image(reference: str) -> int | None:
    """The npm major an image ships when its reference tells it (an official `node` image with
    a readable tag), else None."""
    tag = official_node_tag(reference)
    if not tag or "$" in tag:
        return None
    major = node_major_of_tag(tag)
    if major is not None:
        return npm_for_node(major)
    variant = tag.lower().split("-", 1)[0]
    return NEWEST_NPM if variant in _FLOATING or variant.startswith("alpine") else None


class Unknown:
    """npm replaced by a version that cannot be read (`npm i -g npm@$NPM_VERSION`)."""


UNKNOWN = Unknown()


def self_upgrade(cmd: Command) -> int | Unknown | None:
    """The npm major a global install of npm itself puts in place (`npm i -g npm@6` -> 6,
    `npm i -g npm` -> the newest), UNKNOWN when its version cannot be read, None when the
    command does not install npm."""
    if not npm.is_global_install(cmd):
        return None
    for word in npm.added_packages(cmd):
        text = static_text(word)
        if text is None:
            if word.text.startswith("npm@") or word.text == "npm":
                return UNKNOWN
            continue
        name, _, spec = text.partition("@")
        if name != "npm":
            continue
        if spec in ("", "latest", "next"):
            return NEWEST_NPM
        major = _MAJOR.search(spec.lstrip("^~=<> "))
        return int(major.group(1)) if major else UNKNOWN
    return None


def omit_dev_flag(npm_major: int | None) -> str | None:
    """How that npm major spells "leave dev dependencies out": `--omit=dev` from npm 7,
    `--production` before it, None when the major is unknown."""
    if npm_major is None:
        return None
    return "--omit=dev" if npm_major >= FIRST_OMIT_NPM else "--production"
