"""layerwise.ci: CI pipelines read and written.

Readers turn a Jenkinsfile, a GitHub Actions workflow, a .gitlab-ci.yml, a Bitbucket or
CodeBuild file into one `Pipeline` (its builds with their cache flags, prunes, DOCKER_BUILDKIT
settings, the kind of agent); the LW9xx rules in `ci/rules/` check it (`check_pipeline`);
`generate` writes a pipeline whose build step caches right.
"""

from layerwise.ci.check import PipelineOutcome, check_pipeline, run_pipeline_file
from layerwise.ci.model import Agent, Build, Pipeline, ShellCommand, Value
from layerwise.ci.read import discover, parse_pipeline, read_pipeline

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
