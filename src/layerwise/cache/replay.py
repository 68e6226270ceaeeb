"""Replay a repository's history: for each of the last N first-parent commits, which steps
would rebuild against the build of its parent (and, when the cache keeps them, of every
earlier replayed commit), and what that would cost.

Each commit is compared with its parent as BuildKit compares two builds: the parent's build
cache is keyed by the parent's Dockerfile and .dockerignore, the commit's steps by its own, and
the context files are the committed ones (untracked and git-ignored files are in no commit, so
they count as unchanged). The files that differ come from git's raw diff of the two trees, which
carries both blob ids and modes: no blob is read, and the tree is listed only when the
.dockerignore changed (to find the files it now lets in or keeps out). Base images and build
args are taken as the same for every commit.

A variant is another Dockerfile replayed over the same commits: `--compare` (a file, as of each
commit when it is tracked, else as on disk) or `--fixed` (what `check --fix` makes of each
commit's Dockerfile).
"""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layerwise.cache.change import Build, Change, FileState
from layerwise.cache.git import Repository
from layerwise.cache.predict import Earlier, Prediction, Verdict, predict
from layerwise.context.dockerignore import IgnoreMatcher
from layerwise.errors import LayerwiseError

# (commit, the replayed Dockerfile's text in that commit) -> the variant's Dockerfile text.
TextOf = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Variant:
    """A Dockerfile replayed over the commits; `text_of` None for the replayed one itself."""

    label: str
    text_of: TextOf | None = None


@dataclass(frozen=True, slots=True)
class CommitReplay:
    """One commit against its parent: a prediction per variant, in the variants' order."""

    commit: str
    subject: str
    predictions: tuple[Prediction, ...]
    texts: tuple[str, ...]  # each variant's Dockerfile in this commit


class History:
    """A Dockerfile, its context and .dockerignore as of any commit of a repository."""

    def __init__(self, dockerfile: Path, context: Path) -> None:
        self.repo = Repository(context, "`replay` walks its commits")
        self.dockerfile = self._rel(dockerfile, "the Dockerfile")
        under = self._rel(context, "the build context")
        self.under = "" if under == "." else under
        self._texts: dict[tuple[str, str], str | None] = {}

    def _rel(self, path: Path, what: str) -> str:
        try:
            return self.repo.rel(path)
        except ValueError:
            raise LayerwiseError(
                f"{what} is outside the git repository at {self.repo.root}", path=str(path)
            ) from None

    def text(self, commit: str, path: str) -> str | None:
        key = (commit, path)
        if key not in self._texts:
            self._read(commit, [path])
        return self._texts[key]

    def _read(self, commit: str, paths: list[str]) -> None:
        for path, text in self.repo.texts(commit, paths).items():
            self._texts[(commit, path)] = text

    def prefetch(self, commit: str, *others: str) -> None:
        """Read the Dockerfile and both ignore files of `commit` (and `others`) at once."""
        wanted = [
            self.dockerfile,
            f"{self.dockerfile}.dockerignore",
            posixpath.join(self.under, ".dockerignore"),
            *others,
        ]
        missing = [path for path in wanted if (commit, path) not in self._texts]
        if missing:
            self._read(commit, missing)

    def dockerfile_text(self, commit: str, subject: str) -> str:
        text = self.text(commit, self.dockerfile)
        if text is None:
            raise LayerwiseError(
                f"`{self.dockerfile}` is not in commit {commit[:12]} ({subject}): "
                "replay fewer commits (--commits)"
            )
        return text

    def ignore_text(self, commit: str) -> str:
        """BuildKit's choice: `<Dockerfile>.dockerignore` when the commit has it, else the
        context's .dockerignore."""
        specific = self.text(commit, f"{self.dockerfile}.dockerignore")
        if specific is not None:
            return specific
        return self.text(commit, posixpath.join(self.under, ".dockerignore")) or ""

    def context_rel(self, path: str) -> str:
        return path[len(self.under) + 1 :] if self.under else path

    def states(
        self, old: str, new: str, old_ignore: IgnoreMatcher, new_ignore: IgnoreMatcher
    ) -> dict[str, tuple[FileState | None, FileState | None]]:
        """Context-relative paths whose state differs, plus, when the .dockerignore changed,
        the files it now lets in or keeps out."""
        states = {
            self.context_rel(path): pair
            for path, pair in self.repo.diff(old, new, self.under).items()
        }
        if old_ignore.patterns != new_ignore.patterns:
            before = self.repo.tree(old, self.under)
            after = self.repo.tree(new, self.under)
            for path in before.keys() | after.keys():
                rel = self.context_rel(path)
                if rel not in states and old_ignore.is_ignored(rel) != new_ignore.is_ignored(rel):
                    states[rel] = (before.get(path), after.get(path))
        return states

    def is_dir(self, commit: str) -> Callable[[str], bool]:
        """Whether a context path is a folder in `commit` (the tree is listed on first use)."""
        folders: set[str] | None = None

        def check(rel: str) -> bool:
            nonlocal folders
            if folders is None:
                folders = {self.context_rel(path) for path in self.repo.folders(commit, self.under)}
            return rel.strip("/") in folders or rel.strip("/") in ("", ".")

        return check


