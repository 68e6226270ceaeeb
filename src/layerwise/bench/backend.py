"""What the bench needs from a BuildKit engine, and the real one (`layerwise.engine`).

The bench talks to this small protocol so its own logic (ordering, edits, restoring the tree,
medians) can be tested with a stand-in; the engine's behaviour is tested for real.
"""

from __future__ import annotations

from typing import Protocol

from layerwise.engine import (
    Blob,
    BuildRequest,
    BuildResult,
    Client,
    Layer,
    delete_local_tag,
    image_layers,
    image_size,
    prune_build_cache,
    pushed_layers,
    run_build,
)


class Backend(Protocol):
    """Builds, measures images, prunes the builder cache, removes images it made."""

    def describe(self) -> str:
        """The client and builder, for the report: "/usr/bin/docker (legacy, 20.10.24)"."""
        ...

    def builder_name(self) -> str:
        """The builder whose cache `prune` empties, for the notice printed before a cold run."""
        ...

    def default_platform(self) -> str:
        """The platform a build without --platform makes ("linux/amd64")."""
        ...

    def build(self, request: BuildRequest) -> BuildResult: ...

    def prune(self) -> None:
        """Empty the builder cache (only that: images and containers stay)."""
        ...

    def layers(self, image: str) -> list[Layer]: ...

    def size(self, image: str) -> int: ...

    def remove(self, image: str) -> None:
        """Remove an image the bench built (best effort: one still in use stays)."""
        ...

    def pushed(self, ref: str, platform: str) -> dict[str, tuple[Blob, ...]]:
        """Each platform's layer blobs of the image pushed as `ref` (`platform` names a lone
        manifest's)."""
        ...

    def forget(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        """Delete what the bench pushed (image tags, registry cache refs); the refs it could
        not delete, which stay in the registry."""
        ...


class EngineBackend:
    """The real engine, through a `layerwise.engine.Client`."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def describe(self) -> str:
        builder = f", builder {self.client.builder}" if self.client.builder else ""
        return f"{self.client.path} ({self.client.kind} {self.client.version}{builder})"

    def builder_name(self) -> str:
        if self.client.kind == "buildx":
            return f"buildx builder `{self.client.builder or 'default'}`"
        return "the Docker daemon's BuildKit"

    def default_platform(self) -> str:
        # buildx lists the builder's own platform first; a legacy client builds the daemon's.
        return self.client.platforms[0] if self.client.platforms else "default"

    def build(self, request: BuildRequest) -> BuildResult:
        return run_build(self.client, request)

    def prune(self) -> None:
        prune_build_cache(self.client)

    def layers(self, image: str) -> list[Layer]:
        return image_layers(self.client, image)

    def size(self, image: str) -> int:
        return image_size(self.client, image)

    def remove(self, image: str) -> None:
        # Without --force: an image someone tagged or a container uses in the meantime stays.
        self.client.run("image", "rm", image, timeout=120)

    def pushed(self, ref: str, platform: str) -> dict[str, tuple[Blob, ...]]:
        return pushed_layers(self.client, ref, single_platform=platform)

    def forget(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(ref for ref in refs if not delete_local_tag(ref))
