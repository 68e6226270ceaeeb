"""The CI options of a bench: parsing, contradictions, and what a client cannot do."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.bench.pipeline import Pipeline, check_client, check_pipeline, parse_platforms
from layerwise.bench.plan import FRESH, parse_scenarios
from layerwise.engine import Client
from layerwise.errors import LayerwiseError

TWO = ("linux/amd64", "linux/arm64")
PLATFORMS = ("linux/amd64", "linux/amd64/v2", "linux/arm64")


def buildx(*, containerd_store: bool = True, driver: str = "docker") -> Client:
    return Client(
        "/usr/bin/docker",
        "buildx",
        "default",
        "v0.13.1",
        "26.1.5",
        supports_cache_to=driver != "docker" or containerd_store,
        driver=driver,
        containerd_store=containerd_store,
        platforms=PLATFORMS,
    )


LEGACY = Client("/usr/bin/docker", "legacy", None, "20.10.24", "20.10.24", False)


def test_platform_lists() -> None:
    assert parse_platforms(" linux/amd64,linux/arm64 ,linux/amd64") == TWO
    assert parse_platforms("linux/arm/v7") == ("linux/arm/v7",)
    assert parse_platforms(None) == ()


@pytest.mark.parametrize("text", ["", ",", "arm64", "linux/arm64;rm", "Linux/ARM64"])
def test_bad_platforms_are_user_errors(text: str) -> None:
    with pytest.raises(LayerwiseError):
        parse_platforms(text)


@pytest.mark.parametrize(
    ("pipeline", "scenarios", "message"),
    [
        (Pipeline(), "fresh", "choose one with --cache|imports the remote cache"),
        (Pipeline(cache="registry"), "cold", "what the fresh scenario imports"),
        (Pipeline(cache="inline", cache_mode="max", push=True), "fresh", "inline cache"),
        (Pipeline(cache_mode="max"), "cold", "needs --cache registry"),
        (Pipeline(cache="inline"), "fresh", "needs --push"),
        (Pipeline(cache="s3"), "fresh", "unknown cache `s3`"),
        (Pipeline(cache="registry", cache_mode="all"), "fresh", "unknown cache mode"),
        (Pipeline(push=True, repository="127.0.0.1:5000/x:tag"), "cold", "is not a repository"),
        (Pipeline(cache="inline", push=True, cache_stages=("deps",)), "fresh", "--cache-stage"),
    ],
)
def test_contradicting_options_are_refused(
    pipeline: Pipeline, scenarios: str, message: str
) -> None:
    with pytest.raises(LayerwiseError, match=message):
        check_pipeline(pipeline, parse_scenarios(scenarios), FRESH)


@pytest.mark.parametrize(
    "pipeline",
    [
        Pipeline(cache="registry", cache_mode="max", platforms=TWO, push=True),
        Pipeline(cache="local"),
        Pipeline(cache="inline", push=True, repository="registry.example:443/team/app"),
    ],
)
def test_consistent_options_pass(pipeline: Pipeline) -> None:
    check_pipeline(pipeline, parse_scenarios("cold,fresh"), FRESH)
    check_client(pipeline, buildx())


@pytest.mark.parametrize(
    ("pipeline", "client", "message"),
    [
        (Pipeline(push=True), LEGACY, "need docker buildx"),
        (Pipeline(platforms=TWO), LEGACY, "need docker buildx"),
        (Pipeline(cache="registry"), buildx(containerd_store=False), "exports only inline"),
        (Pipeline(cache="local"), LEGACY, "cannot export a local cache"),
        (Pipeline(platforms=TWO), buildx(containerd_store=False), "one platform at a time"),
        (Pipeline(platforms=("linux/s390x",)), buildx(), "cannot build for linux/s390x"),
    ],
)
def test_what_the_client_cannot_do_is_a_user_error(
    pipeline: Pipeline, client: Client, message: str
) -> None:
    with pytest.raises(LayerwiseError, match=message) as info:
        check_client(pipeline, client)
    assert "\n" not in str(info.value)


def test_inline_cache_on_the_plain_docker_driver_is_fine() -> None:
    # The docker driver without the containerd store still embeds inline cache.
    check_client(Pipeline(cache="inline", push=True), buildx(containerd_store=False))
    check_client(Pipeline(platforms=TWO), buildx(containerd_store=False, driver="docker-container"))


def test_cache_specs() -> None:
    ref, directory = "r:5000/b:cache-1", Path("/tmp/c")
    registry = Pipeline(cache="registry", cache_mode="max")
    assert registry.cache_to(ref, directory) == "type=registry,ref=r:5000/b:cache-1,mode=max"
    assert registry.cache_from(ref, directory, "img") == "type=registry,ref=r:5000/b:cache-1"
    local = Pipeline(cache="local")  # BuildKit's default mode, said out loud
    assert local.cache_to(ref, directory) == "type=local,dest=/tmp/c,mode=min"
    assert local.cache_from(ref, directory, "img") == "type=local,src=/tmp/c"
    inline = Pipeline(cache="inline", push=True)
    assert inline.cache_to(ref, directory) == "type=inline"
    assert (
        inline.cache_from(ref, directory, "r:5000/b:x-export")
        == "type=registry,ref=r:5000/b:x-export"
    )
