"""What a pipeline file says about its image builds, whatever the CI system.

Every reader (Jenkinsfile, GitHub Actions, GitLab CI, Bitbucket, CodeBuild) turns a file into a
`Pipeline`: its build invocations (`docker build`, `docker buildx build`, the inputs of
docker/build-push-action, `docker buildx bake`), the other builder commands that matter to the
cache (prunes), the places that turn BuildKit off, and what kind of agent runs it. Every value
keeps the span of its text in the pipeline file, so findings point at it and fixes edit it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from layerwise.syntax.span import Span


class Agent(StrEnum):
    """Whether the machine that builds keeps its builder between runs."""

    # Hosted runners, container/Kubernetes agents, docker:dind services: an empty builder.
    EPHEMERAL = "ephemeral"
    # A node the file pins by a name that means one machine (Jenkins `built-in`).
    PERSISTENT = "persistent"
    UNKNOWN = "unknown"  # `agent any`, a label, a self-hosted runner


@dataclass(frozen=True, slots=True)
class Value:
    """A piece of text from the pipeline file: `text` after quote removal, `span` where it is
    written. `static` is False when the value holds a variable the file does not resolve;
    `editable` is False when it came through a variable (`$CACHE_FLAGS`): the span is the
    variable's, so no fix may edit it."""

    text: str
    span: Span
    static: bool = True
    editable: bool = True


@dataclass(frozen=True, slots=True)
class Build:
    """One image build: a shell command or a build action's inputs, read into buildx terms.

    `kind`: "docker build", "docker buildx build", "build-push-action" or "bake".
    `insert_at`: where a new flag can be inserted (after the last word of a shell command);
    None for action inputs. `legacy`: `docker build` run without BuildKit by the file.
    """

    kind: str
    span: Span
    text: str
    cache_from: tuple[Value, ...] = ()
    cache_to: tuple[Value, ...] = ()
    platforms: tuple[Value, ...] = ()
    push: Value | None = None
    dockerfile: Value | None = None
    context: Value | None = None
    target: Value | None = None
    no_cache: Value | None = None
    pull: Value | None = None
    build_args: tuple[Value, ...] = ()
    insert_at: int | None = None
    job: str = ""

    @property
    def platform_list(self) -> tuple[str, ...]:
        return tuple(
            p.strip() for v in self.platforms for p in v.text.replace("\n", ",").split(",") if p
        )


@dataclass(frozen=True, slots=True)
class ShellCommand:
    """A command from a shell line that is not a build but matters to the cache (a prune)."""

    words: tuple[str, ...]
    span: Span
    text: str
    job: str = ""


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A pipeline file as the ci rules see it."""

    path: str
    text: str
    provider: str  # "jenkins", "github", "gitlab", "bitbucket", "codebuild"
    agent: Agent
    builds: tuple[Build, ...] = ()
    commands: tuple[ShellCommand, ...] = ()
    # Assignments of DOCKER_BUILDKIT (environment blocks, `export`, a command prefix).
    buildkit_settings: tuple[Value, ...] = ()
    # A builder kept between runs (a buildx builder with a fixed name on a persistent node).
    persistent_builder: bool = False
    # Lines the reader could not read as a build but that build images (bake): notes, not
    # findings.
    notes: tuple[tuple[Span, str], ...] = field(default=())
