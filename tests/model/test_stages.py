"""Stages, the build graph and the errors BuildKit raises about them."""

from __future__ import annotations

import pytest

from layerwise.errors import LayerwiseError
from layerwise.model import DiagnosticKind, Model, build_model
from layerwise.syntax import parse

MULTI = """\
# syntax=docker/dockerfile:1
ARG NODE_VERSION=20
FROM node:${NODE_VERSION}-slim AS Base
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

FROM golang:1.19 AS tools
RUN go install example.com/tool@latest

FROM deps AS build
COPY . .
RUN --mount=type=bind,from=tools,source=/go/bin,target=/tools npm run build

FROM base AS test
COPY --from=deps /app/node_modules ./node_modules

FROM node:20-slim
COPY --from=build /app/dist ./dist
COPY --from=1 /app/node_modules ./node_modules
COPY --from=nginx:alpine /etc/nginx/nginx.conf /etc/nginx/
"""


def model(text: str, **build_args: str) -> Model:
    return build_model(parse(text, path="Dockerfile"), build_args=build_args or None)


def test_stages_names_bases_and_graph() -> None:
    m = model(MULTI)
    assert [s.name for s in m.stages] == ["base", "deps", "tools", "build", "test", None]
    assert [s.base for s in m.stages] == [
        "node:20-slim",
        "base",
        "golang:1.19",
        "deps",
        "base",
        "node:20-slim",
    ]
    assert [s.depends_on for s in m.stages] == [(), (0,), (), (1, 2), (0, 1), (1, 3)]
    assert m.stages[3].base_stage is m.stages[1]
    assert m.stages[0].base_stage is None
    assert m.stages[5].external_copies == ("nginx:alpine",)
    assert m.stages[3].steps[1].source_stages == (2,)
    assert m.final_stage is m.stages[5]
    assert m.stage("BUILD") is m.stages[3]
    assert m.stage(2) is m.stages[2]
    assert m.stage("missing") is None
    assert m.global_args == {"NODE_VERSION": "20"}


def test_needed_stages_follow_the_graph_in_build_order() -> None:
    m = model(MULTI)
    assert [s.index for s in m.needed_stages()] == [0, 1, 2, 3, 5]
    assert [s.index for s in m.needed_stages("test")] == [0, 1, 4]
    assert [s.index for s in m.needed_stages("Tools")] == [2]
    with pytest.raises(LayerwiseError, match="target stage 'nope' could not be found"):
        m.needed_stages("nope")


def test_to_json_has_exactly_the_parse_keys() -> None:
    m = model(MULTI)
    assert m.stages[3].to_json() == {
        "index": 3,
        "name": "build",
        "base": "deps",
        "platform": None,
        "depends_on": [1, 2],
    }


def test_steps_are_the_instructions_after_from() -> None:
    m = model(MULTI)
    assert [s.instruction.name for s in m.stages[1].steps] == ["COPY", "RUN"]
    assert all(step.stage == 1 for step in m.stages[1].steps)
    assert len(m.steps) == sum(len(s.steps) for s in m.stages)
    step = m.stages[1].steps[1]
    assert m.step_for(step.instruction) is step


def test_build_args_override_global_args_in_from() -> None:
    m = model(MULTI, NODE_VERSION="22")
    assert m.stages[0].base == "node:22-slim"
    assert m.global_args == {"NODE_VERSION": "22"}


def test_global_arg_defaults_see_earlier_global_args() -> None:
    m = model("ARG V=1\nARG IMG=alpine:3.$V\nFROM $IMG\n")
    assert m.stages[0].base == "alpine:3.1"


def test_unknown_variable_in_from_expands_to_empty() -> None:
    assert model("FROM alpine${TAG}\n").stages[0].base == "alpine"


def test_from_a_later_stage_name_is_an_image() -> None:
    m = model("FROM later AS first\nFROM alpine AS later\n")
    assert m.stages[0].base_stage is None
    assert m.stages[0].depends_on == ()


def test_platform_keeps_automatic_args_symbolic() -> None:
    text = (
        "FROM --platform=$BUILDPLATFORM golang:1.19 AS build\nFROM --platform=linux/arm64 alpine\n"
    )
    m = model(text)
    assert m.stages[0].platform == "$BUILDPLATFORM"
    assert m.stages[0].platform_vars == {"BUILDPLATFORM"}
    assert m.stages[1].platform == "linux/arm64"
    assert m.stages[1].platform_vars == frozenset()
    overridden = model(text, BUILDPLATFORM="linux/amd64")
    assert overridden.stages[0].platform == "linux/amd64"
    assert overridden.stages[0].platform_vars == frozenset()


def test_platform_from_a_global_arg() -> None:
    m = model("ARG P=linux/amd64\nFROM --platform=${P} alpine\n")
    assert m.stages[0].platform == "linux/amd64"


