"""LW305 toolchain-in-final-image

## What it finds
A final stage that compiles and runs on the compiler's own image: `FROM golang` with `go build
-o ...` (or `go install`), `FROM rust` with `cargo build` / `cargo install`, `FROM maven` or
`FROM gradle` (or an `eclipse-temurin` JDK) packaging a jar, `FROM
mcr.microsoft.com/dotnet/sdk` with `dotnet publish`. Silent when the final stage is built FROM
another stage, or runs no build that writes an artifact (`go run`, `go test`). Silent too when
the image needs its toolchain: it starts no program of its own (no CMD or ENTRYPOINT: the base's
shell, an image to build or test in, such as a CI or dev-container image), or its CMD or
ENTRYPOINT starts the toolchain itself (`CMD ["cargo", "test"]`, `mvn spring-boot:run`).
## Why it matters
The toolchain is most of such an image: hundreds of megabytes of compiler, SDK, module and
package caches and sources that the program never uses. Every push uploads them, every node
pulls them, and their frequent updates change the image's base layers. A build stage that
compiles and a runtime stage that receives only the artifact keeps all of it out, and a source
change rebuilds only the build stage and the small copy.
## Example
    FROM golang:1.22-bookworm
    WORKDIR /src
    COPY go.mod go.sum ./
    RUN go mod download
    COPY . .
    RUN CGO_ENABLED=0 go build -o /bin/app ./cmd/app
    CMD ["/bin/app"]
After the fix the first line reads `FROM golang:1.22-bookworm AS build`, and after the build
come `FROM gcr.io/distroless/static-debian12`, `WORKDIR /src` and
`COPY --from=build /bin/app /bin/app`; the CMD stays where it is.
## Fix safety
Unsafe: the runtime stage gets only the artifact the CMD or ENTRYPOINT (exec form) starts,
found under what the build writes (`go build -o`, cargo's target folder or `<root>/bin`,
Maven's `target/`, Gradle's `build/`; for .NET the whole folder of the published `.dll`,
which needs its neighbours), plus the ENV, LABEL and EXPOSE lines above the build and its
WORKDIR. Files the program reads at run time from its sources (templates, static assets,
configuration), and tools it calls (a shell: the distroless images have none), are not
copied. The runtime image follows the toolchain's: Go with CGO_ENABLED=0 on distroless
`static`, else distroless `base` of the Debian release the tag names (same glibc); Rust on
distroless `cc` of that release (`static` for the musl-built alpine images); Java on the
Eclipse Temurin JRE of the same version; .NET on `mcr.microsoft.com/dotnet/aspnet` of the
same tag. No fix when that image is unknown (a tag without a Debian release for cgo or Rust,
another JDK vendor), when the CMD or ENTRYPOINT is in shell form or starts a program from PATH,
when a RUN, USER, HEALTHCHECK or other instruction the runtime stage could not take follows
the build, when an ENV or LABEL carried from above the build or an instruction after it that
BuildKit expands (`ENV APP_VERSION=$VERSION`) uses an ARG declared above the build (the runtime
stage does not declare it: the value would be empty), or when the final FROM has flags.
## References
- Docker docs: Multi-stage builds; Go, Rust, Java and .NET language guides
- GoogleContainerTools/distroless: `static`, `base` and `cc` images
- Microsoft docs: .NET container images (sdk, aspnet)"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from layerwise.ecosystems import COMPILERS, Compiler
from layerwise.ecosystems.base import is_under
from layerwise.model import EXPANDED_INSTRUCTIONS, Stage, Step
from layerwise.rules import _support as s
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import short
from layerwise.shell import Command
from layerwise.syntax import Instruction
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW305",
    name="toolchain-in-final-image",
    severity=Severity.WARNING,
    message="The final image runs on `{image}`: the toolchain of `{build}` at line {line} "
    "ships with it",
    fix_title="Build in stage `{stage}` and copy `{artifact}` into a `{runtime}` stage",
    message_ko="최종 이미지가 `{image}` 위에서 실행됩니다: {line}번 줄 `{build}`의 툴체인이 "
    "함께 배포됩니다",
    fix_title_ko="`{stage}` 스테이지에서 빌드하고 `{artifact}`를 `{runtime}` 스테이지로 복사",
    fix_safety=(Safety.UNSAFE,),
)
# Instructions the runtime stage takes as they are after the build (a COPY from the context or
# another stage lands there too); anything else after it keeps the fix away.
_AFTER = frozenset({"COPY", "ADD", "WORKDIR", "ENV", "LABEL", "EXPOSE", "CMD", "ENTRYPOINT",
                    "STOPSIGNAL"})  # fmt: skip
# Instructions above the build that the runtime stage needs again (they set the image config).
_CARRIED = frozenset({"ENV", "LABEL", "EXPOSE"})
# Instructions above the build that change no image config the runtime stage needs.
_BUILD_ONLY = frozenset({"COPY", "ADD", "RUN", "WORKDIR", "ARG"})


_BY_PROGRAM: dict[str, tuple[Compiler, ...]] = {}
for _eco in COMPILERS:
    for _program in _eco.PROGRAMS:
        _BY_PROGRAM[_program] = (*_BY_PROGRAM.get(_program, ()), _eco)


@dataclass(frozen=True, slots=True)
class _Build:
    eco: Compiler
    step: Step
    cmd: Command
    outputs: tuple[str, ...]


def check(ctx: RuleContext) -> Iterator[Finding]:
    final = ctx.model.final_stage
    if final.base_stage is not None:
        return
    build = _last_build(ctx, final)
    if build is None:
        return
    # Such an image is a place to build or test in (a CI or dev-container image, a test run):
    # it needs the toolchain that the rule would take out.
    start = _started_program(final)
    if start is None or (start in build.eco.PROGRAMS and start not in build.eco.LAUNCHERS):
        return
    stage = final.name or s.free_stage_name("build", ctx.model.stages)
    runtime = build.eco.runtime_image(final.base, build.cmd, build.step.state.variables)
    copies = _copies(final, build) if runtime is not None else None
    fix = _fix(ctx, final, build, runtime, copies, stage) if runtime and copies else None
    head = final.from_instruction
    yield RULE.finding(
        ctx.tree.span(head.args_span.start, head.args_span.end),
        fix=fix,
        image=final.base,
        build=short(build.cmd, build.eco.verb(build.cmd)),
        line=build.step.instruction.start_line,
        stage=stage,
        artifact="`, `".join(copies or ()),
        runtime=runtime or "",
    )


def _last_build(ctx: RuleContext, final: Stage) -> _Build | None:
    """The final stage's last command that writes an artifact with the toolchain of its base."""
    found = None
    for step in final.steps:
        for cmd in s.commands(ctx, step.instruction):
            # Most final stages run no compiler: the image is looked at only for one that does.
            for eco in _BY_PROGRAM.get(cmd.program_name or "", ()):
                if not eco.is_toolchain_image(final.base):
                    continue
                state = step.state
                outputs = eco.build_outputs(cmd, s.cwd_of(step, cmd), state.home, state.variables)
                if outputs:
                    found = _Build(eco, step, cmd, outputs)
    return found


