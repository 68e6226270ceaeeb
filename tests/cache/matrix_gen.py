"""The generated cache matrix: Dockerfile shapes crossed with changes, built in batches.

A case is a few stages and one change (files of its folder, its .dockerignore patterns, build
args, its Dockerfile text). Hundreds of build pairs would take too long, so cases share builds:
a batch puts every case in its own context folder (`c007/`) with its own stages (`c007_main`),
build args (`c007_V`) and .dockerignore lines (`c007/**/*.md`), and a last stage copies each
case's `/token` so one build runs them all. Each case's first step copies its own token (the
run's token and the case's name), so BuildKit never merges two cases' vertices and no earlier
run's cache answers. One build before, all changes at once, one build after; the model predicts
the whole batch as BuildKit sees it, and each case's verdicts are compared with its steps.

In a case's text `{S}` is its stage and ARG prefix, `{P}` its folder (with the slash) and
`{BASE}` the base image. File contents carry `{T}`, the run's token.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from layerwise.cache import Build, Change, FileState, Prediction, Verdict, predict
from layerwise.cache.git import disk_state
from layerwise.context import BuildContext, IgnoreMatcher

BASE = "debian:bookworm-slim"
OTHER_BASE = "debian:bookworm"
FINAL = "matrix_all"
BATCH_SIZE = 120
FILES = {
    "a.txt": "a {T}\n",
    "b.txt": "b {T}\n",
    "README.md": "readme {T}\n",
    "dir/c.txt": "c {T}\n",
    "dir/d.md": "d {T}\n",
    "dir/sub/e.txt": "e {T}\n",
}
Edit = Callable[[Path, str], None]


# -- edits of a case's folder -------------------------------------------------------------------


def write(path: str, text: str) -> Edit:
    def apply(root: Path, token: str) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace("{T}", token))

    return apply


def chmod(path: str, mode: int) -> Edit:
    return lambda root, _: (root / path).chmod(mode)


def delete(path: str) -> Edit:
    return lambda root, _: (root / path).unlink()


def rename(path: str, to: str) -> Edit:
    def apply(root: Path, _: str) -> None:
        (root / path).rename(root / to)

    return apply


def touch(path: str) -> Edit:
    def apply(root: Path, _: str) -> None:
        later = (root / path).stat().st_mtime + 3600
        os.utime(root / path, (later, later))

    return apply


def link(path: str, target: str) -> Edit:
    def apply(root: Path, _: str) -> None:
        (root / path).unlink(missing_ok=True)
        (root / path).symlink_to(target)

    return apply


def mkdir(path: str) -> Edit:
    return lambda root, _: (root / path).mkdir(parents=True)


def rmdir(path: str) -> Edit:
    return lambda root, _: (root / path).rmdir()


# -- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenCase:
    """One generated case. `body` holds its stages (placeholders above); `target` is the stage
    the batch's last stage copies from (the case's last stage when None)."""

    name: str
    body: str
    edits: tuple[Edit, ...] = ()
    new_body: str | None = None
    setup: tuple[Edit, ...] = ()
    ignore: tuple[str, ...] = ()
    new_ignore: tuple[str, ...] | None = None
    args: Mapping[str, str] = field(default_factory=dict)
    new_args: Mapping[str, str] | None = None
    preamble: str = ""  # global ARG lines, before the batch's first FROM
    new_preamble: str | None = None
    target: str | None = None


def stage(name: str, base: str = "{BASE}") -> str:
    return f"FROM {base} AS {{S}}{name}\nCOPY {{P}}token /token\n"


MAIN = stage("main")

# Shapes that read the context, each crossed with every content change.
AFTER = "WORKDIR /after\n"  # a cheap step after the one under test: it hits only when that does
CONTENT_SHAPES = {
    "copy-file": MAIN + "COPY {P}a.txt /app/\n" + AFTER,
    "copy-folder": MAIN + "COPY {P} /app/\n" + AFTER,
    "copy-dir": MAIN + "COPY {P}dir /app/dir\n" + AFTER,
    "copy-glob": MAIN + "COPY {P}*.txt /app/\n" + AFTER,
    "copy-glob-dir": MAIN + "COPY {P}dir/*.txt /app/\n" + AFTER,
    "copy-multi": MAIN + "COPY {P}a.txt {P}dir /app/\n" + AFTER,
    "add-dir": MAIN + "ADD {P}dir /app/dir\n" + AFTER,
    "copy-chmod": MAIN + "COPY --chmod=755 {P}a.txt /app/\n" + AFTER,
    "copy-chown": MAIN + "COPY --chown=1000:1000 {P}dir /app/dir\n" + AFTER,
    "copy-link": MAIN + "COPY --link {P}dir /app/dir\n" + AFTER,
    "workdir-copy": MAIN + "WORKDIR /w\nCOPY {P}a.txt {P}dir/c.txt ./\n" + AFTER,
    "bind-dir": MAIN + "RUN --mount=type=bind,source={P}dir,target=/m ls -R /m\n" + AFTER,
    "stage-copy-one": (
        stage("src")
        + "COPY {P}dir /out/dir\n\n"
        + MAIN
        + "COPY --from={S}src /out/dir/c.txt /c.txt\n"
        + AFTER
    ),
    "stage-copy-sub": (
        stage("src")
        + "COPY {P} /out/\n\n"
        + MAIN
        + "COPY --from={S}src /out/dir/sub /sub\n"
        + AFTER
    ),
}

# Changes of the files; none of them removes a path a shape names (a.txt, dir, dir/c.txt).
CONTENT_CHANGES: dict[str, tuple[tuple[Edit, ...], tuple[Edit, ...]]] = {
    "nothing": ((), ()),
    "edit-a": ((), (write("a.txt", "a2 {T}\n"),)),
    "edit-b": ((), (write("b.txt", "b2 {T}\n"),)),
    "edit-c": ((), (write("dir/c.txt", "c2 {T}\n"),)),
    "edit-e": ((), (write("dir/sub/e.txt", "e2 {T}\n"),)),
    "edit-readme": ((), (write("README.md", "r2 {T}\n"),)),
    "rewrite-a-same": ((), (write("a.txt", "a {T}\n"),)),
    "touch-a": ((), (touch("a.txt"),)),
    "touch-c": ((), (touch("dir/c.txt"),)),
    "chmod-a": ((), (chmod("a.txt", 0o755),)),
    "chmod-c": ((), (chmod("dir/c.txt", 0o755),)),
    "chmod-sub-dir": ((), (chmod("dir/sub", 0o700),)),
    "delete-b": ((), (delete("b.txt"),)),
    "delete-d": ((), (delete("dir/d.md"),)),
    "rename-b": ((), (rename("b.txt", "b-renamed.txt"),)),
    "rename-d": ((), (rename("dir/d.md", "dir/d2.md"),)),
    "add-in-dir": ((), (write("dir/new.txt", "new {T}\n"),)),
    "add-top": ((), (write("new.md", "new {T}\n"),)),
    "symlink-retarget": ((link("dir/ln.txt", "c.txt"),), (link("dir/ln.txt", "sub/e.txt"),)),
    "symlink-retarget-same-bytes": (
        (write("dir/sub/c.txt", "c {T}\n"), link("dir/ln.txt", "c.txt")),
        (link("dir/ln.txt", "sub/c.txt"),),
    ),
    "symlink-added": ((), (link("dir/ln.txt", "c.txt"),)),
    "empty-dir-added": ((), (mkdir("dir/empty"),)),
    "empty-dir-removed": ((mkdir("dir/gone"),), (rmdir("dir/gone"),)),
    "empty-top-dir-added": ((), (mkdir("emptytop"),)),
}

# .dockerignore patterns (relative to the case's folder) crossed with changes.
IGNORE_SHAPES = {
    "copy-folder": CONTENT_SHAPES["copy-folder"],
    "copy-dir": CONTENT_SHAPES["copy-dir"],
}
BIND_FOLDER = MAIN + "RUN --mount=type=bind,source={P},target=/m ls -R /m\n"
IGNORES = {
    "md-top": ("*.md",),
    "md-any": ("**/*.md",),
    "md-any-but-readme": ("**/*.md", "!README.md"),
    "dir-but-c": ("dir", "!dir/c.txt"),
    "sub": ("dir/sub",),
    "e-any": ("**/e.txt",),
}
IGNORE_CHANGES = {
    "edit-readme": (write("README.md", "r2 {T}\n"),),
    "edit-d": (write("dir/d.md", "d2 {T}\n"),),
    "edit-c": (write("dir/c.txt", "c2 {T}\n"),),
    "edit-e": (write("dir/sub/e.txt", "e2 {T}\n"),),
    "add-md": (write("dir/x.md", "x {T}\n"),),
    "delete-d": (delete("dir/d.md"),),
    "chmod-sub-dir": (chmod("dir/sub", 0o700),),
}
IGNORE_EDITS = {
    "none-to-md-any": ((), ("**/*.md",)),
    "md-top-to-md-any": (("*.md",), ("**/*.md",)),
    "md-any-to-negated": (("**/*.md",), ("**/*.md", "!README.md")),
    "sub-to-dir-but-c": (("dir/sub",), ("dir", "!dir/c.txt")),
    "b-to-none": (("b.txt",), ()),
    "same-files-other-patterns": (("**/*.md",), ("*.md", "dir/*.md")),
    "comment-added": (("**/*.md",), ("**/*.md", "# nothing")),
    "unmatched-pattern-added": (("*.md",), ("*.md", "nothing-here")),
}

# ARG and ENV shapes (body, global ARG lines) crossed with build-arg changes.
ARG_SHAPES = {
    "arg-used": ("ARG {S}V=1\nRUN echo ${S}V\n", ""),
    "arg-unused": ("RUN echo first\nARG {S}V=1\nRUN echo unused\n", ""),
    "arg-no-default-used": ("ARG {S}V\nRUN echo ${S}V\n", ""),
    "arg-no-default-unused": ("ARG {S}V\nRUN echo unused\n", ""),
    "arg-then-copy": ("COPY {P}a.txt /a\nARG {S}V=1\nCOPY {P}b.txt /b\nRUN echo x\n", ""),
    "arg-copy-dest": ("ARG {S}V=1\nCOPY {P}a.txt /app${S}V/\n", ""),
    "arg-env": ("ARG {S}V=1\nENV {S}E=${S}V\nRUN echo x\n", ""),
    "arg-workdir": ("ARG {S}V=1\nWORKDIR /w${S}V\nRUN pwd\n", ""),
    "arg-cache-id": ("ARG {S}V=1\nRUN --mount=type=cache,target=/c,id=c${S}V echo x\n", ""),
    "arg-bind-source": (
        "ARG {S}V=1\nRUN --mount=type=bind,source={P}dir,target=/m${S}V ls /m${S}V\n",
        "",
    ),
    "global-arg": ("RUN echo x\n", "ARG {S}V=1\n"),
    "global-arg-redeclared": ("ARG {S}V\nRUN echo x\n", "ARG {S}V=1\n"),
    "undeclared": ("RUN echo x\n", ""),
}
ARG_CHANGES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "kept": ({}, {}),
    "given-default": ({}, {"V": "1"}),
    "given-other": ({}, {"V": "2"}),
    "same-given": ({"V": "2"}, {"V": "2"}),
    "removed": ({"V": "2"}, {}),
}

# Edits of the Dockerfile: (before, after) stage bodies of one case.
RUN3 = MAIN + "RUN echo one\nRUN echo two\nRUN echo three\n"
EDITS: dict[str, tuple[str, str]] = {
    "run-edited-first": (RUN3, RUN3.replace("echo one", "echo ONE")),
    "run-edited-last": (RUN3, RUN3.replace("echo three", "echo THREE")),
    "run-whitespace": (RUN3, RUN3.replace("echo two", "echo  two")),
    "run-keyword-case": (RUN3, RUN3.replace("RUN echo two", "run echo two")),
    "run-json-form": (RUN3, RUN3.replace("RUN echo two", 'RUN ["/bin/sh", "-c", "echo two"]')),
    "step-appended": (RUN3, RUN3 + "RUN echo four\n"),
    "step-removed": (RUN3, RUN3.replace("RUN echo three\n", "")),
    "step-inserted": (RUN3, RUN3.replace("RUN echo two\n", "RUN echo new\nRUN echo two\n")),
    "steps-swapped": (RUN3, RUN3.replace("one\nRUN echo two", "two\nRUN echo one")),
    "blank-lines-added": (RUN3, RUN3.replace("RUN echo two\n", "\n\nRUN echo two\n")),
    "comment-added": (RUN3, RUN3.replace("RUN echo two\n", "# why\nRUN echo two\n")),
    "line-continuation": (RUN3, RUN3.replace("RUN echo two", "RUN echo \\\n  two")),
    "heredoc-edited": (
        MAIN + "RUN <<EOF\necho one\nEOF\nRUN echo after\n",
        MAIN + "RUN <<EOF\necho two\nEOF\nRUN echo after\n",
    ),
    "env-changed": (
        MAIN + "RUN echo one\nENV {S}E=a\nCOPY {P}a.txt /a\nRUN echo two\n",
        MAIN + "RUN echo one\nENV {S}E=b\nCOPY {P}a.txt /a\nRUN echo two\n",
    ),
    "env-added-unused": (
        MAIN + "COPY {P}a.txt /a\nRUN echo two\n",
        MAIN + "COPY {P}a.txt /a\nENV {S}E=b\nRUN echo two\n",
    ),
    "label-changed": (MAIN + "LABEL x=1\nRUN echo x\n", MAIN + "LABEL x=2\nRUN echo x\n"),
    "cmd-expose-changed": (
        MAIN + 'RUN echo x\nEXPOSE 80\nCMD ["a"]\n',
        MAIN + 'RUN echo x\nEXPOSE 81\nCMD ["b"]\n',
    ),
    "config-only-changed": (
        MAIN + 'RUN echo x\nENTRYPOINT ["a"]\nVOLUME /v\nSTOPSIGNAL SIGTERM\n',
        MAIN
        + 'RUN echo x\nENTRYPOINT ["b"]\nVOLUME /w\nSTOPSIGNAL SIGINT\n'
        + "HEALTHCHECK CMD true\nMAINTAINER someone\n",
    ),
    "add-chown-added": (
        MAIN + "ADD {P}dir /app/\nRUN echo x\n",
        MAIN + "ADD --chown=1:1 {P}dir /app/\nRUN echo x\n",
    ),
    "workdir-changed": (MAIN + "WORKDIR /app\nRUN pwd\n", MAIN + "WORKDIR /srv\nRUN pwd\n"),
    "workdir-root-added": (MAIN + "RUN pwd\n", MAIN + "WORKDIR /\nRUN pwd\n"),
    "workdir-relative": (
        MAIN + "WORKDIR /app\nWORKDIR sub\nRUN pwd\n",
        MAIN + "WORKDIR /app/sub\nRUN pwd\n",
    ),
    "user-changed": (
        MAIN + "COPY {P}a.txt /a\nUSER root\nRUN id\n",
        MAIN + "COPY {P}a.txt /a\nUSER nobody\nRUN id\n",
    ),
    "user-before-copy": (
        MAIN + "COPY {P}a.txt /a\nRUN id\n",
        MAIN + "USER nobody\nCOPY {P}a.txt /a\nRUN id\n",
    ),
    "shell-changed": (
        MAIN + 'SHELL ["/bin/sh", "-c"]\nRUN echo x\n',
        MAIN + 'SHELL ["/bin/bash", "-c"]\nRUN echo x\n',
    ),
    "copy-dest-changed": (
        MAIN + "COPY {P}a.txt /app/\nRUN echo x\n",
        MAIN + "COPY {P}a.txt /srv/\nRUN echo x\n",
    ),
    "copy-to-add": (
        MAIN + "COPY {P}a.txt /app/\nRUN echo x\n",
        MAIN + "ADD {P}a.txt /app/\nRUN echo x\n",
    ),
    "chown-added": (
        MAIN + "COPY {P}a.txt /app/\nRUN echo x\n",
        MAIN + "COPY --chown=1000:1000 {P}a.txt /app/\nRUN echo x\n",
    ),
    "chmod-changed": (
        MAIN + "COPY --chmod=644 {P}a.txt /app/\nRUN echo x\n",
        MAIN + "COPY --chmod=755 {P}a.txt /app/\nRUN echo x\n",
    ),
    "link-added": (
        MAIN + "COPY {P}a.txt /app/\nRUN echo x\n",
        MAIN + "COPY --link {P}a.txt /app/\nRUN echo x\n",
    ),
    "link-after-miss": (
        MAIN + "RUN echo one\nCOPY --link {P}a.txt /a\nRUN echo after\n",
        MAIN + "RUN echo ONE\nCOPY --link {P}a.txt /a\nRUN echo after\n",
    ),
    "network-none-added": (MAIN + "RUN echo x\n", MAIN + "RUN --network=none echo x\n"),
    "cache-mount-added": (
        MAIN + "RUN echo x\nRUN echo y\n",
        MAIN + "RUN --mount=type=cache,target=/c echo x\nRUN echo y\n",
    ),
    "cache-mount-id-changed": (
        MAIN + "RUN --mount=type=cache,target=/c,id={S}one echo x\nRUN echo y\n",
        MAIN + "RUN --mount=type=cache,target=/c,id={S}two echo x\nRUN echo y\n",
    ),
    "cache-mount-target-changed": (
        MAIN + "RUN --mount=type=cache,target=/c echo x\nRUN echo y\n",
        MAIN + "RUN --mount=type=cache,target=/d echo x\nRUN echo y\n",
    ),
    "cache-mount-sharing-changed": (
        MAIN + "RUN --mount=type=cache,target=/c echo x\nRUN echo y\n",
        MAIN + "RUN --mount=type=cache,target=/c,sharing=locked echo x\nRUN echo y\n",
    ),
    "tmpfs-mount-added": (
        MAIN + "RUN echo x\n",
        MAIN + "RUN --mount=type=tmpfs,target=/t echo x\n",
    ),
    "bind-target-changed": (
        MAIN + "RUN --mount=type=bind,source={P}dir,target=/m ls /m\n",
        MAIN + "RUN --mount=type=bind,source={P}dir,target=/n ls /n\n",
    ),
    "base-image-renamed": (
        MAIN + "COPY {P}a.txt /a\nRUN echo x\n",
        stage("main", "{OTHER}") + "COPY {P}a.txt /a\nRUN echo x\n",
    ),
    "base-image-to-stage": (
        stage("base") + "\n" + MAIN + "COPY {P}a.txt /a\nRUN echo x\n",
        stage("base") + "\n" + stage("main", "{S}base") + "COPY {P}a.txt /a\nRUN echo x\n",
    ),
    "base-stage-edited": (
        stage("base") + "RUN echo base\n\n" + stage("main", "{S}base") + "RUN echo main\n",
        stage("base") + "RUN echo BASE\n\n" + stage("main", "{S}base") + "RUN echo main\n",
    ),
    "base-stage-env-added": (
        stage("base") + "RUN echo base\n\nFROM {S}base AS {S}main\nRUN echo main\n",
        stage("base") + "RUN echo base\nENV {S}E=1\n\nFROM {S}base AS {S}main\nRUN echo main\n",
    ),
    "stage-output-same": (
        stage("src")
        + "COPY {P}a.txt /out/a\nCOPY {P}b.txt /other/b\n\n"
        + MAIN
        + "COPY --from={S}src /out/a /a\nRUN cat /a\n",
        stage("src")
        + "COPY {P}a.txt /out/a\nCOPY {P}README.md /other/b\n\n"
        + MAIN
        + "COPY --from={S}src /out/a /a\nRUN cat /a\n",
    ),
    "stage-output-other": (
        stage("src")
        + "COPY {P}a.txt /out/a\n\n"
        + MAIN
        + "COPY --from={S}src /out/a /a\nRUN cat /a\n",
        stage("src")
        + "COPY {P}b.txt /out/a\n\n"
        + MAIN
        + "COPY --from={S}src /out/a /a\nRUN cat /a\n",
    ),
    "stage-copy-source-changed": (
        stage("src") + "COPY {P} /out/\n\n" + MAIN + "COPY --from={S}src /out/a.txt /x\n",
        stage("src") + "COPY {P} /out/\n\n" + MAIN + "COPY --from={S}src /out/b.txt /x\n",
    ),
    "stage-renamed": (
        stage("src") + "COPY {P}a.txt /out/a\n\n" + MAIN + "COPY --from={S}src /out/a /a\n",
        stage("gen") + "COPY {P}a.txt /out/a\n\n" + MAIN + "COPY --from={S}gen /out/a /a\n",
    ),
    "bind-from-stage-same": (
        stage("src")
        + "COPY {P}a.txt /out/a\n\n"
        + MAIN
        + "RUN --mount=type=bind,from={S}src,source=/out,target=/m cat /m/a\n",
        stage("src")
        + "COPY {P}a.txt /out/a\nCOPY {P}b.txt /b\n\n"
        + MAIN
        + "RUN --mount=type=bind,from={S}src,source=/out,target=/m cat /m/a\n",
    ),
    "target-stage-unneeded-edited": (
        stage("other") + "RUN echo other\n\n" + MAIN + "COPY {P}a.txt /a\n",
        stage("other") + "RUN echo OTHER\n\n" + MAIN + "COPY {P}a.txt /a\n",
    ),
}


def generated_cases() -> list[GenCase]:
    """Every generated case, named `<family>/<shape>/<change>`."""
    cases: list[GenCase] = []
    for shape, body in CONTENT_SHAPES.items():
        for change, (setup, edits) in CONTENT_CHANGES.items():
            cases.append(GenCase(f"content/{shape}/{change}", body, edits, setup=setup))
    for shape, body in IGNORE_SHAPES.items():
        for patterns_name, patterns in IGNORES.items():
            for change, edits in IGNORE_CHANGES.items():
                name = f"ignore/{shape}/{patterns_name}/{change}"
                cases.append(GenCase(name, body, edits, ignore=patterns))
        for change, (old, new) in IGNORE_EDITS.items():
            name = f"ignore-edit/{shape}/{change}"
            cases.append(GenCase(name, body, ignore=old, new_ignore=new))
    for patterns_name in ("md-any-but-readme", "dir-but-c", "sub"):
        for change in ("edit-readme", "edit-c", "edit-e"):
            name = f"ignore/bind-folder/{patterns_name}/{change}"
            edits = IGNORE_CHANGES[change]
            cases.append(GenCase(name, BIND_FOLDER, edits, ignore=IGNORES[patterns_name]))
    for shape, (body, preamble) in ARG_SHAPES.items():
        for change, (old_args, new_args) in ARG_CHANGES.items():
            cases.append(
                GenCase(
                    f"args/{shape}/{change}",
                    MAIN + body,
                    args=old_args,
                    new_args=new_args,
                    preamble=preamble,
                )
            )
    inherited = stage("base") + "ARG {S}V=1\n\nFROM {S}base AS {S}main\nRUN echo x\n"
    for change, (old_args, new_args) in ARG_CHANGES.items():
        name = f"args/arg-in-base-stage/{change}"
        cases.append(GenCase(name, inherited, args=old_args, new_args=new_args))
    cases.append(
        GenCase(
            "args/global-arg-in-from/renamed-base",
            stage("main", "${S}B") + "RUN echo x\n",
            preamble="ARG {S}B=" + BASE + "\n",
            new_args={"B": OTHER_BASE},
        )
    )
    for change, (before, after) in EDITS.items():
        target = "main" if change == "target-stage-unneeded-edited" else None
        cases.append(GenCase(f"dockerfile/{change}", before, new_body=after, target=target))
    cases.append(
        GenCase(
            "dockerfile/target-stage-unneeded-file-edited",
            stage("other") + "COPY {P}b.txt /b\n\n" + MAIN + "COPY {P}a.txt /a\n",
            (write("b.txt", "b2 {T}\n"),),
            target="main",
        )
    )
    return cases


# -- batches ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """Cases built together; `prefixes[i]` names case i's folder and stages."""

    cases: tuple[GenCase, ...]
    offset: int  # the first case's number, so folders stay unique across batches

    def prefix(self, index: int) -> str:
        return f"c{self.offset + index:03d}"

    def dockerfile(self, new: bool) -> str:
        preamble: list[str] = []
        stages: list[str] = []
        finals: list[str] = []
        for index, case in enumerate(self.cases):
            p = self.prefix(index)
            lines = case.new_preamble if new and case.new_preamble is not None else case.preamble
            body = case.new_body if new and case.new_body is not None else case.body
            preamble.append(_fill(lines, p))
            stages.append(_fill(body, p))
            target = case.target or _last_stage(body)
            finals.append(f"COPY --from={p}_{target} /token /{p}\n")
        return (
            "".join(preamble) + "\n".join(stages) + f"\nFROM scratch AS {FINAL}\n" + "".join(finals)
        )

    def ignore(self, new: bool) -> str:
        lines = []
        for index, case in enumerate(self.cases):
            patterns = case.new_ignore if new and case.new_ignore is not None else case.ignore
            for pattern in patterns:
                lines.append(_prefixed(pattern, self.prefix(index) + "/"))
        return "".join(line + "\n" for line in lines)

    def args(self, new: bool) -> dict[str, str]:
        out = {}
        for index, case in enumerate(self.cases):
            args = case.new_args if new and case.new_args is not None else case.args
            for name, value in args.items():
                out[f"{self.prefix(index)}_{name}"] = value
        return out

    def case_of(self, stage_ref: str) -> GenCase | None:
        """The case a stage belongs to (None for the batch's last stage)."""
        head, _, _ = stage_ref.partition("_")
        if not head.startswith("c") or not head[1:].isdigit():
            return None
        return self.cases[int(head[1:]) - self.offset]


