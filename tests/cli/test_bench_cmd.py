"""`layerwise bench` from the command line: arguments, output, exit codes.

The unit tests stand in for the engine (`find_client` and the backend) only; the engine test at
the end runs the command for real on the node-nest fixture app.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from layerwise.cli import bench_cmd
from layerwise.cli.app import main
from layerwise.engine import BuildRequest, BuildResult, Client

sys.path.insert(0, str(Path(__file__).parent.parent))
from bench.helpers import APP_FILES, FakeBackend, make_repo, snapshot

REPO = Path(__file__).resolve().parents[2]
NODE_NEST = REPO / "tests/apps/node-nest"
# What the capability checks see: Docker 26's buildx on the containerd image store, with QEMU.
MODERN = Client(
    "/usr/bin/docker", "buildx", "default", "v0.13.1", "26.1.5", True, "docker", True,
    ("linux/amd64", "linux/arm64"),
)  # fmt: skip
LEGACY = Client("/usr/bin/docker", "legacy", None, "20.10.24", "20.10.24", False)


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeBackend:
    backend = FakeBackend()
    monkeypatch.setattr(bench_cmd, "find_client", lambda docker, builder=None: MODERN)
    monkeypatch.setattr(bench_cmd, "EngineBackend", lambda client: backend)
    return backend


def test_json_output_with_compare(
    tmp_path: Path, fake_engine: FakeBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_repo(tmp_path / "app", {**APP_FILES, "Dockerfile.fast": APP_FILES["Dockerfile"]})
    before = snapshot(app)
    code = main(
        ["bench", str(app / "Dockerfile"), "--compare", str(app / "Dockerfile.fast"),
         "--json", "--scenarios", "src,noop", "--repeat", "2"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    assert data["repeat"] == 2
    assert data["scenarios"] == ["noop", "src"]
    assert [d["label"] for d in data["dockerfiles"]] == ["Dockerfile", "Dockerfile.fast"]
    assert len(data["dockerfiles"][1]["scenarios"]["src"]["runs"]) == 2
    assert snapshot(app) == before
    assert len(fake_engine.builds) == 2 * 2 * 3  # prime, noop, src per Dockerfile and run


def test_table_output_and_prune_notice(
    tmp_path: Path, fake_engine: FakeBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_repo(tmp_path / "app", APP_FILES)
    assert main(["bench", str(app / "Dockerfile")]) == 0
    captured = capsys.readouterr()
    assert "pruning the build cache of fake builder" in captured.err
    for name in ("cold", "noop", "src", "dep"):
        assert f"│ {name}" in captured.out
    assert fake_engine.events[0] == "prune"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bench", "missing/Dockerfile"], "Dockerfile not found"),
        (["bench", "{app}/Dockerfile", "--scenarios", "warm"], "unknown scenario `warm`"),
        (["bench", "{app}/Dockerfile", "--context", "{app}/nope"], "not a directory"),
        (["bench", "{app}/Dockerfile", "--src-file", "{app}/nope.py"], "file not found"),
        (["bench", "{app}/Dockerfile", "--scenarios", "fresh"], "--cache registry|local|inline"),
        (
            [
                "bench",
                "{app}/Dockerfile",
                "--scenarios",
                "fresh",
                "--cache",
                "inline",
                "--cache-mode",
                "max",
                "--push",
            ],
            "--cache-mode does not apply to inline cache",
        ),
        (["bench", "{app}/Dockerfile", "--platform", "arm64"], "`arm64` is not a platform"),
        (
            ["bench", "{app}/Dockerfile", "--platform", "linux/s390x"],
            "cannot build for linux/s390x",
        ),
    ],
)
def test_user_errors_exit_2_with_one_line(
    tmp_path: Path,
    fake_engine: FakeBackend,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    app = make_repo(tmp_path / "app", APP_FILES)
    assert main([a.format(app=app) for a in args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert fake_engine.builds == []


def test_a_legacy_client_cannot_push_or_export_a_registry_cache(
    tmp_path: Path,
    fake_engine: FakeBackend,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(bench_cmd, "find_client", lambda docker, builder=None: LEGACY)
    app = make_repo(tmp_path / "app", APP_FILES)
    dockerfile = str(app / "Dockerfile")
    assert main(["bench", dockerfile, "--scenarios", "fresh", "--cache", "registry"]) == 2
    err = capsys.readouterr().err
    assert "legacy client cannot export a registry cache: it only embeds inline cache" in err
    assert err.splitlines()[1].startswith("hint: ")  # the message, and one hint line
    assert main(["bench", dockerfile, "--push"]) == 2
    assert "need docker buildx" in capsys.readouterr().err
    assert fake_engine.builds == []


def test_fresh_two_platforms_pushed_as_json(
    tmp_path: Path, fake_engine: FakeBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_repo(tmp_path / "app", APP_FILES)
    code = main(
        ["bench", str(app / "Dockerfile"), "--scenarios", "fresh", "--cache", "registry",
         "--cache-mode", "max", "--platform", "linux/amd64,linux/arm64", "--push",
         "--registry", "127.0.0.1:5000/mine", "--json"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "pruning the build cache of fake builder (fresh run" in captured.err
    data = json.loads(captured.out)
    assert data["scenarios"] == ["fresh"]
    assert data["pipeline"] == (
        "linux/amd64,linux/arm64; push to 127.0.0.1:5000/mine; cache registry mode=max"
    )
    (run,) = data["dockerfiles"][0]["scenarios"]["fresh"]["runs"]
    assert [p["platform"] for p in run["platforms"]] == ["linux/amd64", "linux/arm64"]
    assert all(p["dependency_steps"][0]["cached"] for p in run["platforms"])
    assert run["pushed_bytes"] == 2_000
    assert all(r.tag and r.tag.startswith("127.0.0.1:5000/mine:") for r in fake_engine.builds)


def test_repeat_below_one_is_a_usage_error(tmp_path: Path, fake_engine: FakeBackend) -> None:
    app = make_repo(tmp_path / "app", APP_FILES)
    assert main(["bench", str(app / "Dockerfile"), "--repeat", "0"]) == 2


def _git_status(path: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--", "."],
        cwd=path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.engine
def test_bench_node_nest_for_real(
    require_image: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """The seed's "after" Dockerfile: noop all cached, src keeps `npm ci` cached, dep reruns it.

    Without the cold scenario (CI time): a warm-up build comes first.
    """
    require_image("node:20")
    if _git_status(NODE_NEST):
        pytest.skip("tests/apps/node-nest has uncommitted changes")
    before = snapshot(NODE_NEST)
    code = main(
        ["bench", str(NODE_NEST / "Dockerfile.after"), "--scenarios", "noop,src,dep", "--json"]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    assert data["edits"]["src"]["path"].startswith("src/")
    assert data["edits"]["dep"]["path"] == "package.json"
    scenarios = data["dockerfiles"][0]["scenarios"]
    noop, src, dep = (scenarios[name]["median"] for name in ("noop", "src", "dep"))
    assert noop["cached"] == noop["total"] > 0
    assert noop["new_layer_bytes"] == 0
    src_slow = [s["step"] for s in scenarios["src"]["slowest"]]
    dep_slow = [s["step"] for s in scenarios["dep"]["slowest"]]
    assert 0 < src["cached"] < src["total"]
    assert not any("npm ci" in step for step in src_slow)  # dependencies stayed cached
    assert src["new_layer_bytes"] > 0
    assert dep["cached"] < dep["total"]
    assert any("npm ci" in step for step in dep_slow)  # the manifest edit reruns `npm ci`
    # ... yet the runtime stage's COPY --from steps hit: BuildKit keys them on the content of
    # what they select, and a reinstall from the same lockfile gives the same files.
    assert dep["new_layer_bytes"] == 0
    assert snapshot(NODE_NEST) == before
    assert _git_status(NODE_NEST) == ""


def test_sigterm_unwinds_like_ctrl_c_so_the_tree_is_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_repo(tmp_path / "app", APP_FILES)
    before = snapshot(app)

    class Terminated(FakeBackend):
        def build(self, request: BuildRequest) -> BuildResult:
            result = super().build(request)
            if request.tag and request.tag.endswith("-src"):
                os.kill(os.getpid(), signal.SIGTERM)  # as `kill` or a CI timeout would
            return result

    backend = Terminated()
    previous_handler = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(bench_cmd, "find_client", lambda docker, builder=None: MODERN)
    monkeypatch.setattr(bench_cmd, "EngineBackend", lambda client: backend)
    assert main(["bench", str(app / "Dockerfile")]) == 130
    assert backend.seen_trees[-1] != before  # the signal came with the src edit in place
    assert snapshot(app) == before
    assert signal.getsignal(signal.SIGTERM) == previous_handler
