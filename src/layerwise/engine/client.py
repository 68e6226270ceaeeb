"""Finding a Docker client that can run BuildKit builds, and running it.

Two kinds work: `docker buildx build` when the buildx plugin answers and its builder is usable,
and a "legacy" client older than Docker 23 with DOCKER_BUILDKIT=1 (Docker 20.10 here). A Docker
23+ CLI without buildx cannot: its `docker build` refuses BuildKit ("BuildKit is enabled but the
buildx component is missing or broken") and otherwise falls back to the legacy builder, which
is not what layerwise measures.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from layerwise.errors import EngineError

ClientKind = Literal["buildx", "legacy"]

ENV_VAR = "LAYERWISE_DOCKER"
# Where a docker client usually lives, tried after the one on PATH.
_WELL_KNOWN = ("/usr/bin/docker", "/usr/local/bin/docker")
# Docker 23 made `docker build` an alias of `docker buildx build`.
_FIRST_BUILDX_ONLY_MAJOR = 23
_PROBE_TIMEOUT = 20.0
_HINT_DAEMON = "start the engine (scripts/engine-up) or point DOCKER_HOST at a running daemon"
_HINT_CLIENT = (
    "pass --docker PATH or set LAYERWISE_DOCKER to a client that can build with BuildKit "
    "(docker with the buildx plugin, or Docker 18.09-22.x with DOCKER_BUILDKIT=1)"
)


@dataclass(frozen=True, slots=True)
class Client:
    """A docker client layerwise can build with.

    `version` is the client's version (buildx's for kind "buildx"), `server_version` the
    daemon's. `supports_cache_to`: the client can export a build cache with --cache-to (the
    legacy client cannot; it only embeds inline cache with BUILDKIT_INLINE_CACHE=1). `driver` is
    the buildx builder's driver ("docker", "docker-container", ...), None for legacy clients.
    """

    path: str
    kind: ClientKind
    builder: str | None
    version: str
    server_version: str | None
    supports_cache_to: bool
    driver: str | None = None
    # The daemon keeps images in containerd's store (Docker 24+ with the containerd-snapshotter
    # feature): the `docker` driver then exports any cache and builds several platforms at once.
    containerd_store: bool = False
    # What the builder can build for ("linux/amd64", "linux/arm64", ...); arm64 on an x86_64
    # host means QEMU is registered. Empty for legacy clients (they build the daemon's own).
    platforms: tuple[str, ...] = ()

    @property
    def multi_platform(self) -> bool:
        """One build can produce several platforms (and push an image index)."""
        return self.kind == "buildx" and (self.driver != "docker" or self.containerd_store)

    def env(self) -> dict[str, str]:
        """The environment to run this client in."""
        env = dict(os.environ)
        if self.kind == "legacy":
            env["DOCKER_BUILDKIT"] = "1"
        return env

    def command(self, *args: str) -> list[str]:
        """argv for `docker ARGS...`."""
        return [self.path, *args]

    def run(self, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        """Run `docker ARGS...`, capturing its output; EngineError if it cannot start."""
        return run_command(self.command(*args), env=self.env(), timeout=timeout)

    def check(self, *args: str, timeout: float | None = None) -> str:
        """Run `docker ARGS...` and return stdout; EngineError with its message when it fails."""
        proc = self.run(*args, timeout=timeout)
        if proc.returncode != 0:
            message = _first_error_line(proc.stderr or proc.stdout)
            message = message or f"exit code {proc.returncode}"
            raise EngineError(f"`docker {' '.join(args[:2])}` failed: {message}", path=self.path)
        return proc.stdout


def run_command(
    argv: Sequence[str], *, env: dict[str, str] | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a client command; a missing or non-executable client becomes an EngineError."""
    try:
        return subprocess.run(
            list(argv),
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise EngineError("docker client not found", path=argv[0], hint=_HINT_CLIENT) from None
    except PermissionError:
        raise EngineError(
            "docker client is not executable", path=argv[0], hint=_HINT_CLIENT
        ) from None
    except OSError as exc:
        raise EngineError(f"cannot run the docker client: {exc.strerror}", path=argv[0]) from None
    except subprocess.TimeoutExpired:
        raise EngineError(
            f"`{' '.join(argv[1:3])}` did not answer within {timeout:.0f} s", path=argv[0]
        ) from None


def find_client(explicit: str | None = None, *, builder: str | None = None) -> Client:
    """The client to build with.

    Order: `explicit`, else $LAYERWISE_DOCKER (either one is the only candidate: a client the
    user named is never silently replaced), else the `docker` on PATH and the usual install
    paths. For each candidate `docker buildx` is tried first, then the legacy BuildKit client.
    Raises EngineError naming why each candidate was rejected.
    """
    named = explicit or os.environ.get(ENV_VAR) or None
    candidates = [_resolve(named)] if named else _default_candidates()
    if not candidates:
        raise EngineError("no docker client found on PATH", hint=_HINT_CLIENT)
    reasons: list[str] = []
    for path in candidates:
        client, reason = probe(path, builder=builder)
        if client is not None:
            return client
        reasons.append(f"{path}: {reason}")
    if len(reasons) == 1:
        raise EngineError(reasons[0].split(": ", 1)[1], path=candidates[0], hint=_hint_for(reasons))
    raise EngineError(
        "no docker client can run BuildKit builds (" + "; ".join(reasons) + ")",
        path="docker",
        hint=_hint_for(reasons),
    )


def probe(path: str, *, builder: str | None = None) -> tuple[Client | None, str]:
    """Try `path` as a buildx client, then as a legacy one: (client, "") or (None, why not)."""
    if not Path(path).exists():
        return None, "no such file"
    if not os.access(path, os.X_OK):
        return None, "not executable"
    client, buildx_reason = _probe_buildx(path, builder)
    if client is not None:
        return client, ""
    if builder is not None:
        return None, f"builder {builder!r} needs buildx: {buildx_reason}"
    client, legacy_reason = _probe_legacy(path)
    if client is not None:
        return client, ""
    return None, legacy_reason


def _resolve(name: str) -> str:
    if os.sep in name:
        return name
    return shutil.which(name) or name


def _default_candidates() -> list[str]:
    seen: set[str] = set()
    found: list[str] = []
    for path in (shutil.which("docker"), *_WELL_KNOWN):
        if path is None or not Path(path).exists():
            continue
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            found.append(path)
    return found


def _probe_buildx(path: str, builder: str | None) -> tuple[Client | None, str]:
    env = dict(os.environ)
    version = run_command([path, "buildx", "version"], env=env, timeout=_PROBE_TIMEOUT)
    if version.returncode != 0:
        return None, "no buildx plugin"
    # "github.com/docker/buildx v0.12.1 542e5d8"
    words = version.stdout.split()
    buildx_version = words[1] if len(words) > 1 else (words[0] if words else "unknown")
    argv = [path, "buildx", "inspect"] + ([builder] if builder else [])
    inspect = run_command(argv, env=env, timeout=_PROBE_TIMEOUT)
    if inspect.returncode != 0:
        return None, f"buildx has no usable builder: {_first_error_line(inspect.stderr)}"
    fields = _inspect_fields(inspect.stdout)
    status = fields.get("status", "")
    if status.startswith("error"):
        return None, f"buildx builder {fields.get('name', builder)!r} is in error: {status}"
    driver = fields.get("driver")
    server, containerd_store = _server_info(path, env)
    platforms = tuple(p.strip() for p in fields.get("platforms", "").split(",") if p.strip())
    return (
        Client(
            path=path,
            kind="buildx",
            builder=fields.get("name", builder),
            version=buildx_version,
            server_version=server,
            # The docker driver exports only inline cache, unless the daemon uses the containerd
            # image store; the other drivers take any --cache-to.
            supports_cache_to=driver != "docker" or containerd_store,
            driver=driver,
            containerd_store=containerd_store,
            platforms=platforms,
        ),
        "",
    )


def _probe_legacy(path: str) -> tuple[Client | None, str]:
    env = dict(os.environ, DOCKER_BUILDKIT="1")
    proc = run_command([path, "version", "--format", "{{json .}}"], env=env, timeout=_PROBE_TIMEOUT)
    info = _json_or_none(proc.stdout)
    client_info = info.get("Client") if info is not None else None
    if info is None or not isinstance(client_info, dict):
        return None, f"`docker version` failed: {_first_error_line(proc.stderr) or 'no output'}"
    client_version = str(client_info.get("Version", ""))
    major = _major(client_version)
    if major is None:
        return None, f"unrecognised client version {client_version!r}"
    if major >= _FIRST_BUILDX_ONLY_MAJOR:
        return None, (
            f"Docker CLI {client_version} builds with BuildKit only through buildx, "
            "which is not installed"
        )
    if major < 18:  # DOCKER_BUILDKIT arrived in 18.09
        return None, f"Docker CLI {client_version} predates BuildKit"
    server = info.get("Server")
    if not isinstance(server, dict):
        message = _first_error_line(proc.stderr) or "cannot connect to the Docker daemon"
        return None, f"daemon not reachable: {message}"
    if str(server.get("Os", "linux")) != "linux":
        return None, f"the daemon runs {server.get('Os')} containers; BuildKit needs Linux"
    return (
        Client(
            path=path,
            kind="legacy",
            builder=None,
            version=client_version,
            server_version=str(server.get("Version", "")) or None,
            supports_cache_to=False,
        ),
        "",
    )


def _server_info(path: str, env: dict[str, str]) -> tuple[str | None, bool]:
    """The daemon's version and whether it keeps images in containerd's store."""
    proc = run_command(
        [path, "info", "--format", "{{.ServerVersion}} {{json .DriverStatus}}"],
        env=env,
        timeout=_PROBE_TIMEOUT,
    )
    if proc.returncode != 0:
        return None, False
    version, _, status = proc.stdout.strip().partition(" ")
    return version or None, "io.containerd.snapshotter" in status


def _inspect_fields(text: str) -> dict[str, str]:
    """The first value of each `Key: value` line of `docker buildx inspect` (lower-case keys)."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not line.startswith(" "):
            fields.setdefault(key.strip().lower(), value.strip())
    return fields


def _json_or_none(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _major(version: str) -> int | None:
    m = re.match(r"v?(\d+)\.", version)
    return int(m.group(1)) if m else None


def _first_error_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip().removeprefix("ERROR: ").removeprefix("error: ")
    return ""


def _hint_for(reasons: list[str]) -> str:
    if any("daemon" in r for r in reasons):
        return _HINT_DAEMON
    return _HINT_CLIENT
