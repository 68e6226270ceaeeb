"""The cache key of every step of one build, as BuildKit computes it (moby/buildkit).

What makes a step (dockerfile2llb/convert.go): RUN, COPY and ADD, and WORKDIR when the directory
is not `/` (a Mkdir FileOp). ENV, ARG, USER, LABEL, SHELL, CMD... change the image config or the
state later steps run with, and make no step of their own. The FROM line's image is the root.

What a key holds:
- every step: its parent's key (the step before it in the stage, the base stage's last step, or
  the base image's manifest digest and platform, not its name: source/containerimage/pull.go
  mainManifestKey; `FROM debian:bookworm` after `FROM debian:bookworm-slim` hits when both tags
  name one digest, seen on BuildKit 0.13). A `COPY --link` copies onto scratch and merges the
  result onto the parent (dispatchCopy, llb.Merge): the copy keeps its key when the parent
  changes, the merge does not, and the progress output shows both as one step, cached only when
  both are (util/progress/progressui display.go, vertexGroup.refresh). So as printed, and for
  the steps after it, a `--link` copy hits exactly when a plain COPY would; `reused` says the
  copy itself is not redone;
- RUN: the argv (SHELL + the command as written: RUN is never expanded), the environment
  (ENV and every ARG declared with a value in the stage or its base stages, used or not: both
  are `AddEnv` on the state, dispatchEnv/dispatchArg), WORKDIR, USER, --network, --security and
  each mount's options; a bind mount adds the content of what it selects, a cache mount only
  its options (ops/exec.go CacheMap). Proxy build args (HTTP_PROXY...) are cleared from the key;
  an undeclared build arg is not in the environment at all;
- COPY/ADD: the sources and destination after expansion and WORKDIR, --chown, --chmod, --link,
  --exclude, --parents, ADD's --checksum/--keep-git-dir/--unpack, and the content hash (content,
  mode, size, link target; not mtime) of the selected files, the source's mode even under
  --chmod (moby/buildkit#3821, open); for `--from` a stage, the content
  of what it selects there (contenthash on the source input: a rebuilt stage that gives the same
  bytes still hits, buildkit-facts.md);
- WORKDIR: the directory and USER (llb.Mkdir WithUser).
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from layerwise.cache.change import FileChange, FileState
from layerwise.cache.selection import (
    Selection,
    copy_destination,
    copy_selections,
    image_path,
    overlaps,
    run_mounts,
)
from layerwise.model.nodes import Model, Stage, Step
from layerwise.model.state import resolve_workdir

# Flags that go into a COPY/ADD FileOp as written (after expansion where BuildKit expands).
_COPY_FLAGS = ("chown", "chmod", "link", "exclude", "parents", "checksum", "keep-git-dir", "unpack")
_RUN_FLAGS = ("network", "security")


def image_identity(name: str, token: str) -> object:
    """An image as BuildKit keys it: by manifest digest, so two names of one digest are one
    image. A token that is a digest (`sha256:...`) says which; any other token (`""` unknown,
    `"new"` moved) only tells the same name's two sides apart."""
    return token if token.startswith("sha256:") else (name, token)


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Source:
    """One content input of a step: files of the context, a stage's output, or an image.

    `token` is equal on both sides exactly when BuildKit's content hash is; for a stage it lists
    what made the selected paths (`lines` says where each entry comes from).
    """

    kind: str  # "context", "stage", "image"
    how: str  # "copied" or "bind-mounted"
    name: str  # the stage's reference or the image; "" for the context
    selected: tuple[str, ...]  # the selected paths as written
    token: tuple[object, ...]
    lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class KeyedStep:
    """A step with its cache key. `parts` is its own definition (named, for explaining a
    difference), `chain` the key the next step sees as its parent."""

    step: Step
    stage: Stage
    position: int  # index among the stage's keyed steps
    parent: str
    parts: tuple[tuple[str, object], ...]
    sources: tuple[Source, ...]
    key: str
    chain: str
    own: str  # the definition and content alone, without the parent
    writes: tuple[str, ...]  # image paths it may write ("/" for RUN: anywhere)

    @property
    def line(self) -> int:
        return self.step.instruction.start_line


def is_step(step: Step) -> bool:
    """Whether BuildKit makes a vertex of this instruction."""
    name = step.name
    if name in ("RUN", "COPY", "ADD"):
        return True
    if name == "WORKDIR" and step.instruction.value:
        return _workdir_after(step) != "/"
    return False


def _workdir_after(step: Step) -> str:
    return resolve_workdir(step.state.workdir, step.state.expand(step.instruction.value[0]))