def _started_program(final: Stage) -> str | None:
    """The name of the program the final stage's own ENTRYPOINT (else CMD) starts; None when it
    sets neither (the image keeps its base's, a toolchain image's shell)."""
    for name in ("ENTRYPOINT", "CMD"):
        last = next((st for st in reversed(final.steps) if st.instruction.name == name), None)
        if last is None:
            continue
        value = last.instruction.value
        words = value if last.instruction.is_json else (value[0].split() if value else [])
        return posixpath.basename(words[0]) if words else None
    return None


def _copies(final: Stage, build: _Build) -> tuple[str, ...] | None:
    """What the runtime stage copies from the build: each path the exec-form ENTRYPOINT and
    CMD name under a build output (its folder, for .NET); None when they are in shell form,
    name none, or start a program that is neither the artifact nor the runtime's launcher."""
    words: list[str] = []
    for name in ("ENTRYPOINT", "CMD"):
        last = next((st for st in reversed(final.steps) if st.instruction.name == name), None)
        if last is None:
            continue
        if not last.instruction.is_json:
            return None
        words.extend(last.instruction.value)
    workdir = final.end_state.workdir
    # A program named without a `/` is looked up on PATH, an argument is a path from WORKDIR.
    named = [(i, s.resolve(w, workdir)) for i, w in enumerate(words) if "$" not in w]
    artifacts = [
        path
        for i, path in named
        if (i > 0 or "/" in words[0]) and any(is_under(path, out) for out in build.outputs)
    ]
    if not words or not artifacts:
        return None
    program = words[0]
    if program not in build.eco.LAUNCHERS and s.resolve(program, workdir) not in artifacts:
        return None
    if build.eco.COPY_FOLDER:
        artifacts = [path.rsplit("/", 1)[0] or "/" for path in artifacts]
    return tuple(dict.fromkeys(artifacts))


