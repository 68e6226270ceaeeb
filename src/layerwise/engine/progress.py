"""BuildKit's plain progress output (`--progress=plain`) read back into build steps.

Both printers are covered: BuildKit 0.8 (Docker 20.10's built-in client, which also prints a
`#N sha256:...` line under each header) and newer buildx (no digest lines, `#N ...` when it
switches away from an unfinished vertex, `#N WARN:` lines, a `#0 building with ...` preamble).
Every line of a vertex starts with `#N `; the first such line names the vertex, later ones are
statuses, log lines (`#N 0.596 output`, always with a timestamp) or one completion line:
`#N DONE 1.7s` (newer printers may omit the seconds), `#N CACHED`, `#N ERROR: msg`,
`#N CANCELED`. Parallel stages interleave, and a vertex can be printed again under a repeated
header, so state is kept per vertex number rather than per block. A vertex answered from an
imported remote cache prints `CACHED`, and may print `DONE` later when its layers are pulled:
it stays cached; sometimes the printer shows only that pull and `DONE`, which is read as
cached too (a step that runs never pulls its own layers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["running", "done", "cached", "error", "canceled"]

_LINE = re.compile(r"^#(\d+) (.*)$")
_DONE = re.compile(r"^DONE(?: (\d+(?:\.\d+)?)s)?$")
# Output lines carry the seconds since the step started: BuildKit 0.8 prints `%#.4g` cut to 5
# characters ("0.596", "10.91", "1000."), newer printers 3, 2 or 1 decimals ("123.4").
_LOG = re.compile(r"^(\d+\.\d*) ")
# "[base 2/4] RUN x", "[2/2] RUN x", "[linux/arm64 build 3/6] RUN x", "[stage-2 4/4] COPY ...",
# "[linux/amd64->arm64 build 2/5] RUN x"
_STEP_NAME = re.compile(
    r"^\[(?:(?P<prefix>[^\]]*?) )?(?P<index>\d+)/(?P<total>\d+)\] (?P<instr>.*)$", re.S
)

# Operating systems as platforms name them (Go's GOOS values), to tell `->windows/amd64` (a
# whole platform) from `->arm/v7` (an architecture and variant) after the arrow.
_GOOS = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux",
        "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows",
    }
)  # fmt: skip


@dataclass(slots=True)
class Vertex:
    """One vertex of the build graph as the progress printer showed it."""

    number: int
    name: str
    status: Status = "running"
    seconds: float = 0.0
    error: str | None = None
    last_log_time: float = 0.0
    logs: list[str] = field(default_factory=list)
    # BuildKit pulled this vertex's own layers (`extracting sha256:...`): a result from the
    # cache (an imported one is pulled lazily, when a later step needs it), or a base image.
    pulled: bool = False


@dataclass(frozen=True, slots=True)
class BuildStep:
    """A Dockerfile instruction's step: `[stage i/n] INSTRUCTION` in the progress output.

    `stage` is the stage name BuildKit prints (`base`, `stage-2`), None for a one-stage build
    that prints `[2/2]`; `platform` is the target platform when BuildKit prefixes one
    (multi-platform builds), also for a stage that runs on the build platform
    (`[linux/amd64->arm64 build 2/4]` is linux/arm64's).
    `seconds` is the DONE time (0 for cached steps; for failed or cancelled ones, the time of
    the last output line).
    """

    vertex: int
    name: str
    stage: str | None
    instruction: str
    index: int
    total: int
    cached: bool
    seconds: float
    error: str | None
    status: Status
    platform: str | None = None
    output: tuple[str, ...] = ()

    @property
    def keyword(self) -> str:
        """The instruction's keyword in upper case: "RUN", "COPY", "FROM"."""
        return self.instruction.split(" ", 1)[0].upper()


class ProgressParser:
    """Incremental parser: feed lines as the build prints them, read the steps at any time."""

    def __init__(self) -> None:
        self._vertices: dict[int, Vertex] = {}
        self._order: list[int] = []

    def feed(self, line: str) -> None:
        """Take one output line (with or without its newline)."""
        m = _LINE.match(line.rstrip("\r\n"))
        if m is None:
            return
        number, rest = int(m.group(1)), m.group(2)
        vertex = self._vertices.get(number)
        if vertex is None:
            self._vertices[number] = Vertex(number, rest)
            self._order.append(number)
            return
        if rest == vertex.name or rest == "...":  # a repeated header
            return
        if done := _DONE.match(rest):
            if vertex.status == "cached":
                # A step answered from an imported cache is printed again when a later step
                # needs its layers and they are pulled (`extracting ...`, `DONE 0.2s`): it
                # still did not run.
                return
            vertex.status = "done"
            vertex.seconds = float(done.group(1)) if done.group(1) else vertex.last_log_time
        elif rest == "CACHED":
            vertex.status = "cached"
            vertex.seconds = 0.0
        elif rest == "CANCELED":
            vertex.status = "canceled"
            vertex.seconds = vertex.last_log_time
        elif rest.startswith("ERROR:"):
            vertex.status = "error"
            vertex.error = rest[len("ERROR:") :].strip()
            vertex.seconds = vertex.last_log_time
        elif log := _LOG.match(rest):
            vertex.last_log_time = float(log.group(1))
            vertex.logs.append(rest[log.end() :])
        elif rest.startswith("extracting sha256:"):
            vertex.pulled = True

    def feed_all(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.feed(line)

    @property
    def vertices(self) -> list[Vertex]:
        """Every vertex (internal ones too: context transfer, export), in order of appearance."""
        return [self._vertices[n] for n in self._order]

    @property
    def steps(self) -> list[BuildStep]:
        """The Dockerfile instruction steps, in order of appearance."""
        return [step for v in self.vertices if (step := _as_step(v)) is not None]


def _as_step(vertex: Vertex) -> BuildStep | None:
    m = _STEP_NAME.match(vertex.name)
    if m is None:
        return None
    prefix = m.group("prefix")
    stage: str | None = prefix
    platform: str | None = None
    if prefix and "/" in prefix.split(" ", 1)[0]:  # "linux/arm64 build" or "linux/arm64"
        shown, _, rest = prefix.partition(" ")
        platform = target_platform(shown)
        stage = rest or None
    instruction = m.group("instr")
    status = vertex.status
    if status == "done" and vertex.pulled and not vertex.logs and not _is_from(instruction):
        # The printer can lose the cached flag of a step answered from an imported cache and
        # print only the pull of its layers and DONE; a step that runs never pulls its own
        # result (tests/engine/data/buildx013-import-lazy.log).
        status = "cached"
    return BuildStep(
        vertex=vertex.number,
        name=vertex.name,
        stage=stage,
        instruction=instruction,
        index=int(m.group("index")),
        total=int(m.group("total")),
        cached=status == "cached",
        seconds=0.0 if status == "cached" else vertex.seconds,
        error=vertex.error,
        status=status,
        platform=platform,
        output=tuple(vertex.logs),
    )


def _is_from(instruction: str) -> bool:
    return instruction.split(" ", 1)[0].upper() == "FROM"


def target_platform(shown: str) -> str:
    """The platform a step builds for, from the prefix BuildKit prints.

    A stage that runs on another platform than the target (`FROM --platform=$BUILDPLATFORM`)
    is printed as `linux/amd64->arm64` (build platform, then the target's architecture, or the
    whole target when the OS differs); the step belongs to the target's image.
    """
    build, arrow, target = shown.partition("->")
    if not arrow:
        return shown
    if target.split("/", 1)[0] in _GOOS:  # another OS: the whole platform is printed
        return target
    return f"{build.split('/', 1)[0]}/{target}"  # architecture[/variant] on the same OS


def parse_step_name(name: str) -> BuildStep | None:
    """A step's name as BuildKit prints it (`[linux/arm64 build 3/6] COPY . .`, also the
    description of its record in the build cache) read into a step; None for other names."""
    return _as_step(Vertex(0, name, status="done"))


def parse_progress(text: str) -> list[BuildStep]:
    """The Dockerfile steps of a finished (or interrupted) build's plain progress output."""
    parser = ProgressParser()
    parser.feed_all(text.splitlines())
    return parser.steps