class BuildKeys:
    """Every step's key for one side of a change, for the stages a target needs."""

    def __init__(
        self,
        model: Model,
        stages: tuple[Stage, ...],
        files: Mapping[str, FileChange],
        side: str,
        bases: Callable[[str], str],
        is_dir: Callable[[str], bool] | None = None,
        same: Mapping[str, FileState] | None = None,
    ) -> None:
        self.model = model
        self.side = side
        self.bases = bases
        self.is_dir = is_dir
        self.states: dict[str, FileState] = dict(same or {})
        for path, change in files.items():
            state = change.old if side == "old" else change.new
            if state is not None:
                self.states[path] = state
        # The paths keys hash: the changed ones, and any unchanged ones a caller wants covered.
        self.changed = tuple(sorted(files.keys() | (same or {}).keys()))
        self.by_stage: dict[int, list[KeyedStep]] = {}
        self.start: dict[int, str] = {}
        self.end: dict[int, str] = {}
        self.steps: list[KeyedStep] = []
        for stage in stages:
            self._stage(stage)

    # -- stages --------------------------------------------------------------------------------

    def _stage(self, stage: Stage) -> None:
        if stage.base_stage is not None:
            if stage.base_stage.index not in self.end:
                self._stage(stage.base_stage)
            parent = self.end[stage.base_stage.index]
        else:
            parent = digest(("FROM", self.image(stage.root), stage.platform))
        self.start[stage.index] = parent
        keyed: list[KeyedStep] = []
        for step in stage.steps:
            if not is_step(step):
                continue
            ks = self._step(step, stage, len(keyed), parent)
            keyed.append(ks)
            self.steps.append(ks)
            parent = ks.chain
        self.by_stage[stage.index] = keyed
        self.end[stage.index] = parent

    def image(self, root: Stage) -> object:
        """What identifies a root stage's base image in a key: its digest when the token is
        one, else its name and token."""
        return image_identity(root.base, "" if root.is_scratch else self.bases(root.base))

    # -- steps ---------------------------------------------------------------------------------

    def _step(self, step: Step, stage: Stage, position: int, parent: str) -> KeyedStep:
        name = step.name
        sources: tuple[Source, ...] = ()
        writes: tuple[str, ...]
        if name == "RUN":
            parts, sources = self._run(step)
            writes = ("/",)
        elif name == "WORKDIR":
            parts = (("workdir", _workdir_after(step)), ("user", step.state.user))
            writes = (_workdir_after(step),)
        else:
            parts, sources, writes = self._copy(step)
        own = digest((name, parts, tuple(s.token for s in sources)))
        key = digest((parent, own))
        return KeyedStep(step, stage, position, parent, parts, sources, key, key, own, writes)

    def _run(self, step: Step) -> tuple[tuple[tuple[str, object], ...], tuple[Source, ...]]:
        instruction = step.instruction
        state = step.state
        if instruction.is_json:
            argv: tuple[str, ...] = instruction.value
        else:
            argv = (*state.shell, instruction.args)
        heredocs = tuple((h.name, h.content, h.chomp) for h in instruction.heredocs)
        parts: list[tuple[str, object]] = [("command", (argv, heredocs))]
        parts += [(f"env:{k}", v) for k, v in sorted(state.variables.items())]
        parts += [("workdir", state.workdir), ("user", state.user)]
        for flag in _RUN_FLAGS:
            found = instruction.flag(flag)
            if found is not None:
                parts.append((f"flag:{flag}", found.value))
        sources: list[Source] = []
        for index, mount in enumerate(run_mounts(step)):
            parts.append((f"mount:{index}", mount.options))
            if mount.kind == "bind":
                selection = Selection(mount.source)
                sources.append(self._source(step, mount.from_ref, (selection,), "bind-mounted"))
        return tuple(parts), tuple(sources)

    def _copy(
        self, step: Step
    ) -> tuple[tuple[tuple[str, object], ...], tuple[Source, ...], tuple[str, ...]]:
        instruction = step.instruction
        state = step.state
        words = step.expanded_value()
        dest = copy_destination(step) if words else ""
        parts: list[tuple[str, object]] = [("instruction", (words[:-1], dest))]
        for flag in _COPY_FLAGS:
            for found in instruction.flags_named(flag):
                value = None if found.value is None else state.expand(found.value)
                parts.append((f"flag:{flag}", value))
        if instruction.heredocs:
            parts.append(("heredocs", tuple((h.name, h.content) for h in instruction.heredocs)))
        selections = copy_selections(step)
        from_flag = instruction.flag("from")
        from_ref = from_flag.value if from_flag is not None else None
        sources: tuple[Source, ...] = ()
        if selections:
            sources = (self._source(step, from_ref, selections, "copied"),)
        return tuple(parts), sources, self._writes(dest, selections, from_ref is None)

    def _writes(
        self, dest: str, selections: tuple[Selection, ...], from_context: bool
    ) -> tuple[str, ...]:
        """Where a copy lands: `dest/<name>` for a file source into a directory, `dest` for one
        file, and `dest` with everything below it otherwise."""
        if not dest:
            return ("/",)
        if not dest.endswith("/") and len(selections) == 1:
            return (dest,)
        out = []
        for selection in selections:
            plain = selection.prefix == selection.source and selection.source
            known_file = (
                from_context and plain and self.is_dir is not None
                and not self.is_dir(selection.source)
            )  # fmt: skip
            if known_file:
                out.append(posixpath.join(dest, posixpath.basename(selection.source)))
            else:
                return (dest,)
        return tuple(out)

    # -- content -------------------------------------------------------------------------------

    def _source(
        self, step: Step, from_ref: str | None, selections: tuple[Selection, ...], how: str
    ) -> Source:
        written = tuple(s.source if from_ref is None else "/" + s.source for s in selections)
        if from_ref is None:
            follows = how == "copied"
            token = tuple(
                (path, self.states[path].as_copied(follows and any(s.names(path) for s in chosen)))
                for path in self.changed
                if path in self.states and (chosen := [s for s in selections if s.selects(path)])
            )
            return Source("context", how, "", written, token)
        stage = self._source_stage(from_ref, how == "copied")
        if stage is None:
            image = image_identity(from_ref, self.bases(from_ref))
            return Source("image", how, from_ref, written, (image,))
        entries: list[object] = []
        lines: list[int] = []
        for selection in selections:
            for entry, line in self.stage_output(stage, image_path(selection.prefix)):
                entries.append(entry)
                lines.append(line)
        return Source("stage", how, stage.ref, written, tuple(entries), tuple(lines))

    def _source_stage(self, ref: str, by_index: bool) -> Stage | None:
        """The stage `--from` names (COPY also takes an index), None for an image."""
        if by_index and ref.isdigit():
            return self.model.stage(int(ref))
        return self.model.stage(ref)

    def stage_output(self, stage: Stage, selected: str) -> list[tuple[object, int]]:
        """What decides the bytes under `selected` at the end of `stage`: its base image, every
        RUN (a RUN that ran again may write anything), and the COPY/ADD/WORKDIR steps that
        write there (their own definition and the content that lands there: a copy that only
        ran again because an earlier step did writes the same bytes)."""
        chain: list[Stage] = []
        current: Stage | None = stage
        while current is not None:
            chain.insert(0, current)
            current = current.base_stage
        if chain[0].index not in self.end:
            self._stage(chain[0])
        root = chain[0]
        out: list[tuple[object, int]] = [
            (("base", self.image(root)), root.from_instruction.start_line)
        ]
        for each in chain:
            if each.index not in self.by_stage:
                self._stage(each)
            for ks in self.by_stage[each.index]:
                if ks.step.name == "RUN":
                    out.append((("run", ks.key), ks.line))
                elif any(overlaps(region, selected) for region in ks.writes):
                    landed = self._landed_under(ks, selected)
                    own = ks.own if landed is None else digest((ks.step.name, ks.parts, landed))
                    out.append((("write", own), ks.line))
        return out

    def _landed_under(self, ks: KeyedStep, selected: str) -> tuple[object, ...] | None:
        """The changed context files a COPY puts at or under `selected`, when `selected` lies
        inside its destination folder: a folder source's files land at the same relative
        path there, so an edit elsewhere in the folder leaves the selected bytes alone
        (BuildKit hashes only what `COPY --from` selects). None when it cannot tell."""
        step = ks.step
        if step.name != "COPY" or not ks.sources or ks.sources[0].kind != "context":
            return None
        if step.instruction.flag("parents") is not None:
            return None
        folder = copy_destination(step).rstrip("/") or "/"
        if not selected.startswith(folder.rstrip("/") + "/"):
            return None  # the copy writes `selected` itself or above it: all of it counts
        selections = copy_selections(step)
        if any(s.prefix != s.source for s in selections):
            return None  # a wildcard: where a match lands depends on what matched
        landed: list[object] = []
        for entry in ks.sources[0].token:
            path = str(entry[0]) if isinstance(entry, tuple) else ""
            for selection in selections:
                if not selection.selects(path):
                    continue
                source = selection.source
                if source and not path.startswith(source + "/"):
                    where = folder  # the named file or folder itself: somewhere in the folder
                else:
                    where = posixpath.join(folder, path[len(source) + 1 :] if source else path)
                if overlaps(where, selected):
                    landed.append(entry)
                break
        return tuple(landed)