def batches(cases: list[GenCase], size: int = BATCH_SIZE) -> list[Batch]:
    return [
        Batch(tuple(cases[start : start + size]), start) for start in range(0, len(cases), size)
    ]


def _fill(text: str, prefix: str) -> str:
    return (
        text.replace("{S}", prefix + "_")
        .replace("{P}", prefix + "/")
        .replace("{BASE}", BASE)
        .replace("{OTHER}", OTHER_BASE)
    )


def _prefixed(pattern: str, folder: str) -> str:
    if pattern.startswith("#"):
        return pattern
    if pattern.startswith("!"):
        return "!" + folder + pattern[1:]
    return folder + pattern


def _last_stage(body: str) -> str:
    names = [line.rsplit(" AS {S}", 1)[1] for line in body.splitlines() if " AS {S}" in line]
    return names[-1]


# -- building the context and predicting -----------------------------------------------------


def prepare(batch: Batch, root: Path, token: str) -> None:
    """The context before the change: every case's folder, the Dockerfile, the .dockerignore."""
    root.mkdir()
    for index, case in enumerate(batch.cases):
        folder = root / batch.prefix(index)
        folder.mkdir()
        (folder / "token").write_text(f"{token} {case.name}\n")
        for path, text in FILES.items():
            write(path, text)(folder, token)
        for edit in case.setup:
            edit(folder, token)
    (root / ".dockerignore").write_text(batch.ignore(new=False))
    (root / "Dockerfile").write_text(batch.dockerfile(new=False))


