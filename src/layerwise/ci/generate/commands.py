"""The cache flags and the shell build commands a generated pipeline runs."""

from __future__ import annotations

from pathlib import PurePosixPath

from layerwise.ci.generate.plan import BRANCH, COMMIT, Plan

ECR_SAFE = "image-manifest=true,oci-mediatypes=true"
GITHUB_BRANCH = "${{ steps.branch.outputs.slug }}"
LOCAL_DIR = {"jenkins": "$HOME/.cache/buildx", "gitlab": ".buildx-cache", "github": "/tmp/.buildx"}
S3 = {
    "github": "region=${{ vars.AWS_REGION }},bucket=${{ vars.CACHE_BUCKET }}",
    "jenkins": "region=$AWS_REGION,bucket=$CACHE_BUCKET",
    "gitlab": "region=$AWS_REGION,bucket=$CACHE_BUCKET",
}
# `$BRANCH_NAME` as a tag: a branch like feature/x is not a valid tag, so slashes and other
# characters become `-` (GitLab's $CI_COMMIT_REF_SLUG is that already).
JENKINS_BRANCH_TAG = (
    "BRANCH_TAG=$(printf '%s' \"${BRANCH_NAME:-main}\" | tr -c 'A-Za-z0-9_.-' '-' | cut -c1-100)"
)
GITHUB_BRANCH_SLUG = (
    "echo \"slug=$(printf '%s' \"$GITHUB_REF_NAME\" | tr -c 'A-Za-z0-9_.-' '-' | cut -c1-100)\""
    ' >> "$GITHUB_OUTPUT"'
)


def branch(plan: Plan) -> str:
    return GITHUB_BRANCH if plan.provider == "github" else BRANCH[plan.provider]


def commit(plan: Plan) -> str:
    return "${{ github.sha }}" if plan.provider == "github" else COMMIT[plan.provider]


# A dependency stage's export for one platform: (stage, platform); None is the image build.
Export = tuple[str, str] | None


def platform_slug(platform: str) -> str:
    """`linux/arm64` -> `arm64`, `linux/arm/v7` -> `arm-v7`: a tag- and scope-safe name."""
    return "-".join(platform.split("/")[1:]) or platform


def cache_name(export: Export) -> str:
    return "cache" if export is None else f"cache-{export[0]}-{platform_slug(export[1])}"


def cache_from(plan: Plan, export: Export) -> list[str]:
    """The imports of one build: its own cache for this branch, then the default branch's;
    the image build also imports every dependency-stage export's."""
    caches = [(export, export[0] if export else plan.target)]
    if export is None:
        caches += [(e, e[0]) for e in plan.exports]
    return [source for e, target in caches for source in _sources(plan, e, target)]


def _sources(plan: Plan, export: Export, target: str | None) -> list[str]:
    name, own, default = cache_name(export), branch(plan), plan.default_branch
    if plan.cache == "registry":
        return [f"type=registry,ref={plan.image}:{name}-{b}" for b in (own, default)]
    if plan.cache == "inline":  # the cache travels in the branch's image
        return [f"type=registry,ref={plan.image}:{b}" for b in (own, default)]
    if plan.cache == "s3":
        return [f"type=s3,{S3[plan.provider]},name={name}-{b}" for b in (own, default)]
    if plan.cache == "gha":
        return [f"type=gha,scope={_scope(plan, target, export)}"]
    return [f"type=local,src={LOCAL_DIR[plan.provider]}/{name}"]


def cache_to(plan: Plan, export: Export) -> str:
    name, own = cache_name(export), branch(plan)
    mode = "max" if export is not None else plan.cache_mode
    if plan.cache == "registry":
        return f"type=registry,ref={plan.image}:{name}-{own},mode={mode},{ECR_SAFE}"
    if plan.cache == "inline":
        return "type=inline"
    if plan.cache == "s3":
        return f"type=s3,{S3[plan.provider]},name={name}-{own},mode={mode}"
    if plan.cache == "gha":
        target = export[0] if export else plan.target
        return f"type=gha,scope={_scope(plan, target, export)},mode={mode}"
    return f"type=local,dest={LOCAL_DIR[plan.provider]}/{name}-new,mode={mode}"


def _scope(plan: Plan, target: str | None, export: Export = None) -> str:
    """One gha scope per Dockerfile and target (and platform for a dependency-stage export):
    two images of one repository, or an image and its dependency stage, must not overwrite
    each other's cache."""
    stem = PurePosixPath(plan.dockerfile).name.replace(".", "-").lower()
    scope = f"{stem}-{target or 'final'}"
    return scope if export is None else f"{scope}-{platform_slug(export[1])}"


def tags(plan: Plan) -> list[str]:
    out = [f"{plan.image}:{commit(plan)}"]
    if plan.cache == "inline":
        out.append(f"{plan.image}:{branch(plan)}")
    return out


def build_command(plan: Plan, export: Export = None) -> str:
    """`docker buildx build` for the image (export None) or for one dependency stage's cache
    on one platform, one option per line."""
    platforms = export[1] if export else ",".join(plan.platforms)
    words = ["docker buildx build", f"--platform {platforms}", f"--file {plan.dockerfile}"]
    target = export[0] if export else plan.target
    if target:
        words.append(f"--target {target}")
    words += [f"--cache-from {source}" for source in cache_from(plan, export)]
    words.append(f"--cache-to {cache_to(plan, export)}")
    if export is None:
        words += [f"--tag {tag}" for tag in tags(plan)]
        words.append("--push")
    words.append(plan.context)
    return " \\\n  ".join(words)


def rotate_local(plan: Plan, export: Export = None) -> str:
    """A local cache is written next to the old one and moved over it: buildx never removes
    old blobs from a local cache directory, which would otherwise grow with every build."""
    base = f"{LOCAL_DIR[plan.provider]}/{cache_name(export)}"
    return f'rm -rf "{base}" && mv "{base}-new" "{base}"'


def binfmt_command(plan: Plan) -> str | None:
    archs = sorted({p.split("/")[1] for p in plan.foreign_platforms if "/" in p})
    if not archs:
        return None
    return f"docker run --privileged --rm tonistiigi/binfmt --install {','.join(archs)}"


def shell_script(plan: Plan) -> str:
    """The lines a shell provider (Jenkins) runs to build: the branch slug, the builder,
    QEMU when needed, the image build, then each dependency stage's cache export per platform."""
    lines = [JENKINS_BRANCH_TAG] if plan.provider == "jenkins" else []
    lines.append(
        "docker buildx create --name layerwise --driver docker-container --bootstrap --use "
        "2>/dev/null || docker buildx use layerwise"
    )
    binfmt = binfmt_command(plan)
    if binfmt:
        lines.append(binfmt)
    lines.append(build_command(plan))
    if plan.cache == "local":
        lines.append(rotate_local(plan))
    for export in plan.exports:
        lines.append(build_command(plan, export))
        if plan.cache == "local":
            lines.append(rotate_local(plan, export))
    return "\n".join(lines) + "\n"
