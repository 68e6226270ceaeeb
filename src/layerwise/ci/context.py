"""What a pipeline rule sees: the pipeline, the Dockerfiles its builds use, the run's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from layerwise.ci.dockerfiles import DockerfileFacts, dockerfile_path, facts_for
from layerwise.ci.model import Build, Pipeline
from layerwise.rules.base import Settings


@dataclass(slots=True)
class PipelineContext:
    pipeline: Pipeline
    root: Path  # where the pipeline's relative paths start
    settings: Settings = field(default_factory=Settings)
    _facts: dict[int, DockerfileFacts | None] = field(default_factory=dict)

    def facts(self, build: Build) -> DockerfileFacts | None:
        """The Dockerfile `build` uses, when it can be found (None: unknown, rules stay quiet
        about what only the Dockerfile could tell)."""
        key = id(build)
        if key not in self._facts:
            path = dockerfile_path(build, self.root)
            target = build.target.text if build.target is not None and build.target.static else None
            self._facts[key] = None if path is None else facts_for(path, target)
        return self._facts[key]

    @property
    def image_builds(self) -> tuple[Build, ...]:
        """The builds whose flags were read (bake files are only noted)."""
        return tuple(b for b in self.pipeline.builds if b.kind != "bake")
