"""Safe fixes proven on the real BuildKit: every case in tests/fixtures/buildable/ builds as
written, and builds again after its safe fixes (after its unsafe ones too, with `unsafe = true`).
With `run = true` the images also run (their default command) and must print the same output
and exit 0: a CMD or ENTRYPOINT rewrite only shows when the container starts. What the fixes
write is checked without an engine by test_buildable_expectations.py. The fixes are made for
the default target engine, modern (`COPY --link` where it helps caching): that is what CI proves
on the real engine. The docker-20.10 output differs only by those flags (checked without an
engine by test_buildable_expectations.py).
See tests/fixtures/buildable/README.md for the folder convention."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from layerwise.engine import BuildRequest, BuildResult, Client, run_build
from layerwise.model import build_model
from layerwise.syntax import parse

from .buildable import case_dirs, expectations, fixed

pytestmark = pytest.mark.engine


def base_images(text: str) -> set[str]:
    """The images the case's stages start FROM (not its own stages)."""
    return {st.base for st in build_model(parse(text)).stages if st.base_stage is None}


def build_all(
    client: Client,
    contexts: list[Path],
    target: str | None,
    platforms: tuple[str, ...] = (),
) -> list[BuildResult]:
    """Build each context's Dockerfile (for `platforms` at once when given), all at the same
    time: the builds of one case share most of their steps, which BuildKit runs once for all
    of them, and the rest (downloads, mostly) overlap instead of queueing. Each build gets a
    tag of its own: two variants that make the same image, exported at once untagged, both
    name it `moby-dangling@<digest>` in the containerd store and one fails with "already
    exists" (seen in CI on go_build_after_copy, whose safe fix leaves the final stage as is)."""
    batch = uuid.uuid4().hex[:12]
    requests = [
        BuildRequest(
            c / "Dockerfile",
            c,
            target=target,
            platform=",".join(platforms) or None,
            tag=f"layerwise-buildable-{batch}-{i}",
        )
        for i, c in enumerate(contexts)
    ]
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(lambda r: run_build(client, r), requests))


def run_image(client: Client, result: BuildResult, platforms: tuple[str, ...] = ()) -> str:
    """What the built image printed when started, on each of the platforms, with its exit."""
    output = ""
    for platform in platforms or (None,):
        chosen = ["--platform", platform] if platform else []
        argv = [client.path, "run", "--rm", *chosen, str(result.image_id)]
        done = subprocess.run(argv, capture_output=True, text=True)
        output += f"exit {done.returncode}\n{done.stdout}{done.stderr}"
    return output


def remove_images(client: Client, results: list[BuildResult]) -> None:
    """Remove the images by their tags once every one has run (two fixes may give the same
    image); the build cache stays (never prune it here)."""
    for tag in [r.tag for r in results if r.tag]:
        subprocess.run([client.path, "image", "rm", "-f", tag], capture_output=True)


def exits(ran: str) -> list[str]:
    """The `exit N` line of each run, in platform order."""
    return [line for line in ran.splitlines() if line.startswith("exit ")]


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_safe_fixes_keep_the_build_working(
    case: Path, buildkit: Client, require_image: Callable[[str], None], tmp_path: Path
) -> None:
    expect = expectations(case)
    work = tmp_path / case.name
    shutil.copytree(case, work)
    (work / "expect.toml").unlink()
    dockerfile = work / "Dockerfile"
    original = dockerfile.read_text()
    for image in base_images(original):
        require_image(image)
    target, run = expect.get("target"), bool(expect.get("run"))
    platforms = tuple(expect.get("platforms", ()))
    if platforms and not (buildkit.multi_platform and set(platforms) <= set(buildkit.platforms)):
        pytest.skip(f"the builder cannot build {', '.join(platforms)} at once")

    # The fixes first, as `check --fix` and then `--unsafe-fixes` would make them, each
    # Dockerfile in its own copy of the case; then every variant is built at once.
    variants: list[tuple[str, Path]] = [("the original", work)]
    current = work
    levels = (False, True) if expect.get("unsafe") else (False,)
    for unsafe in levels:
        _, result = fixed(current, unsafe=unsafe, platforms=platforms)
        assert not result.bugs, result.bugs
        if result.text == original or result.text == (current / "Dockerfile").read_text():
            continue  # nothing new to build
        kind = "an unsafe fix" if unsafe else "a safe fix"
        current = tmp_path / f"{case.name}.{'unsafe' if unsafe else 'safe'}"
        shutil.copytree(work, current)
        (current / "Dockerfile").write_text(result.text)
        variants.append((kind, current))

    results = build_all(buildkit, [c for _, c in variants], target, platforms)
    try:
        ran: list[str | None] = [
            run_image(buildkit, r, platforms) if run and r.ok and r.image_id else None
            for r in results
        ]
    finally:
        remove_images(buildkit, results)
    before = results[0]
    assert before.ok, f"the original does not build: {before.error}\n{before.log[-3000:]}"
    if run:
        assert ran[0] is not None and exits(ran[0]) == ["exit 0"] * max(1, len(platforms)), (
            f"the original fails to run:\n{ran[0]}"
        )
    for (kind, context), after, ran_after in zip(variants[1:], results[1:], ran[1:], strict=True):
        text = (context / "Dockerfile").read_text()
        assert after.ok, (
            f"{kind} broke the build: {after.error}\n--- fixed Dockerfile\n{text}\n"
            f"--- log\n{after.log[-3000:]}"
        )
        assert ran_after == ran[0], f"{kind} changed what the image does:\n{text}"