# What the builder's cache holds when a commit is built (`replay(cache_holds=...)`).
CACHE_HOLDS = ("all", "parent")


def replay(
    history: History,
    count: int,
    *,
    target: str | None = None,
    variants: tuple[Variant, ...] = (Variant("Dockerfile"),),
    build_args: Mapping[str, str] | None = None,
    cache_holds: str = "all",
) -> list[CommitReplay]:
    """The last `count` commits, oldest first, each predicted against its parent.

    `cache_holds` says which earlier builds the cache has when a commit is built: "parent",
    only its parent's (an ephemeral CI agent importing the previous build's cache), or "all",
    every earlier replayed build, the oldest parent's included (a builder that keeps its
    cache). Under "all" a step the parent's build misses still hits when an earlier build had
    its key (a revert, a .dockerignore edit that brings a selection back), and a miss is
    explained against the build that had its parent step, the parent's when it did.
    """
    if cache_holds not in CACHE_HOLDS:
        raise ValueError(f"cache_holds is one of {CACHE_HOLDS}, not {cache_holds!r}")
    commits = history.repo.first_parent(count)
    args = dict(build_args or {})
    ignores: list[IgnoreMatcher] = []
    for commit, _ in commits:
        history.prefetch(commit)
        ignores.append(IgnoreMatcher.from_text(history.ignore_text(commit)))
    pairs = list(itertools.pairwise(range(len(commits))))
    diffs = [history.states(commits[i][0], commits[j][0], ignores[i], ignores[j]) for i, j in pairs]
    if cache_holds == "all":
        diffs = _covering(diffs)
    held = [Earlier() if cache_holds == "all" else None for _ in variants]
    out: list[CommitReplay] = []
    for (i, j), states in zip(pairs, diffs, strict=True):
        (old, old_subject), (new, subject) = commits[i], commits[j]
        old_text = history.dockerfile_text(old, old_subject)
        new_text = history.dockerfile_text(new, subject)
        is_dir = history.is_dir(new)
        predictions, texts = [], []
        for n, variant in enumerate(variants):
            before = old_text if variant.text_of is None else variant.text_of(old, old_text)
            after = new_text if variant.text_of is None else variant.text_of(new, new_text)
            change = Change.between(
                Build(before, args, ignores[i]),
                Build(after, args, ignores[j]),
                states,
                keep_same=cache_holds == "all",
            )
            where = f"{history.dockerfile}@{new[:12]}"
            predictions.append(predict(change, target, path=where, is_dir=is_dir, earlier=held[n]))
            texts.append(after)
        out.append(CommitReplay(new, subject, tuple(predictions), tuple(texts)))
    return out


