"""Client discovery and command lines against fake docker clients (no engine needed)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from layerwise.engine import BuildRequest, Client, build_command, find_client, prune_build_cache
from layerwise.errors import EngineError

SERVER = {"Version": "20.10.24", "Os": "linux", "ApiVersion": "1.41"}
DAEMON_DOWN = (
    "echo 'Cannot connect to the Docker daemon at unix:///x. Is the docker daemon running?' >&2;"
    " exit 1"
)


def fake_docker(
    tmp_path: Path,
    *,
    client_version: str = "20.10.24",
    server: dict[str, str] | None = None,
    buildx: str | None = None,
    name: str = "docker",
) -> Path:
    """A shell script answering `version`, `buildx version/inspect`; every call is logged."""
    version_json = json.dumps({"Client": {"Version": client_version}, "Server": server})
    buildx_case = (
        f"""  buildx) case "$2" in
      version) echo 'github.com/docker/buildx v0.12.1 abc' ;;
      inspect) printf '%s\\n' {shlex.quote(buildx)} ;;
      *) exit 0 ;;
    esac ;;"""
        if buildx is not None
        else "  buildx) echo \"docker: 'buildx' is not a docker command.\" >&2; exit 1 ;;"
    )
    script = tmp_path / name
    script.write_text(
        f"""#!/bin/sh
echo "$@" >> {shlex.quote(str(tmp_path / "calls.log"))}
case "$1" in
  version)
    if [ "$3" = "{{{{.Server.Version}}}}" ]; then echo 20.10.24; exit 0; fi
    echo {shlex.quote(version_json)}
    {"exit 0" if server else DAEMON_DOWN}
    ;;
{buildx_case}
  *) exit 0 ;;
