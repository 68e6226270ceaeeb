"""The cache model: which steps a change rebuilds, and the first cause in words."""

from __future__ import annotations

from layerwise.cache import Build, Change, FileState, Prediction, predict
from layerwise.context import IgnoreMatcher

A, B = FileState.of(b"a\n"), FileState.of(b"b\n")
A_EXEC = FileState.of(b"a\n", 0o100755)

NODE = """\
FROM debian:bookworm-slim AS base
ARG GIT_SHA=1
WORKDIR /app
COPY package.json ./
RUN echo install
COPY . .
RUN echo build

FROM base AS final
RUN echo final
"""


def rows(prediction: Prediction) -> list[tuple[int, bool, str | None]]:
    return [
        (v.line, v.cached, None if v.cause is None else v.cause.render("en"))
        for v in prediction.verdicts
    ]


def misses(prediction: Prediction) -> list[int]:
    return [v.line for v in prediction.verdicts if not v.cached]


def test_nothing_changed_every_step_hits() -> None:
    result = predict(Change.simple(NODE))
    assert [(line, cached) for line, cached, _ in rows(result)] == [
        (3, True), (4, True), (5, True), (6, True), (7, True), (10, True)
    ]  # fmt: skip
    assert all(v.cause is None for v in result.verdicts)


def test_source_edit_misses_from_the_broad_copy_on() -> None:
    change = Change.simple(NODE, files={"src/a.ts": (A, B)})
    assert rows(predict(change)) == [
        (3, True, None),
        (4, True, None),
        (5, True, None),
        (6, False, "`src/a.ts` changed (copied at line 6)"),
        (7, False, "parent step at line 6 missed"),
        (10, False, "base stage `base` rebuilt (line 6 missed)"),
    ]


def test_manifest_edit_misses_from_its_copy() -> None:
    change = Change.simple(NODE, files={"package.json": (A, B)})
    assert rows(predict(change))[1] == (4, False, "`package.json` changed (copied at line 4)")
    assert misses(predict(change)) == [4, 5, 6, 7, 10]


def test_unused_arg_busts_every_run_below_it_but_no_copy() -> None:
    text = NODE.replace("COPY package.json ./\nRUN echo install\n", "COPY package.json ./\n")
    result = predict(Change.simple(text, new_args={"GIT_SHA": "2"}))
    assert [(v.step.name, v.cached) for v in result.verdicts][:3] == [
        ("WORKDIR", True),
        ("COPY", True),
        ("COPY", True),
    ]
    assert rows(result)[3] == (6, False, "ARG GIT_SHA changed (declared at line 2)")


def test_arg_below_a_run_leaves_the_run_cached() -> None:
    text = "FROM alpine\nRUN echo one\nARG V=1\nRUN echo two\n"
    result = predict(Change.simple(text, new_args={"V": "2"}))
    assert rows(result) == [(2, True, None), (4, False, "ARG V changed (declared at line 3)")]


def test_build_arg_for_an_undeclared_arg_changes_nothing() -> None:
    text = "FROM alpine\nRUN echo one\n"
    assert misses(predict(Change.simple(text, new_args={"V": "2"}))) == []


def test_global_arg_counts_only_where_a_stage_declares_it() -> None:
    text = "ARG V=1\nFROM alpine\nRUN echo a\nARG V\nRUN echo b\n"
    result = predict(Change.simple(text, new_args={"V": "2"}))
    assert rows(result) == [(3, True, None), (5, False, "ARG V changed (declared at line 4)")]


def test_env_edit_names_the_env_line() -> None:
    text = "FROM alpine\nCOPY a /a\nENV MODE=dev\nRUN echo run\n"
    change = Change.simple(text, new_dockerfile=text.replace("dev", "prod"))
    assert rows(predict(change)) == [(2, True, None), (4, False, "ENV MODE changed (line 3)")]


def test_dockerignored_file_never_busts_a_copy() -> None:
    ignore = IgnoreMatcher.from_text("*.md\n!README.md\n")
    text = "FROM alpine\nCOPY . /app\nRUN echo x\n"
    assert misses(predict(Change.simple(text, files={"NOTES.md": (A, B)}, ignore=ignore))) == []
    readme = Change.simple(text, files={"README.md": (A, B)}, ignore=ignore)
    assert rows(predict(readme))[0] == (2, False, "`README.md` changed (copied at line 2)")


