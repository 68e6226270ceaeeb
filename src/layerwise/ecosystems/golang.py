"""Go's toolchain as data: its subcommands, how a build picks its target, where its caches live.

Not in `ecosystems.ALL` (yet): the cache-mount rules do not cover Go. Facts from the Go
documentation (`go help build`, `go help environment`, cmd/cgo) and buildkit-facts.md (Go's
cache mount targets /go/pkg/mod and /root/.cache/go-build).
"""

from __future__ import annotations

from layerwise.ecosystems.base import subcommand
from layerwise.shell import Command, Word

PROGRAMS = frozenset({"go"})
VALUE_OPTIONS = frozenset(
    {"-o", "-p", "-C", "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-modfile",
     "-pkgdir", "-buildmode", "-compiler", "-gccgoflags", "-overlay", "-pgo", "-toolexec"}
)  # fmt: skip
# The official image's GOPATH is /go: the module cache is /go/pkg/mod.
MODULE_CACHE = "/go/pkg/mod"
# What decides the binary's platform, with the BuildKit ARG that gives each for the target.
# Unset, a build is for the machine it runs on, and cgo is on for a native build where a C
# compiler is found and off when cross-compiling.
TARGET_VARIABLES = (("GOOS", "TARGETOS"), ("GOARCH", "TARGETARCH"))
CGO = "CGO_ENABLED"


def verb(cmd: Command) -> str | None:
    """`build` in `go build -o x .`; None for another program."""
    word = subcommand(cmd, PROGRAMS, VALUE_OPTIONS)
    return word.text if word is not None else None


def build_cache(home: str) -> str:
    return f"{home}/.cache/go-build"


def assigned(cmd: Command, name: str) -> Word | None:
    """The `NAME=value` word set in front of the command (`CGO_ENABLED=0 go build`)."""
    for word in cmd.assignments:
        if word.text.partition("=")[0] == name:
            return word
    return None
