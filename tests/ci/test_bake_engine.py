"""Bake files against the real `docker buildx bake`.

What layerwise reads from a bake file must be what buildx resolves: for every bake file among
the fixtures (and their fixed snapshots), `docker buildx bake --print` names the same targets'
cache-from, cache-to, platforms, no-cache, pull, dockerfile, context, target and args as
`read_bake`. And a fix must do on an ephemeral agent what it says: LW902's edit of a bake file
(mode=min to mode=max) brings the dependency stage back CACHED after a pruned builder and a
source-only change, where the original runs it again.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from layerwise.ci.bake import read_bake
from layerwise.ci.check import run_pipeline_file
from layerwise.ci.model import Build, Value
from layerwise.engine import BuildStep, Client
from layerwise.rules.base import Settings

from .test_bake import HCL
from .test_generate_engine import BASE, INSTALL, REGISTRY, _agent_run, _dockerfile

pytestmark = pytest.mark.engine

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ci"
_SNAPSHOTS = (".unsafe.fixed", ".fixed")


def _bake_files() -> list[tuple[str, str, str]]:
    """(test id, the file name buildx must see, text) of every bake file to compare."""
    out = [("test_bake.HCL", "docker-bake.hcl", HCL)]
    for path in sorted(FIXTURES.rglob("docker-bake*")):
        if path.name.endswith(".findings"):
            continue
        name = next(
            (path.name.removesuffix(s) for s in _SNAPSHOTS if path.name.endswith(s)), path.name
        )
        out.append((str(path.relative_to(FIXTURES)), name, path.read_text()))
    return out


def _printed(engine: Client, folder: Path, name: str, targets: list[str]) -> dict[str, Any]:
    proc = engine.run("buildx", "bake", "--print", "-f", str(folder / name), *targets)
    assert proc.returncode == 0, proc.stderr
    printed: dict[str, Any] = json.loads(proc.stdout)["target"]
    return printed


def _ours(build: Build) -> dict[str, Any]:
    """read_bake's view in `--print`'s terms, the values it could not resolve left out."""

    def texts(values: tuple[Value, ...]) -> list[str] | None:
        return [v.text for v in values] if all(v.static for v in values) else None

    return {
        "cache-from": texts(build.cache_from),
        "cache-to": texts(build.cache_to),
        "platforms": list(build.platform_list) if texts(build.platforms) is not None else None,
        "no-cache": build.no_cache is not None,
        "pull": build.pull is not None,
        "dockerfile": build.dockerfile.text if build.dockerfile else "Dockerfile",
        "context": build.context.text if build.context else ".",
        "target": build.target.text if build.target else None,
        "args": dict(v.text.split("=", 1) for v in build.build_args),
    }


def _theirs(printed: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (printed.get(key, {} if key == "args" else [] if ours[key] is not None else None))
        if key not in ("no-cache", "pull")
        else bool(printed.get(key))
        for key in ours
        if ours[key] is not None or key == "target"
    }


BAKE_FILES = _bake_files()


@pytest.mark.parametrize(
    ("name", "text"), [f[1:] for f in BAKE_FILES], ids=[f[0] for f in BAKE_FILES]
)
def test_read_bake_agrees_with_buildx_print(
    buildkit: Client, tmp_path: Path, name: str, text: str
) -> None:
    (tmp_path / name).write_text(text)
    builds = read_bake(name, text).builds
    assert builds
    printed = _printed(buildkit, tmp_path, name, [b.job for b in builds])
    assert set(printed) == {b.job for b in builds}
    for build in builds:
        ours = {k: v for k, v in _ours(build).items() if v is not None or k == "target"}
        assert _theirs(printed[build.job], ours) == ours, build.job


BAKE = """\
{
  "target": {
    "api": {
      "context": ".",
      "dockerfile": "Dockerfile",
      "platforms": ["linux/amd64"],
      "cache-from": ["type=registry,ref=REF"],
      "cache-to": ["type=registry,ref=REF,mode=min"]
    }
  }
}
"""
COMMAND = "docker buildx bake -f docker-bake.json --progress plain api"


def _cached(steps: list[BuildStep], instruction: str) -> bool:
    (step,) = [s for s in steps if s.instruction == instruction]
    return step.cached


def test_the_mode_fix_to_a_bake_file_keeps_the_dependency_stage_on_an_empty_agent(
    buildkit: Client, require_image: Any, tmp_path: Path
) -> None:
    require_image(BASE)
    after_edit = {}
    for variant in ("original", "fixed"):
        token = uuid.uuid4().hex
        app = tmp_path / variant
        (app / "src").mkdir(parents=True)
        (app / "Dockerfile").write_text(_dockerfile(token))
        (app / "requirements.txt").write_text("left-pad==1.0\n")
        (app / "src" / "main.txt").write_text("hello\n")
        text = BAKE.replace("REF", f"{REGISTRY}/layerwise-bake-{token[:12]}:cache-main")
        bake = app / "docker-bake.json"
        if variant == "fixed":
            outcome = run_pipeline_file(bake, text, Settings(), fix=True, unsafe=False)
            assert "LW902" in {f.code for f in outcome.applied}
            text = outcome.fixed_text
        bake.write_text(text)
        first = _agent_run(buildkit, app, [COMMAND])
        assert not _cached(first, INSTALL)
        (app / "src" / "main.txt").write_text("hello again\n")
        after_edit[variant] = _agent_run(buildkit, app, [COMMAND])
        assert not _cached(after_edit[variant], "COPY src/ ./src/")
    # mode=min exported only the final image's chain: the dependency stage's install is not in
    # it. The fixed file's mode=max exported every stage.
    assert not _cached(after_edit["original"], INSTALL)
    assert _cached(after_edit["fixed"], INSTALL)
    assert _cached(after_edit["fixed"], "COPY requirements.txt ./")
