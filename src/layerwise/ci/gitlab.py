"""GitLab CI, Bitbucket Pipelines and AWS CodeBuild buildspecs: YAML files whose shell lines sit
in lists under known keys (`script:`, `commands:`)."""

from __future__ import annotations

from collections.abc import Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from layerwise.ci.model import Agent, Pipeline, Value
from layerwise.ci.positions import Lines
from layerwise.ci.shell_lines import ShellFindings, read_shell
from layerwise.ci.yaml_nodes import compose, env_of, get, items, mapped, scalar, scripts, value

_GITLAB_KEYWORDS = frozenset(
    {"stages", "variables", "default", "include", "workflow", "image", "services", "cache"}
    | {"before_script", "after_script"}
)
_GITLAB_SCRIPTS = ("before_script", "script", "after_script")


def read_gitlab(path: str, text: str) -> Pipeline:
    root = compose(path, text)
    lines = Lines(text)
    found = ShellFindings()
    top_env = env_of(get(root, "variables"))
    default = get(root, "default")
    dind = _dind(get(root, "services")) or _dind(get(default, "services"))
    agents: list[bool] = []
    _settings(top_env, text, lines, found)
    for name, job in items(root):
        if name in _GITLAB_KEYWORDS or not isinstance(job, MappingNode):
            continue
        env = {**top_env, **env_of(get(job, "variables"))}
        _settings(env_of(get(job, "variables")), text, lines, found)
        plain = {k: v for k, (v, _) in env.items()}
        agents.append(dind or _dind(get(job, "services")))
        for key in _GITLAB_SCRIPTS:
            for line in scripts(get(job, key) or get(default, key)):
                read_shell(mapped(line, text), lines, found, job=name, env=plain)
    # A docker:dind service is a fresh daemon per job: its builder starts empty.
    agent = Agent.EPHEMERAL if agents and all(agents) else Agent.UNKNOWN
    return _pipeline(path, text, "gitlab", agent, found, lines)


def read_listed(path: str, text: str, provider: str) -> Pipeline:
    """Bitbucket (`script:` lists under `pipelines:`) and CodeBuild (`commands:` under
    `phases:`): hosted, so every build starts with an empty builder."""
    root = compose(path, text)
    lines = Lines(text)
    found = ShellFindings()
    env_node = get(get(root, "env"), "variables") if provider == "codebuild" else None
    env = env_of(env_node)
    _settings(env, text, lines, found)
    plain = {k: v for k, (v, _) in env.items()}
    key = "commands" if provider == "codebuild" else "script"
    for node in _under(root, key):
        for line in scripts(node):
            read_shell(mapped(line, text), lines, found, env=plain)
    return _pipeline(path, text, provider, Agent.EPHEMERAL, found, lines)


def _under(node: Node | None, key: str) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                yield v
            else:
                yield from _under(v, key)
    elif isinstance(node, SequenceNode):
        for child in node.value:
            yield from _under(child, key)


def _dind(node: Node | None) -> bool:
    if not isinstance(node, SequenceNode):
        return False
    for child in node.value:
        name = scalar(child) or scalar(get(child, "name")) or ""
        if "dind" in name:
            return True
    return False


def _settings(
    env: dict[str, tuple[str, ScalarNode]], text: str, lines: Lines, found: ShellFindings
) -> None:
    for key, (val, node) in env.items():
        if key == "DOCKER_BUILDKIT":
            found.buildkit_settings.append(Value(f"{key}={val}", value(node, text, lines).span))


def _pipeline(
    path: str, text: str, provider: str, agent: Agent, found: ShellFindings, lines: Lines
) -> Pipeline:
    return Pipeline(
        path=path,
        text=text,
        provider=provider,
        agent=agent,
        builds=tuple(found.builds),
        commands=tuple(found.commands),
        buildkit_settings=tuple(found.buildkit_settings),
        notes=tuple((lines.span(s, e), kind) for s, e, kind in found.notes),
    )
