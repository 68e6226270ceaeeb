"""The bench on the real BuildKit: every scenario on a tiny app, and the tree restored; the
fresh scenario (pruned builder, remote cache imported) on one and on two platforms."""

from __future__ import annotations

import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from layerwise.bench.backend import EngineBackend
from layerwise.bench.pipeline import DEFAULT_REPOSITORY, Pipeline
from layerwise.bench.plan import parse_scenarios
from layerwise.bench.runner import TAG_REPOSITORY, BenchSettings, run_bench
from layerwise.engine import BuildRequest, BuildResult, Client, run_build

from .helpers import APP_FILES, make_repo, snapshot

BASE = "debian:bookworm-slim"


@pytest.fixture
def engine(buildkit: Client, require_image: Callable[[str], None]) -> Client:
    require_image(BASE)
    return buildkit


@pytest.mark.engine
def test_every_scenario_on_a_tiny_app(engine: Client, tmp_path: Path) -> None:
    # The token in the first step makes every step's key new: no cache entry of an earlier
    # build (this test's or a concurrent one's) can answer any of them.
    token = uuid.uuid4().hex
    dockerfile = (
        f"FROM {BASE}\n"
        f"RUN echo {token} > /token\n"
        "WORKDIR /app\n"
        "COPY requirements.txt ./\n"
        "RUN cp requirements.txt /deps.txt\n"
        "COPY app/ ./app/\n"
        # Every file under app/ feeds the output, so whichever one the src scenario edits, the
        # RUN's layer has new content (a layer of identical bytes could keep its diff id).
        "RUN cat app/*.py > /built.txt\n"
    )
    app = make_repo(tmp_path / "tiny", {**APP_FILES, "Dockerfile": dockerfile})
    before = snapshot(app)
    # Warm the cache with these very steps: the cold run can only miss them if the prune works.
    warm = run_build(engine, BuildRequest(app / "Dockerfile", app))
    assert warm.ok, warm.error
    notices: list[str] = []
    backend = RecordingBackend(engine)
    report = run_bench(
        BenchSettings((app / "Dockerfile",), app, parse_scenarios("cold,noop,src,dep")),
        backend,
        notify=notices.append,
    )
    assert snapshot(app) == before
    if warm.image_id:
        engine.run("image", "rm", warm.image_id)
    assert any("pruning the build cache" in n for n in notices)
    result = report.dockerfiles[0]
    cold, noop, src, dep = (result.scenario(n) for n in ("cold", "noop", "src", "dep"))
    assert cold and noop and src and dep
    assert (cold.cached, cold.total) == (0, 6)
    (cold_run,) = cold.runs
    assert cold_run.image_bytes is not None and cold_run.new_layer_bytes is not None
    assert cold_run.image_bytes >= cold_run.new_layer_bytes > 0
    # Nothing changed: every step cached, the same layers, nothing to push. (Not the same image
    # id: on the containerd image store the id is the index's digest, and the provenance
    # attestation in it differs per build.)
    assert (noop.cached, noop.total, noop.new_layers) == (6, 6, 0)
    assert noop.image_bytes == cold.image_bytes
    # A source edit: the first RUN, WORKDIR, the requirements COPY and the install stay cached.
    assert report.edits["src"].path.startswith("app/")
    assert (src.cached, src.total, src.new_layers) == (4, 6, 2)
    assert {s.name.split("] ", 1)[1] for s in src.representative.slowest} == {
        "COPY app/ ./app/",
        "RUN cat app/*.py > /built.txt",
    }
    # A manifest edit: only the steps before the requirements COPY stay cached.
    assert report.edits["dep"].path == "requirements.txt"
    assert (dep.cached, dep.total) == (2, 6)
    assert dep.new_layers is not None and dep.new_layers >= 2
    # The bench's own tags are gone afterwards.
    assert len(backend.tags) == 4
    assert all(tag.startswith(f"{TAG_REPOSITORY}:") for tag in backend.tags)
    assert all(engine.run("image", "inspect", tag).returncode != 0 for tag in backend.tags)


# A dependency step layerwise recognises (pip) that needs no network: the requirements file
# holds a comment only. python:3.11 is a two-platform stand-in (scripts/engine-up).
PIP_BASE = "python:3.11"
INSTALL = "RUN pip install -r requirements.txt"


