"""`--cache-from`/`--cache-to` values in buildx's CSV form, and what their refs say."""

from __future__ import annotations

import re
from dataclasses import dataclass

from layerwise.ci.model import Value

_ECR = re.compile(r"\.dkr\.ecr\.[^./]+\.amazonaws\.com(?:\.cn)?/", re.I)
# What a ref, scope or name holds when it names the branch being built, per CI system
# (`$BRANCH_NAME`, `${{ github.ref_name }}`, `$CI_COMMIT_REF_SLUG`, `$BITBUCKET_BRANCH`...),
# compared lower-case.
BRANCH_MARKERS = (
    "branch",
    "ref_name",
    "ref_slug",
    "head_ref",
    "github.ref",
    "github_ref",  # `${{ github.ref }}` in a run: script, as the reader hands it over
    "codebuild_webhook_head_ref",
    "codebuild_source_version",
)
ECR_OPTIONS = ("image-manifest=true", "oci-mediatypes=true")


@dataclass(frozen=True, slots=True)
class CacheSpec:
    """One cache import or export: its options, and the value it was read from."""

    value: Value
    options: dict[str, str]

    @property
    def type(self) -> str:
        return self.options.get("type", "registry")

    @property
    def ref(self) -> str | None:
        return self.options.get("ref")

    @property
    def mode(self) -> str:
        """The export mode; buildx's default is min."""
        return self.options.get("mode", "min").lower()

    @property
    def is_ecr(self) -> bool:
        return self.ref is not None and _ECR.search(self.ref + "/") is not None

    @property
    def names_branch(self) -> bool:
        named = " ".join(self.options.get(key, "") for key in ("ref", "scope", "name")).lower()
        return any(marker in named for marker in BRANCH_MARKERS)

    @property
    def tag(self) -> str | None:
        ref = self.ref or ""
        name = ref.rsplit("/", 1)[-1]
        return name.rsplit(":", 1)[1] if ":" in name and "@" not in name else None

    def key(self) -> str:
        """What two specs share when they name one cache: the type and its ref or scope."""
        return f"{self.type}:{self.ref or self.options.get('scope') or self.options.get('name')}"


def parse_spec(value: Value) -> CacheSpec:
    """`type=registry,ref=x,mode=max`; a bare image reference is `type=registry,ref=<it>`."""
    text = value.text.strip()
    if "=" not in text.split(",", 1)[0]:
        return CacheSpec(value, {"type": "registry", "ref": text})
    options: dict[str, str] = {}
    for part in text.split(","):
        key, _, val = part.partition("=")
        options[key.strip().lower()] = val.strip()
    return CacheSpec(value, options)


def specs(values: tuple[Value, ...]) -> tuple[CacheSpec, ...]:
    return tuple(parse_spec(v) for v in values if v.text.strip())
