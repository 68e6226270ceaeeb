"""Go's toolchain as data: its subcommands, how a build picks its target, where its caches live,
and what `go mod download` reads.

Facts from the Go documentation (`go help build`, `go help environment`, `go help
modules`/"Go Modules Reference": the module cache is `$GOMODCACHE`, default `$GOPATH/pkg/mod`
with GOPATH defaulting to `~/go`; the build cache is `$GOCACHE`, default
`$XDG_CACHE_HOME/go-build` (`~/.cache/go-build`), `GOCACHE=off` is refused by modern Go; `go
clean -modcache` deletes the module cache, `-cache` the build cache; a `replace` directive whose
right side is a relative path names a directory holding the replacement's go.mod, and only the
main module's replace directives apply; with a go.work file, which Go looks for in the current
directory and every parent unless GOWORK names one, the module graph also reads every `use`d
module),
buildkit-facts.md (cache mounts on /go/pkg/mod and /root/.cache/go-build, the official image's
GOPATH=/go) and Docker's Go language guide (docs.docker.com/guides/golang: `go mod download`
with a cache mount on /go/pkg/mod after go.mod and go.sum, then the build with mounts on both
caches).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from layerwise.ecosystems import _toolchain as tc
from layerwise.ecosystems._python import relative_inside
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    Pruning,
    command_env,
    image_tag,
    never_needs_dev,
    never_repeats_install,
    never_starts_over,
    never_unproven,
    no_dev_form,
    no_lockfile_form,
    no_output_cache,
    no_project_env,
    subcommand,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "go"
PROGRAMS = frozenset({"go"})
MANIFESTS: tuple[str, ...] = ("go.mod",)
LOCKFILES: tuple[str, ...] = ("go.sum",)
# Proven by the buildable cases tests/fixtures/buildable/go_* (`go mod download` after COPY . .
# with a local replace module, a compile after COPY . .). The Go module proxy is out of reach
# here, so no downloaded module is exercised; the module cache's mounts stay safe only when every
# later go command gets them too (LW201's `_store_kept`).
BUILD_PROVEN = True
VALUE_OPTIONS = frozenset(
    {"-o", "-p", "-C", "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-modfile",
     "-pkgdir", "-buildmode", "-compiler", "-gccgoflags", "-overlay", "-pgo", "-toolexec",
     "-run", "-bench", "-count", "-timeout", "-coverprofile", "-exec"}
)  # fmt: skip
# The official image's GOPATH is /go: the module cache is /go/pkg/mod.
MODULE_CACHE = "/go/pkg/mod"
# Subcommands that load the module graph and download what is missing (`go build` fetches
# modules go.mod lists; all of them also fill the build cache, except `go mod download`).
BUILD_VERBS = frozenset({"build", "install", "test", "run", "vet", "generate", "get"})
# What decides the binary's platform, with the BuildKit ARG that gives each for the target.
# Unset, a build is for the machine it runs on, and cgo is on for a native build where a C
# compiler is found and off when cross-compiling.
TARGET_VARIABLES = (("GOOS", "TARGETOS"), ("GOARCH", "TARGETARCH"))
CGO = "CGO_ENABLED"
# GOARCH=arm's instruction set (5, 6, 7). `go help environment`: a Go built on an arm system
# defaults to what that system supports; a cross-compiler (Go on amd64 or arm64) to 7.
GOARM = "GOARM"
_REPLACE = re.compile(r"^\s*(?:replace\s+)?\S+(?:\s+\S+)?\s*=>\s*(\S+)\s*(\S*)\s*$")


def _operands(cmd: Command) -> tuple[Word, ...]:
    return cmd.operands(VALUE_OPTIONS) if cmd.program_name in PROGRAMS else ()


def verb(cmd: Command) -> Word | None:
    """`build` in `go build -o x .`; None for another program."""
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def verb_text(cmd: Command) -> str | None:
    word = verb(cmd)
    return word.text if word is not None else None


def is_mod_download(cmd: Command) -> bool:
    """`go mod download` of the whole module graph (no module named: that is not the project's
    dependency step)."""
    words = [w.text for w in _operands(cmd)]
    return words == ["mod", "download"]


def is_install(cmd: Command) -> bool:
    return verb_text(cmd) in BUILD_VERBS or is_mod_download(cmd)


def is_dependency_install(cmd: Command) -> bool:
    """`go mod download`: Go's download step. `go build` compiles the sources: after
    `COPY . .` it is where it belongs."""
    return is_mod_download(cmd)


def build_cache(home: str, env: Mapping[str, str] | None = None) -> str:
    env = env or {}
    xdg = tc.env_dir(env, "XDG_CACHE_HOME", tc.under_home(home, ".cache"))
    return tc.env_dir(env, "GOCACHE", f"{xdg.rstrip('/')}/go-build")


def module_cache(home: str, env: Mapping[str, str] | None = None) -> str:
    """`$GOMODCACHE`, else the first GOPATH entry's `pkg/mod`, else `~/go/pkg/mod`."""
    env = env or {}
    gopath = env.get("GOPATH", "").split(":")[0]
    default = (
        f"{gopath.rstrip('/')}/pkg/mod"
        if gopath and "$" not in gopath
        else tc.under_home(home, "go/pkg/mod")
    )
    return tc.env_dir(env, "GOMODCACHE", default)


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    """The module caches a cleanup may empty: the official image's and the home's."""
    return (
        CacheMount.for_user(MODULE_CACHE, uid_gid),
        CacheMount.for_user(module_cache(home), uid_gid),
    )


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    """The module cache for every module-loading command, and the build cache for those that
    compile (`go mod download` does not)."""
    if not is_install(cmd):
        return ()
    seen = command_env(cmd, env)
    mounts = [] if offline(cmd, env) else [CacheMount.for_user(module_cache(home, seen), uid_gid)]
    if not is_mod_download(cmd) and seen.get("GOCACHE") != "off":
        mounts.append(CacheMount.for_user(build_cache(home, seen), uid_gid, compiled=True))
    return tuple(mounts)


