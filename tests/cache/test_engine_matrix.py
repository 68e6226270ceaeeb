"""The cache model against the real BuildKit: build, change, rebuild, and compare every step.

Each case builds a small context, applies one change (files, build args, the Dockerfile or its
.dockerignore), builds again and asserts that the model's HIT/MISS for every step equals what
BuildKit's plain progress says (CACHED or executed). Every stage starts with `COPY token /token`,
a file unique to the run, so no earlier run's cache can answer a step; edited contents carry the
token too (a `COPY --link` or a content-keyed `COPY --from` does not see its parent).

The generated matrix (matrix_gen.py: shapes crossed with changes, hundreds of cases) runs in
batches, many cases to a build, and fails naming each case, step, prediction and BuildKit's
answer. It needs the build cache to survive between a batch's two builds: a prune in between
turns hits into misses.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from layerwise.cache import Build, Change, FileState, Prediction, predict
from layerwise.cache.git import disk_state
from layerwise.cache.observed import observed
from layerwise.context import BuildContext, IgnoreMatcher
from layerwise.engine import BuildRequest, Client, run_build
from layerwise.engine.progress import BuildStep

from . import matrix_gen
from .matrix_gen import Edit, chmod, delete, link, touch, write

pytestmark = pytest.mark.engine

BASE = "debian:bookworm-slim"
FILES = {
    "a.txt": "a {T}\n",
    "b.txt": "b {T}\n",
    "dir/c.txt": "c {T}\n",
    "dir/d.md": "d {T}\n",
    "README.md": "readme {T}\n",
}


def stage(name: str | None = None) -> str:
    alias = f" AS {name}" if name else ""
    return f"FROM {BASE}{alias}\nCOPY token /token\n"


@dataclass(frozen=True)
class Case:
    name: str
    dockerfile: str
    edits: tuple[Edit, ...] = ()
    new_dockerfile: str | None = None
    ignore: str | None = None
    new_ignore: str | None = None
    args: dict[str, str] = field(default_factory=dict)
    new_args: dict[str, str] | None = None
    target: str | None = None
    setup: tuple[Edit, ...] = ()


COPY_A = stage() + "COPY a.txt /app/\nRUN cat /app/a.txt\n"
COPY_DOT = stage() + "COPY . /app/\nRUN ls /app\n"
COPY_DIR = stage() + "COPY dir /app/dir\nRUN ls /app/dir\n"
ARGS = stage() + "RUN echo first\nARG V=1\nCOPY a.txt /app/\nRUN echo unused\n"
MULTI = (
    stage("src")
    + "COPY a.txt /out/a.txt\nCOPY b.txt /out/b.txt\n\n"
    + stage()
    + "COPY --from=src /out/a.txt /a.txt\nRUN cat /a.txt\n"
)
MULTI_RUN = (
    stage("src")
    + "ARG V=1\nRUN mkdir -p /out && echo $V > /out/v\n\n"
    + stage()
    + "COPY --from=src /out/v /v\nRUN cat /v\n"
)
CHAIN = stage("base") + "COPY a.txt /a\nRUN echo base\n\nFROM base AS app\nRUN echo app\n"
MOUNTS = stage() + "RUN --mount=type=cache,target=/cache,id=one echo cached\nRUN echo after\n"
BIND = stage() + "RUN --mount=type=bind,source=a.txt,target=/m cat /m\nRUN echo after\n"

CASES = [
    Case("nothing-changed", COPY_DOT),
    Case("copy-file-edited", COPY_A, (write("a.txt", "a2 {T}\n"),)),
    Case("copy-file-other-edited", COPY_A, (write("b.txt", "b2 {T}\n"),)),
    Case("copy-file-touched", COPY_A, (touch("a.txt"),)),
    Case("copy-file-made-executable", COPY_A, (chmod("a.txt", 0o755),)),
    Case("copy-file-other-made-executable", COPY_A, (chmod("b.txt", 0o755),)),
    Case("copy-dot-edited", COPY_DOT, (write("dir/c.txt", "c2 {T}\n"),)),
    Case("copy-dot-added", COPY_DOT, (write("new.txt", "new {T}\n"),)),
    Case("copy-dot-deleted", COPY_DOT, (delete("b.txt"),)),
    Case("copy-dot-ignored-edit", COPY_DOT, (write("dir/d.md", "d2 {T}\n"),), ignore="*.md\n"),
    Case(
        "copy-dot-ignored-recursive",
        COPY_DOT,
        (write("dir/d.md", "d2 {T}\n"),),
        ignore="**/*.md\n",
    ),
    Case(
        "negation-readme-edited",
        COPY_DOT,
        (write("README.md", "r2 {T}\n"),),
        ignore="**/*.md\n!README.md\n",
    ),
    Case(
        "negation-other-md-edited",
        COPY_DOT,
        (write("dir/d.md", "d2 {T}\n"),),
        ignore="**/*.md\n!README.md\n",
    ),
    Case(
        "ignored-dir-exception-edited",
        COPY_DOT,
        (write("dir/c.txt", "c2 {T}\n"),),
        ignore="dir\n!dir/c.txt\n",
    ),
    Case(
        "ignored-dir-other-edited",
        COPY_DOT,
        (write("dir/d.md", "d2 {T}\n"),),
        ignore="dir\n!dir/c.txt\n",
    ),
    Case("dockerignore-lets-file-in", COPY_DOT, ignore="*.md\n", new_ignore="dir/d.md\n"),
    Case(
        "dockerignore-self-ignored-edit",
        COPY_DOT,
        ignore=".dockerignore\n*.md\n",
        new_ignore=".dockerignore\n**/*.md\n",
    ),
    Case("copy-dir-deleted", COPY_DIR, (delete("dir/d.md"),)),
    Case("copy-dir-added", COPY_DIR, (write("dir/e.txt", "e {T}\n"),)),
    Case("copy-dir-outside-added", COPY_DIR, (write("other.txt", "o {T}\n"),)),
    Case(
        "copy-glob-matched",
        stage() + "COPY *.txt /app/\nRUN ls /app\n",
        (write("a.txt", "a2 {T}\n"),),
    ),
    Case(
        "copy-glob-unmatched",
        stage() + "COPY *.txt /app/\nRUN ls /app\n",
        (write("dir/c.txt", "c2 {T}\n"),),
    ),
    Case(
        "copy-symlink-retargeted",
        COPY_DOT,
        (link("ln", "b.txt"),),
        setup=(link("ln", "a.txt"),),
    ),
    Case(
        "copy-chmod-source-mode",
        stage() + "COPY --chmod=755 a.txt /app/\nRUN echo x\n",
        (chmod("a.txt", 0o755),),
    ),
    Case(
        "copy-chown-changed",
        stage() + "COPY a.txt /app/\nRUN echo x\n",
        new_dockerfile=stage() + "COPY --chown=1000:1000 a.txt /app/\nRUN echo x\n",
    ),
    Case(
        "add-file-edited",
        stage() + "ADD a.txt /app/\nRUN echo x\n",
        (write("a.txt", "a2 {T}\n"),),
    ),
    Case("arg-unused-changed", ARGS, new_args={"V": "2"}),
    Case("arg-unused-same", ARGS, args={"V": "2"}, new_args={"V": "2"}),
    Case(
        "arg-used-changed",
        stage() + "ARG V=1\nRUN echo $V\n",
        new_args={"V": "2"},
    ),
    Case(
        "arg-without-default-given",
        stage() + "ARG V\nRUN echo x\n",
        new_args={"V": "1"},
    ),
    Case("build-arg-undeclared", stage() + "RUN echo x\n", new_args={"V": "1"}),
    Case(
        "global-arg-not-redeclared",
        "ARG V=1\n" + stage() + "RUN echo x\n",
        new_args={"V": "2"},
    ),
    Case(
        "global-arg-redeclared",
        "ARG V=1\n" + stage() + "ARG V\nRUN echo x\n",
        new_args={"V": "2"},
    ),
    Case(
        "env-changed",
        stage() + "RUN echo one\nENV MODE=dev\nCOPY a.txt /a\nRUN echo two\n",
        new_dockerfile=stage() + "RUN echo one\nENV MODE=prod\nCOPY a.txt /a\nRUN echo two\n",
    ),
    Case(
        "label-changed",
        stage() + "LABEL x=1\nRUN echo x\n",
        new_dockerfile=stage() + "LABEL x=2\nRUN echo x\n",
    ),
    Case(
        "run-edited-mid",
        stage() + "RUN echo one\nRUN echo two\nRUN echo three\n",
        new_dockerfile=stage() + "RUN echo one\nRUN echo TWO\nRUN echo three\n",
    ),
    Case(
        "step-appended",
        stage() + "RUN echo one\n",
        new_dockerfile=stage() + "RUN echo one\nRUN echo two\n",
    ),
    Case(
        "workdir-changed",
        stage() + "WORKDIR /app\nRUN pwd\n",
        new_dockerfile=stage() + "WORKDIR /srv\nRUN pwd\n",
    ),
    Case(
        "user-changed",
        stage() + "COPY a.txt /a\nUSER root\nRUN id\n",
        new_dockerfile=stage() + "COPY a.txt /a\nUSER nobody\nRUN id\n",
    ),
    Case(
        "shell-changed",
        stage() + 'SHELL ["/bin/sh", "-c"]\nRUN echo x\n',
        new_dockerfile=stage() + 'SHELL ["/bin/bash", "-c"]\nRUN echo x\n',
    ),
    Case(
        "dockerfile-comment-edit-copied",
        COPY_DOT,
        new_dockerfile="# a comment\n" + COPY_DOT,
    ),
    Case(
        "dockerfile-comment-edit-ignored",
        COPY_DOT,
        new_dockerfile="# a comment\n" + COPY_DOT,
        ignore="Dockerfile\n",
    ),
    Case(
        "heredoc-edited",
        stage() + "RUN <<EOF\necho one\nEOF\nRUN echo after\n",
        new_dockerfile=stage() + "RUN <<EOF\necho two\nEOF\nRUN echo after\n",
    ),
    Case("stage-copy-from-same-output", MULTI, (write("b.txt", "b2 {T}\n"),)),
    Case("stage-copy-from-changed-output", MULTI, (write("a.txt", "a2 {T}\n"),)),
    Case("stage-run-output-changed", MULTI_RUN, new_args={"V": "2"}),
    Case("stage-unchanged", MULTI_RUN),
    Case("base-stage-changed", CHAIN, (write("a.txt", "a2 {T}\n"),)),
    Case("base-stage-target", CHAIN, (write("a.txt", "a2 {T}\n"),), target="base"),
    Case(
        "unneeded-stage-changed",
        stage("other") + "COPY b.txt /b\n\n" + stage("app") + "COPY a.txt /a\n",
        (write("b.txt", "b2 {T}\n"),),
        target="app",
    ),
    Case(
        "copy-link-after-miss",
        stage() + "ARG V=1\nRUN echo $V\nCOPY --link a.txt /a\nRUN echo after\n",
        new_args={"V": "2"},
    ),
    Case(
        "copy-link-edited",
        stage() + "COPY --link a.txt /a\nCOPY --link b.txt /b\nRUN echo after\n",
        (write("a.txt", "a2 {T}\n"),),
    ),
    Case(
        "cache-mount-id-changed",
        MOUNTS,
        new_dockerfile=MOUNTS.replace("id=one", "id=two"),
    ),
    Case(
        "cache-mount-mode-changed",
        MOUNTS,
        new_dockerfile=MOUNTS.replace("id=one", "id=one,mode=0700"),
    ),
    Case("bind-mount-source-edited", BIND, (write("a.txt", "a2 {T}\n"),)),
    Case("bind-mount-other-edited", BIND, (write("b.txt", "b2 {T}\n"),)),
]


def _snapshot(root: Path) -> dict[str, FileState | None]:
    out: dict[str, FileState | None] = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            out[path.relative_to(root).as_posix()] = _exact(path)
    return out


def _exact(path: Path) -> FileState | None:
    """Like git's view of a file, but with every permission bit (BuildKit hashes them all)."""
    state = disk_state(path)
    if state is None or path.is_symlink():
        return state
    return FileState(state.digest, path.lstat().st_mode)