def test_dockerignore_that_lets_a_file_in_busts_the_copy() -> None:
    text = "FROM alpine\nCOPY . /app\n"
    change = Change.simple(
        text,
        files={"notes.md": (A, A)},
        old_ignore=IgnoreMatcher.from_text("*.md\n"),
        ignore=IgnoreMatcher([]),
    )
    assert rows(predict(change)) == [
        (2, False, "`notes.md` no longer excluded by .dockerignore (copied at line 2)")
    ]


def test_mode_change_deletion_and_addition() -> None:
    text = "FROM alpine\nCOPY bin/ /usr/local/bin/\n"
    mode = Change.simple(text, files={"bin/tool": (A, A_EXEC)})
    assert rows(predict(mode)) == [(2, False, "`bin/tool` mode changed (copied at line 2)")]
    deleted = Change.simple(text, files={"bin/old": (A, None)})
    assert rows(predict(deleted)) == [(2, False, "`bin/old` deleted (copied at line 2)")]
    added = Change.simple(text, files={"bin/new": (None, A)})
    assert rows(predict(added)) == [(2, False, "`bin/new` added (copied at line 2)")]


def test_only_selected_files_count() -> None:
    text = "FROM alpine\nCOPY *.json ./\nCOPY src ./src\nRUN echo x\n"
    outside = Change.simple(text, files={"docs/x.md": (A, B), "srcx/a": (A, B)})
    assert misses(predict(outside)) == []
    glob = Change.simple(text, files={"tsconfig.json": (A, B)})
    assert misses(predict(glob)) == [2, 3, 4]
    nested = Change.simple(text, files={"sub/package.json": (A, B)})
    assert misses(predict(nested)) == []  # `*` does not cross `/`


def test_copy_exclude_leaves_excluded_files_out() -> None:
    text = "FROM alpine\nCOPY --exclude=*.md . /app\n"
    assert misses(predict(Change.simple(text, files={"a.md": (A, B)}))) == []
    assert misses(predict(Change.simple(text, files={"a.txt": (A, B)}))) == [2]


def test_copy_flags_are_in_the_key() -> None:
    text = "FROM alpine\nCOPY --chmod=644 a /a\n"
    change = Change.simple(text, new_dockerfile=text.replace("644", "755"))
    assert rows(predict(change)) == [(2, False, "`--chmod` changed (line 2)")]


def test_copy_link_misses_as_printed_but_says_the_copy_is_reused() -> None:
    text = "FROM alpine\nRUN echo $V\nARG V=1\nRUN echo a\nCOPY --link a /a\nRUN echo b\n"
    result = predict(Change.simple(text, new_args={"V": "2"}))
    assert [(v.line, v.cached) for v in result.verdicts] == [
        (2, True), (4, False), (5, False), (6, False)
    ]  # fmt: skip
    assert rows(result)[2][2] == (
        "parent step at line 4 missed; the `--link` copy itself is reused, only its merge runs"
    )
    edited = predict(Change.simple(text, files={"a": (A, B)}))
    assert rows(edited)[2] == (5, False, "`a` changed (copied at line 5)")


def test_base_image_digest_change() -> None:
    result = predict(Change.simple(NODE, new_bases=frozenset({"debian:bookworm-slim"})))
    assert rows(result)[0] == (
        3,
        False,
        "base image `debian:bookworm-slim` changed (FROM at line 1)",
    )
    assert misses(result) == [3, 4, 5, 6, 7, 10]


def test_from_edit() -> None:
    text = "FROM alpine:3.19\nRUN echo a\n"
    change = Change.simple(text, new_dockerfile=text.replace("3.19", "3.20"))
    assert rows(predict(change)) == [(2, False, "FROM changed (line 1)")]


MULTI = """\
FROM alpine AS src
COPY a.txt /out/a.txt
COPY b.txt /out/b.txt
ARG V=1
RUN echo $V > /out/v

FROM alpine
COPY --from=src /out/a.txt /a.txt
RUN echo done
"""


def test_copy_from_identical_output_hits() -> None:
    text = MULTI.replace("ARG V=1\nRUN echo $V > /out/v\n", "")
    result = predict(Change.simple(text, files={"b.txt": (A, B)}))
    assert [(v.line, v.cached) for v in result.verdicts] == [
        (2, True), (3, False), (6, True), (7, True)
    ]  # fmt: skip


