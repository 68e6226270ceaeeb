"""Running one BuildKit build and reading its result."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from layerwise.engine.client import Client
from layerwise.engine.progress import BuildStep, ProgressParser
from layerwise.errors import EngineError

Sink = Callable[[str], None]

# What the legacy client's --cache-from takes: an image reference, which BuildKit reads as a
# registry cache.
_REGISTRY_PREFIXES = ("type=registry,ref=", "ref=")
_DANGLING = re.compile(r"naming to moby-dangling@(sha256:[0-9a-f]{64})")


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """What to build. `cache_from`/`cache_to` take buildx's syntax (`type=registry,ref=...`,
    `type=inline`); a bare image reference in `cache_from` means a registry cache. `platform`
    may list several (`linux/amd64,linux/arm64`); `push` sends the image to the registry `tag`
    names (buildx only). `cache_only` keeps the result in the build cache and exports no image
    (buildx's `--output type=cacheonly`): the steps and their cache, without the export's time."""

    dockerfile: Path
    context: Path
    target: str | None = None
    build_args: Mapping[str, str] = field(default_factory=dict)
    platform: str | None = None
    tag: str | None = None
    cache_from: Sequence[str] = ()
    cache_to: Sequence[str] = ()
    no_cache: bool = False
    push: bool = False
    cache_only: bool = False
    progress_sink: Sink | None = None


@dataclass(frozen=True, slots=True)
class BuildResult:
    """A finished build: `ok` when the client exited 0; `seconds` is wall time of the client
    process; `log` the whole plain progress output; `error` BuildKit's message when it failed."""

    ok: bool
    seconds: float
    steps: list[BuildStep]
    image_id: str | None
    tag: str | None
    log: str
    error: str | None

    @property
    def cached_steps(self) -> int:
        return sum(step.cached for step in self.steps)


def build_command(
    client: Client, request: BuildRequest, *, iidfile: Path | None = None
) -> list[str]:
    """argv of the build; EngineError when the request needs what the client cannot do."""
    args = ["buildx", "build"] if client.kind == "buildx" else ["build"]
    if client.kind == "buildx" and client.builder:
        args += ["--builder", client.builder]
    args += ["--progress=plain", "-f", str(request.dockerfile)]
    if request.target:
        args += ["--target", request.target]
    for name, value in request.build_args.items():
        args += ["--build-arg", f"{name}={value}"]
    if request.platform:
        args += ["--platform", request.platform]
    if request.tag:
        args += ["-t", request.tag]
    if request.no_cache:
        args.append("--no-cache")
    if iidfile is not None:
        args += ["--iidfile", str(iidfile)]
    args += _cache_args(client, request)
    if request.push:
        if client.kind != "buildx":
            raise EngineError(
                f"pushing the build result needs buildx; Docker {client.version}'s legacy "
                "client cannot",
                path=client.path,
            )
        args.append("--push")
    if request.cache_only:
        if client.kind != "buildx" or request.push or request.tag:
            raise EngineError(
                "a build into the cache only needs buildx, and neither a tag nor a push",
                path=client.path,
            )
        args.append("--output=type=cacheonly")
    if client.kind == "buildx":
        # buildx attaches a provenance attestation (with its own timestamps) by default on
        # stores that keep indexes: the same fully cached build would get a new image id.
        args.append("--provenance=false")
    if (
        client.kind == "buildx"
        and not request.cache_only
        and not (request.push and client.driver == "docker")
    ):
        # With a docker-container builder the image stays in the builder unless loaded; the
        # layer and size queries read it from the daemon. The docker driver keeps a pushed
        # image in the daemon anyway.
        args.append("--load")
    args.append(str(request.context))
    return client.command(*args)


def _cache_args(client: Client, request: BuildRequest) -> list[str]:
    args: list[str] = []
    if client.kind == "buildx":
        for spec in request.cache_from:
            args += ["--cache-from", spec]
        for spec in request.cache_to:
            args += ["--cache-to", spec]
        return args
    for spec in request.cache_from:
        ref = _registry_ref(spec)
        if ref is None:
            raise EngineError(
                f"cache source {spec!r} needs buildx; Docker {client.version}'s --cache-from "
                "takes only image references",
                path=client.path,
            )
        args += ["--cache-from", ref]
    for spec in request.cache_to:
        if spec.replace(" ", "") != "type=inline":
            raise EngineError(
                f"cache export {spec!r} needs buildx; Docker {client.version} can only embed "
                "inline cache (type=inline)",
                path=client.path,
            )
        args += ["--build-arg", "BUILDKIT_INLINE_CACHE=1"]
    return args


def _registry_ref(spec: str) -> str | None:
    if "=" not in spec.split(",", 1)[0]:
        return spec  # a bare reference
    for prefix in _REGISTRY_PREFIXES:
        if spec.startswith(prefix) and "," not in spec[len(prefix) :]:
            return spec[len(prefix) :]
    return None


def run_build(client: Client, request: BuildRequest) -> BuildResult:
    """Run the build, streaming each output line to `request.progress_sink`.

    A failed build is a result with ok=False, not an exception; EngineError is for a client
    that cannot run or a Dockerfile/context that does not exist. Ctrl-C stops the client and
    propagates.
    """
    if not request.dockerfile.is_file():
        raise EngineError("Dockerfile not found", path=str(request.dockerfile))
    if not request.context.is_dir():
        raise EngineError("build context is not a directory", path=str(request.context))
    with tempfile.TemporaryDirectory(prefix="layerwise-build-") as tmp:
        iidfile = Path(tmp) / "iid"
        argv = build_command(client, request, iidfile=iidfile)
        parser = ProgressParser()
        lines: list[str] = []
        started = time.monotonic()
        returncode = _stream(argv, client.env(), parser, lines, request.progress_sink)
        seconds = time.monotonic() - started
        image_id = (iidfile.read_text().strip() or None) if iidfile.exists() else None
    log = "".join(lines)
    ok = returncode == 0
    if ok and client.containerd_store:
        # There buildx's --iidfile holds the config digest, while the daemon names images by
        # their manifest digest: the tag finds the image again, or for an untagged build the
        # name the exporter gave it ("naming to moby-dangling@sha256:...").
        if request.tag:
            image_id = _image_id(client, request.tag) or image_id
        elif found := _DANGLING.search(log):
            image_id = found.group(1)
    return BuildResult(
        ok=ok,
        seconds=seconds,
        steps=parser.steps,
        image_id=image_id if ok else None,
        tag=request.tag,
        log=log,
        error=None if ok else _error_message(parser, lines, returncode),
    )


def _image_id(client: Client, tag: str) -> str | None:
    proc = client.run("image", "inspect", "--format", "{{.Id}}", tag, timeout=60)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def _stream(
    argv: list[str],
    env: dict[str, str],
    parser: ProgressParser,
    lines: list[str],
    sink: Sink | None,
) -> int:
    try:
        proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            bufsize=1,
        )
    except OSError as exc:
        raise EngineError(f"cannot run the docker client: {exc.strerror}", path=argv[0]) from None
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            lines.append(line)
            parser.feed(line)
            if sink is not None:
                sink(line.rstrip("\n"))
        return proc.wait()
    except BaseException:
        # Ctrl-C or a failing sink: do not leave the client building in the background.
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise


def _error_message(parser: ProgressParser, lines: list[str], returncode: int) -> str:
    for vertex in parser.vertices:
        if vertex.error:
            return f"{vertex.name}: {vertex.error}"
    # Errors before any step ran (Dockerfile syntax, missing base image) come as plain lines.
    for line in reversed(lines):
        text = line.strip()
        if text and not text.startswith("#") and not set(text) <= {"-"}:
            return text.removeprefix("ERROR: ")
    return f"build failed with exit code {returncode}"
