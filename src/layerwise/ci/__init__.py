"""layerwise.ci: CI pipelines read and written.

Readers turn a Jenkinsfile, a GitHub Actions workflow, a .gitlab-ci.yml, a Bitbucket or
CodeBuild file into one `Pipeline` (its builds with their cache flags, prunes, DOCKER_BUILDKIT
settings, the kind of agent); the LW9xx rules in `ci/rules/` check it (`check_pipeline`);
`generate` writes a pipeline whose build step caches right.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layerwise.ci.check import PipelineOutcome, check_pipeline, run_pipeline_file
    from layerwise.ci.model import Agent, Build, Pipeline, ShellCommand, Value
    from layerwise.ci.read import discover, parse_pipeline, read_pipeline

# Loaded on first use: the rule registry imports `layerwise.ci.rules` on every `layerwise
# check`, and the readers bring PyYAML, whose import costs each start of a Dockerfile check.
_HOMES = {
    "PipelineOutcome": "check",
    "check_pipeline": "check",
    "run_pipeline_file": "check",
    "Agent": "model",
    "Build": "model",
    "Pipeline": "model",
    "ShellCommand": "model",
    "Value": "model",
    "discover": "read",
    "parse_pipeline": "read",
    "read_pipeline": "read",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'layerwise.ci' has no attribute {name!r}")
    return getattr(import_module(f"layerwise.ci.{home}"), name)


__all__ = [
    "Agent",
    "Build",
    "Pipeline",
    "PipelineOutcome",
    "ShellCommand",
    "Value",
    "check_pipeline",
    "discover",
    "parse_pipeline",
    "read_pipeline",
    "run_pipeline_file",
]