def prepare(case: Case, root: Path, token: str) -> None:
    """The context before the change."""
    root.mkdir()
    (root / "token").write_text(token)
    for path, text in FILES.items():
        write(path, text)(root, token)
    for edit in case.setup:
        edit(root, token)
    if case.ignore is not None:
        (root / ".dockerignore").write_text(case.ignore)
    (root / "Dockerfile").write_text(case.dockerfile)


def apply(case: Case, root: Path, token: str) -> None:
    """The change: file edits, the new .dockerignore and Dockerfile."""
    for edit in case.edits:
        edit(root, token)
    if case.new_ignore is not None:
        (root / ".dockerignore").write_text(case.new_ignore)
    if case.new_dockerfile is not None:
        (root / "Dockerfile").write_text(case.new_dockerfile)


def new_args(case: Case) -> dict[str, str]:
    return case.args if case.new_args is None else case.new_args


def prediction_for(case: Case, root: Path, before: dict[str, FileState | None]) -> Prediction:
    """The model's prediction for the change from the `before` snapshot to the tree now."""
    after = _snapshot(root)
    states = {p: (before.get(p), after.get(p)) for p in set(before) | set(after)}
    change = Change.between(
        Build(case.dockerfile, case.args, IgnoreMatcher.from_text(case.ignore or "")),
        Build(
            case.new_dockerfile or case.dockerfile,
            new_args(case),
            IgnoreMatcher.from_text(case.new_ignore or case.ignore or ""),
        ),
        states,
    )
    context = BuildContext.open(root, root / "Dockerfile")
    return predict(change, case.target, is_dir=context.is_dir)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_model_agrees_with_buildkit(case: Case, engine: Client, tmp_path: Path) -> None:
    token = uuid.uuid4().hex
    root = tmp_path / "ctx"
    prepare(case, root, token)
    _build(engine, root, case, case.args)
    before = _snapshot(root)
    apply(case, root, token)
    steps = _build(engine, root, case, new_args(case))
    prediction = prediction_for(case, root, before)
    single = _one_stage(case.new_dockerfile or case.dockerfile)
    model, built = [], []
    for verdict, step in observed(prediction, steps, single_stage=single):
        assert step is not None, f"no step printed for line {verdict.line}:\n{steps}"
        cause = verdict.cause.render("en") if verdict.cause else None
        model.append((verdict.line, verdict.instruction, verdict.cached, cause))
        built.append((verdict.line, step.instruction, step.cached))
    assert [m[2] for m in model] == [b[2] for b in built], (model, built)


