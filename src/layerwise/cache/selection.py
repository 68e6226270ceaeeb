"""Which paths a COPY, ADD or bind mount selects, and where a step writes in the image.

Facts (moby/buildkit): dockerfile2llb builds a COPY from the context as a FileOp whose source
input is content-hashed over the selected paths (solver/llbsolver/ops/file.go, cache/contenthash);
sources with `*`, `?` or `[` are globbed one path component at a time like Go's filepath.Match
(fsutil copy, `AllowWildcard`), and a directory, matched or named, is copied with everything
below it. `--exclude` patterns use the .dockerignore matcher, relative to the copied source.
`COPY --from` sources are paths from the source stage's root, whatever its WORKDIR; the
destination is resolved against the step's WORKDIR (dockerfile2llb pathRelativeToWorkingDir).
A bind mount's `source` (default: the root) selects the same way, without wildcards.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from layerwise.context.dockerignore import IgnoreMatcher, Pattern, clean
from layerwise.model.arguments import expand_flag
from layerwise.model.graph import mount_options
from layerwise.model.nodes import Step

_WILDCARD = re.compile(r"[*?\[]")


def context_path(source: str) -> str:
    """A source as a context-relative path: `./src/` -> `src`, `/` and `.` -> ``."""
    path = clean(source.replace("\\", "/")).lstrip("/")
    return "" if path == "." else path


def image_path(path: str) -> str:
    """An absolute, cleaned path inside an image."""
    return clean("/" + path)


@dataclass(frozen=True, slots=True)
class Selection:
    """The paths one source (of a COPY, ADD or bind mount) takes, relative to its root."""

    source: str  # context- or stage-relative, cleaned; "" for the whole root
    excludes: IgnoreMatcher | None = None

    def selects(self, path: str) -> bool:
        """Whether `path` (relative, slash-separated) is the source or below it."""
        source = self.source
        if source == "":
            inside = path
        elif _WILDCARD.search(source):
            rest = _glob_rest(source, path)
            if rest is None:
                return False
            inside = rest
        elif path == source:
            inside = posixpath.basename(path)
        elif path.startswith(source + "/"):
            inside = path[len(source) + 1 :]
        else:
            return False
        return self.excludes is None or not self.excludes.is_ignored(inside)

    def names(self, path: str) -> bool:
        """Whether `path` is the source itself or one of its wildcard's matches (not a path
        below one): BuildKit follows such a path when it is a symlink."""
        source = self.source
        if not source:
            return False
        if _WILDCARD.search(source):
            return path.count("/") == source.count("/") and self.selects(path)
        return path == source

    @property
    def prefix(self) -> str:
        """The part before the first wildcard component: every selected path lies below it."""
        parts: list[str] = []
        for part in self.source.split("/") if self.source else []:
            if _WILDCARD.search(part):
                break
            parts.append(part)
        return "/".join(parts)


def _glob_rest(pattern: str, path: str) -> str | None:
    """The part of `path` below the prefix matching `pattern` component by component, or None."""
    wanted = pattern.split("/")
    parts = path.split("/")
    if len(parts) < len(wanted):
        return None
    for want, part in zip(wanted, parts, strict=False):
        if not _match_component(want, part):
            return None
    rest = parts[len(wanted) :]
    return "/".join(rest) if rest else parts[-1]


@lru_cache(maxsize=256)
def _component(pattern: str) -> Pattern:
    return Pattern.parse(pattern)


def _match_component(pattern: str, name: str) -> bool:
    """Go's filepath.Match for one path component."""
    return _component(pattern).match(name)


def copy_selections(step: Step) -> tuple[Selection, ...]:
    """The sources of a COPY/ADD (local files; URLs and heredocs select nothing)."""
    instruction = step.instruction
    words = step.expanded_value()
    if len(words) < 2 or instruction.heredocs:
        return ()
    excludes = _excludes(step)
    from_stage = instruction.flag("from") is not None
    out = []
    for source in words[:-1]:
        if "://" in source or source.startswith("git@"):
            continue
        path = image_path(source).lstrip("/") if from_stage else context_path(source)
        out.append(Selection(path, excludes))
    return tuple(out)


def _excludes(step: Step) -> IgnoreMatcher | None:
    patterns = [f.value for f in step.instruction.flags_named("exclude") if f.value]
    if not patterns:
        return None
    return IgnoreMatcher([step.state.expand(p) for p in patterns])


def copy_destination(step: Step) -> str:
    """The destination of a COPY/ADD, made absolute against WORKDIR (a trailing `/` kept)."""
    dest = step.expanded_value()[-1]
    trailing = dest.endswith("/") or dest in (".", "")
    absolute = dest if dest.startswith("/") else posixpath.join(step.state.workdir, dest)
    path = image_path(absolute)
    return path.rstrip("/") + "/" if trailing else path


@dataclass(frozen=True, slots=True)
class Mount:
    """A RUN --mount, its options expanded: what BuildKit's ExecOp keeps in the key."""

    kind: str  # bind, cache, tmpfs, secret, ssh
    options: tuple[tuple[str, str], ...]  # what goes into the cache key, sorted
    target: str
    source: str  # for bind (and cache seeds): relative to the root of `from`
    from_ref: str | None  # a stage or image name; None for the build context
    readonly: bool


_TARGET = ("target", "dst", "destination")
_SOURCE = ("source", "src")


def run_mounts(step: Step) -> tuple[Mount, ...]:
    """The `--mount` flags of a RUN as its cache key sees them.

    A cache mount's id and sharing count only when they are the defaults (id = target,
    sharing=shared); any other id or sharing is cleared before hashing, so changing them does
    not bust the step (BuildKit 0.13+: moby/buildkit#4585, ops/exec.go checkShouldClearCacheOpts;
    buildkit-facts.md, "Cache keys"). Its contents never count.
    """
    mounts = []
    state = step.state
    for flag in step.instruction.flags_named("mount"):
        text = expand_flag("RUN", "mount", flag.value or "", state.variables, state.escape) or ""
        options = mount_options(text)
        kind = options.pop("type", "bind") or "bind"
        target = next((options.pop(k) for k in _TARGET if k in options), "")
        target = image_path(posixpath.join(state.workdir, target)) if target else ""
        source = next((options.pop(k) for k in _SOURCE if k in options), "")
        from_ref = options.pop("from", None) or None
        writable = any(options.pop(k, None) is not None for k in ("rw", "readwrite"))
        readonly = kind == "bind" and not writable
        for key in ("ro", "readonly"):
            if options.pop(key, None) is not None:
                readonly = True
        if kind == "cache":
            sharing = options.pop("sharing", "shared") or "shared"
            cache_id = options.pop("id", "") or target
            if cache_id != target or sharing != "shared":
                cache_id, sharing = "", ""
            options["id"], options["sharing"] = cache_id, sharing
        options["target"] = target
        options["source"] = source
        options["readonly"] = str(readonly)
        if from_ref is not None:
            options["from"] = from_ref
        mounts.append(
            Mount(
                kind=kind,
                options=(("type", kind), *sorted(options.items())),
                target=target,
                source=context_path(source) if from_ref is None else image_path(source)[1:],
                from_ref=from_ref,
                readonly=readonly,
            )
        )
    return tuple(mounts)


def overlaps(region: str, selected: str) -> bool:
    """Whether image paths `region` (written) and `selected` (read) share anything: one is the
    other or lies below it."""
    a = region.rstrip("/") or "/"
    b = selected.rstrip("/") or "/"
    return a == b or a == "/" or b == "/" or b.startswith(a + "/") or a.startswith(b + "/")
