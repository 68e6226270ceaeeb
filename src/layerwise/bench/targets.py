"""Deciding, before the first build, which files the src and dep scenarios edit.

One choice serves every Dockerfile of a compare (the same edit, measured on each), so an
automatically picked file must reach the build of all of them. The chosen files are claimed
(checked clean and saved) here, before anything is built or touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from layerwise.bench.edits import Edit, append_marker, can_edit
from layerwise.bench.picking import copy_sources, is_copied, pick_manifest, pick_source_file
from layerwise.bench.plan import DEP, FRESH, SRC
from layerwise.bench.tree import TreeGuard
from layerwise.context import BuildContext
from layerwise.errors import LayerwiseError
from layerwise.model import build_model
from layerwise.syntax import parse_file

if TYPE_CHECKING:
    from layerwise.bench.runner import BenchSettings


@dataclass(frozen=True, slots=True)
class EditTargets:
    """The file each editing scenario touches (None: nothing to edit) and notices for the user."""

    src: str | None
    dep: str | None
    dep_command: str | None
    notes: tuple[str, ...] = ()
    descriptions: dict[str, Edit] = field(default_factory=dict)

    def edits_for_report(self) -> dict[str, Edit]:
        return dict(self.descriptions)


def _describe(rel: str, guard: TreeGuard) -> Edit:
    """What `append_marker` will do to `rel`, worded for the report."""
    _, edit = append_marker(rel, guard.read(rel), "0")
    return edit


def context_relative(path: str, context: Path) -> str:
    """A user-given path (relative to the working directory, or to the context) as context-rel."""
    candidate = Path(path)
    for base in (Path.cwd(), context) if not candidate.is_absolute() else (Path("/"),):
        full = (base / candidate).resolve()
        if full.exists():
            if not full.is_relative_to(context.resolve()):
                raise LayerwiseError("is outside the build context", path=path)
            return full.relative_to(context.resolve()).as_posix()
    raise LayerwiseError("file not found", path=path)


def _copy_sources(path: Path, target: str | None) -> list[str]:
    """What the Dockerfile's build of `target` copies; a LayerwiseError when BuildKit would
    refuse that build (no bench of a Dockerfile that cannot build)."""
    model = build_model(parse_file(path))
    refused = model.problems_for(target)
    if refused:
        raise refused[0]
    return copy_sources(model, target)


def check_cache_stages(settings: BenchSettings) -> None:
    """Every --cache-stage names a stage of every benched Dockerfile: BuildKit would refuse the
    `--target` of its export only after the measured build."""
    for path in settings.dockerfiles:
        names = [s.name for s in build_model(parse_file(path)).stages if s.name]
        known = {name.lower() for name in names}
        for stage in settings.pipeline.cache_stages:
            if stage.lower() not in known:
                raise LayerwiseError(
                    f"--cache-stage `{stage}` is not a stage of this Dockerfile",
                    path=str(path),
                    hint=f"its named stages: {', '.join(names)}" if names else "it names no stage",
                )


def choose_targets(settings: BenchSettings, guard: TreeGuard) -> EditTargets:
    """Pick (or check) the src and dep files, claim them, and say what will be edited."""
    # fresh makes the same source-only edit as src, on top of the build that exported the cache.
    source_scenarios = [name for name in (SRC, FRESH) if name in settings.scenarios]
    wants_src = bool(source_scenarios)
    wants_dep = DEP in settings.scenarios
    if not wants_src and not wants_dep:
        return EditTargets(None, None, None)
    contexts = [BuildContext.open(settings.context, path) for path in settings.dockerfiles]
    sources = [_copy_sources(path, settings.target) for path in settings.dockerfiles]

    def ignored(rel: str) -> bool:
        return any(ctx.is_ignored(rel) for ctx in contexts)

    def copied(rel: str) -> bool:
        return all(is_copied(rel, patterns) for patterns in sources)

    tracked = [rel for rel in guard.tracked_files() if copied(rel)]
    notes: list[str] = []
    descriptions: dict[str, Edit] = {}
    src: str | None = None
    if wants_src:
        if settings.src_file is not None:
            src = context_relative(settings.src_file, settings.context)
            if not can_edit(src):
                raise LayerwiseError(
                    "no harmless edit is known for this kind of file",
                    path=settings.src_file,
                    hint="name a source file with comment syntax (.ts, .py, .go, ...)",
                )
            if ignored(src) or not copied(src):
                notes.append(
                    f"{src} does not reach every build (not copied or .dockerignore'd): "
                    f"the {'/'.join(source_scenarios)} scenario will show no change there"
                )
        else:
            src = pick_source_file(tracked, [p for s in sources for p in s], ignored)
            if src is None:
                notes.append(
                    "no source file to edit was found: the "
                    f"{'/'.join(source_scenarios)} scenario edits nothing"
                )
        if src is not None:
            guard.claim(src)
            edit = _describe(src, guard)
            descriptions.update(dict.fromkeys(source_scenarios, edit))
    dep: str | None = None
    if wants_dep:
        if settings.dep_command is not None:
            guard.claim_context()
            descriptions[DEP] = Edit(".", f"ran `{settings.dep_command}` in the context")
            notes.append(
                "--dep-command runs on this machine; tracked files it changes are restored "
                "after each run, git-ignored ones (node_modules/, .venv/) are not"
            )
        else:
            dep = pick_manifest(tracked, [p for s in sources for p in s], ignored)
            if dep is None:
                notes.append(
                    "no copied dependency manifest was found: the dep scenario edits nothing "
                    "(give one with --dep-command)"
                )
            else:
                guard.claim(dep)
                edit = _describe(dep, guard)
                descriptions[DEP] = Edit(dep, f"{edit.how}: lockfile-neutral")
    return EditTargets(src, dep, settings.dep_command, tuple(notes), descriptions)
