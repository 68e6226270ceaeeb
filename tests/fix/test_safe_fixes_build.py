"""Safe fixes proven on the real BuildKit: every case in tests/fixtures/buildable/ builds as
written, its safe fixes do what its expect.toml says, and the fixed Dockerfile builds too.
See tests/fixtures/buildable/README.md for the folder convention."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from layerwise.context import BuildContext
from layerwise.engine import BuildRequest, BuildResult, Client, run_build
from layerwise.fix import fix_text
from layerwise.model import build_model
from layerwise.syntax import parse

pytestmark = pytest.mark.engine

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "buildable"
KEYS = {"about", "applied", "not_applied", "contains", "absent", "target"}


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "Dockerfile").is_file())


def expectations(case: Path) -> dict[str, Any]:
    data = tomllib.loads((case / "expect.toml").read_text())
    unknown = set(data) - KEYS
    assert not unknown, f"{case.name}/expect.toml: unknown keys {sorted(unknown)}"
    assert data.get("about"), f"{case.name}/expect.toml: `about` says what the case is"
    return data


def base_images(text: str) -> set[str]:
    """The images the case's stages start FROM (not its own stages)."""
    return {st.base for st in build_model(parse(text)).stages if st.base_stage is None}


@pytest.fixture(scope="module")
def client(buildkit: Client) -> Client:
    return buildkit


def build(client: Client, dockerfile: Path, context: Path, target: str | None) -> BuildResult:
    result = run_build(client, BuildRequest(dockerfile, context, target=target))
    if result.image_id:
        # The image is not what the test keeps; the build cache stays (never prune it here).
        subprocess.run([client.path, "image", "rm", result.image_id], capture_output=True)
    return result


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_safe_fixes_keep_the_build_working(
    case: Path, client: Client, require_image: Callable[[str], None], tmp_path: Path
) -> None:
    expect = expectations(case)
    work = tmp_path / case.name
    shutil.copytree(case, work)
    (work / "expect.toml").unlink()
    dockerfile = work / "Dockerfile"
    original = dockerfile.read_text()
    for image in base_images(original):
        require_image(image)
    target = expect.get("target")

    before = build(client, dockerfile, work, target)
    assert before.ok, f"the original does not build: {before.error}\n{before.log[-3000:]}"

    result = fix_text(original, path="Dockerfile", context=BuildContext.open(work))
    assert not result.bugs, result.bugs
    fixed = result.text
    if fixed != original:
        # The build first: a safe fix that breaks it is the failure this test is for.
        dockerfile.write_text(fixed)
        after = build(client, dockerfile, work, target)
        assert after.ok, (
            f"a safe fix broke the build: {after.error}\n--- fixed Dockerfile\n{fixed}\n"
            f"--- log\n{after.log[-3000:]}"
        )
    applied = {f.code for f in result.applied}
    for code in expect.get("applied", []):
        assert code in applied, f"{code}'s safe fix did not go in; applied: {sorted(applied)}"
    for code in expect.get("not_applied", []):
        assert code not in applied, f"{code}'s fix went in but must not:\n{fixed}"
    if expect.get("applied"):
        assert fixed != original
    for text in expect.get("contains", []):
        assert text in fixed, f"missing {text!r} in the fixed Dockerfile:\n{fixed}"
    for text in expect.get("absent", []):
        assert text not in fixed, f"{text!r} still in the fixed Dockerfile:\n{fixed}"
