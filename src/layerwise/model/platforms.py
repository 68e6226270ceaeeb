"""Platform strings (`linux/arm64/v8`) as BuildKit reads them, and the ARGs that name them.

containerd's `platforms.Parse` (which BuildKit calls for `--platform` and FROM --platform):
`os[/arch[/variant]]`, lower-cased, with architecture aliases normalised (`x86_64` -> `amd64`,
`aarch64` -> `arm64`). One component is an OS when it names one, else an architecture of the
builder's OS. The build's own default architecture is unknown here: it stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layerwise.model.from_lines import AUTOMATIC_ARGS

# The predefined ARGs that describe a platform (TARGETSTAGE names a stage, not a platform).
PLATFORM_ARGS = tuple(name for name in AUTOMATIC_ARGS if name != "TARGETSTAGE")
TARGET_ARGS = tuple(name for name in PLATFORM_ARGS if name.startswith("TARGET"))

_KNOWN_OS = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux",
        "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows",
    }
)  # fmt: skip
_ARCH_ALIASES = {
    "x86_64": "amd64",
    "x86-64": "amd64",
    "aarch64": "arm64",
    "armhf": "arm",
    "armel": "arm",
    "i386": "386",
}
_COMPONENT = re.compile(r"[a-z0-9_-]+\Z")


@dataclass(frozen=True, slots=True)
class Platform:
    os: str
    arch: str  # "" when only the OS is given (BuildKit then uses the builder's architecture)
    variant: str = ""


def parse_platform(text: str) -> Platform | None:
    """The platform a constant `--platform` value names; None when containerd rejects it."""
    parts = text.strip().lower().split("/")
    if not 1 <= len(parts) <= 3 or not all(_COMPONENT.match(p) for p in parts):
        return None
    if len(parts) == 1:
        word = parts[0]
        if word in _KNOWN_OS:
            return Platform(word, "")
        return Platform("linux", _ARCH_ALIASES.get(word, word))
    os_name, arch = parts[0], _ARCH_ALIASES.get(parts[1], parts[1])
    return Platform(os_name, arch, parts[2] if len(parts) == 3 else "")


def platform_problem(text: str) -> str | None:
    """Why `text` is no platform (`is not os/arch[/variant]`), or None when it is one."""
    return None if parse_platform(text) is not None else "is not a platform (os/arch[/variant])"