esac
"""
    )
    script.chmod(0o755)
    return script


def calls(tmp_path: Path) -> list[str]:
    return (tmp_path / "calls.log").read_text().splitlines()


def test_bogus_client_path_is_a_one_line_engine_error(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "docker"
    with pytest.raises(EngineError) as err:
        find_client(str(missing))
    assert str(err.value) == f"{missing}: error: no such file"
    assert err.value.hint is not None and "--docker" in err.value.hint


def test_non_executable_client_is_rejected(tmp_path: Path) -> None:
    plain = tmp_path / "docker"
    plain.write_text("not a program")
    with pytest.raises(EngineError, match="not executable"):
        find_client(str(plain))


def test_legacy_client_with_daemon(tmp_path: Path) -> None:
    client = find_client(str(fake_docker(tmp_path, server=SERVER)))
    assert (client.kind, client.version, client.server_version) == (
        "legacy",
        "20.10.24",
        "20.10.24",
    )
    assert not client.supports_cache_to and client.builder is None
    assert client.env()["DOCKER_BUILDKIT"] == "1"


def test_daemon_not_running_names_the_cause_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(EngineError) as err:
        find_client(str(fake_docker(tmp_path, server=None)))
    assert "daemon not reachable" in str(err.value)
    assert "\n" not in str(err.value)
    assert err.value.hint is not None and "engine-up" in err.value.hint


def test_new_cli_without_buildx_cannot_buildkit_build(tmp_path: Path) -> None:
    path = fake_docker(tmp_path, client_version="28.2.2", server=SERVER)
    with pytest.raises(EngineError, match=r"Docker CLI 28\.2\.2 builds with BuildKit only through"):
        find_client(str(path))


def test_buildx_is_preferred_and_reports_its_builder(tmp_path: Path) -> None:
    inspect = "Name:   ci\nDriver: docker-container\n\nNodes:\nName:   ci0\nStatus: running\n"
    client = find_client(str(fake_docker(tmp_path, server=SERVER, buildx=inspect)), builder="ci")
    assert (client.kind, client.builder, client.driver, client.version) == (
        "buildx",
        "ci",
        "docker-container",
        "v0.12.1",
    )
    assert client.supports_cache_to
    assert "buildx inspect ci" in calls(tmp_path)


def test_buildx_docker_driver_cannot_export_cache(tmp_path: Path) -> None:
    inspect = "Name:   default\nDriver: docker\n"
    client = find_client(str(fake_docker(tmp_path, server=SERVER, buildx=inspect)))
    assert client.kind == "buildx" and not client.supports_cache_to


def test_env_var_names_the_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = fake_docker(tmp_path, server=SERVER, name="my-docker")
    monkeypatch.setenv("LAYERWISE_DOCKER", str(path))
    assert find_client().path == str(path)
    # An explicit argument wins over the variable.
    other = tmp_path / "other"
    other.mkdir()
    assert find_client(str(fake_docker(other, server=SERVER))).path == str(other / "docker")


def legacy(path: str = "/usr/bin/docker") -> Client:
    return Client(path, "legacy", None, "20.10.24", "20.10.24", supports_cache_to=False)


def test_legacy_build_command_maps_inline_cache_and_registry_refs() -> None:
    request = BuildRequest(
        Path("/ctx/Dockerfile"),
        Path("/ctx"),
        target="build",
        build_args={"A": "1"},
        tag="app:1",
        cache_from=("type=registry,ref=127.0.0.1:5000/app:cache", "app:previous"),
        cache_to=("type=inline",),
    )
    argv = build_command(legacy(), request)
    assert argv[:3] == ["/usr/bin/docker", "build", "--progress=plain"]
    assert argv[-1] == "/ctx"
    joined = " ".join(argv)
    assert "--target build" in joined and "--build-arg A=1" in joined and "-t app:1" in joined
    assert "--cache-from 127.0.0.1:5000/app:cache --cache-from app:previous" in joined
    assert "--build-arg BUILDKIT_INLINE_CACHE=1" in joined
    assert "--cache-to" not in joined and "--load" not in joined


@pytest.mark.parametrize(
    ("cache_from", "cache_to"),
    [((), ("type=registry,ref=r/app:cache,mode=max",)), (("type=local,src=/tmp/c",), ())],
)
def test_legacy_client_refuses_what_it_cannot_do(
    cache_from: tuple[str, ...], cache_to: tuple[str, ...]
) -> None:
    request = BuildRequest(Path("D"), Path(), cache_from=cache_from, cache_to=cache_to)
    with pytest.raises(EngineError, match="needs buildx"):
        build_command(legacy(), request)


def test_buildx_build_command_passes_cache_specs_and_loads() -> None:
    client = Client("/d", "buildx", "ci", "v0.12.1", None, supports_cache_to=True)
    spec = "type=registry,ref=r/app:cache,mode=max"
    argv = build_command(client, BuildRequest(Path("D"), Path(), cache_to=(spec,)))
    assert argv[:5] == ["/d", "buildx", "build", "--builder", "ci"]
    assert f"--cache-to {spec}" in " ".join(argv) and "--load" in argv


@pytest.mark.parametrize(("driver", "loads"), [("docker", False), ("docker-container", True)])
def test_push_keeps_the_image_where_the_bench_reads_it(driver: str, loads: bool) -> None:
    client = Client("/d", "buildx", "default", "v0.13.1", None, True, driver, True)
    request = BuildRequest(
        Path("D"), Path(), platform="linux/amd64,linux/arm64", tag="r:5000/a:1", push=True
    )
    argv = build_command(client, request)
    assert "--push" in argv and ("--load" in argv) is loads
    assert "--platform linux/amd64,linux/arm64" in " ".join(argv)


def test_legacy_client_cannot_push() -> None:
    with pytest.raises(EngineError, match="pushing the build result needs buildx"):
        build_command(legacy(), BuildRequest(Path("D"), Path(), tag="r/a:1", push=True))


def test_prune_touches_only_the_builder_cache(tmp_path: Path) -> None:
    path = fake_docker(tmp_path, server=SERVER, buildx="Name: ci\nDriver: docker-container\n")
    prune_build_cache(legacy(str(path)))
    assert calls(tmp_path) == ["builder prune --all --force"]
    buildx = Client(str(path), "buildx", "ci", "v0.12.1", None, supports_cache_to=True)
    prune_build_cache(buildx)
    assert calls(tmp_path)[-1] == "buildx prune --all --force --builder ci"


def test_a_cache_only_build_exports_no_image() -> None:
    client = Client("/d", "buildx", "default", "v0.13.1", None, True, "docker", True)
    argv = build_command(client, BuildRequest(Path("D"), Path(), target="deps", cache_only=True))
    assert "--output=type=cacheonly" in argv and "--load" not in argv
    assert "--target deps" in " ".join(argv)
    with pytest.raises(EngineError, match="cache only"):
        build_command(client, BuildRequest(Path("D"), Path(), tag="a:1", cache_only=True))
    with pytest.raises(EngineError, match="cache only"):
        build_command(legacy(), BuildRequest(Path("D"), Path(), cache_only=True))
