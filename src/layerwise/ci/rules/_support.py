"""What several pipeline rules ask of a build."""

from __future__ import annotations

from layerwise.ci.cache_specs import ECR_OPTIONS, CacheSpec, specs
from layerwise.ci.model import Build, Value
from layerwise.syntax.span import Edit


def command(build: Build) -> str:
    """How a finding names the build: `docker buildx build`, `docker/build-push-action`."""
    return "docker/build-push-action" if build.kind == "build-push-action" else build.kind


def imports(build: Build) -> tuple[CacheSpec, ...]:
    return specs(build.cache_from)


def exports(build: Build) -> tuple[CacheSpec, ...]:
    return specs(build.cache_to)


def inline_export(build: Build) -> Value | None:
    """Where the build asks for inline cache: `--cache-to type=inline` or the build argument
    `BUILDKIT_INLINE_CACHE=1` (what `docker build` without buildx takes)."""
    for spec in exports(build):
        if spec.type == "inline":
            return spec.value
    for arg in build.build_args:
        if arg.text.replace(" ", "") in ("BUILDKIT_INLINE_CACHE=1", "BUILDKIT_INLINE_CACHE=true"):
            return arg
    return None


def append_options(value: Value, options: tuple[str, ...]) -> Edit | None:
    """An edit adding `,opt` for each option to the end of a cache value, when the value is
    written out where it is used (not through a variable)."""
    if not options or not value.editable:
        return None
    return Edit.insert(value.span.end, "".join(f",{o}" for o in options))


def missing_ecr_options(spec: CacheSpec) -> tuple[str, ...]:
    return tuple(o for o in ECR_OPTIONS if spec.options.get(o.split("=")[0], "").lower() != "true")


def replace_in_value(text: str, value: Value, old: str, new: str) -> Edit | None:
    """An edit replacing `old` where it is written inside `value` (once), when it is there
    verbatim and the value is not a variable's."""
    if not value.editable:
        return None
    written = text[value.span.start : value.span.end]
    if written.count(old) != 1:
        return None
    start = value.span.start + written.index(old)
    return Edit(start, start + len(old), new)
