"""Property tests for build_model on generated Dockerfiles, against small independent oracles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from layerwise.model import build_model
from layerwise.syntax import parse


@st.composite
def graphs(draw: st.DrawFn) -> tuple[str, list[set[int]]]:
    """A multi-stage Dockerfile and, per stage, the earlier stages it reads from."""
    count = draw(st.integers(1, 6))
    lines: list[str] = []
    deps: list[set[int]] = []
    for i in range(count):
        mine: set[int] = set()
        if i and draw(st.booleans()):
            base = draw(st.integers(0, i - 1))
            mine.add(base)
            lines.append(f"FROM s{base} AS S{i}")  # AS names are lower-cased
        else:
            lines.append(f"FROM alpine:3.{i} AS s{i}")
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["name", "index", "image", "mount", "run"]))
            if kind == "image":
                lines.append("COPY --from=busybox:latest /bin/sh /sh")
            elif kind == "run" or not i:
                lines.append("RUN true")
            else:
                src = draw(st.integers(0, i - 1))
                mine.add(src)
                if kind == "name":
                    lines.append(f"COPY --from=s{src} /a /a")
                elif kind == "index":
                    lines.append(f"COPY --from={src} /a /a")
                else:
                    lines.append(f"RUN --mount=type=bind,from=s{src},target=/m true")
        deps.append(mine)
    return "\n".join(lines) + "\n", deps


@given(graphs(), st.data())
def test_graph_and_needed_stages(graph: tuple[str, list[set[int]]], data: st.DataObject) -> None:
    text, deps = graph
    m = build_model(parse(text))
    assert [set(s.depends_on) for s in m.stages] == deps
    target = data.draw(st.integers(0, len(deps) - 1))
    closure, todo = set(), [target]
    while todo:
        index = todo.pop()
        if index not in closure:
            closure.add(index)
            todo.extend(deps[index])
    assert [s.index for s in m.needed_stages(f"S{target}")] == sorted(closure)
    assert m.diagnostics == ()


SEGMENTS = st.lists(st.sampled_from(["a", "b", ".", "..", "", "c.d"]), max_size=4)


@given(st.lists(st.tuples(st.booleans(), SEGMENTS), min_size=1, max_size=5))
def test_workdir_matches_a_component_stack(workdirs: list[tuple[bool, list[str]]]) -> None:
    lines = ["FROM alpine"]
    stack: list[str] = []
    for absolute, parts in workdirs:
        path = ("/" if absolute else "") + "/".join(parts)
        if not path:
            continue  # `WORKDIR` needs an argument
        lines.append(f"WORKDIR {path}")
        if path.startswith("/"):
            stack = []
        for part in parts:
            if part == "..":
                if stack:
                    stack.pop()
            elif part not in ("", "."):
                stack.append(part)
    lines.append("RUN true")
    state = build_model(parse("\n".join(lines) + "\n")).final_stage.steps[-1].state
    assert state.workdir == "/" + "/".join(stack)


NAMES = st.sampled_from(["A", "B", "C"])
VALUES = st.sampled_from(["1", "2", "x"])


@given(
    st.dictionaries(NAMES, st.one_of(st.none(), VALUES), max_size=3),
    st.lists(st.tuples(st.sampled_from(["ARG", "ARG=", "ENV"]), NAMES, VALUES), max_size=6),
    st.dictionaries(NAMES, VALUES, max_size=3),
)
def test_arg_scoping_follows_the_documented_rules(
    globals_: dict[str, str | None],
    body: list[tuple[str, str, str]],
    build_args: dict[str, str],
) -> None:
    lines = [f"ARG {k}" if v is None else f"ARG {k}={v}" for k, v in globals_.items()]
    lines.append("FROM alpine")
    # Oracle: the Dockerfile reference's rules, applied in order.
    global_values = {k: build_args.get(k, v) for k, v in globals_.items()}
    seen: dict[str, str] = {}
    for kind, name, value in body:
        if kind == "ENV":
            lines.append(f"ENV {name}={value}")
            seen[name] = value
            continue
        if kind == "ARG=":
            lines.append(f"ARG {name}={value}")
            resolved: str | None = build_args.get(name, value)
        else:
            lines.append(f"ARG {name}")
            resolved = build_args.get(name, global_values.get(name))
        if resolved is not None:
            seen[name] = resolved
    lines.append("RUN true")
    state = build_model(parse("\n".join(lines) + "\n"), build_args=build_args).final_stage
    variables = dict(state.steps[-1].state.variables)
    variables.pop("PATH")
    assert variables == seen
