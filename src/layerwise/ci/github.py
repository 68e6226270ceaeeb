"""GitHub Actions workflows: `run:` steps, docker/build-push-action inputs, the runner."""

from __future__ import annotations

import re

from yaml.nodes import Node, ScalarNode, SequenceNode

from layerwise.ci.model import Agent, Build, Pipeline, Value
from layerwise.ci.positions import Lines
from layerwise.ci.shell_lines import ShellFindings, expressions_as_variables, read_shell
from layerwise.ci.yaml_nodes import compose, env_of, get, items, line_values, mapped, scalar, value

BUILD_PUSH_ACTION = "docker/build-push-action"
BAKE_ACTION = "docker/bake-action"
_EXPRESSION = re.compile(r"\$\{\{[^}\n]*\}\}")


def read_workflow(path: str, text: str) -> Pipeline:
    root = compose(path, text)
    lines = Lines(text)
    found = ShellFindings()
    agents: list[Agent] = []
    workflow_env = env_of(get(root, "env"))
    for name, job in items(get(root, "jobs")):
        agents.append(_runner(get(job, "runs-on")))
        job_env = {**workflow_env, **env_of(get(job, "env"))}
        steps = get(job, "steps")
        for step in steps.value if isinstance(steps, SequenceNode) else []:
            env = {**job_env, **env_of(get(step, "env"))}
            for key, (val, scalar_node) in env.items():
                if key == "DOCKER_BUILDKIT":
                    found.buildkit_settings.append(_setting(key, val, scalar_node, text, lines))
            run = get(step, "run")
            uses = scalar(get(step, "uses")) or ""
            if isinstance(run, ScalarNode):
                plain = {k: v for k, (v, _) in env.items()}
                script = expressions_as_variables(mapped(run, text), _EXPRESSION)
                read_shell(script, lines, found, job=name, env=plain)
            elif uses.startswith(BUILD_PUSH_ACTION):
                found.builds.append(_action_build(step, get(step, "with"), text, lines, name))
            elif uses.startswith(BAKE_ACTION):
                node = get(step, "uses")
                assert node is not None
                found.notes.append((node.start_mark.index, node.end_mark.index, "bake"))
    agent = (
        Agent.EPHEMERAL if agents and all(a is Agent.EPHEMERAL for a in agents) else (Agent.UNKNOWN)
    )
    settings = {(v.span.start, v.text): v for v in found.buildkit_settings}
    return Pipeline(
        path=path,
        text=text,
        provider="github",
        agent=agent,
        builds=tuple(found.builds),
        commands=tuple(found.commands),
        buildkit_settings=tuple(settings.values()),
        notes=tuple((lines.span(s, e), kind) for s, e, kind in found.notes),
    )


def _setting(key: str, val: str, node: ScalarNode, text: str, lines: Lines) -> Value:
    return Value(f"{key}={val}", value(node, text, lines).span)


def _runner(node: Node | None) -> Agent:
    """GitHub-hosted runners start empty; a self-hosted one may keep its builder."""
    labels = [scalar(node)] if isinstance(node, ScalarNode) else []
    if isinstance(node, SequenceNode):
        labels = [scalar(n) for n in node.value]
    labels_node = get(node, "labels") or get(node, "group")
    if labels_node is not None or any(label and "self-hosted" in label for label in labels):
        return Agent.UNKNOWN
    return Agent.EPHEMERAL


def _action_build(step: Node, inputs: Node | None, text: str, lines: Lines, job: str) -> Build:
    def one(key: str) -> Value | None:
        node = get(inputs, key)
        return value(node, text, lines) if isinstance(node, ScalarNode) else None

    def many(key: str) -> tuple[Value, ...]:
        node = get(inputs, key)
        return line_values(node, text, lines) if isinstance(node, ScalarNode) else ()

    def true(key: str) -> Value | None:
        found = one(key)
        return found if found is not None and found.text.strip().lower() == "true" else None

    uses = get(step, "uses")
    assert uses is not None
    span = lines.span(uses.start_mark.index, uses.end_mark.index)
    return Build(
        kind="build-push-action",
        span=span,
        text=scalar(uses) or "",
        cache_from=many("cache-from"),
        cache_to=many("cache-to"),
        platforms=many("platforms"),
        push=true("push"),
        dockerfile=one("file"),
        context=one("context"),
        target=one("target"),
        no_cache=true("no-cache"),
        pull=true("pull"),
        build_args=many("build-args"),
        job=job,
    )