def pip_app(root: Path, token: str) -> Path:
    dockerfile = (
        f"FROM {PIP_BASE}\n"
        f"RUN echo {token} > /token\n"
        "WORKDIR /app\n"
        "COPY requirements.txt ./\n"
        f"{INSTALL}\n"
        "COPY app/ ./app/\n"
        "RUN cat app/*.py > /built.txt\n"
    )
    return make_repo(root, {**APP_FILES, "Dockerfile": dockerfile})


@pytest.fixture
def registry(engine: Client, require_image: Callable[[str], None]) -> str:
    """The local registry scripts/engine-up runs (the registry cache and pushes go there)."""
    require_image(PIP_BASE)
    host = DEFAULT_REPOSITORY.split("/", 1)[0]
    try:
        with urllib.request.urlopen(f"http://{host}/v2/", timeout=5):
            pass
    except OSError as exc:
        pytest.skip(f"no registry at {host}: {exc} (run scripts/engine-up)")
    return DEFAULT_REPOSITORY


@pytest.mark.engine
def test_fresh_brings_the_dependency_step_back_from_a_registry_cache(
    engine: Client, registry: str, tmp_path: Path
) -> None:
    app = pip_app(tmp_path / "fresh", uuid.uuid4().hex)
    before = snapshot(app)
    notices: list[str] = []
    settings = BenchSettings(
        (app / "Dockerfile",),
        app,
        parse_scenarios("fresh"),
        pipeline=Pipeline(cache="registry", cache_mode="max", repository=registry),
    )
    report = run_bench(settings, EngineBackend(engine), notify=notices.append)
    assert snapshot(app) == before
    assert any("pruning the build cache" in n and "fresh run" in n for n in notices)
    assert report.edits["fresh"].path.startswith("app/")
    fresh = report.dockerfiles[0].scenario("fresh")
    assert fresh is not None
    (platform,) = fresh.runs[0].platforms
    # After the prune only the imported cache can answer: the install and everything before
    # the edited COPY come back, the COPY of the source and the RUN after it run.
    (install,) = platform.dependency_steps
    assert install.name.endswith(INSTALL) and install.cached
    assert (platform.cached, platform.total) == (4, 6)
    assert {s.name.split("] ", 1)[1] for s in fresh.runs[0].slowest} == {
        "COPY app/ ./app/",
        "RUN cat app/*.py > /built.txt",
    }
    assert fresh.runs[0].pushed_bytes is None  # no --push


@pytest.mark.engine
def test_fresh_on_two_platforms_pushed(engine: Client, registry: str, tmp_path: Path) -> None:
    if not engine.multi_platform or "linux/arm64" not in engine.platforms:
        pytest.skip("the builder cannot build linux/arm64 next to linux/amd64")
    app = pip_app(tmp_path / "two", uuid.uuid4().hex)
    platforms = ("linux/amd64", "linux/arm64")
    settings = BenchSettings(
        (app / "Dockerfile",),
        app,
        parse_scenarios("fresh"),
        pipeline=Pipeline(
            platforms=platforms, push=True, repository=registry, cache="registry", cache_mode="max"
        ),
    )
    report = run_bench(settings, EngineBackend(engine))
    fresh = report.dockerfiles[0].scenario("fresh")
    assert fresh is not None
    (run,) = fresh.runs
    assert sorted(p.platform for p in run.platforms) == list(platforms)
    for platform in run.platforms:
        assert [d.cached for d in platform.dependency_steps] == [True], platform
        assert (platform.cached, platform.total) == (4, 6)
        # The push uploaded the two rebuilt layers (source COPY, the RUN after it), compressed.
        assert platform.pushed_layers == 2
        assert platform.pushed_bytes is not None and platform.pushed_bytes > 0
    assert run.pushed_bytes is not None and run.pushed_bytes > 0
    assert report.pipeline is not None and "linux/amd64,linux/arm64" in report.pipeline


class RecordingBackend(EngineBackend):
    """The real engine, remembering which tags the bench built."""

    def __init__(self, client: Client) -> None:
        super().__init__(client)
        self.tags: list[str] = []

    def build(self, request: BuildRequest) -> BuildResult:
        if request.tag:
            self.tags.append(request.tag)
        return super().build(request)
