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
from collections.abc import Callable
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


def build_and_run(
    client: Client,
    dockerfile: Path,
    context: Path,
    target: str | None,
    run: bool,
    platforms: tuple[str, ...] = (),
) -> tuple[BuildResult, str | None]:
    """The build (for `platforms` at once when given), and with `run` what the image printed
    when started, on each of the platforms (None if not run). The image is removed; the build
    cache stays (never prune it here)."""
    request = BuildRequest(dockerfile, context, target=target, platform=",".join(platforms) or None)
    result = run_build(client, request)
    output = None
    if result.image_id:
        if run and result.ok:
            output = ""
            for platform in platforms or (None,):
                chosen = ["--platform", platform] if platform else []
                argv = [client.path, "run", "--rm", *chosen, result.image_id]
                done = subprocess.run(argv, capture_output=True, text=True)
                output += f"exit {done.returncode}\n{done.stdout}{done.stderr}"
        subprocess.run([client.path, "image", "rm", "-f", result.image_id], capture_output=True)
    return result, output


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

    before, ran = build_and_run(buildkit, dockerfile, work, target, run, platforms)
    assert before.ok, f"the original does not build: {before.error}\n{before.log[-3000:]}"
    if run:
        assert ran is not None and exits(ran) == ["exit 0"] * max(1, len(platforms)), (
            f"the original fails to run:\n{ran}"
        )

    levels = (False, True) if expect.get("unsafe") else (False,)
    for unsafe in levels:
        _, result = fixed(work, unsafe=unsafe, platforms=platforms)
        assert not result.bugs, result.bugs
        if result.text == original:
            continue
        kind = "an unsafe" if unsafe else "a safe"
        dockerfile.write_text(result.text)
        after, ran_after = build_and_run(buildkit, dockerfile, work, target, run, platforms)
        assert after.ok, (
            f"{kind} fix broke the build: {after.error}\n--- fixed Dockerfile\n{result.text}\n"
            f"--- log\n{after.log[-3000:]}"
        )
        assert ran_after == ran, f"{kind} fix changed what the image does:\n{result.text}"
