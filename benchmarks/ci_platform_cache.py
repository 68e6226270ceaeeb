"""Does a two-platform pipeline keep each platform's dependency steps on an agent that starts
empty? (issue 11; needs the engine, prunes the builder on every agent run: run it alone.)

    uv run python benchmarks/ci_platform_cache.py N VARIANT... [--out FILE.jsonl] [--busy K]

The app is tests/ci/test_generate_engine.py's two-stage one (a `deps` stage that copies a
manifest and installs, a `build` stage that copies the sources). Variants:
- `joint`: the image build (two platforms, mode=max registry cache), then one two-platform
  `--target deps` build exporting the stage to a ref of its own (what `ci generate` wrote
  before per-platform exports);
- `generated`: the commands of the Jenkinsfile `layerwise ci generate` writes today.
Each run: prune, run the commands (first agent), edit a source file, prune, run them again
(second agent), and record whether the install came back CACHED on each platform in the second
agent's image build. Prints one JSON line per run, then the counts.

`--busy K` keeps K processes spinning on the CPU for the whole measurement: the loss of arm64's
records was first seen while other work loaded this 2-core machine (load 3.4-5.4), never on a
quiet one, so the load is made on purpose and recorded with each run.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from ci.test_generate_engine import (
    INSTALL,
    PLATFORMS,
    REGISTRY,
    _agent_run,
    _by_platform,
    _commands,
    _dockerfile,
)
from layerwise.ci.generate import make_plan, render
from layerwise.engine import find_client

ECR_SAFE = "mode=max,image-manifest=true,oci-mediatypes=true"


def joint(image: str) -> list[str]:
    both = ",".join(PLATFORMS)
    main, deps = f"{image}:cache-feature-x", f"{image}:cache-deps-feature-x"
    return [
        f"docker buildx build --platform {both} --file Dockerfile"
        f" --cache-from type=registry,ref={main} --cache-from type=registry,ref={deps}"
        f" --cache-to type=registry,ref={main},{ECR_SAFE} --tag {image}:x --push .",
        f"docker buildx build --platform {both} --file Dockerfile --target deps"
        f" --cache-from type=registry,ref={deps} --cache-to type=registry,ref={deps},{ECR_SAFE} .",
    ]


def generated(app: Path, image: str, token: str) -> list[str]:
    plan = make_plan("jenkins", app / "Dockerfile", root=app, registry=image, platforms=PLATFORMS)
    values = {"$IMAGE": image, "${BRANCH_NAME:-main}": "feature/x", "$GIT_COMMIT": token[:12]}
    return _commands("jenkins", render(plan, "layerwise ci generate"), values)


def _spin() -> None:
    while True:
        pass


def _option(argv: list[str], name: str) -> tuple[str | None, list[str]]:
    if name not in argv:
        return None, argv
    at = argv.index(name)
    return argv[at + 1], argv[:at] + argv[at + 2 :]


def main(argv: list[str]) -> None:
    given, argv = _option(argv, "--out")
    out = Path(given) if given else None
    busy, argv = _option(argv, "--busy")
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(int(busy or 0))]
    for spinner in spinners:
        spinner.start()
    try:
        _measure(int(argv[0]), argv[1:], out, len(spinners))
    finally:
        for spinner in spinners:
            spinner.terminate()


def _measure(runs: int, variants: list[str], out: Path | None, busy: int) -> None:
    engine = find_client()
    kept: Counter[str] = Counter()
    for index in range(runs):
        for variant in variants:
            token = uuid.uuid4().hex
            app = Path(f"/tmp/layerwise-platform-cache-{token[:8]}")
            (app / "src").mkdir(parents=True)
            (app / "Dockerfile").write_text(_dockerfile(token))
            (app / "requirements.txt").write_text("left-pad==1.0\n")
            (app / "src" / "main.txt").write_text("hello\n")
            image = f"{REGISTRY}/layerwise-platform-cache-{token[:12]}"
            commands = joint(image) if variant == "joint" else generated(app, image, token)
            started = time.time()
            _agent_run(engine, app, commands)
            (app / "src" / "main.txt").write_text("hello again\n")
            cached = _by_platform(_agent_run(engine, app, commands), INSTALL)
            kept[variant] += set(cached) == set(PLATFORMS) and all(cached.values())
            record = {"run": index, "variant": variant, "cached": cached}
            record["seconds"] = round(time.time() - started, 1)
            record["busy"] = busy
            record["load"] = round(os.getloadavg()[0], 2)
            print(json.dumps(record), flush=True)
            if out is not None:
                with out.open("a") as f:
                    f.write(json.dumps(record) + "\n")
    for variant in variants:
        print(f"{variant}: install CACHED on every platform in {kept[variant]} of {runs} runs")


if __name__ == "__main__":
    main(sys.argv[1:])