def test_copy_from_differing_output_misses() -> None:
    text = MULTI.replace("ARG V=1\nRUN echo $V > /out/v\n", "")
    result = predict(Change.simple(text, files={"a.txt": (A, B)}))
    assert rows(result)[2] == (
        6,
        False,
        "stage `src` rebuilt and its `/out/a.txt` differs (line 2)",
    )


def test_copy_from_after_a_rerun_run_is_taken_as_changed() -> None:
    result = predict(Change.simple(MULTI, new_args={"V": "2"}))
    assert rows(result)[3] == (
        8,
        False,
        "stage `src` rebuilt: RUN at line 5 ran again, its output may differ",
    )


def test_copy_from_an_index_and_an_image() -> None:
    text = (
        "FROM alpine\nCOPY x /x\n\n"
        "FROM alpine\nCOPY --from=0 /x /y\nCOPY --from=busybox /bin/sh /sh\n"
    )
    result = predict(Change.simple(text, files={"x": (A, B)}, new_bases=frozenset({"busybox"})))
    assert rows(result) == [
        (2, False, "`x` changed (copied at line 2)"),
        (5, False, "stage `stage-0` rebuilt and its `/x` differs (line 2)"),
        (6, False, "parent step at line 5 missed"),
    ]
    image_only = predict(Change.simple(text, new_bases=frozenset({"busybox"})))
    assert rows(image_only)[2] == (6, False, "image `busybox` changed (copied at line 6)")


def test_cache_mount_contributes_options_only() -> None:
    text = "FROM alpine\nRUN --mount=type=cache,target=/root/.npm,id=npm npm ci\n"
    renamed = Change.simple(text, new_dockerfile=text.replace("id=npm", "id=npm2"))
    assert misses(predict(renamed)) == []  # a non-default id is cleared from the key
    moded = Change.simple(text, new_dockerfile=text.replace("id=npm", "id=npm,mode=0700"))
    assert rows(predict(moded)) == [(2, False, "`--mount` options changed (line 2)")]
    default = "FROM alpine\nRUN --mount=type=cache,target=/root/.npm npm ci\n"
    assert misses(predict(Change.simple(default, new_dockerfile=text))) == [2]


def test_bind_mount_content_counts() -> None:
    text = "FROM alpine\nRUN --mount=type=bind,source=package.json,target=/p cat /p\n"
    result = predict(Change.simple(text, files={"package.json": (A, B)}))
    assert rows(result) == [(2, False, "`package.json` changed (bind-mounted at line 2)")]
    assert misses(predict(Change.simple(text, files={"other": (A, B)}))) == []


def test_workdir_root_is_no_step_and_workdir_change_is_named() -> None:
    text = "FROM alpine\nWORKDIR /\nRUN echo a\n"
    assert [v.line for v in predict(Change.simple(text)).verdicts] == [3]
    moved = Change.simple(text, new_dockerfile=text.replace("WORKDIR /", "WORKDIR /app"))
    assert rows(predict(moved)) == [
        (2, False, "instruction changed (line 2)"),
        (3, False, "parent step at line 2 missed"),
    ]
    app = "FROM alpine\nWORKDIR /app\n"
    srv = Change.simple(app, new_dockerfile=app.replace("/app", "/srv"))
    assert rows(predict(srv)) == [(2, False, "WORKDIR changed (now `/srv`)")]
    longer = Change.simple(app, new_dockerfile=app + "RUN echo more\n")
    assert rows(predict(longer)) == [
        (2, True, None),
        (3, False, "step not in the previous build (line 3)"),
    ]


def test_user_change_busts_the_run() -> None:
    text = "FROM alpine\nCOPY a /a\nUSER root\nRUN id\n"
    change = Change.simple(text, new_dockerfile=text.replace("USER root", "USER nobody"))
    assert rows(predict(change)) == [(2, True, None), (4, False, "USER changed (now `nobody`)")]


def test_inserted_line_leaves_the_steps_above_cached() -> None:
    text = "FROM alpine\nRUN echo a\nRUN echo b\n"
    edited = text.replace("RUN echo b\n", "RUN echo new\nRUN echo b\n")
    result = predict(Change.simple(text, new_dockerfile=edited))
    assert rows(result) == [
        (2, True, None),
        (3, False, "instruction changed (line 3)"),
        (4, False, "parent step at line 3 missed"),
    ]


