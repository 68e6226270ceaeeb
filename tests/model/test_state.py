"""WORKDIR, USER, home, SHELL and ONBUILD at each step."""

from __future__ import annotations

import pytest

from layerwise.model import DEFAULT_SHELL, Model, State, build_model
from layerwise.model.state import resolve_workdir
from layerwise.syntax import parse


def model(text: str, **build_args: str) -> Model:
    return build_model(parse(text), build_args=build_args or None)


def states(text: str) -> list[State]:
    return [step.state for step in model(text).final_stage.steps]


def test_state_is_before_the_instruction_effect() -> None:
    s = states("FROM alpine\nWORKDIR /app\nUSER nobody\nRUN true\n")
    assert (s[0].workdir, s[0].user) == ("/", "root")
    assert (s[1].workdir, s[1].user) == ("/app", "root")
    assert (s[2].workdir, s[2].user) == ("/app", "nobody")


def test_workdir_resolution() -> None:
    text = (
        "FROM alpine\n"
        "WORKDIR app\n"
        "WORKDIR src/\n"
        "WORKDIR ../lib\n"
        "ENV ROOT=/srv\n"
        "WORKDIR $ROOT/./x//y\n"
        "WORKDIR ${MISSING}sub\n"
        "RUN true\n"
    )
    assert [s.workdir for s in states(text)] == [
        "/",
        "/app",
        "/app/src",
        "/app/lib",
        "/app/lib",
        "/srv/x/y",
        "/srv/x/y/sub",
    ]


@pytest.mark.parametrize(
    ("current", "requested", "expected"),
    [
        ("/", "/", "/"),
        ("/", "..", "/"),
        ("/a", "//b", "/b"),
        ("/a", "b/../../..", "/"),
        ("/a/b", ".", "/a/b"),
        ("/", "a/", "/a"),
    ],
)
def test_resolve_workdir_cleans_like_go(current: str, requested: str, expected: str) -> None:
    assert resolve_workdir(current, requested) == expected


def test_known_image_workdir_and_inheritance_from_a_stage() -> None:
    text = "FROM golang:1.19 AS build\nRUN go build\nWORKDIR /src\nFROM build\nRUN true\n"
    m = model(text)
    assert m.stages[0].steps[0].state.workdir == "/go"
    assert m.stages[1].steps[0].state.workdir == "/src"


@pytest.mark.parametrize(
    ("base", "user", "home", "uid_gid"),
    [
        ("alpine", None, "/root", ("0", "0")),
        ("alpine", "root", "/root", ("0", "0")),
        ("alpine", "0", "/root", ("0", "0")),
        ("alpine", "0:0", "/root", ("0", "0")),
        ("node:20-slim", "node", "/home/node", ("1000", "1000")),
        ("docker.io/library/node:20", "node:node", "/home/node", ("1000", "1000")),
        ("node:20", "1000", "/home/node", ("1000", "1000")),
        ("node:20", "1000:1000", "/home/node", ("1000", "1000")),
        ("debian:bookworm", "node", "/home/node", None),  # no node user in debian
        ("alpine", "app", "/home/app", None),
        ("alpine", "app:0", "/home/app", None),
        ("alpine", "1001", "/", ("1001", "1001")),
        ("alpine", "1001:2000", "/", ("1001", "2000")),
        ("alpine", "nobody", "/nonexistent", ("65534", "65534")),
    ],
)
def test_user_home_and_ids(
    base: str, user: str | None, home: str, uid_gid: tuple[str, str] | None
) -> None:
    text = f"FROM {base}\n" + (f"USER {user}\n" if user else "") + "RUN true\n"
    state = states(text)[-1]
    assert state.home == home
    assert state.uid_gid == uid_gid


def test_user_is_expanded_and_explicit_home_wins() -> None:
    text = "FROM node:20\nARG U=node\nUSER $U\nENV HOME=/data\nRUN true\n"
    s = states(text)
    assert s[2].user == "node"
    assert s[2].home == "/home/node"
    assert s[3].home == "/data"


def test_user_inherited_from_a_stage_keeps_the_image_family() -> None:
    text = "FROM node:20 AS base\nUSER node\nFROM base\nRUN npm ci\n"
    state = states(text)[-1]
    assert state.user == "node"
    assert state.uid_gid == ("1000", "1000")


def test_shell() -> None:
    text = 'FROM alpine\nRUN a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN b\n'
    s = states(text)
    assert s[0].shell == DEFAULT_SHELL == ("/bin/sh", "-c")
    assert s[2].shell == ("/bin/bash", "-o", "pipefail", "-c")


def test_onbuild_is_not_executed() -> None:
    text = "FROM alpine\nONBUILD WORKDIR /x\nONBUILD USER nobody\nONBUILD ENV A=1\nRUN true\n"
    state = states(text)[-1]
    assert state.workdir == "/"
    assert state.user == "root"
    assert "A" not in state.env


def test_default_path_is_assumed() -> None:
    text = "FROM alpine\nENV PATH=/app/bin:$PATH\nRUN true\n"
    assert states(text)[-1].env["PATH"].startswith("/app/bin:/usr/local/sbin:")


def test_scratch_has_no_image_family() -> None:
    state = states("FROM scratch\nCOPY a /a\n")[0]
    assert state.image_family is None
    assert state.home == "/root"


def test_windows_workdirs_are_kept() -> None:
    assert resolve_workdir("/", "C:\\app") == "C:\\app"
    assert resolve_workdir("C:\\app", "src") == "C:\\app\\src"


def test_known_image_env() -> None:
    state = states("FROM golang:1.19\nRUN go mod download\n")[0]
    assert state.env["GOPATH"] == "/go"
    assert state.expand("$GOPATH/pkg/mod") == "/go/pkg/mod"
    assert "GOPATH" not in states("FROM debian\nRUN true\n")[0].env


def test_a_word_buildkit_cannot_expand_stays_as_written() -> None:
    # Found by benchmarks/fuzz.py: `COPY --from=build " /x` crashed LW301/LW303's destination
    # lookup; the model reports the word (LW407) and the rules read it as written.
    m = build_model(parse('FROM alpine AS build\nFROM alpine\nCOPY --from=build " /x\n'))
    step = m.stages[1].steps[0]
    assert step.state.expand('"') == '"'
    assert [d.kind.value for d in m.diagnostics] == ["invalid-variable-substitution"]


@pytest.mark.parametrize(
    ("line", "home", "uid_gid"),
    [
        ("USER $APP_UID", "/home/app", ("1654", "1654")),
        ("USER app", "/home/app", ("1654", "1654")),
        ("USER ${APP_UID}:${APP_UID}", "/home/app", ("1654", "1654")),
    ],
)
def test_dotnet_images_app_user(line: str, home: str, uid_gid: tuple[str, str]) -> None:
    """Microsoft's .NET images (8.0 on) set ENV APP_UID=1654 for their `app` user."""
    text = f"FROM mcr.microsoft.com/dotnet/sdk:8.0\n{line}\nRUN dotnet restore\n"
    state = states(text)[-1]
    assert (state.home, state.uid_gid) == (home, uid_gid)


def test_sdk_elsewhere_is_not_dotnet() -> None:
    state = states("FROM example.com/tools/sdk:1\nUSER app\nRUN true\n")[-1]
    assert state.image_family == "sdk"
    assert state.uid_gid is None
