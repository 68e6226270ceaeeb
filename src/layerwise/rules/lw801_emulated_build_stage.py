"""LW801 emulated-build-stage

## What it finds
In a multi-platform build, a build stage that runs on the target platform although its work
does not need to: it compiles Go (`go build`), or bundles JavaScript (`npm run build`, `tsc`,
webpack, vite...) into files that are the same for every platform. A build stage is one whose
results reach the image only through `COPY --from` (neither the target stage nor a stage it is
built FROM), built on an image without any `--platform`. Every command of the stage must be
one layerwise understands: Go, npm/yarn/pnpm, package installs of tools (apt, apk, dnf) and
file commands (`cd`, `mkdir`, `cp`, `git`...); a `make` or `./build.sh` may compile anything and
keeps the rule silent, and so does a Windows base image.

A build counts as multi-platform when `--platform` (or `platforms` in the configuration) names
two or more platforms, or when the Dockerfile shows the intent: a `FROM --platform`, or any
`TARGET*`/`BUILD*` platform ARG used or declared. Without that, a stage on the target platform
costs nothing and the rule stays silent.

Silent as well where the target platform is needed: a Go build with `CGO_ENABLED=1` (a cross
C toolchain would be needed), `go install` (a cross-compiled install lands in another
directory), `GOOS`/`GOARCH` already set to something else (`GOOS=linux` alone, as in
Docker's Go guide, is the target's own OS: the rule still reports it and adds
`GOARCH=$TARGETARCH`), and a JavaScript stage whose
`node_modules` (or a Next.js `standalone` output, which bundles it) is copied out: native
modules (node-gyp builds, packages with install scripts, prebuilt binaries such as esbuild or
sharp) are built for the platform `npm ci` runs on.

## Why it matters
buildkit-facts.md: a non-native platform on one machine runs under QEMU emulation, often many
times slower. `FROM --platform=$BUILDPLATFORM` runs the stage natively once per build
platform; Go then cross-compiles for each target with `GOOS`/`GOARCH` from
`ARG TARGETOS TARGETARCH`, and a JavaScript bundle is the same files for every platform. The
steps before the `ARG` (`go mod download`) become one step shared by every target platform.

## Example
    FROM golang:1.22 AS build
    COPY . .
    RUN CGO_ENABLED=0 go build -o /out/app .
    FROM debian:bookworm-slim
    COPY --from=build /out/app /usr/local/bin/app
After the fix:
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    COPY . .
    ARG TARGETOS TARGETARCH
    RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .

## Fix safety
Go: safe when cgo is off for certain in every `go build` (`CGO_ENABLED=0` in front of it or in
the stage's ENV) and every path copied out of the stage is a `go build -o` output (or its
directory) or platform-independent data (CA certificates, zoneinfo, passwd). Otherwise unsafe:
with cgo left to its default a cross-compile turns it off (the binary changes: pure-Go DNS and
user lookups, or a package that needs cgo fails), and another copied file may be a program
built for the build machine (a copied output directory counts as one when another command of
the stage writes into it: `cp /usr/bin/tini /out/`, a redirect, a download). The copies of
every stage count, not only those of the stages the target needs: another target of the file
gets the moved stage too. Unsafe as well when a stage built FROM the stage is used by no other
(`FROM build AS dev`, an image of its own for `--target dev`): it would move to the build
platform with it. No fix when the
stage, or the global scope, gives `TARGETOS`/`TARGETARCH` a default (`ARG TARGETARCH=amd64`):
the cross-compile would build for that value, where the emulated build compiles for the
platform it runs on; nor when they are declared before the first FROM at all (BuildKit 0.13
empties them there, later versions keep the automatic value). No fix either when a platform the
build targets is 32-bit ARM older than v7 (`linux/arm/v6`, `linux/arm/v5`, `armel`) and a
`go build` leaves `GOARM` unset: from Go 1.22 a cross-compiler defaults to `GOARM=7` (`go help
environment`; Go 1.19 was seen giving 5), so that image would get ARMv7 code its CPU cannot
run (the platforms are those of `--platform`; with none named, the fix takes none to be such).
JavaScript: unsafe, as the fix only moves the stage to `$BUILDPLATFORM` and layerwise cannot
see whether the copied output holds native code.

## Options
`--platform` / `platforms`: the platforms the build targets (see above).

## References
- Docker docs: Multi-platform builds (cross-compilation, `$BUILDPLATFORM`)
- Go: `go help environment` (GOOS, GOARCH, GOARM, CGO_ENABLED), cmd/cgo (off when cross-compiling)
- buildkit-facts.md: Multi-platform"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from layerwise.ecosystems import golang, npm, pnpm, yarn
from layerwise.ecosystems.base import is_under
from layerwise.errors import LayerwiseError
from layerwise.model import Stage, Step
from layerwise.model.platforms import parse_platform
from layerwise.rules import _support as s
from layerwise.rules._platforms import automatic_value, declare_before, multi_platform
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.texts import Phrase
from layerwise.shell import Command
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW801",
    name="emulated-build-stage",
    severity=Severity.WARNING,
    message="Stage `{stage}` runs `{command}` on the target platform: under QEMU emulation for "
    "each non-native platform, often many times slower",
    fix_title="{action}",
    summary="A build stage that compiles or bundles under emulation instead of on the build "
    "platform",
    message_ko="스테이지 `{stage}`는 `{command}`를 대상 플랫폼에서 실행합니다. 네이티브가 아닌 "
    "플랫폼마다 QEMU 에뮬레이션으로 실행되어 흔히 몇 배나 느립니다",
    fix_title_ko="{action}",
    summary_ko="빌드 플랫폼 대신 에뮬레이션으로 컴파일하거나 번들링하는 빌드 스테이지",
    phrases={
        "cross": Phrase(
            "Run stage `{root}` on `$BUILDPLATFORM` and cross-compile with `GOOS`/`GOARCH`",
            "스테이지 `{root}`를 `$BUILDPLATFORM`에서 실행하고 `GOOS`/`GOARCH`로 교차 컴파일",
        ),
        "move": Phrase(
            "Run stage `{root}` on `$BUILDPLATFORM`",
            "스테이지 `{root}`를 `$BUILDPLATFORM`에서 실행",
        ),
    },
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# Commands whose result does not depend on the platform they run on, or tools a build stage
# installs for its own use (their files are not what the stage is copied for).
_NEUTRAL = frozenset(
    {"cd", "mkdir", "cp", "mv", "rm", "ln", "echo", "printf", "true", "test", "[", "ls", "cat",
     "chmod", "chown", "touch", "export", "set", "sed", "find", "git", "tar", "unzip", "gzip",
     "wget", "curl", "apt-get", "apt", "apk", "dnf", "yum", "microdnf", "update-ca-certificates"}
)  # fmt: skip
_JS = npm.PROGRAMS | yarn.PROGRAMS | pnpm.PROGRAMS | {"npx", "node", "tsc"}
# Go subcommands that build nothing copied out, or only platform-independent files.
_GO_NEUTRAL = frozenset({"mod", "generate", "vet", "test", "version", "env", "list", "fmt"})
# Files every platform reads the same way, which images copy from a build stage.
_DATA = ("/etc/ssl/certs", "/usr/share/zoneinfo", "/etc/passwd", "/etc/group")
# Commands that put no program into the paths they name (a redirect is looked at apart).
_NO_PROGRAM = frozenset(
    {"cd", "mkdir", "chmod", "chown", "ls", "test", "[", "true", "echo", "printf", "cat", "touch"}
)
# Package managers: their words name packages, not paths; what they install for the stage's
# platform lands in the system's program folders.
_PACKAGE_MANAGERS = frozenset({"apt-get", "apt", "apk", "dnf", "yum", "microdnf"})
_PROGRAM_DIRS = ("/bin", "/sbin", "/lib", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/libexec")
# The file a shell redirect writes (`> /out/x`, `>> log`), quotes left out.
_REDIRECT = re.compile(r"[0-9]*>>?\|?\s*[\"']?([^\s;&|<>()\"'`]+)")


@dataclass
class _Group:
    """The stages of one FROM chain and what their RUNs do."""

    stages: list[Stage]
    go_builds: list[tuple[Step, Command]] = field(default_factory=list)
    js_builds: list[tuple[Step, Command]] = field(default_factory=list)
    installs: list[tuple[Step, Command]] = field(default_factory=list)
    others: list[tuple[Step, Command]] = field(default_factory=list)  # neither go nor JS
    understood: bool = True


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not multi_platform(ctx):
        return
    model = ctx.model
    try:
        needed = model.needed_stages(ctx.settings.target)
        target = model.target_stage(ctx.settings.target)
    except LayerwiseError:
        return
    image_chain = {st.index for st in s.stage_chain(target)}
    wanted = {st.index for st in needed}
    used = {index for st in model.stages for index in st.depends_on}
    # Every stage of a chain, needed by this target or not: the fix moves them all, and other
    # targets of the file (`--target dev`) build and copy from them too.
    chains: dict[int, list[Stage]] = {}
    for stage in model.stages:
        chains.setdefault(stage.root.index, []).append(stage)
    for members in chains.values():
        if not any(m.index in wanted for m in members):
            continue
        root = members[0].root
        if root.is_scratch or any(m.index in image_chain or m.platform for m in members):
            continue
        if s.is_windows_stage(root):
            continue  # Windows images are not emulated with QEMU; no claim to make
        group = _read(ctx, members)
        if not group.understood:
            continue
        copied = _copied(model.steps, {m.index for m in members}, model.stages)
        # A stage of the chain that no stage uses is an image of its own (`FROM build AS dev`,
        # built with `--target dev`): on `$BUILDPLATFORM` it would be the build machine's.
        image = any(m.index not in used for m in members)
        if group.go_builds:
            yield from _go(ctx, group, copied, other_image=image)
        elif group.js_builds and not _ships_node_modules(group, copied):
            fix = Fix(Safety.UNSAFE, [_on_build_platform(root)])
            yield _finding(ctx, root, group.js_builds[0], fix, "move")


def _read(ctx: RuleContext, members: list[Stage]) -> _Group:
    group = _Group(members)
    for step in (st for m in members for st in m.steps):
        if step.name != "RUN":
            continue
        cmds = s.commands(ctx, step.instruction)
        if not cmds:
            group.understood = False  # JSON form, or a script we cannot read
        for cmd in cmds:
            name = cmd.program_name
            if name == "go":
                verb = golang.verb_text(cmd)
                if verb == "build":
                    group.go_builds.append((step, cmd))
                elif verb not in _GO_NEUTRAL:
                    group.understood = False  # `go install`, `go run`: see the docs
            elif name in _JS:
                if s.is_build(cmd):
                    group.js_builds.append((step, cmd))
                elif s.is_dependency_install(cmd) or yarn.is_install(cmd) or pnpm.is_install(cmd):
                    group.installs.append((step, cmd))
            elif name not in _NEUTRAL:
                group.understood = False
            else:
                group.others.append((step, cmd))
    return group


def _copied(steps: tuple[Step, ...], group: set[int], stages: tuple[Stage, ...]) -> list[str]:
    """Absolute paths the other stages copy from the group ("*" for a mount or a glob)."""
    wanted = {st.index for st in stages} - group
    out: list[str] = []
    for step in steps:
        if step.stage not in wanted or not set(step.source_stages) & group:
            continue
        if step.name != "COPY" or step.instruction.heredocs:
            out.append("*")
            continue
        for source in step.expanded_value()[:-1]:
            # A path copied from a stage is relative to that stage's root, not its WORKDIR.
            path = posixpath.normpath(posixpath.join("/", source))
            out.append("*" if any(c in path for c in "*?[") else path)
    return out


def _go(
    ctx: RuleContext, group: _Group, copied: list[str], *, other_image: bool
) -> Iterator[Finding]:
    tree = ctx.tree
    outputs: list[str] = []
    certain = True
    edits = [_on_build_platform(group.stages[0].root)]
    declared: set[int] = set()  # stages given their ARG line
    # The platform ARGs the fixed build reads where it did not before (see below).
    relied: list[tuple[Step, str]] = []
    uses_goarm_default = False  # a `go build` with no GOARM of its own
    for step, cmd in group.go_builds:
        env = step.state.variables
        cgo = golang.assigned(cmd, golang.CGO)
        cgo_value = cgo.text.partition("=")[2] if cgo is not None else env.get(golang.CGO)
        if cgo_value == "1":
            return  # cgo on purpose: a cross C toolchain is needed
        certain = certain and cgo_value == "0"
        adding: list[str] = []
        for variable, arg in golang.TARGET_VARIABLES:
            word = golang.assigned(cmd, variable)
            value = word.text.partition("=")[2] if word is not None else env.get(variable)
            if value is None:
                adding.append(f"{variable}=${arg}")
                relied.append((step, arg))
            elif variable == "GOOS" and value == "linux" and _linux_targets(ctx):
                continue  # the target's own OS (Docker's Go guide): only GOARCH is missing
            elif f"${arg}" not in value and f"${{{arg}}}" not in value:
                return  # built for a platform chosen on purpose
        if golang.GOARM not in env and golang.assigned(cmd, golang.GOARM) is None:
            uses_goarm_default = True
        out = cmd.option_value("-o")
        outputs.append(s.resolve(out, s.cwd_of(step, cmd)) if out else "*")
        if adding:
            at = cmd.start if cmd.wrappers or cmd.program_word is None else cmd.program_word.start
            edits.append(Edit.insert(at, " ".join(adding) + " "))
        missing = [a for _, a in golang.TARGET_VARIABLES if a not in step.state.args]
        relied += [(step, a) for a in missing]
        if missing and step.stage not in declared:
            declared.add(step.stage)
            edits.append(declare_before(tree, step.instruction, missing))
    written = _written(group)
    safe = certain and not other_image
    safe = safe and all(_go_output(path, outputs, written) for path in copied)
    fix: Fix | None = Fix(Safety.SAFE if safe else Safety.UNSAFE, edits)
    if not all(automatic_value(ctx, step, arg) for step, arg in relied):
        # `ARG TARGETARCH=amd64` (or a global one): the cross-compile would build for that
        # value, where the emulated build compiled for the platform it ran on.
        fix = None
    if uses_goarm_default and _old_arm_targets(ctx):
        # Cross-compiled, GOARCH=arm defaults to GOARM=7 from Go 1.22 (5 before; the image's Go
        # is unknown here): an arm/v6 image would get ARMv7 code, which stops with an illegal
        # instruction on an ARMv6 CPU (a Raspberry Pi Zero).
        # `GOARM=${TARGETVARIANT#v}` is no way out: Go rejects any GOARM but 5, 6, 7 whatever
        # GOARCH is (checked at start-up), and TARGETVARIANT is `v2` for linux/amd64/v2.
        fix = None
    yield _finding(ctx, group.stages[0].root, group.go_builds[0], fix, "cross")


def _linux_targets(ctx: RuleContext) -> bool:
    """Every platform the build targets runs Linux (none named: Linux, BuildKit's default).
    Read as containerd reads them: a lone architecture (`--platform arm64`) is of the builder's
    OS, Linux."""
    parsed = (parse_platform(p) for p in ctx.settings.platforms)
    return all(p is not None and p.os == "linux" for p in parsed)


def _old_arm_targets(ctx: RuleContext) -> bool:
    """A platform the build targets is 32-bit ARM older than v7 (`linux/arm/v6`, `armel`)."""
    parsed = (parse_platform(p) for p in ctx.settings.platforms)
    return any(p is not None and p.arch == "arm" and p.variant in ("v5", "v6") for p in parsed)


def _go_output(path: str, outputs: list[str], written: list[str]) -> bool:
    """A copied path holds only `go build` outputs or platform-independent data."""
    if any(is_under(path, data) for data in _DATA):
        return True
    if any(is_under(other, path) for other in written):
        # `cp /usr/bin/tini /out/` beside `go build -o /out/app`: copying `/out` takes a
        # program of the build machine once the stage runs on `$BUILDPLATFORM`.
        return False
    return path != "/" and any(
        out != "*" and (path == out or path == posixpath.dirname(out)) for out in outputs
    )


def _written(group: _Group) -> list[str]:
    """Paths the group's other commands may write (the words they name, where they run, what
    they redirect to), made absolute: a `go build` output directory that holds one of them
    holds more than the output."""
    paths: list[str] = []
    for step, cmd in group.others:
        if cmd.program_name in _NO_PROGRAM:
            continue
        if cmd.program_name in _PACKAGE_MANAGERS:
            paths.extend(_PROGRAM_DIRS)
            continue
        cwd = s.cwd_of(step, cmd)
        paths.append(cwd)
        for word in cmd.args:
            value = word.text.partition("=")[2] if word.text.startswith("-") else word.text
            if value:
                paths.append(s.resolve(value, cwd))
    for step in {id(step): step for step, _ in group.others}.values():
        for target in _REDIRECT.findall(step.instruction.text):
            paths.append(s.resolve(target, step.state.workdir))
    return paths


def _ships_node_modules(group: _Group, copied: list[str]) -> bool:
    """A copied path may hold installed packages (native modules for the stage's platform)."""
    homes = [s.cwd_of(step, cmd) for step, cmd in group.installs]
    for path in copied:
        parts = path.split("/")
        if path == "*" or "node_modules" in parts or "standalone" in parts:
            return True
        if any(is_under(home, path) for home in homes):
            return True  # the install's directory itself, or one above it
    return False


def _on_build_platform(root: Stage) -> Edit:
    instruction = root.from_instruction
    at = instruction.flags[0].start if instruction.flags else instruction.args_span.start
    return Edit.insert(at, "--platform=$BUILDPLATFORM ")


def _finding(
    ctx: RuleContext, root: Stage, found: tuple[Step, Command], fix: Fix | None, how: str
) -> Finding:
    step, cmd = found
    words = []
    for word in cmd.words[cmd.program_index or 0 :][:3]:
        if word.is_option:
            break
        words.append(word.text)
    return RULE.finding(
        root.from_instruction.span,
        fix=fix,
        stage=ctx.model.stages[step.stage].ref,
        command=" ".join(words),
        action=RULE.text(how, root=root.ref),
    )