def apply(batch: Batch, root: Path, token: str) -> None:
    """Every case's change at once."""
    for index, case in enumerate(batch.cases):
        for edit in case.edits:
            edit(root / batch.prefix(index), token)
    (root / ".dockerignore").write_text(batch.ignore(new=True))
    (root / "Dockerfile").write_text(batch.dockerfile(new=True))


def snapshot(root: Path) -> dict[str, FileState | None]:
    """Every path of the context as BuildKit's content hash sees it: files with all their
    permission bits, symlinks, and folders (an empty one is an entry of its own).

    A folder is there or not, whatever its mode: BuildKit keeps the context of the previous
    build from the same folder and sends only what changed, and a folder whose mode alone
    changed keeps its old mode there (Docker 26.1, BuildKit 0.13: `chmod 700` on a copied
    folder gave CACHED; the same tree from a fresh path, sent whole, gave a miss). Git, the
    CLI's source of changes, records no folder modes either.
    """
    out: dict[str, FileState | None] = {}
    for folder, dirs, names in os.walk(root):
        for name in dirs:
            path = Path(folder) / name
            if not path.is_symlink():
                out[path.relative_to(root).as_posix()] = FileState("folder", stat.S_IFDIR)
        for name in names:
            path = Path(folder) / name
            out[path.relative_to(root).as_posix()] = _state(path, root)
    return out


