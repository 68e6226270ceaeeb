"""Where the builder keeps its cache, found by asking: `docker buildx inspect`, `docker info`,
`docker inspect` of a docker-container builder's container, and, when the daemon runs on this
machine, the daemon's and containerd's own configuration (read through /proc).

- `docker` driver: BuildKit runs inside dockerd; its state is `<DockerRootDir>/buildkit`
  (moby's builder-next). With the containerd image store (`DriverStatus` driver-type
  io.containerd.snapshotter.v1) the layers and cache mounts' contents are snapshots of
  containerd's snapshotter, under containerd's root
  (`<root>/io.containerd.snapshotter.v1.<Driver>`); BuildKit keeps its metadata in its own.
- `docker-container` driver: BuildKit runs in the container `buildx_buildkit_<node>`, its
  state in the volume mounted there at /var/lib/buildkit.
- other drivers (kubernetes, remote): the state is wherever that BuildKit runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layerwise.engine.client import Client

CONTAINER_PREFIX = "buildx_buildkit_"  # buildx's docker-container driver names it so
SNAPSHOTTER_PLUGIN = "io.containerd.snapshotter.v1"
DEFAULT_DAEMON_JSON = "/etc/docker/daemon.json"


@dataclass(frozen=True, slots=True)
class Place:
    """A directory (or volume) that holds part of the cache; `exists` None: not checkable
    from here (the daemon runs elsewhere)."""

    what: str  # "buildkit" (BuildKit's state), "snapshots" (containerd's), "volume"
    path: str
    exists: bool | None


@dataclass(frozen=True, slots=True)
class Storage:
    builder: str
    driver: str
    nodes: tuple[str, ...]
    platforms: tuple[str, ...]
    host: str  # the daemon's host name (`docker info` Name)
    local: bool  # the daemon listens on a local socket: its paths are this machine's
    server_version: str
    architecture: str  # the daemon host's (`docker info` Architecture: x86_64, aarch64)
    root_dir: str  # DockerRootDir
    containerd_store: bool
    snapshotter: str  # `docker info` Driver (overlayfs, overlay2)
    places: tuple[Place, ...]
    container: str | None = None  # docker-container: the BuildKit container
    volume: str | None = None  # docker-container: its state volume
    daemon_json: str | None = None  # the daemon's configuration file, when read
    gc: dict[str, Any] | None = None  # its builder.gc section; None when absent or unread


def inspect_storage(client: Client) -> Storage:
    """Where `client`'s builder keeps its cache."""
    inspect = client.check("buildx", "inspect", *([client.builder] if client.builder else []))
    fields, nodes = inspect_nodes(inspect)
    info = _json(client.check("info", "--format", "{{json .}}"))
    local = _is_local(client)
    driver = fields.get("driver", client.driver or "")
    root = str(info.get("DockerRootDir", ""))
    status = {str(k): str(v) for k, v in _pairs(info.get("DriverStatus"))}
    containerd_store = status.get("driver-type", "").startswith(SNAPSHOTTER_PLUGIN)
    snapshotter = str(info.get("Driver", ""))
    places: list[Place] = []
    container = volume = None
    if driver == "docker":
        places.append(_place("buildkit", f"{root}/buildkit", local))
        if containerd_store:
            croot = containerd_root(root) if local else None
            if croot is not None:
                path = f"{croot}/{SNAPSHOTTER_PLUGIN}.{snapshotter}"
                places.append(_place("snapshots", path, local))
    elif driver == "docker-container" and nodes:
        container = CONTAINER_PREFIX + nodes[0]
        for mount in _container_mounts(client, container):
            if mount.get("Destination") == "/var/lib/buildkit":
                volume = str(mount.get("Name") or "") or None
                places.append(_place("volume", str(mount.get("Source", "")), local))
    config = daemon_json_path() if local else None
    settings = _read_json(config) if config else None
    builder = settings.get("builder") if isinstance(settings, dict) else None
    gc = builder.get("gc") if isinstance(builder, dict) else None
    return Storage(
        builder=fields.get("name", client.builder or ""),
        driver=driver,
        nodes=nodes,
        platforms=client.platforms,
        host=str(info.get("Name", "")),
        local=local,
        server_version=str(info.get("ServerVersion", "")),
        architecture=str(info.get("Architecture", "")),
        root_dir=root,
        containerd_store=containerd_store,
        snapshotter=snapshotter,
        places=tuple(places),
        container=container,
        volume=volume,
        daemon_json=config if settings is not None else None,
        gc=gc if isinstance(gc, dict) else None,
    )


def inspect_nodes(text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """`docker buildx inspect` output: the builder's fields (lower-case keys, before `Nodes:`)
    and its nodes' names."""
    fields: dict[str, str] = {}
    nodes: list[str] = []
    in_nodes = False
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep or line.startswith(" "):
            continue
        key = key.strip().lower()
        if key == "nodes":
            in_nodes = True
        elif in_nodes and key == "name":
            nodes.append(value.strip())
        elif not in_nodes:
            fields.setdefault(key, value.strip())
    return fields, tuple(nodes)


def containerd_root(docker_root: str) -> str | None:
    """containerd's root directory: from the `root =` of the configuration the running
    containerd was started with, else dockerd's managed containerd's default place under the
    Docker root when it is there; None when neither is found."""
    config = _option_of("containerd", "--config")
    if config is not None:
        try:
            for line in Path(config).read_text().splitlines():
                key, sep, value = line.partition("=")
                if sep and key.strip() == "root":
                    return value.strip().strip('"')
        except OSError:
            pass
    managed = f"{docker_root}/containerd/daemon"
    return managed if Path(managed).is_dir() else None


def daemon_json_path() -> str:
    """The running dockerd's `--config-file`, else the default /etc/docker/daemon.json."""
    return _option_of("dockerd", "--config-file") or DEFAULT_DAEMON_JSON


def _option_of(program: str, option: str) -> str | None:
    """The value of `option` on the command line of a running `program` (via /proc)."""
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:
        return None
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [a.decode(errors="replace") for a in args if a]
        if not words or Path(words[0]).name != program:
            continue
        for i, word in enumerate(words):
            if word == option and i + 1 < len(words):
                return words[i + 1]
            if word.startswith(option + "="):
                return word.split("=", 1)[1]
    return None


def _is_local(client: Client) -> bool:
    proc = client.run("context", "inspect", "--format", "{{json .Endpoints.docker.Host}}")
    host = proc.stdout.strip().strip('"') if proc.returncode == 0 else ""
    host = os.environ.get("DOCKER_HOST") or host
    return host.startswith("unix://") or host.startswith("npipe://")


def _container_mounts(client: Client, container: str) -> list[dict[str, Any]]:
    proc = client.run("inspect", "--format", "{{json .Mounts}}", container)
    if proc.returncode != 0:
        return []
    try:
        mounts = json.loads(proc.stdout or "null")
    except ValueError:
        return []
    return [m for m in mounts if isinstance(m, dict)] if isinstance(mounts, list) else []


def _place(what: str, path: str, local: bool) -> Place:
    if not local or not path:
        return Place(what, path, None)
    try:
        return Place(what, path, Path(path).is_dir())
    except OSError:  # not readable by this user: it may well be there
        return Place(what, path, None)


def _pairs(value: object) -> list[tuple[object, object]]:
    if not isinstance(value, list):
        return []
    return [(p[0], p[1]) for p in value if isinstance(p, list) and len(p) == 2]


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _read_json(path: str) -> dict[str, Any] | None:
    try:
        return _json(Path(path).read_text())
    except OSError:
        return None
