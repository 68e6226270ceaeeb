"""ARG/ENV scoping with BuildKit's rules."""

from __future__ import annotations

from layerwise.model import Model, State, build_model
from layerwise.syntax import parse


def model(text: str, **build_args: str) -> Model:
    return build_model(parse(text), build_args=build_args or None)


def last_state(text: str, **build_args: str) -> State:
    """The state the last instruction of the last stage runs in."""
    return model(text, **build_args).final_stage.steps[-1].state


def test_global_arg_is_not_visible_in_a_stage_until_redeclared() -> None:
    text = "ARG V=1\nFROM alpine\nRUN echo $V\nARG V\nRUN echo $V\n"
    steps = model(text).stages[0].steps
    assert "V" not in steps[0].state.variables
    assert "V" not in steps[0].state.args
    assert steps[2].state.variables["V"] == "1"
    assert steps[2].state.args == {"V": "1"}


def test_bare_arg_picks_up_the_build_arg_over_the_global_default() -> None:
    text = "ARG V=1\nFROM alpine\nARG V\nRUN true\n"
    assert last_state(text, V="2").variables["V"] == "2"


def test_stage_default_beats_global_default_and_build_arg_beats_both() -> None:
    text = "ARG V=1\nFROM alpine\nARG V=3\nRUN true\n"
    assert last_state(text).variables["V"] == "3"
    assert last_state(text, V="4").variables["V"] == "4"


def test_arg_without_value_or_build_arg_is_declared_but_unset() -> None:
    state = last_state("FROM alpine\nARG V\nRUN true\n")
    assert state.args == {"V": None}
    assert "V" not in state.variables
    assert state.expand("${V:-unset}") == "unset"


def test_each_stage_starts_without_the_previous_stage_args() -> None:
    text = "FROM alpine AS a\nARG V=1\nENV E=1\nFROM alpine\nRUN true\n"
    state = last_state(text)
    assert state.args == {}
    assert "V" not in state.variables and "E" not in state.env


def test_from_an_earlier_stage_inherits_args_and_env() -> None:
    text = "FROM alpine AS a\nARG V=1\nENV E=2\nFROM a\nRUN true\n"
    state = last_state(text)
    assert state.args == {"V": "1"}
    assert state.env["E"] == "2"
    assert state.variables["V"] == "1"


def test_env_after_arg_overrides_the_arg() -> None:
    text = "FROM alpine\nARG V=from-arg\nENV V=from-env\nRUN true\n"
    state = last_state(text, V="from-build-arg")
    assert state.variables["V"] == "from-env"
    assert state.args["V"] == "from-build-arg"


def test_arg_after_env_wins_in_current_buildkit() -> None:
    # dispatchArg adds the ARG to the same environment after the ENV, so the later one wins;
    # the image config keeps the ENV value.
    state = last_state("FROM alpine\nENV V=from-env\nARG V=from-arg\nRUN true\n")
    assert state.variables["V"] == "from-arg"
    assert state.env["V"] == "from-env"


def test_arg_default_can_use_env_and_earlier_args() -> None:
    text = "FROM alpine\nENV BASE=/opt\nARG A=$BASE/a B=${A}/b\nRUN true\n"
    state = last_state(text)
    assert state.args == {"A": "/opt/a", "B": "/opt/a/b"}


def test_env_pairs_expand_against_the_environment_before_the_instruction() -> None:
    text = "FROM alpine\nENV A=old\nENV A=new B=$A\nRUN true\n"
    state = last_state(text)
    assert state.env["A"] == "new"
    assert state.env["B"] == "old"


def test_env_forms() -> None:
    text = (
        "FROM alpine\n"
        'ENV X=1 Y="two words" Z=a\\ b\n'
        "ENV LEGACY value with  spaces\n"
        "ENV Q='$X' R=\"$X\"\n"
        "RUN true\n"
    )
    env = last_state(text).env
    assert env["X"] == "1"
    assert env["Y"] == "two words"
    assert env["Z"] == "a b"
    assert env["LEGACY"] == "value with  spaces"
    assert env["Q"] == "$X"
    assert env["R"] == "1"


def test_arg_quotes_are_removed() -> None:
    state = last_state("FROM alpine\nARG A=\"x y\" B='$A'\nRUN true\n")
    assert state.args == {"A": "x y", "B": "$A"}


def test_automatic_platform_args_only_when_declared() -> None:
    text = "FROM alpine\nRUN true\nARG TARGETPLATFORM TARGETARCH\nRUN true\n"
    steps = model(text).stages[0].steps
    assert "TARGETPLATFORM" not in steps[0].state.variables
    assert steps[2].state.args == {"TARGETPLATFORM": "$TARGETPLATFORM", "TARGETARCH": "$TARGETARCH"}
    assert steps[2].state.expand("npm-${TARGETPLATFORM}") == "npm-$TARGETPLATFORM"
    overridden = model(text, TARGETARCH="arm64").stages[0].steps[2].state
    assert overridden.args["TARGETARCH"] == "arm64"


def test_proxy_args_count_only_when_declared() -> None:
    text = "FROM alpine\nARG HTTP_PROXY\nRUN true\n"
    assert last_state(text).args == {"HTTP_PROXY": None}
    assert last_state(text, HTTP_PROXY="http://p:3128").variables["HTTP_PROXY"] == "http://p:3128"
    assert "HTTP_PROXY" not in last_state("FROM alpine\nRUN true\n", HTTP_PROXY="x").variables


def test_undeclared_build_args_are_ignored() -> None:
    m = model("FROM alpine\nRUN true\n", NOT_DECLARED="x")
    assert "NOT_DECLARED" not in m.final_stage.steps[0].state.variables
    assert m.global_args == {}


def test_global_arg_without_default_is_none() -> None:
    m = model("ARG V\nFROM alpine${V}\n")
    assert m.global_args == {"V": None}
    assert m.stages[0].base == "alpine"


def test_backtick_escape_directive_is_honoured() -> None:
    text = (
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore\n"
        "ENV P=C:\\tools\\bin Q=`$X\nRUN dir\n"
    )
    state = last_state(text)
    assert state.escape == "`"
    assert state.env["P"] == "C:\\tools\\bin"
    assert state.env["Q"] == "$X"


def test_bad_substitution_inside_a_stage_is_a_problem_for_that_stage_only() -> None:
    text = "FROM alpine AS a\nENV A=${B:?required}\nFROM alpine\nRUN true\n"
    m = model(text)
    assert m.problems_for() == ()
    (problem,) = m.problems_for("a")
    assert "B: required" in problem.message
    assert (problem.line, problem.col) == (2, 1)
