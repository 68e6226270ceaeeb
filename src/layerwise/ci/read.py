"""Which pipeline files a directory holds, and reading one into a `Pipeline`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from layerwise.ci.bake import BAKE_FILES, is_bake_file, read_bake
from layerwise.ci.github import read_workflow
from layerwise.ci.gitlab import read_gitlab, read_listed
from layerwise.ci.jenkins import read_jenkinsfile
from layerwise.ci.model import Agent, Pipeline
from layerwise.errors import LayerwiseError
from layerwise.syntax.files import read_text

# The files `ci check` looks for in a directory, as each CI system names them.
DEFAULT_FILES = ("Jenkinsfile", ".gitlab-ci.yml", "bitbucket-pipelines.yml", "buildspec.yml")
WORKFLOWS = ".github/workflows"


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files given as they are; in a directory, its pipeline files by their CI names."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for name in DEFAULT_FILES if (p := path / name).is_file())
            found.extend(p for name in BAKE_FILES if (p := path / name).is_file())
            workflows = path / WORKFLOWS
            if workflows.is_dir():
                found.extend(
                    sorted(p for p in workflows.iterdir() if p.suffix in (".yml", ".yaml"))
                )
        elif path.exists():
            found.append(path)
        else:
            raise LayerwiseError("no such file", path=str(path))
    return list(dict.fromkeys(found))


def provider_of(path: Path, text: str) -> str:
    """The CI system a file is for, from its name, else from its top-level keys."""
    name = path.name.lower()
    if is_bake_file(name):
        return "bake"
    if "jenkinsfile" in name or name.endswith((".groovy", ".jenkins")):
        return "jenkins"
    if name.endswith("gitlab-ci.yml") or name.endswith("gitlab-ci.yaml"):
        return "gitlab"
    if "bitbucket-pipelines" in name:
        return "bitbucket"
    if name.startswith("buildspec"):
        return "codebuild"
    if path.parent.name == "workflows" and path.parent.parent.name == ".github":
        return "github"
    keys = {line.split(":", 1)[0].strip("'\"") for line in text.splitlines() if line[:1].isalpha()}
    if "jobs" in keys and ({"on", "true"} & keys or "runs-on:" in text):
        return "github"
    if "pipelines" in keys:
        return "bitbucket"
    if "phases" in keys:
        return "codebuild"
    if name.endswith((".yml", ".yaml")):
        return "gitlab"
    return "jenkins"


def read_pipeline(path: Path) -> Pipeline:
    text = read_text(path)
    return parse_pipeline(str(path), text, provider_of(path, text))


def parse_pipeline(path: str, text: str, provider: str) -> Pipeline:
    if provider == "jenkins":
        return read_jenkinsfile(path, text)
    if provider == "github":
        return read_workflow(path, text)
    if provider == "gitlab":
        return read_gitlab(path, text)
    if provider == "bake":
        return read_bake(path, text, bake_agent(Path(path).parent))
    return read_listed(path, text, provider)


def bake_agent(directory: Path) -> Agent:
    """The agent of the pipelines in `directory` that run bake: ephemeral when every one of
    them is, persistent when every one is, else unknown (also when none runs bake)."""
    agents = set()
    for path in discover([directory]) if directory.is_dir() else []:
        text = read_text(path)
        provider = provider_of(path, text)
        if provider == "bake":
            continue
        try:
            pipeline = parse_pipeline(str(path), text, provider)
        except LayerwiseError:
            continue
        if any(b.kind == "bake" for b in pipeline.builds) or any(
            kind == "bake" for _, kind in pipeline.notes
        ):
            agents.add(pipeline.agent)
    return agents.pop() if len(agents) == 1 else Agent.UNKNOWN