def _state(path: Path, root: Path) -> FileState | None:
    """A file with every permission bit (BuildKit hashes them all); a symlink with the state
    of the context file it points to, which a copy that names it reads."""
    state = disk_state(path)
    if state is None:
        return None
    if not path.is_symlink():
        return FileState(state.digest, path.lstat().st_mode)
    target = path.resolve()
    if target.is_file() and target.is_relative_to(root.resolve()):
        return FileState(state.digest, state.mode, _state(target, root))
    return state


def prediction_for(
    batch: Batch,
    root: Path,
    before: Mapping[str, FileState | None],
    bases: Mapping[str, str],
) -> Prediction:
    """The model's prediction for the whole batch, from the `before` snapshot to the tree now.
    `bases` maps each base image to its digest."""
    after = snapshot(root)
    states = {p: (before.get(p), after.get(p)) for p in set(before) | set(after)}
    change = Change.between(
        Build(
            batch.dockerfile(new=False),
            batch.args(new=False),
            IgnoreMatcher.from_text(batch.ignore(new=False)),
            bases,
        ),
        Build(
            batch.dockerfile(new=True),
            batch.args(new=True),
            IgnoreMatcher.from_text(batch.ignore(new=True)),
            bases,
        ),
        states,
    )
    context = BuildContext.open(root, root / "Dockerfile")
    return predict(change, is_dir=context.is_dir)


def by_case(batch: Batch, verdicts: Iterable[Verdict]) -> dict[str, list[Verdict]]:
    """Each case's verdicts (the batch's last stage belongs to none)."""
    out: dict[str, list[Verdict]] = {case.name: [] for case in batch.cases}
    for verdict in verdicts:
        case = batch.case_of(verdict.stage.ref)
        if case is not None:
            out[case.name].append(verdict)
    return out