def _build(engine: Client, root: Path, case: Case, args: dict[str, str]) -> list[BuildStep]:
    """The case's build: into the build cache only where buildx can (an image export per
    build is most of a small build's time), else an image, removed again."""
    if engine.kind == "buildx":
        return _cache_only_build(engine, root, args, case.target)
    tag = f"layerwise-why-matrix:{uuid.uuid4().hex[:12]}"
    try:
        result = run_build(engine, _request(root, case, args, tag))
        assert result.ok, result.log
        return result.steps
    finally:
        engine.run("image", "rm", "--force", tag)


def _one_stage(text: str) -> bool:
    return sum(line.upper().startswith("FROM ") for line in text.splitlines()) == 1


def _request(root: Path, case: Case, args: dict[str, str], tag: str) -> BuildRequest:
    return BuildRequest(
        root / "Dockerfile", root, target=case.target, build_args=dict(args), tag=tag
    )


# -- the generated matrix, in batches (tests/cache/matrix_gen.py) -----------------------------

GENERATED = matrix_gen.batches(matrix_gen.generated_cases())


@pytest.mark.parametrize("batch", GENERATED, ids=[f"batch{b.offset}" for b in GENERATED])
def test_generated_matrix_agrees_with_buildkit(
    batch: matrix_gen.Batch,
    engine: Client,
    require_image: Callable[[str], None],
    tmp_path: Path,
) -> None:
    """Every step of every generated case: the model's HIT/MISS is what BuildKit printed."""
    require_image(matrix_gen.OTHER_BASE)
    if engine.kind != "buildx":
        pytest.skip("the batched matrix builds with buildx (--output type=cacheonly)")
    token = uuid.uuid4().hex
    root = tmp_path / "ctx"
    matrix_gen.prepare(batch, root, token)
    first = _cache_only_build(engine, root, batch.args(new=False))
    before = matrix_gen.snapshot(root)
    matrix_gen.apply(batch, root, token)
    steps = _cache_only_build(engine, root, batch.args(new=True))
    bases = {image: _digest(engine, image) for image in (BASE, matrix_gen.OTHER_BASE)}
    prediction = matrix_gen.prediction_for(batch, root, before, bases)
    wrong = []
    compared = 0
    lost = 0
    for verdict, step in observed(prediction, steps, single_stage=False):
        case = batch.case_of(verdict.stage.ref)
        if case is None:
            continue  # the batch's own last stage, not a case
        compared += 1
        where = f"{case.name} [{verdict.stage.ref}] {verdict.instruction!r}"
        if step is None:
            wrong.append(f"{where}: BuildKit printed no step")
        elif step.cached != verdict.cached:
            cause = verdict.cause.render("en") if verdict.cause else ""
            wrong.append(
                f"{where}: predicted {_word(verdict.cached)} ({cause}), "
                f"BuildKit {_word(step.cached)}"
            )
            lost += verdict.cached and verdict.instruction.endswith("token /token")
    assert first, "the first build printed no steps"
    assert compared >= len(batch.cases)
    # A case's token step, right after an unchanged FROM, can only miss when the first
    # build's results are gone: say so rather than blame the model.
    lost_note = f"({lost} token steps missed: was the build cache pruned meanwhile?)\n"
    assert not wrong, (
        f"{len(wrong)} steps disagree:\n" + (lost_note if lost else "") + "\n".join(wrong)
    )


def _cache_only_build(
    engine: Client, root: Path, args: dict[str, str], target: str | None = None
) -> list[BuildStep]:
    """Build into the build cache only: exporting an image with a layer per case is slow."""
    request = BuildRequest(
        root / "Dockerfile", root, target=target, build_args=dict(args), cache_only=True
    )
    result = run_build(engine, request)
    assert result.ok, result.log
    return result.steps


def _digest(engine: Client, image: str) -> str:
    return engine.check("image", "inspect", "--format", "{{.Id}}", image).strip()


def _word(cached: bool) -> str:
    return "HIT" if cached else "MISS"
