"""The Dockerfile a pipeline's build uses, read with layerwise's model for the facts the ci rules
need: how many stages the target builds, its dependency stages, cache mounts, unpinned bases."""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass
from pathlib import Path

from layerwise.ci.model import Build
from layerwise.ecosystems import DEPENDENCY_FILES
from layerwise.ecosystems.base import CacheMount, parse_mount_options
from layerwise.errors import LayerwiseError
from layerwise.model import Model, Stage, Step, build_model
from layerwise.rules._support import copy_parts
from layerwise.syntax import parse_file


@dataclass(frozen=True, slots=True)
class DockerfileFacts:
    path: Path
    stages: int  # stages the target needs
    # Named stages the target needs (the target excluded) that hold no copy of the sources:
    # their layers change with the dependency files only, so a cache of them stays useful.
    dependency_stages: tuple[str, ...]
    has_cache_mounts: bool
    unpinned_bases: tuple[str, ...]  # images FROM names without a digest
    platforms: tuple[str, ...]  # constant FROM --platform values
    stage_names: tuple[str | None, ...]  # every stage's name, in order


def root_of(pipeline_path: Path) -> Path:
    """The directory a pipeline's relative paths start from: the repository root for a
    workflow (`.github/workflows/x.yml`), the file's own directory otherwise."""
    parent = pipeline_path.parent
    if parent.name == "workflows" and parent.parent.name == ".github":
        return parent.parent.parent
    return parent


BAKE = "docker buildx bake"  # the kind of a bake file's target (ci/bake.py)


def dockerfile_path(build: Build, root: Path) -> Path | None:
    """Where the build's Dockerfile is, when its name is written out (no variables)."""
    if build.dockerfile is not None:
        if not build.dockerfile.static or "$" in build.dockerfile.text:
            return None
        if build.kind == BAKE and build.context is not None:
            # bake takes `dockerfile` relative to the target's context
            if not build.context.static or "://" in build.context.text:
                return None
            return root / build.context.text / build.dockerfile.text
        return root / build.dockerfile.text
    context = build.context.text if build.context is not None else "."
    if "$" in context or "://" in context or context == "-":
        return None
    return root / context / "Dockerfile"


def facts_for(path: Path, target: str | None = None) -> DockerfileFacts | None:
    """The facts of the Dockerfile at `path`, None when it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        model = build_model(parse_file(path))
        needed = model.needed_stages(target) if model.stages else ()
    except LayerwiseError:
        return None
    return of_model(path, model, needed)


def of_model(path: Path, model: Model, needed: tuple[Stage, ...]) -> DockerfileFacts:
    names = {s.name for s in model.stages if s.name is not None}
    final = needed[-1].index if needed else -1
    sources = source_stages(model)
    mounts = any(
        CacheMount.from_flag(flag.value) is not None
        for stage in needed
        for step in stage.steps
        for flag in step.instruction.flags_named("mount")
        if flag.value is not None
    )
    bases = tuple(
        dict.fromkeys(
            s.base
            for s in needed
            if s.base_stage is None
            and not s.is_scratch
            and "@" not in s.base
            and s.base.lower() not in names
        )
    )
    platforms = tuple(
        dict.fromkeys(s.platform for s in model.stages if s.platform and "$" not in s.platform)
    )
    return DockerfileFacts(
        path=path,
        stages=len(needed),
        dependency_stages=tuple(
            s.name
            for s in needed
            if s.name is not None and s.index != final and s.index not in sources
        ),
        has_cache_mounts=mounts,
        unpinned_bases=bases,
        platforms=platforms,
        stage_names=tuple(s.name for s in model.stages),
    )


def source_stages(model: Model) -> frozenset[int]:
    """The stages holding a copy of the project's sources: one that copies or bind-mounts from
    the context anything beyond dependency files (`COPY . .`, `COPY src/ src/`), or builds on,
    copies from or mounts a stage that does. A source edit changes their layers."""
    holding: set[int] = set()
    changed = True
    while changed:  # a reference may name a later stage: repeat until nothing is added
        changed = False
        for stage in model.stages:
            if stage.index in holding:
                continue
            if any(d in holding for d in stage.depends_on) or any(map(_reads_sources, stage.steps)):
                holding.add(stage.index)
                changed = True
    return frozenset(holding)


def _reads_sources(step: Step) -> bool:
    parts = copy_parts(step.instruction)
    if parts is not None:
        return not all(_is_dependency_file(step.state.expand(s)) for s in parts[0])
    for flag in step.instruction.flags_named("mount"):
        options = parse_mount_options(flag.value or "")
        if options.get("type") == "bind" and "from" not in options:
            source = options.get("source") or options.get("src") or "."
            if not _is_dependency_file(step.state.expand(source)):
                return True
    return False


def _is_dependency_file(source: str) -> bool:
    """A context path naming a dependency file (`package*.json`, `src/App/App.csproj`); a
    remote ADD (`https://...`) is no copy of the sources either."""
    if "://" in source or source.startswith("git@"):
        return True
    name = posixpath.basename(source.rstrip("/"))
    return any(name == p or fnmatch.fnmatchcase(name, p) for p in DEPENDENCY_FILES)
