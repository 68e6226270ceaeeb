"""A build's steps and push split per target platform, and which steps install dependencies.

Multi-platform builds print each step with its platform (`[linux/arm64 build 3/6] RUN ...`);
one-platform builds print none, so those steps belong to the one platform built. A dependency
step is a RUN whose commands install packages (`npm ci`, `pip install`, `apt-get install`...),
as layerwise's ecosystems recognise them: whether it came back CACHED is what a fresh CI build
is about.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from layerwise import ecosystems
from layerwise.bench.results import DependencyStep, PlatformResult
from layerwise.engine import Blob, BuildStep, total_size
from layerwise.shell import parse_text

# RUN's own flags (--mount=..., --network=none, --security=...) precede the command.
_RUN_FLAGS = re.compile(r"^(?:--[a-z-]+(?:=\S*)?\s+)*")


def run_command_text(step: BuildStep) -> str | None:
    """The shell command of a RUN step as BuildKit printed it, flags removed; None otherwise."""
    if step.keyword != "RUN":
        return None
    rest = step.instruction[len("RUN") :].strip()
    rest = _RUN_FLAGS.sub("", rest)
    if rest.startswith("["):  # exec form: ["npm", "ci"]
        try:
            words = json.loads(rest)
        except ValueError:
            return rest
        if isinstance(words, list):
            return " ".join(str(word) for word in words)
    return rest


def is_dependency_step(step: BuildStep) -> bool:
    """The step is a RUN that installs packages with a package manager layerwise knows."""
    text = run_command_text(step)
    if not text:
        return False
    script = parse_text(text)
    for command in script.commands:
        eco = ecosystems.for_command(command)
        if eco is not None and eco.is_install(command):
            return True
    return False


def per_platform(
    steps: Sequence[BuildStep],
    default_platform: str,
    pushed: Mapping[str, tuple[Blob, ...]] | None,
) -> tuple[PlatformResult, ...]:
    """Steps cached/total (FROM excluded), dependency steps, and pushed blobs, per platform.

    `pushed` holds the blobs this build's push uploaded per platform (None without a push).
    """
    grouped: dict[str, list[BuildStep]] = {}
    for step in steps:
        if step.keyword == "FROM":
            continue
        grouped.setdefault(step.platform or default_platform, []).append(step)
    for platform in pushed or {}:
        grouped.setdefault(platform, [])
    results: list[PlatformResult] = []
    for platform, group in grouped.items():
        count: int | None = None
        size: int | None = None
        if pushed is not None:
            count, size = total_size({platform: pushed.get(platform, ())})
        results.append(
            PlatformResult(
                platform=platform,
                cached=sum(step.cached for step in group),
                total=len(group),
                dependency_steps=tuple(
                    DependencyStep(step.name, step.cached)
                    for step in group
                    if is_dependency_step(step)
                ),
                pushed_layers=count,
                pushed_bytes=size,
            )
        )
    return tuple(results)
