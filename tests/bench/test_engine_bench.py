"""The bench on the real BuildKit: every scenario on a tiny app, and the tree restored."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from layerwise.bench.backend import EngineBackend
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
    assert cold.new_layer_bytes == sum(r.new_layer_bytes for r in cold.runs)
    assert cold.image_bytes >= cold.new_layer_bytes > 0
    # Nothing changed: every step cached, the same image, nothing to push.
    assert (noop.cached, noop.total, noop.new_layers) == (6, 6, 0)
    assert noop.runs[0].image_id == cold.runs[0].image_id
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
    assert dep.new_layers >= 2
    # The bench's own tags are gone afterwards.
    assert len(backend.tags) == 4
    assert all(tag.startswith(f"{TAG_REPOSITORY}:") for tag in backend.tags)
    assert all(engine.run("image", "inspect", tag).returncode != 0 for tag in backend.tags)


class RecordingBackend(EngineBackend):
    """The real engine, remembering which tags the bench built."""

    def __init__(self, client: Client) -> None:
        super().__init__(client)
        self.tags: list[str] = []

    def build(self, request: BuildRequest) -> BuildResult:
        if request.tag:
            self.tags.append(request.tag)
        return super().build(request)
