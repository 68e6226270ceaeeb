"""`layerwise replay`: the JSON shape, the tables and bar chart, the plot, and user errors."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from layerwise.cli.app import main

sys.path.insert(0, str(Path(__file__).parent.parent))
from cache.node_nest_history import COMMITS, make_history

COLD = [
    ("[build 2/6] WORKDIR /usr/src/app", 0.1),
    ("[build 3/6] COPY . .", 0.2),
    ("[build 4/6] RUN npm ci", 12.0),
    ("[build 5/6] RUN npm run build", 3.0),
    ("[build 6/6] RUN npx prisma generate", 2.0),
    ("[stage-1 2/8] WORKDIR /usr/src/app", 0.1),
    ("[stage-1 3/8] RUN apt update     && apt install -y --no-install-recommends dumb-init", 4.0),
    ("[stage-1 4/8] COPY package*.json ./", 0.1),
    ("[stage-1 5/8] RUN npm ci --omit=dev", 8.0),
    ("[stage-1 6/8] COPY --from=build /usr/src/app/dist/ ./dist/", 0.3),
    ("[stage-1 7/8] COPY --from=build /usr/src/app/config/ ./config/", 0.1),
    ("[stage-1 8/8] COPY --from=build /usr/src/app/node_modules/.prisma/ ./x/", 0.4),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("replay") / "app"
    make_history(root)
    return root


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = {"steps": [{"step": n, "seconds": s, "cached": False} for n, s in COLD]}
    data = {
        "dockerfiles": [
            {"dockerfile": "/x/Dockerfile", "scenarios": {"cold": {"runs": [run]}}},
        ]
    }
    path = tmp_path_factory.mktemp("bench") / "bench.json"
    path.write_text(json.dumps(data))
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["replay", *args, "--output-format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_json_shape(repo: Path, bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys, str(repo / "Dockerfile"), "--commits", "20", "--bench-json", str(bench), "--fixed"
    )
    assert set(data) == {"cache_holds", "commits", "dockerfiles", "costs"}
    assert data["cache_holds"] == "all"
    assert data["costs"] == {"source": str(bench), "bytes": False}
    assert [c["subject"] for c in data["commits"]] == [c.subject for c in COMMITS]
    first = data["commits"][0]
    assert set(first) == {"commit", "subject", "dockerfiles"}
    assert [d["dockerfile"] for d in first["dockerfiles"]] == ["Dockerfile", "Dockerfile (fixed)"]
    before = first["dockerfiles"][0]
    assert (before["rebuilt"], before["steps"], before["bytes"]) == (7, 12, None)
    assert before["seconds"] == pytest.approx(0.2 + 12 + 3 + 2 + 0.3 + 0.1 + 0.4)
    assert before["rebuilt_steps"][0] == {
        "stage": "build",
        "line": 10,
        "instruction": "COPY . .",
        "cause": "`src/app.controller.ts` changed (copied at line 10)",
    }
    totals = [d["totals"] for d in data["dockerfiles"]]
    assert set(totals[0]) == {"rebuilt_steps", "steps", "seconds", "bytes", "unknown_costs"}
    assert totals[0]["rebuilt_steps"] == sum(
        c["dockerfiles"][0]["rebuilt"] for c in data["commits"]
    )
    assert totals[0]["seconds"] == pytest.approx(
        sum(c["dockerfiles"][0]["seconds"] for c in data["commits"]), abs=0.01
    )
    # The fixed file installs from the manifests alone: source edits skip `npm ci`.
    assert totals[1]["seconds"] < totals[0]["seconds"]
    # Not benched itself, it takes the measured costs of the same steps (cache mounts aside).
    fixed = {(s["stage"], s["instruction"]): s["seconds"] for s in data["dockerfiles"][1]["steps"]}
    assert fixed[("build", "COPY . .")] == 0.2
    assert fixed[("build", "RUN --mount=type=cache,target=/root/.npm npm ci")] == 12.0
    assert fixed[("build", "COPY package.json package-lock.json ./")] is None
    steps = data["dockerfiles"][0]["steps"]
    assert set(steps[0]) == {"stage", "line", "instruction", "rebuilt", "commits", "seconds"}
    assert steps[1] == {
        "stage": "build",
        "line": 10,
        "instruction": "COPY . .",
        "rebuilt": 18,
        "commits": 20,
        "seconds": 0.2,
    }


def test_counts_only_without_costs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, str(repo / "Dockerfile"), "--commits", "2")
    assert data["costs"] == {"source": None, "bytes": False}
    assert [c["dockerfiles"][0]["seconds"] for c in data["commits"]] == [None, None]
    assert data["dockerfiles"][0]["totals"]["seconds"] is None


def test_text_tables_and_bars(
    repo: Path, bench: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    dockerfile = str(repo / "Dockerfile")
    assert main(["replay", dockerfile, "--commits", "20", "--bench-json", str(bench)]) == 0
    out = capsys.readouterr().out
    assert "readme: how to run" in out and "█" in out
    # 16 commits rebuild the 7 steps below `COPY . .` (18.0 s), the two bumps 9 (26.1 s), the
    # Dockerfile edit 6 (12.9 s), the ignored README edit none.
    assert "Dockerfile: 136 of 240 steps rebuilt over 20 commits, 353.1 s estimated" in out
    assert "uploaded bytes: not estimated" in out
    assert main(["replay", dockerfile, "--commits", "5"]) == 0
    out = capsys.readouterr().out
    assert "steps rebuilt are counted, not timed" in out
    assert main(["replay", dockerfile, "--commits", "5", "--lang", "ko"]) == 0
    assert "커밋 5개에서 단계 60개 중 35개 다시 빌드" in capsys.readouterr().out


def test_compare_side_by_side(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = Path(__file__).parents[1] / "apps" / "node-nest" / "Dockerfile.after"
    data = run_json(capsys, str(repo / "Dockerfile"), "--commits", "20", "--compare", str(other))
    labels = [d["dockerfile"] for d in data["dockerfiles"]]
    assert labels == ["Dockerfile", "Dockerfile.after"]
    edit = next(c for c in data["commits"] if c["subject"].startswith("dockerfile:"))
    assert [d["rebuilt"] for d in edit["dockerfiles"]] == [6, 0]


def test_plots(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = tmp_path / "replay.svg"
    dockerfile = str(repo / "Dockerfile")
    run_json(capsys, dockerfile, "--commits", "4", "--fixed", "--plot", str(svg))
    text = svg.read_text()
    assert text.startswith("<svg") and text.count("<rect") == 1 + 4 * 2 + 2  # page, bars, key
    png = tmp_path / "replay.png"
    run_json(capsys, dockerfile, "--commits", "4", "--plot", str(png))
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Three commits: no Dockerfile, then one, then an edit."""
    git(tmp_path, "init", "-q")
    (tmp_path / "a.txt").write_text("a\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "no Dockerfile yet")
    (tmp_path / "Dockerfile").write_text("FROM alpine\nCOPY a.txt /\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "add a Dockerfile")
    (tmp_path / "a.txt").write_text("b\n")
    git(tmp_path, "commit", "-qam", "edit a.txt")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--commits", "5"], "the history has 2 commit(s) with a parent, fewer than the 5 asked"),
        (["--commits", "2"], "`Dockerfile` is not in commit"),
        (["--compare", "x", "--fixed"], "--compare and --fixed each add a Dockerfile"),
        (["--plot", "chart.pdf"], "--plot writes a .svg or a .png file"),
        (["--bench-json", "missing.json"], "cannot read the bench JSON"),
        (["--bench", "--bench-json", "x.json"], "choose one"),
        (["--target", "nope"], "target stage 'nope' could not be found"),
    ],
)
def test_user_errors_are_one_line(
    small: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["replay", str(small / "Dockerfile"), "--commits", "1", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_not_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    assert main(["replay", str(tmp_path / "Dockerfile"), "--commits", "1"]) == 2
    err = capsys.readouterr().err
    assert "not inside a git repository (`replay` walks its commits)" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["replay", str(tmp_path / "missing"), "--commits", "1"]) == 2
    assert "Dockerfile not found" in capsys.readouterr().err


def test_bench_measures_each_dockerfile_once_cold(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--bench` runs the bench's cold scenario through its runner (the engine replaced by a
    stand-in that prints every step of the Dockerfile it is given and times a RUN at 2 s and
    anything else at 0.5 s) and reads the costs as from a bench JSON."""
    from bench.helpers import FakeBackend
    from layerwise.cache import Build, Change, predict
    from layerwise.engine import BuildResult, Layer
    from layerwise.engine.progress import parse_step_name

    class PrintingBackend(FakeBackend):
        def build(self, request: Any) -> BuildResult:
            self.builds.append(request)
            text = Path(request.dockerfile).read_text()
            cold = predict(Change(Build("", {}), Build(text, {})))
            counts: dict[str, int] = {}
            for verdict in cold.verdicts:
                counts[verdict.stage.ref] = counts.get(verdict.stage.ref, 0) + 1
            steps, seen = [], dict.fromkeys(counts, 1)
            for verdict in cold.verdicts:
                ref = verdict.stage.ref
                seen[ref] += 1
                shown = " ".join(verdict.instruction.replace("\\\n", " ").split())
                step = parse_step_name(f"[{ref} {seen[ref]}/{counts[ref] + 1}] {shown}")
                assert step is not None
                seconds = 2.0 if step.keyword == "RUN" else 0.5
                steps.append(replace(step, seconds=seconds))
            image = f"sha256:{len(self.builds)}"
            self.images[image] = [Layer("sha256:l", 10, "x")]
            return BuildResult(True, 9.0, steps, image, request.tag, "", None)

    backend = PrintingBackend()
    monkeypatch.setattr("layerwise.bench.backend.EngineBackend", lambda client: backend)
    monkeypatch.setattr("layerwise.engine.find_client", lambda *a, **k: None)
    data = run_json(capsys, str(repo / "Dockerfile"), "--commits", "1", "--bench", "--fixed")
    assert [Path(b.dockerfile).name for b in backend.builds] == ["Dockerfile", "Dockerfile.fixed"]
    assert data["costs"]["source"] == "one cold build (--bench)"
    rebuilt = data["commits"][0]["dockerfiles"]
    # Before: COPY . ., three RUNs, three COPY --from; the fixed file's own costs likewise.
    assert rebuilt[0]["seconds"] == pytest.approx(0.5 + 3 * 2.0 + 3 * 0.5)
    fixed = rebuilt[1]["rebuilt_steps"]
    runs = sum(s["instruction"].startswith("RUN") for s in fixed)
    assert rebuilt[1]["seconds"] == pytest.approx(runs * 2.0 + (len(fixed) - runs) * 0.5)


def test_a_context_below_the_repository_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the context folder's files count, and `<Dockerfile>.dockerignore` wins over the
    context's .dockerignore, in each commit."""
    app = tmp_path / "services" / "app"
    app.mkdir(parents=True)
    git(tmp_path, "init", "-q")
    (app / "Dockerfile").write_text("FROM alpine\nCOPY . /app\nRUN ls /app\n")
    (app / ".dockerignore").write_text("")
    (app / "notes.md").write_text("1\n")
    (tmp_path / "other.txt").write_text("1\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "root")
    (tmp_path / "other.txt").write_text("2\n")
    git(tmp_path, "commit", "-qam", "outside the context")
    (app / "notes.md").write_text("2\n")
    git(tmp_path, "commit", "-qam", "inside the context")
    (app / "Dockerfile.dockerignore").write_text("*.md\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "the Dockerfile's own ignore file")
    (app / "notes.md").write_text("3\n")
    git(tmp_path, "commit", "-qam", "ignored now")
    data = run_json(capsys, str(app / "Dockerfile"), "--commits", "4")
    causes = [
        [s["cause"] for s in c["dockerfiles"][0]["rebuilt_steps"][:1]] for c in data["commits"]
    ]
    assert causes == [
        [],
        ["`notes.md` changed (copied at line 2)"],
        # The ignore file is itself in the context (it does not exclude itself).
        ["`Dockerfile.dockerignore` added (copied at line 2)"],
        [],  # notes.md is kept out by the Dockerfile's ignore file
    ]


def test_fixed_follows_the_project_configuration(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--fixed` is what `check --fix` would write: with only a CI rule selected by the project's
    configuration, the fixed file is the file itself."""
    (small / "Dockerfile").write_text("FROM alpine\nCOPY . /app\nRUN apk add curl\n")
    git(small, "commit", "-qam", "a Dockerfile the fixer changes")
    dockerfile = str(small / "Dockerfile")
    data = run_json(capsys, dockerfile, "--commits", "1", "--fixed")
    rows = [d["rebuilt_steps"] for d in data["commits"][0]["dockerfiles"]]
    assert rows[0] != rows[1]  # the fixer changed the file
    (small / ".layerwise.toml").write_text('select = ["LW901"]\n')
    data = run_json(capsys, dockerfile, "--commits", "1", "--fixed")
    rows = [d["rebuilt_steps"] for d in data["commits"][0]["dockerfiles"]]
    assert rows[0] == rows[1]


def test_cache_holds(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    dockerfile = str(repo / "Dockerfile")
    every = run_json(capsys, dockerfile, "--commits", "20")
    parent = run_json(capsys, dockerfile, "--commits", "20", "--cache-holds", "parent")
    assert (every["cache_holds"], parent["cache_holds"]) == ("all", "parent")
    for a, p in zip(every["commits"], parent["commits"], strict=True):
        assert a["dockerfiles"][0]["rebuilt"] <= p["dockerfiles"][0]["rebuilt"]
    assert main(["replay", dockerfile, "--commits", "2", "--cache-holds", "parent"]) == 0
    assert "(--cache-holds parent)" in capsys.readouterr().out
    assert main(["replay", dockerfile, "--commits", "2", "--cache-holds", "some"]) == 2