def offline(cmd: Command, env: Mapping[str, str]) -> bool:
    """GOPROXY=off, or a GOPROXY list that starts with `off` ("disallows downloading modules
    from any source", `go help environment`): modules come from the module cache alone. The
    build cache stays a cache: what it lacks is compiled again."""
    if verb(cmd) is None:
        return False
    first = command_env(cmd, env).get("GOPROXY", "").replace("|", ",").split(",")[0]
    return first.strip() == "off"


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


# `go help clean`: -modcache removes the module cache, -cache the build cache; -testcache only
# expires test results and -fuzzcache removes fuzz inputs (no cache a mount keeps for a build).
# With any of the four and no package named, `go clean` cleans no package (cmd/go's clean.go,
# golang.org/issue/29925); without them it removes the package's build outputs.
CLEAN_OPTIONS = ("-modcache", "-cache", "-testcache", "-fuzzcache")


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`go clean -modcache` or `go clean -cache` (an `rm` of a cache folder is found by its
    path)."""
    return verb_text(cmd) == "clean" and cmd.has_option("-modcache", "-cache")


def cleaning_options(
    cmd: Command, home: str, env: Mapping[str, str]
) -> tuple[tuple[Word, tuple[str, ...]], ...]:
    """Each cache option of a `go clean` that empties a cache, with the folders it empties:
    -modcache the module cache GOMODCACHE or GOPATH (ENV, ARG or prefix) name, else the
    official image's and the home's; -cache the build cache (GOCACHE, XDG_CACHE_HOME, else the
    home's). A value still holding a `$` is not known here: it is given as written (no mount is
    on it) rather than as a default."""
    if not cache_cleaning(cmd, home):
        return ()
    seen = command_env(cmd, env)
    out: list[tuple[Word, tuple[str, ...]]] = []
    for word in cmd.args:
        if word.text == "-modcache":
            out.append((word, _module_caches(home, seen)))
        elif word.text == "-cache":
            out.append((word, (build_cache(home, seen),)))
        elif word.text in CLEAN_OPTIONS:
            out.append((word, ()))
    return tuple(out)


def _module_caches(home: str, seen: Mapping[str, str]) -> tuple[str, ...]:
    named = [seen[name] for name in ("GOMODCACHE", "GOPATH") if seen.get(name)]
    if not named:
        return tuple(m.target for m in cache_mounts(home, None))
    return tuple(v for v in named if "$" in v) or (module_cache(home, seen),)


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """What `go clean -modcache` / `-cache` empty (`cleaning_options`)."""
    places = (p for _, folders in cleaning_options(cmd, home, env) for p in folders)
    return tuple(dict.fromkeys(places))


def _changes_folder(cmd: Command) -> bool:
    """`go -C dir ...` (Go 1.20+, first flag only, `-C=dir` and `--C` too): the go command
    runs in dir, so the module it reads is there, not beside the RUN."""
    return any(
        w.text in ("-C", "--C") or w.text.startswith(("-C=", "--C=")) for w in cmd.option_words()
    )


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """`go mod download` reads go.mod, go.sum (when the context has it) and the go.mod of each
    directory a `replace` points to. None (no fix) with `-modfile` or `-C dir`, GOWORK or a
    go.work file in the project's folder or a parent (the graph then spans other modules), or
    a replacement outside the context."""
    if not is_dependency_install(cmd) or cmd.has_option("-modfile") or _changes_folder(cmd):
        return None
    prefix = f"{project_dir}/" if project_dir else ""
    if context is None:
        return DependencyInstall(
            (prefix + "go.mod", prefix + "go.sum"), (prefix + "go.mod",), False
        )
    # Go looks for go.work in the folder it runs in and every parent (Go Modules Reference,
    # "Workspaces"), unless GOWORK names one: the graph then spans other modules.
    if "GOWORK" in command_env(cmd, env) or any(
        context.exists(f"{up}go.work") for up in tc.folders_up(project_dir)
    ):
        return None
    text = context.read_text(prefix + "go.mod")
    replaced = replaced_dirs(text or "")
    if replaced is None:
        return None
    inputs = [prefix + "go.mod"]
    inputs += [prefix + "go.sum"] if context.exists(prefix + "go.sum") else []
    proven = text is not None
    for folder in replaced:
        inside = relative_inside(folder, project_dir)
        if inside is None:
            return None
        inputs.append(f"{inside}/go.mod")
        proven = proven and context.exists(f"{inside}/go.mod")
    return DependencyInstall(tuple(dict.fromkeys(inputs)), (prefix + "go.mod",), proven)


def replaced_dirs(gomod: str) -> tuple[str, ...] | None:
    """The directories the main module's `replace` directives point to (`=> ./lib`); None when
    one is an absolute path (outside anything a COPY brings)."""
    found: list[str] = []
    block = False
    for raw in gomod.splitlines():
        line = raw.split("//", 1)[0].strip()
        if line.startswith("replace") and line.rstrip().endswith("("):
            block = True
            continue
        if block and line == ")":
            block = False
            continue
        if not (block or line.startswith("replace")):
            continue
        match = _REPLACE.match(line)
        if match is None:
            continue
        target, version = match.group(1), match.group(2)
        if version:
            continue  # `=> example.com/fork v1.2.3`: a module from the proxy
        if target.startswith("/"):
            return None
        if target.startswith(("./", "../")) or target in (".", ".."):
            found.append(target.rstrip("/"))
    return tuple(found)


def assigned(cmd: Command, name: str) -> Word | None:
    """The `NAME=value` word set in front of the command (`CGO_ENABLED=0 go build`)."""
    for word in cmd.assignments:
        if word.text.partition("=")[0] == name:
            return word
    return None


def lockfile_of(cmd: Command) -> str | None:
    """None: Go checks go.sum rather than rewriting it: build commands run with `-mod=readonly` by
    default since Go 1.16."""
    return None


lockfile_form = no_lockfile_form


DEV_OUTPUTS: tuple[str, ...] = ()


# None: Go has no development dependencies: a module's test-only requirements never reach the
# binary. What a build leaves in the image is the toolchain (LW305).
dev_form = no_dev_form
needs_dev = never_needs_dev
project_env = no_project_env
# Not starting over: the next run reuses the module, package or build caches it finds.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
unproven = never_unproven


# The toolchain out of the final image (LW305). A binary built with CGO_ENABLED=0 needs no libc:
# distroless `static` (CA certificates, tzdata, no shell). Otherwise it links the image's glibc:
# distroless `base` of the same Debian release, known only when the tag names it.
TOOLCHAIN_IMAGE = "golang"
STATIC_RUNTIME = "gcr.io/distroless/static-debian12"
LAUNCHERS: frozenset[str] = frozenset()
COPY_FOLDER = False


def is_toolchain_image(image: str) -> bool:
    return image_tag(image, TOOLCHAIN_IMAGE) is not None


def build_outputs(cmd: Command, cwd: str, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`go build -o X`: X; `go install`: GOBIN, else the first GOPATH's `bin` (`~/go/bin`)."""
    word = verb_text(cmd)
    seen = command_env(cmd, env)
    if word == "build":
        out = cmd.option_value("-o")
        return (tc.resolve(out, cwd),) if out and "$" not in out else ()
    if word == "install" and not cmd.has_option("-o"):
        gopath = seen.get("GOPATH", "").split(":")[0] or tc.under_home(home, "go")
        gobin = tc.env_dir(seen, "GOBIN", f"{gopath.rstrip('/')}/bin")
        return (gobin,) if "$" not in gobin else ()
    return ()


def runtime_image(image: str, build: Command, env: Mapping[str, str]) -> str | None:
    tag = image_tag(image, TOOLCHAIN_IMAGE)
    if tag is None or "$" in tag:
        return None
    if command_env(build, env).get(CGO) == "0":
        return STATIC_RUNTIME
    release = tc.debian_release(tag)
    return f"gcr.io/distroless/base-debian{release}" if release else None


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: the install lands outside the project, or where settings decide."""
    return None