def test_target_limits_the_stages() -> None:
    result = predict(Change.simple(NODE, files={"src/a.ts": (A, B)}), target="base")
    assert {v.stage_label for v in result.verdicts} == {"base"}
    assert predict(Change.simple(NODE)).to_json()["steps"][0] == {
        "stage": "base",
        "line": 3,
        "instruction": "WORKDIR /app",
        "cached": True,
        "cause": None,
    }


def test_unnamed_stage_is_labelled_by_index_and_causes_speak_korean() -> None:
    text = "FROM alpine\nCOPY a /a\n"
    (step,) = predict(Change.simple(text, files={"a": (A, B)})).to_json("ko")["steps"]
    assert step["stage"] == 0
    assert step["cause"] == "`a`가 바뀜(줄 2에서 복사)"


def test_first_miss_per_stage() -> None:
    result = predict(Change.simple(NODE, files={"package.json": (A, B)}))
    assert {index: v.line for index, v in result.first_misses().items()} == {0: 4, 1: 10}


def test_a_base_image_is_keyed_by_digest_not_name() -> None:
    """BuildKit keys FROM on the manifest digest (source/containerimage mainManifestKey): two
    tags of one image hit; without digests a renamed base is a new one."""
    renamed = NODE.replace("debian:bookworm-slim", "debian:bookworm")
    same = {"debian:bookworm-slim": "sha256:1", "debian:bookworm": "sha256:1"}
    other = {"debian:bookworm-slim": "sha256:1", "debian:bookworm": "sha256:2"}
    for bases, hits in ((same, True), (other, False), ({}, False)):
        change = Change(Build(NODE, bases=bases), Build(renamed, bases=bases), {})
        result = predict(change)
        assert all(v.cached == hits for v in result.verdicts), bases
    unknown = predict(Change(Build(NODE), Build(renamed), {}))
    assert rows(unknown)[0] == (3, False, "FROM changed (line 1)")


def test_copy_from_a_folder_copied_whole_reads_only_what_it_selects() -> None:
    """`COPY dir /out/dir` puts `dir/x` at `/out/dir/x`: an edit of another file of the folder
    leaves what `COPY --from` selects alone, and BuildKit hashes only that."""
    text = (
        "FROM alpine AS src\nCOPY dir /out/dir\nCOPY . /all/\n\n"
        "FROM alpine\nCOPY --from=src /out/dir/c.txt /c\nCOPY --from=src /all/dir/sub /sub\n"
    )
    other = predict(Change.simple(text, files={"dir/d.md": (A, B)}))
    assert misses(other) == [2, 3]
    selected = predict(Change.simple(text, files={"dir/c.txt": (A, B)}))
    assert misses(selected) == [2, 3, 6, 7]
    below = predict(Change.simple(text, files={"dir/sub/e.txt": (A, B)}))
    assert rows(below)[2:] == [
        (6, True, None),
        (7, False, "stage `src` rebuilt and its `/all/dir/sub` differs (line 3)"),
    ]


def test_a_copy_follows_the_symlinks_it_names_not_those_inside_a_folder() -> None:
    """BuildKit follows a source path (or wildcard match) that is a symlink: the target's
    bytes count, not its name. A link inside a copied folder is copied as a link."""
    glob = "FROM alpine\nCOPY dir/*.txt /app/\n"
    folder = "FROM alpine\nCOPY dir /app/\n"
    to_c = FileState.of(b"c.txt", 0o120000)
    to_sub = FileState.of(b"sub/c.txt", 0o120000)
    retargeted = {
        "dir/ln.txt": (
            FileState(to_c.digest, to_c.mode, A),
            FileState(to_sub.digest, to_sub.mode, A),
        )
    }
    assert misses(predict(Change.simple(glob, files=retargeted))) == []
    assert misses(predict(Change.simple(folder, files=retargeted))) == [2]
    target_edited = {
        "dir/ln.txt": (FileState(to_c.digest, to_c.mode, A), FileState(to_c.digest, to_c.mode, B))
    }
    assert rows(predict(Change.simple(glob, files=target_edited))) == [
        (2, False, "`dir/ln.txt` changed (copied at line 2)")
    ]
    assert misses(predict(Change.simple(folder, files=target_edited))) == []