def _covering(
    diffs: list[dict[str, tuple[FileState | None, FileState | None]]],
) -> list[dict[str, tuple[FileState | None, FileState | None]]]:
    """Each pair's states over every path that differs anywhere in the history, so that every
    build's keys cover the same paths and compare across commits (a path outside them is in
    one state in every commit). A path's state before its first change is its old state
    there, and it keeps each new state until its next change."""
    current: dict[str, FileState | None] = {}
    for states in diffs:
        for path, (before, _) in states.items():
            current.setdefault(path, before)
    out = []
    for states in diffs:
        after = dict(current)
        after.update({path: pair[1] for path, pair in states.items()})
        out.append({path: (current[path], after[path]) for path in current})
        current = after
    return out


def tracked_or_disk(history: History, path: Path) -> TextOf:
    """A `--compare` file as of each commit when the repository tracks it there, else the
    file on disk (the same text for every commit)."""
    try:
        rel: str | None = history.repo.rel(path)
    except ValueError:
        rel = None
    on_disk = path.read_text(encoding="utf-8")

    def text_of(commit: str, _: str) -> str:
        committed = history.text(commit, rel) if rel is not None else None
        return on_disk if committed is None else committed

    return text_of


def step_key(verdict: Verdict) -> tuple[str, str]:
    """A step across commits and variants: its stage and its instruction, whitespace folded."""
    return verdict.stage.ref, " ".join(verdict.instruction.split())


@dataclass(frozen=True, slots=True)
class StepCost:
    """What running a step once costs: seconds, and the bytes of the layer it writes (None
    when not measured)."""

    seconds: float
    bytes: int | None = None


@dataclass(frozen=True, slots=True)
class Costs:
    """Step costs keyed by `step_key`; `loose` keys drop `--flags`, so a step a fix only
    decorated (`RUN --mount=type=cache,... npm ci`) takes the measured `RUN npm ci`."""

    exact: Mapping[tuple[str, str], StepCost]
    loose: Mapping[tuple[str, str], StepCost]
    has_bytes: bool
    source: str

    def of(self, verdict: Verdict) -> StepCost | None:
        key = step_key(verdict)
        return self.exact.get(key) or self.loose.get(_loosen(key))

    @classmethod
    def of_steps(cls, pairs: list[tuple[Verdict, StepCost]], source: str, has_bytes: bool) -> Costs:
        exact = {step_key(v): cost for v, cost in pairs}
        loose = {_loosen(key): cost for key, cost in exact.items()}
        return cls(exact, loose, has_bytes, source)


def _loosen(key: tuple[str, str]) -> tuple[str, str]:
    return key[0], " ".join(word for word in key[1].split() if not word.startswith("--"))


@dataclass(frozen=True, slots=True)
class CommitCost:
    """A commit's rebuild under one variant: steps missed, and what they cost."""

    missed: int
    total: int
    seconds: float | None  # None without costs
    bytes: int | None  # None without per-step bytes
    unknown: int  # missed steps without a measured cost


def commit_cost(prediction: Prediction, costs: Costs | None) -> CommitCost:
    missed = [v for v in prediction.verdicts if not v.cached]
    if costs is None:
        return CommitCost(len(missed), len(prediction.verdicts), None, None, 0)
    found = [costs.of(v) for v in missed]
    known = [cost for cost in found if cost is not None]
    sizes = [cost.bytes for cost in known if cost.bytes is not None]
    return CommitCost(
        len(missed),
        len(prediction.verdicts),
        sum(cost.seconds for cost in known),
        sum(sizes) if costs.has_bytes else None,
        len(found) - len(known),
    )


@dataclass(frozen=True, slots=True)
class StepFrequency:
    """How often a step rebuilt over the replayed commits it was part of."""

    stage: str | int
    instruction: str  # as written
    line: int  # in the newest commit that has it
    rebuilt: int
    commits: int
    seconds: float | None  # its measured cost, once


