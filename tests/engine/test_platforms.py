"""What the facts page says about platforms and cache mounts, checked on the real engine.

Two-platform builds (amd64 natively, arm64 under QEMU) of a few-line Dockerfile: cache mounts
are shared by the platforms unless their id names the platform (buildkit-facts.md, "Cache
mounts"), and a cache mount never travels in a registry cache (what an ephemeral CI agent
cannot get back).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.engine import BuildResult, Client

from .conftest import BASE, Builder

pytestmark = pytest.mark.engine

PLATFORMS = "linux/amd64,linux/arm64"
REGISTRY = "127.0.0.1:5000"


@pytest.fixture
def two_platforms(engine: Client) -> Client:
    if not engine.multi_platform or "linux/arm64" not in engine.platforms:
        pytest.skip("the builder cannot build linux/amd64 and linux/arm64 in one build")
    return engine


def listing(result: BuildResult, marker: str) -> dict[str, set[str]]:
    """{platform: the words the step printed} for each platform's run of the step whose
    command holds `marker`."""
    assert result.ok, result.log
    seen: dict[str, set[str]] = {}
    for step in result.steps:
        if marker in step.name and not step.cached:
            platform = "linux/arm64" if "linux/arm64" in step.name else "linux/amd64"
            seen.setdefault(platform, set()).update(w for line in step.output for w in line.split())
    return seen


def mount_dockerfile(tmp_path: Path, token: str, mount_id: str) -> None:
    (tmp_path / "Dockerfile").write_text(
        f"FROM {BASE}\nARG TARGETPLATFORM\nARG ROUND\n"
        f"RUN --mount=type=cache,target=/c,id={mount_id} "
        f'echo "round $ROUND {token}" && touch /c/$(uname -m) && ls /c\n'
    )


def test_platforms_share_a_cache_mount_unless_its_id_names_the_platform(
    two_platforms: Client, build: Builder, tmp_path: Path, token: str
) -> None:
    mount_dockerfile(tmp_path, token, f"lw-{token}")
    assert build(platform=PLATFORMS, build_args={"ROUND": "1"}).ok
    second = listing(build(platform=PLATFORMS, build_args={"ROUND": "2"}), token)
    # Each platform's second run sees what both wrote in the first: one mount for both.
    assert second == {
        "linux/amd64": {"round", "2", token, "aarch64", "x86_64"},
        "linux/arm64": {"round", "2", token, "aarch64", "x86_64"},
    }

    mount_dockerfile(tmp_path, token, f"lw-{token}-$TARGETPLATFORM")
    assert build(platform=PLATFORMS, build_args={"ROUND": "3"}).ok
    own = listing(build(platform=PLATFORMS, build_args={"ROUND": "4"}), token)
    assert own == {
        "linux/amd64": {"round", "4", token, "x86_64"},
        "linux/arm64": {"round", "4", token, "aarch64"},
    }


def test_a_registry_cache_brings_back_layers_but_not_cache_mounts(
    engine: Client, build: Builder, tmp_path: Path, token: str
) -> None:
    if not engine.supports_cache_to:
        pytest.skip("this client cannot export a registry cache")
    ref = f"{REGISTRY}/layerwise-test/mounts:{token[:12]}"
    (tmp_path / "Dockerfile").write_text(
        f"FROM {BASE}\nRUN echo {token} > /layer.txt\nARG ROUND\n"
        f"RUN --mount=type=cache,target=/c,id=lw-{token} "
        'echo "round $ROUND" && ls /c && touch /c/kept\n'
    )
    first = build(build_args={"ROUND": "1"}, cache_to=[f"type=registry,ref={ref},mode=max"])
    assert first.ok, first.log
    # An agent that starts empty: no cache mounts (the only thing pruned here, so other
    # tests' layer cache stays), then the next build imports the registry cache.
    engine.check("builder", "prune", "--force", "--filter", "type=exec.cachemount")
    again = build(build_args={"ROUND": "2"}, cache_from=[f"type=registry,ref={ref}"])
    steps = {s.name.split("] ", 1)[-1]: s for s in again.steps}
    assert steps[f"RUN echo {token} > /layer.txt"].cached
    # Step names show the command after expansion.
    mount_step = next(s for s in again.steps if "round 2" in s.name)
    assert not mount_step.cached
    assert mount_step.output == ("round 2",), "the mount came back: it was exported"
