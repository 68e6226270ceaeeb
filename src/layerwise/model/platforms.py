"""Platform strings (`linux/arm64/v8`) as BuildKit reads them, and the ARGs that name them.

containerd's `platforms.Parse` (which BuildKit calls for `--platform` and FROM --platform):
`os[/arch[/variant]]`, lower-cased, with aliases normalised as its `normalizeArch` does
(`x86_64` -> `amd64`, `aarch64` -> `arm64`, `armel` -> `arm` v6, `macos` -> `darwin`). One
component is an OS when it names one, else an architecture of the builder's OS when it names a
known one; any other single word is an error there (`--platform=foo` fails the build), so it is
no platform here. The build's own default architecture is unknown here: it stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layerwise.model.from_lines import AUTOMATIC_ARGS

# The predefined ARGs that describe a platform (TARGETSTAGE names a stage, not a platform).
PLATFORM_ARGS = tuple(name for name in AUTOMATIC_ARGS if name != "TARGETSTAGE")
TARGET_ARGS = tuple(name for name in PLATFORM_ARGS if name.startswith("TARGET"))

# containerd's lists (platforms/database.go, taken from Go's syslist; newer ones add wasip1).
_KNOWN_OS = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
        "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
    }
)  # fmt: skip
_KNOWN_ARCH = frozenset(
    {
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le",
        "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc",
        "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
    }
)  # fmt: skip
_COMPONENT = re.compile(r"[a-z0-9_-]+\Z")


@dataclass(frozen=True, slots=True)
class Platform:
    os: str
    arch: str  # "" when only the OS is given (BuildKit then uses the builder's architecture)
    variant: str = ""


def _normalize_arch(arch: str, variant: str) -> tuple[str, str]:
    """containerd's `normalizeArch`: aliases to Go's names, and the variant they imply."""
    if arch == "i386":
        return "386", ""
    if arch in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if arch in ("aarch64", "arm64"):
        return "arm64", {"8": "", "v8": "", "v8.0": "", "9": "v9", "9.0": "v9", "v9.0": "v9"}.get(
            variant, variant
        )
    if arch == "armhf":
        return "arm", "v7"
    if arch == "armel":
        return "arm", "v6"
    if arch == "arm":
        return "arm", {"": "v7", "7": "v7", "5": "v5", "6": "v6", "8": "v8"}.get(variant, variant)
    return arch, variant


def parse_platform(text: str) -> Platform | None:
    """The platform a constant `--platform` value names; None when containerd rejects it."""
    parts = text.strip().lower().split("/")
    if not 1 <= len(parts) <= 3 or not all(_COMPONENT.match(p) for p in parts):
        return None
    os_name = "darwin" if parts[0] == "macos" else parts[0]
    if len(parts) == 1:
        if os_name in _KNOWN_OS:
            return Platform(os_name, "")
        arch, variant = _normalize_arch(parts[0], "")
        if arch not in _KNOWN_ARCH:
            return None  # containerd: "unknown operating system or architecture"
        return Platform("linux", arch, "" if variant == "v7" else variant)
    if len(parts) == 2:
        # os/arch: any words go, but arm's default v7 is left implicit
        arch, variant = _normalize_arch(parts[1], "")
        return Platform(os_name, arch, "" if arch == "arm" and variant == "v7" else variant)
    arch, variant = _normalize_arch(parts[1], parts[2])
    return Platform(os_name, arch, "v8" if arch == "arm64" and not variant else variant)


def platform_problem(text: str) -> str | None:
    """Why `text` is no platform (`is not os/arch[/variant]`), or None when it is one."""
    return None if parse_platform(text) is not None else "is not a platform (os/arch[/variant])"