def _expands(instruction: Instruction, name: str) -> bool:
    """The instruction's text has `$NAME` or `${NAME...}`."""
    return re.search(rf"\$\{{?{re.escape(name)}(?![A-Za-z0-9_])", instruction.text) is not None


def _fix(
    ctx: RuleContext,
    final: Stage,
    build: _Build,
    runtime: str,
    copies: tuple[str, ...],
    stage: str,
) -> Fix | None:
    """Name the stage, and open the runtime stage right after the build RUN: FROM the runtime,
    the build's WORKDIR, the ENV/LABEL/EXPOSE lines above the build, the artifacts copied."""
    head = final.from_instruction
    at = final.steps.index(build.step)
    before, after = final.steps[:at], final.steps[at + 1 :]
    if head.flags or any(st.instruction.name not in _AFTER for st in after):
        return None
    if any(st.instruction.name not in _CARRIED | _BUILD_ONLY for st in before):
        return None
    carried = [st.instruction for st in before if st.instruction.name in _CARRIED]
    args = [
        word.split("=", 1)[0]
        for st in before
        if st.instruction.name == "ARG"
        for word in st.instruction.value
    ]
    if any(s.mentions(ins, a) for ins in carried for a in args if a):
        return None  # the ARG is not declared in the runtime stage
    # The instructions after the build move to the runtime stage as they are: one that expands
    # an ARG declared above the build (`ENV APP_VERSION=$VERSION`) would get an empty value.
    expanded = [st.instruction for st in after if st.instruction.name in EXPANDED_INSTRUCTIONS]
    if any(_expands(ins, a) for ins in expanded for a in args if a):
        return None
    tree, nl = ctx.tree, ctx.tree.newline
    upper = head.keyword.isupper()
    kw = {k: k if upper else k.lower() for k in ("FROM", "AS", "WORKDIR", "COPY")}
    edits = []
    if final.name is None:
        edits.append(Edit.insert(head.args_span.end, f" {kw['AS']} {stage}"))
    workdir = build.step.state.workdir
    lines = [f"{nl}{kw['FROM']} {runtime}{nl}"]
    if workdir != "/":
        lines.append(f"{kw['WORKDIR']} {workdir}{nl}")
    lines += [s.block_text(tree, ins) for ins in carried]
    lines += [f"{kw['COPY']} --from={stage} {path} {path}{nl}" for path in copies]
    end = s.block_end(tree, build.step.instruction)
    lead = "" if tree.text[:end].endswith("\n") else nl
    edits.append(Edit.insert(end, lead + "".join(lines)))
    return Fix(Safety.UNSAFE, edits)
