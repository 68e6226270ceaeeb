"""run_bench with a stand-in engine: order, edits, measurements, and the tree restored."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from layerwise.bench.pipeline import Pipeline
from layerwise.bench.plan import parse_scenarios
from layerwise.bench.runner import BenchSettings, run_bench
from layerwise.engine import BuildRequest, BuildResult, Layer
from layerwise.errors import EngineError, LayerwiseError

from .helpers import FakeBackend, git, snapshot

ALL = parse_scenarios("cold,noop,src,dep")


def settings(app: Path, **kwargs: object) -> BenchSettings:
    values: dict[str, object] = {
        "dockerfiles": (app / "Dockerfile",),
        "context": app,
        "scenarios": ALL,
    }
    values.update(kwargs)
    return BenchSettings(**values)  # type: ignore[arg-type]


def test_each_scenario_measures_what_it_claims(tiny_app: Path) -> None:
    before = snapshot(tiny_app)
    backend = FakeBackend()
    notices: list[str] = []
    report = run_bench(settings(tiny_app), backend, notify=notices.append)

    assert backend.events == ["prune", "build", "build", "build", "build"]
    assert any("pruning the build cache of fake builder" in n for n in notices)
    result = report.dockerfiles[0]
    cold, noop, src, dep = (result.scenario(name) for name in ALL)
    assert cold and noop and src and dep
    assert (cold.cached, cold.total) == (0, 2)
    assert cold.new_layer_bytes == cold.image_bytes  # cold: every layer is new
    assert (noop.cached, noop.new_layer_bytes) == (2, 0)
    # src: the install stays cached, the app layer is new (the fake sizes it by app/'s bytes).
    edited = report.edits["src"].path
    assert edited.startswith("app/")
    after_edit = backend.seen_trees[2][edited]
    assert after_edit.startswith(before[edited]) and b"# layerwise bench" in after_edit
    app_tree = backend.seen_trees[2].items()
    app_bytes = sum(len(rel) + len(data) for rel, data in app_tree if rel.startswith("app/"))
    assert (src.cached, src.new_layers, src.new_layer_bytes) == (1, 1, app_bytes)
    assert backend.seen_trees[2]["requirements.txt"] == before["requirements.txt"]
    # dep: requirements.txt edited on top, so the install reruns.
    assert backend.seen_trees[3]["requirements.txt"] != before["requirements.txt"]
    assert dep.cached == 0
    assert dep.representative.slowest[0].name.endswith("RUN pip install -r requirements.txt")
    assert report.edits["dep"].path == "requirements.txt"
    assert snapshot(tiny_app) == before
    assert sorted(backend.removed) == sorted(r.tag for r in backend.builds if r.tag)


def test_compare_prunes_before_each_dockerfiles_cold_run(tiny_app: Path) -> None:
    (tiny_app / "Dockerfile.after").write_text((tiny_app / "Dockerfile").read_text())
    git(tiny_app, "add", ".")
    git(tiny_app, "commit", "-q", "-m", "after")
    backend = FakeBackend()
    report = run_bench(
        settings(tiny_app, dockerfiles=(tiny_app / "Dockerfile", tiny_app / "Dockerfile.after")),
        backend,
    )
    assert backend.events == ["prune", *["build"] * 4, "prune", *["build"] * 4]
    names = [b.dockerfile.name for b in backend.builds]
    assert names == ["Dockerfile"] * 4 + ["Dockerfile.after"] * 4
    assert [r.label for r in report.dockerfiles] == ["Dockerfile", "Dockerfile.after"]
    # Each Dockerfile's sequence starts from the committed tree.
    assert backend.seen_trees[4] == backend.seen_trees[0]


def test_repeat_gives_medians_and_fresh_edits_every_time(tiny_app: Path) -> None:
    backend = FakeBackend()
    report = run_bench(settings(tiny_app, repeat=3, scenarios=("noop", "src")), backend)
    src = report.dockerfiles[0].scenario("src")
    assert src is not None and len(src.runs) == 3
    edited = report.edits["src"].path
    builds = zip(backend.seen_trees, backend.builds, strict=True)
    src_trees = [tree[edited] for tree, r in builds if r.tag and r.tag.endswith("-src")]
    assert len(set(src_trees)) == 3  # never the same bytes twice: no hit from an earlier run
    assert all(run.cached == 1 for run in src.runs)  # so each src run really rebuilds
    assert backend.events.count("prune") == 0  # no cold asked, no prune


@pytest.mark.parametrize("failing_build", [1, 3, 4])
def test_tree_is_restored_when_the_engine_fails_mid_run(tiny_app: Path, failing_build: int) -> None:
    before = snapshot(tiny_app)
    backend = FakeBackend(fail_on=lambda n: n == failing_build)
    with pytest.raises(RuntimeError, match="engine exploded"):
        run_bench(settings(tiny_app), backend)
    if failing_build >= 3:
        assert backend.seen_trees[-1] != before  # the failure struck with an edit in place
    assert snapshot(tiny_app) == before


def test_tree_is_restored_on_ctrl_c(tiny_app: Path) -> None:
    before = snapshot(tiny_app)

    class Interrupting(FakeBackend):
        def build(self, request: BuildRequest) -> BuildResult:
            result = super().build(request)
            if request.tag and request.tag.endswith("-dep"):
                raise KeyboardInterrupt
            return result

    with pytest.raises(KeyboardInterrupt):
        run_bench(settings(tiny_app), Interrupting())
    assert snapshot(tiny_app) == before


def test_a_failed_build_is_reported_with_the_dockerfile(tiny_app: Path) -> None:
    class Failing(FakeBackend):
        def build(self, request: BuildRequest) -> BuildResult:
            super().build(request)
            return BuildResult(False, 1.0, [], None, request.tag, "", "exit code: 1")

    with pytest.raises(LayerwiseError, match="cold build failed: exit code: 1") as info:
        run_bench(settings(tiny_app), Failing())
    assert info.value.path == str(tiny_app / "Dockerfile")


def test_uncommitted_work_stops_the_bench_before_any_build(tiny_app: Path) -> None:
    # Uncommitted changes elsewhere are the user's business; in a file to edit they stop us.
    (tiny_app / "app/main.py").write_text("print('unsaved work')\n")
    backend = FakeBackend()
    with pytest.raises(LayerwiseError, match="uncommitted"):
        run_bench(settings(tiny_app, src_file=str(tiny_app / "app/main.py")), backend)
    assert backend.builds == []
    assert (tiny_app / "app/main.py").read_text() == "print('unsaved work')\n"


def test_named_src_file_and_dep_command(tiny_app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tiny_app)
    before = snapshot(tiny_app)
    backend = FakeBackend()
    command = "echo 'left-pad==1.0' >> requirements.txt && echo x > generated.lock"
    report = run_bench(settings(tiny_app, src_file="app/__init__.py", dep_command=command), backend)
    assert report.edits["src"].path == "app/__init__.py"
    assert b"layerwise bench" in backend.seen_trees[2]["app/__init__.py"]
    assert backend.seen_trees[3]["requirements.txt"].endswith(b"left-pad==1.0\n")
    assert "generated.lock" in backend.seen_trees[3]
    assert snapshot(tiny_app) == before


def test_a_failing_dep_command_is_a_user_error_and_the_tree_comes_back(tiny_app: Path) -> None:
    before = snapshot(tiny_app)
    command = "echo oops >> requirements.txt; exit 3"
    with pytest.raises(LayerwiseError, match=re.escape(f"`{command}` failed (exit 3)")):
        run_bench(settings(tiny_app, dep_command=command), FakeBackend())
    assert snapshot(tiny_app) == before


def test_src_file_outside_the_context_is_refused(tiny_app: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text("x = 1\n")
    with pytest.raises(LayerwiseError, match="outside the build context"):
        run_bench(settings(tiny_app, src_file=str(outside)), FakeBackend())


def pipeline_settings(app: Path, **pipeline: object) -> BenchSettings:
    return settings(
        app,
        scenarios=parse_scenarios("fresh"),
        pipeline=Pipeline(**pipeline),  # type: ignore[arg-type]
    )


def test_fresh_imports_the_exported_cache_into_a_pruned_builder(tiny_app: Path) -> None:
    before = snapshot(tiny_app)
    backend = FakeBackend()
    platforms = ("linux/amd64", "linux/arm64")
    report = run_bench(
        pipeline_settings(
            tiny_app, platforms=platforms, push=True, cache="registry", cache_mode="max"
        ),
        backend,
    )
    export, fresh_build = backend.builds
    assert export.cache_from == () and fresh_build.cache_to == export.cache_to
    (spec,) = export.cache_to
    assert spec.startswith("type=registry,ref=127.0.0.1:5000/layerwise-bench:cache-")
    assert spec.endswith(",mode=max")
    assert fresh_build.cache_from == (spec.removesuffix(",mode=max"),)
    assert export.platform == fresh_build.platform == "linux/amd64,linux/arm64"
    assert export.push and fresh_build.push
    # The builder starts empty, and the images built before are gone too.
    assert backend.events == ["build", "prune", "build", "forget"]
    assert backend.removed[0] == export.tag
    # At the end the pushes and the registry cache are deleted: nothing reads them again.
    cache_ref = spec.removeprefix("type=registry,ref=").removesuffix(",mode=max")
    assert backend.forgotten == [export.tag, cache_ref, fresh_build.tag]
    assert backend.registry == {}
    # The source edit is in, and the dependency step came back from the imported cache.
    assert backend.seen_trees[1][report.edits["fresh"].path] != before[report.edits["fresh"].path]
    fresh = report.dockerfiles[0].scenario("fresh")
    assert fresh is not None
    (run,) = fresh.runs
    assert [p.platform for p in run.platforms] == list(platforms)
    for platform in run.platforms:
        assert (platform.cached, platform.total) == (1, 2)
        (dep,) = platform.dependency_steps
        assert dep.cached and dep.name.endswith("RUN pip install -r requirements.txt")
        # Only the rebuilt app layer is uploaded; base and dependencies are in the registry.
        assert (platform.pushed_layers, platform.pushed_bytes) == (1, 1_000)
    assert (run.pushed_layers, run.pushed_bytes) == (2, 2_000)
    assert report.pipeline == (
        "linux/amd64,linux/arm64; push to 127.0.0.1:5000/layerwise-bench; cache registry mode=max"
    )
    assert snapshot(tiny_app) == before


def test_without_an_import_fresh_would_rebuild_the_dependencies(tiny_app: Path) -> None:
    # The same bench whose export goes to another place than the import: nothing comes back.
    class Forgetful(FakeBackend):
        def build(self, request: BuildRequest) -> BuildResult:
            if request.cache_from:
                request = replace(request, cache_from=("type=local,src=/elsewhere",))
            return super().build(request)

    report = run_bench(pipeline_settings(tiny_app, cache="local"), Forgetful())
    fresh = report.dockerfiles[0].scenario("fresh")
    assert fresh is not None
    (platform,) = fresh.runs[0].platforms
    assert platform.platform == "linux/amd64" and platform.cached == 0
    assert [d.cached for d in platform.dependency_steps] == [False]
    assert fresh.runs[0].pushed_bytes is None  # nothing pushed, nothing measured


def test_inline_cache_is_imported_from_the_previous_pushed_image(tiny_app: Path) -> None:
    backend = FakeBackend()
    run_bench(pipeline_settings(tiny_app, cache="inline", push=True), backend)
    export, fresh_build = backend.builds
    assert export.cache_to == fresh_build.cache_to == ("type=inline",)
    assert fresh_build.cache_from == (f"type=registry,ref={export.tag}",)
    assert export.tag and export.tag.startswith("127.0.0.1:5000/layerwise-bench:")


def test_what_the_registry_keeps_is_named(tiny_app: Path) -> None:
    # A registry that refuses the deletes (elsewhere than this machine, or deletion off).
    backend = FakeBackend()
    backend.keeps = lambda ref: ":cache-" in ref
    notices: list[str] = []
    run_bench(
        pipeline_settings(tiny_app, cache="registry", push=True), backend, notify=notices.append
    )
    (left,) = [n for n in notices if n.startswith("left in the registry")]
    kept = [ref for ref in backend.forgotten if ":cache-" in ref]
    assert kept and left == f"left in the registry (delete them yourself): {', '.join(kept)}"


def test_local_cache_goes_to_a_directory_removed_afterwards(tiny_app: Path) -> None:
    backend = FakeBackend()
    run_bench(pipeline_settings(tiny_app, cache="local", cache_mode="min"), backend)
    export, fresh_build = backend.builds
    (spec,) = export.cache_to
    directory = spec.removeprefix("type=local,dest=").removesuffix(",mode=min")
    assert fresh_build.cache_from == (f"type=local,src={directory}",)
    assert not Path(directory).exists()
    assert not export.push and export.tag and export.tag.startswith("layerwise-bench:")
    assert "forget" not in backend.events  # nothing went to a registry


def test_push_measures_every_scenario_against_the_push_before(tiny_app: Path) -> None:
    backend = FakeBackend()
    report = run_bench(settings(tiny_app, pipeline=Pipeline(push=True)), backend)
    result = report.dockerfiles[0]
    cold, noop, src = (result.scenario(n) for n in ("cold", "noop", "src"))
    assert cold and noop and src
    assert (cold.pushed_layers, cold.pushed_bytes) == (3, 61_000)
    assert (noop.pushed_layers, noop.pushed_bytes) == (0, 0)
    assert (src.pushed_layers, src.pushed_bytes) == (1, 1_000)


def test_an_image_the_daemon_cannot_list_leaves_out_only_the_uncompressed_sizes(
    tiny_app: Path,
) -> None:
    class ForeignImages(FakeBackend):
        def layers(self, image: str) -> list[Layer]:
            raise EngineError("`docker history --no-trunc` failed: snapshot sha256:c7 not found")

    notices: list[str] = []
    report = run_bench(
        settings(
            tiny_app, pipeline=Pipeline(platforms=("linux/arm64",)), scenarios=("cold", "src")
        ),
        ForeignImages(),
        notify=notices.append,
    )
    cold = report.dockerfiles[0].scenario("cold")
    assert cold is not None
    assert (cold.new_layers, cold.new_layer_bytes, cold.image_bytes) == (None, None, None)
    assert (cold.cached, cold.total) == (0, 2)  # the steps are still counted
    assert sum("uncompressed layer sizes unavailable" in n for n in notices) == 1
    # The daemon's own platform is built: the failure is a real error, not left out.
    with pytest.raises(EngineError, match="snapshot"):
        run_bench(settings(tiny_app, scenarios=("cold",)), ForeignImages())


def test_cache_stages_are_exported_as_their_own_targets_and_imported_by_fresh(
    tiny_app: Path,
) -> None:
    backend = FakeBackend()
    run_bench(
        pipeline_settings(
            tiny_app,
            platforms=("linux/amd64", "linux/arm64"),
            push=True,
            cache="registry",
            cache_mode="max",
            cache_stages=("deps",),
        ),
        backend,
    )
    export, export_stage, fresh_build, fresh_stage = backend.builds
    assert backend.events == ["build", "build", "prune", "build", "build", "forget"]
    (main_spec,) = export.cache_to
    (stage_spec,) = export_stage.cache_to
    ref = main_spec.removeprefix("type=registry,ref=").removesuffix(",mode=max")
    assert stage_spec == f"type=registry,ref={ref}-deps,mode=max"
    assert f"{ref}-deps" in backend.forgotten and ref in backend.forgotten
    # The stage export builds only that target, for the same platforms, and pushes nothing.
    assert export_stage.target == fresh_stage.target == "deps"
    assert export_stage.platform == export.platform
    assert not export_stage.push and export_stage.tag not in (None, export.tag)
    # fresh imports both, and exports both again as a CI build would.
    assert fresh_build.cache_from == (f"type=registry,ref={ref}", f"type=registry,ref={ref}-deps")
    assert fresh_stage.cache_to == export_stage.cache_to