def test_scratch_stage() -> None:
    m = model("FROM scratch AS out\nCOPY a /a\n")
    assert m.stages[0].is_scratch


def test_stage_ref_as_buildkit_prints_it() -> None:
    m = model("FROM alpine\nFROM alpine AS named\n")
    assert [s.ref for s in m.stages] == ["stage-0", "named"]


MALFORMED = DiagnosticKind.MALFORMED_FROM
BEFORE_FROM = DiagnosticKind.INSTRUCTION_BEFORE_FROM
SUBSTITUTION = DiagnosticKind.INVALID_VARIABLE_SUBSTITUTION
REFERENCE = DiagnosticKind.INVALID_BASE_IMAGE_REFERENCE
STAGE_REF = DiagnosticKind.INVALID_STAGE_REFERENCE
NO_DEST = DiagnosticKind.COPY_WITHOUT_DESTINATION


@pytest.mark.parametrize(
    ("text", "kind", "message", "line", "col"),
    [
        ("RUN echo\nFROM alpine\n", BEFORE_FROM, "no build stage in current context", 1, 1),
        ("ARG ONLY=1\n", BEFORE_FROM, "dockerfile contains no stages to build", 1, 1),
        ("FROM alpine AS 1st\n", MALFORMED, "invalid name for build stage: '1st'", 1, 1),
        ("FROM alpine AS a$b\n", MALFORMED, "invalid name for build stage", 1, 1),
        ("FROM alpine foo\n", MALFORMED, "FROM requires either one or three arguments", 1, 1),
        ("FROM alpine\n  FROM ${X:?unset}\n", SUBSTITUTION, "X: unset", 2, 3),
        ("ARG X=${Y\nFROM alpine\n", SUBSTITUTION, "missing '}'", 1, 1),
        ("ARG EMPTY=\nFROM $EMPTY\n", REFERENCE, "base name ($EMPTY) should not be blank", 2, 1),
        ("ARG P=\nFROM --platform=$P alpine\n", MALFORMED, "empty platform value", 2, 1),
        ("FROM alpine\nCOPY --from=3 /a /b\n", STAGE_REF, "invalid stage index 3", 2, 1),
        ("FROM alpine\nCOPY --from=-1 /a /b\n", STAGE_REF, "invalid stage index -1", 2, 1),
        (
            "FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n",
            STAGE_REF,
            "circular dependency detected on stage: a",
            2,
            1,
        ),
        ("FROM alpine AS me\nCOPY --from=me /x /y\n", STAGE_REF, "circular dependency", 2, 1),
        ("FROM alpine\nFETCH x\n", DiagnosticKind.UNKNOWN_INSTRUCTION, "unknown instruction", 2, 1),
        ("FROM alpine\nCOPY --from=x\n", NO_DEST, "COPY requires at least two arguments", 2, 1),
    ],
)
def test_what_buildkit_refuses_for_any_target_is_a_diagnostic(
    text: str, kind: DiagnosticKind, message: str, line: int, col: int
) -> None:
    # A cycle also holds a COPY --from a later stage, which fails that stage's builds only.
    (diagnostic,) = [d for d in model(text).diagnostics if d.stage is None]
    assert diagnostic.kind is kind
    error = diagnostic.error("Dockerfile")
    assert message in error.message
    assert (error.path, error.line, error.col) == ("Dockerfile", line, col)


def test_copy_from_a_later_stage_fails_only_the_targets_that_build_it() -> None:
    text = "FROM alpine AS a\nRUN true\nFROM alpine AS b\nCOPY --from=c /x /x\nFROM alpine AS c\n"
    m = model(text)
    assert m.stages[1].depends_on == (2,)
    (problem,) = m.problems_for("b")
    assert "cannot copy from stage 'c', it needs to be defined before current stage 'b'" in str(
        problem
    )
    assert (problem.line, problem.col) == (4, 1)
    assert m.problems_for("a") == ()
    assert m.problems_for() == ()  # the last stage, c, does not need b


def test_mount_from_a_later_stage_is_a_problem() -> None:
    text = "FROM alpine AS a\nRUN --mount=from=b,target=/b true\nFROM alpine AS b\n"
    m = model(text)
    assert m.stages[0].depends_on == (1,)
    assert "cannot mount from stage 'b'" in str(m.problems_for("a")[0])


def test_mount_from_is_by_name_only() -> None:
    # BuildKit resolves a mount's from= by stage name; a number is an image reference.
    m = model("FROM alpine AS a\nFROM alpine\nRUN --mount=type=bind,from=0,target=/x true\n")
    assert m.stages[1].depends_on == ()
    assert m.stages[1].external_copies == ("0",)