def frequencies(
    replays: list[CommitReplay], index: int, costs: Costs | None
) -> list[StepFrequency]:
    """Per step of variant `index`, how many commits rebuilt it, in the newest build order."""
    seen: dict[tuple[str, str], list[Any]] = {}
    for replayed in replays:
        for verdict in replayed.predictions[index].verdicts:
            entry = seen.setdefault(step_key(verdict), [verdict, 0, 0])
            entry[0] = verdict
            entry[1] += not verdict.cached
            entry[2] += 1
    newest = {step_key(v): n for n, v in enumerate(replays[-1].predictions[index].verdicts)}
    ordered = sorted(seen.items(), key=lambda item: (item[0] not in newest, newest.get(item[0], 0)))
    out = []
    for _, (verdict, rebuilt, total) in ordered:
        cost = costs.of(verdict) if costs is not None else None
        out.append(
            StepFrequency(
                verdict.stage_label,
                verdict.instruction,
                verdict.line,
                rebuilt,
                total,
                None if cost is None else cost.seconds,
            )
        )
    return out


def bench_costs(
    data: Any,
    dockerfile_text: str,
    *,
    name: str,
    target: str | None,
    source: str,
    only_named: bool = False,
) -> Costs | None:
    """Step costs from `layerwise bench --json` output: the cold build of the Dockerfile named
    `name` (or, unless `only_named`, of the only one benched), each step's median seconds over
    the runs, matched to the steps of `dockerfile_text` in build order. None when the bench
    has no such Dockerfile.

    Steps are matched by their place in the stage (`[stage i/n]`), so a partial list works: a
    bench JSON from before per-step times lists only each run's slowest steps, and the others
    then have no cost. Per-step layer bytes are read when a step has `bytes`.
    """
    from layerwise.bench.results import median
    from layerwise.engine.progress import parse_step_name

    try:
        entries = list(data["dockerfiles"])
        chosen = [e for e in entries if Path(str(e["dockerfile"])).name == name]
        if not chosen and len(entries) == 1 and not only_named:
            chosen = entries
        if not chosen:
            return None
        scenarios = chosen[0]["scenarios"]
        if "cold" not in scenarios:
            raise LayerwiseError(
                f"{source} has no cold build of {name} (bench with --scenarios cold)"
            )
        times: dict[str, list[float]] = {}
        sizes: dict[str, int] = {}
        for run in scenarios["cold"]["runs"]:
            for step in run.get("steps") or run["slowest"]:
                if step.get("cached"):
                    continue
                times.setdefault(str(step["step"]), []).append(float(step["seconds"]))
                if step.get("bytes") is not None:
                    sizes[str(step["step"])] = int(step["bytes"])
    except (KeyError, TypeError, ValueError):
        raise LayerwiseError(f"{source} is not a `layerwise bench --json` report") from None
    steps = [s for s in (parse_step_name(n) for n in times) if s is not None]
    cold = predict(Change(Build("", {}), Build(dockerfile_text, {})), target, path=name)
    single = all(step.stage is None for step in steps)
    platforms = sorted({s.platform for s in steps if s.platform is not None})
    stages: dict[str | None, list[Verdict]] = {}
    for verdict in cold.verdicts:
        stages.setdefault(None if single else verdict.stage.ref, []).append(verdict)
    pairs = []
    for step in steps:
        shown = stages.get(step.stage, [])
        if step.keyword in ("FROM", "LINK") or (platforms and step.platform != platforms[0]):
            continue
        # `i/n` counts the stage's FROM when it is an image: the step's place among the
        # model's steps of the stage is i less what BuildKit counts beyond them.
        place = step.index - (step.total - len(shown)) - 1
        if 0 <= place < len(shown):
            pairs.append((shown[place], StepCost(median(times[step.name]), sizes.get(step.name))))
    return Costs.of_steps(pairs, source, has_bytes=bool(sizes))