def test_duplicate_and_reserved_stage_names_are_warnings() -> None:
    m = model("FROM alpine AS dup\nFROM alpine AS dup\nFROM alpine AS scratch\n")
    messages = [w.message for w in m.warnings]
    assert any("DuplicateStageName" in w for w in messages)
    assert any("ReservedStageName" in w for w in messages)
    # The last definition wins for lookups, as in BuildKit's name map.
    assert m.stage("dup") is m.stages[1]


def test_copy_from_uses_the_last_stage_of_a_duplicated_name() -> None:
    m = model("FROM alpine AS x\nFROM alpine AS x\nFROM alpine\nCOPY --from=x /a /a\n")
    assert m.stages[2].depends_on == (1,)


def test_onbuild_triggers_of_a_base_stage_are_recorded_and_add_dependencies() -> None:
    text = (
        "FROM alpine AS assets\nFROM alpine AS base\nONBUILD COPY --from=assets /a /a\nFROM base\n"
    )
    m = model(text)
    assert [i.name for i in m.stages[2].onbuild_triggers] == ["COPY"]
    assert m.stages[2].depends_on == (0, 1)
    assert m.stages[1].depends_on == ()  # the trigger does not run in its own stage


def test_undeclared_variable_in_from_is_a_warning() -> None:
    m = model("ARG DECLARED\nFROM alpine${DECLARED}${TAG}\nFROM --platform=$BUILDPLATFORM alpine\n")
    assert [w.message for w in m.warnings] == [
        "FROM argument 'TAG' is not declared (UndefinedArgInFrom)"
    ]
    assert (m.warnings[0].line, m.warnings[0].col) == (2, 1)


def test_from_a_stage_named_through_a_variable() -> None:
    m = model("ARG SRC=build\nFROM alpine AS build\nFROM ${SRC}\n")
    assert m.stages[1].base_stage is m.stages[0]


def test_stage_names_are_lower_cased_but_from_must_use_lower_case() -> None:
    # Checked on BuildKit 0.8: `AS Build` + `FROM build` builds; `FROM S0` fails for any target.
    m = model("FROM alpine AS Build\nFROM build\n")
    assert m.stages[1].base_stage is m.stages[0]
    (diagnostic,) = model("FROM alpine AS s0\nFROM S0 AS s1\n").diagnostics
    assert "repository name must be lowercase" in diagnostic.message
    assert diagnostic.instruction.start_line == 2


@pytest.mark.parametrize(
    "base",
    [
        "alpine",
        "alpine:3.19",
        "library/alpine:latest",
        "registry.example.com:5000/Team/app:v1".replace("Team", "team"),
        "localhost/app",
        "MyRegistry.io/app:Tag_1",
        "alpine@sha256:" + "a" * 64,
        "[::1]:5000/app",
    ],
)
def test_valid_image_references(base: str) -> None:
    assert model(f"FROM {base}\n").stages[0].base == base


@pytest.mark.parametrize("base", ["Alpine", "alpine:", "a//b", "-x", "app:-tag", "a" * 64])
def test_invalid_image_references_fail_and_the_stage_keeps_the_name(base: str) -> None:
    m = model(f"FROM {base}\nRUN true\n")
    (diagnostic,) = m.diagnostics
    assert diagnostic.kind is REFERENCE
    assert "failed to parse stage name" in diagnostic.message
    assert m.stages[0].base == base
    assert len(m.stages[0].steps) == 1


def test_symbolic_bases_are_not_validated() -> None:
    assert model("FROM golang:${TARGETARCH}\n").stages[0].base == "golang:$TARGETARCH"


def test_from_lines_that_need_a_build_arg_are_warnings_not_errors() -> None:
    text = (
        "ARG REGISTRY\nARG IMG\nFROM ${REGISTRY}/app:1\nFROM $IMG\nFROM --platform=$PLAT alpine\n"
    )
    m = model(text)
    assert [s.base for s in m.stages] == ["/app:1", "$IMG", "alpine"]
    assert m.stages[2].platform == "$PLAT"
    messages = [w.message for w in m.warnings]
    assert any("invalid reference format" in w and "--build-arg" in w for w in messages)
    assert any("should not be blank unless a --build-arg" in w for w in messages)
    assert any("empty platform value" in w for w in messages)
    assert model(text, REGISTRY="r.example.com", IMG="alpine").stages[0].base == (
        "r.example.com/app:1"
    )


def test_effective_platform_is_inherited_along_from_stage() -> None:
    text = "FROM --platform=$BUILDPLATFORM node:20 AS build\nFROM build AS bundle\nFROM node:20\n"
    m = model(text)
    assert m.stages[1].platform is None
    assert m.stages[1].effective_platform == "$BUILDPLATFORM"
    assert m.stages[2].effective_platform is None
