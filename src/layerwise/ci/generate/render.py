"""The generated files: a declarative Jenkinsfile, a GitHub Actions workflow, a .gitlab-ci.yml
job. Written as text, not dumped, so that each choice carries its comment."""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace

from layerwise.ci.generate import commands as c
from layerwise.ci.generate.plan import Plan

TARGET_FILES = {
    "jenkins": "Jenkinsfile",
    "github": ".github/workflows/image.yml",
    "gitlab": ".gitlab-ci.yml",
}
_ECR = re.compile(r"^(\d+)\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com")


def target_file(provider: str) -> str:
    return TARGET_FILES[provider]


def render(plan: Plan, command_line: str) -> str:
    """The file for `plan.provider`; `command_line` is the `layerwise ci generate` call that
    made it (the file says how to make it again)."""
    if plan.provider == "jenkins":
        return _jenkins(plan, command_line)
    if plan.provider == "github":
        return _github(plan, command_line)
    return _gitlab(plan, command_line)


def why(plan: Plan) -> list[str]:
    """The choices, one comment paragraph each, in the words every provider's file uses."""
    notes = []
    if plan.cache in ("registry", "s3", "inline"):
        notes.append(
            "Cache per branch, with the default branch as a fallback: --cache-from this "
            f"branch's cache, then {plan.default_branch}'s (a new branch starts from it), "
            "--cache-to this branch's only, so branches never overwrite each other's cache."
        )
    if plan.cache == "gha":
        notes.append(
            "The GitHub Actions cache backend, one scope per Dockerfile and target. GitHub "
            "scopes caches per branch and lets a branch read the default branch's, so the "
            "fallback comes with it."
        )
    if plan.cache == "local":
        notes.append(
            "A local cache directory: it survives only where the directory does (a persistent "
            "agent, or the CI system's own cache). It is written beside the old one and moved "
            "over it, since buildx never removes old blobs from it."
        )
    if plan.cache == "inline":
        notes.append(
            "Inline cache (asked for with --cache inline): the metadata travels in the pushed "
            "image and covers only the final stage's layers (min mode only)."
        )
    elif plan.cache_mode == "max":
        notes.append(
            "mode=max exports every step's cache, the dependency and build stages included; "
            "mode=min would keep only the final image's layers, so the install would run again."
        )
    else:
        notes.append(
            "mode=min (asked for with --cache-mode min): only the final image's layers are "
            "exported."
        )
    if plan.cache == "registry":
        notes.append(
            "image-manifest=true,oci-mediatypes=true: Amazon ECR rejects BuildKit's default "
            "cache manifest; other registries accept both forms."
        )
    if plan.foreign_platforms:
        notes.append(
            f"QEMU (binfmt) runs {', '.join(plan.foreign_platforms)} on an amd64 machine, often "
            "many times slower; native nodes per platform avoid it, and stages that can run on "
            "$BUILDPLATFORM (FROM --platform=$BUILDPLATFORM) skip it."
        )
    if plan.stage_exports:
        stages = ", ".join(plan.stage_exports)
        notes.append(
            f"The dependency stages ({stages}) are exported again as their own --target, one "
            "build per platform, each to a cache of its own, and all are imported: measured on "
            "Docker 26 (BuildKit 0.13), a two-platform mode=max export dropped arm64's "
            "dependency-stage results (layerwise docs/measurements/issue8-pipeline.md; "
            "moby/buildkit#2822 reports platforms missing at random from a multi-platform "
            "cache export). It takes seconds: every step is already built. Stages that copy "
            "the sources are left out: their layers change with every edit."
        )
    if plan.cache_mounts:
        notes.append(
            "The Dockerfile's cache mounts (RUN --mount=type=cache) live only in the builder: "
            "no remote cache carries them, so the mount will start empty on each agent that "
            "starts empty. The layer cache above is what keeps those steps from running."
        )
    notes.append(
        "No --no-cache and no builder prune: both would throw away the cache this file sets up."
    )
    return notes


def _suppressions(plan: Plan) -> list[str]:
    """Codes the file knowingly does not follow, because the options asked for it."""
    codes = []
    if plan.multi_stage and (plan.cache == "inline" or plan.cache_mode == "min"):
        codes.append("LW902")  # asked for on the command line; explained above
    if plan.cache_mounts:
        codes.append("LW911")  # the comment above says the mounts start empty
    return codes


def _comment(lines: list[str], prefix: str, indent: str = "") -> str:
    out: list[str] = []
    for note in lines:
        wrapped = textwrap.wrap(note, 96 - len(indent) - len(prefix))
        out.extend(f"{indent}{prefix} {w}" for w in wrapped)
    return "\n".join(out)


def _header(plan: Plan, command_line: str, prefix: str) -> str:
    # The command on one line, to copy; the reasons wrapped.
    text = f"{prefix} Generated by `{command_line}`.\n" + _comment(why(plan), prefix)
    codes = _suppressions(plan)
    if codes:
        text += f"\n{prefix} layerwise: ignore-file={','.join(codes)}"
    return text + "\n"


def _jenkins(plan: Plan, command_line: str) -> str:
    # The script names the image as $IMAGE, from the environment block below.
    shell = replace(plan, image="$IMAGE")
    script = c.shell_script(shell).replace("\\", "\\\\")  # Groovy: `\\<newline>` is `\<newline>`
    body = textwrap.indent(script, " " * 20)
    env = [f"IMAGE = '{plan.image}'"]
    if plan.cache == "s3":
        env += ["AWS_REGION = 'us-east-1'", "CACHE_BUCKET = 'my-buildkit-cache'"]
    environment = "\n".join(f"        {e}" for e in env)
    return (
        _header(plan, command_line, "//")
        + "pipeline {\n"
        + "    // Any node with Docker and buildx. A node that keeps its Docker daemon keeps the\n"
        + "    // builder (and its cache mounts); any other starts empty and relies on the cache\n"
        + "    // imported below.\n"
        + "    agent any\n"
        + "    environment {\n"
        + "        // The image and its cache refs\n"
        + "        // (ECR: <account>.dkr.ecr.<region>.amazonaws.com/<repository>).\n"
        + environment
        + "\n    }\n"
        + "    stages {\n"
        + "        stage('Image') {\n"
        + "            steps {\n"
        + "                // Log in to the registry first (ECR: aws ecr get-login-password).\n"
        + "                sh '''\n"
        + body
        + "                '''\n"
        + "            }\n"
        + "        }\n"
        + "    }\n"
        + "}\n"
    )


def _yaml_block(lines: list[str], indent: int) -> str:
    pad = " " * indent
    return "".join(f"{pad}{line}\n" for line in lines)


def _github(plan: Plan, command_line: str) -> str:
    steps = ["- uses: actions/checkout@v4"]
    if plan.foreign_platforms:
        archs = ",".join(sorted({p.split("/")[1] for p in plan.foreign_platforms}))
        steps += ["- uses: docker/setup-qemu-action@v3", "  with:", f"    platforms: {archs}"]
    steps.append("- uses: docker/setup-buildx-action@v3")
    steps += _github_login(plan)
    if plan.cache in ("registry", "s3", "inline"):
        steps += [
            "- id: branch  # the branch as a valid tag (feature/x -> feature-x)",
            f"  run: {_yaml_quote(c.GITHUB_BRANCH_SLUG)}",
        ]
    if plan.cache == "local":
        steps += [
            "- uses: actions/cache@v4",
            "  with:",
            f"    path: {c.LOCAL_DIR['github']}",
            "    key: buildx-${{ github.ref_name }}-${{ github.sha }}",
            "    restore-keys: |",
            "      buildx-${{ github.ref_name }}-",
            f"      buildx-{plan.default_branch}-",
        ]
    steps += _github_build(plan, None)
    for export in plan.exports:
        steps += _github_build(plan, export)
    if plan.cache == "local":
        rotations = [c.rotate_local(plan), *(c.rotate_local(plan, e) for e in plan.exports)]
        steps += ["- run: |", *(f"    {r}" for r in rotations)]
    permissions = ["contents: read"]
    if plan.image.startswith("ghcr.io/"):
        permissions.append("packages: write")
    if _ECR.match(plan.image) or plan.cache == "s3":
        permissions.append("id-token: write")
    return (
        _header(plan, command_line, "#")
        + "name: image\n"
        + "on:\n"
        + "  push:\n"
        + "permissions:\n"
        + _yaml_block(permissions, 2)
        + "jobs:\n"
        + "  image:\n"
        + "    # A GitHub-hosted runner starts with an empty builder on every run.\n"
        + "    runs-on: ubuntu-latest\n"
        + "    steps:\n"
        + _yaml_block(steps, 6)
    )


def _github_login(plan: Plan) -> list[str]:
    ecr = _ECR.match(plan.image)
    if ecr is not None or plan.cache == "s3":
        region = ecr.group(2) if ecr is not None else "${{ vars.AWS_REGION }}"
        steps = [
            "- uses: aws-actions/configure-aws-credentials@v4",
            "  with:",
            "    role-to-assume: ${{ secrets.AWS_ROLE_ARN }}",
            f"    aws-region: {region}",
        ]
        if ecr is not None:
            steps.append("- uses: aws-actions/amazon-ecr-login@v2")
        return steps
    if plan.image.startswith("ghcr.io/"):
        return [
            "- uses: docker/login-action@v3",
            "  with:",
            "    registry: ghcr.io",
            "    username: ${{ github.actor }}",
            "    password: ${{ secrets.GITHUB_TOKEN }}",
        ]
    host = plan.image.split("/", 1)[0]
    return [
        "- uses: docker/login-action@v3",
        "  with:",
        f"    registry: {host}",
        "    username: ${{ secrets.REGISTRY_USERNAME }}",
        "    password: ${{ secrets.REGISTRY_PASSWORD }}",
    ]


def _github_build(plan: Plan, export: c.Export) -> list[str]:
    name = "Image" if export is None else f"Cache of the {export[0]} stage for {export[1]}"
    lines = [
        "- uses: docker/build-push-action@v6",
        f"  name: {name}",
        "  with:",
        f"    context: {plan.context}",
        f"    file: {plan.dockerfile}",
        f"    platforms: {export[1] if export else ','.join(plan.platforms)}",
    ]
    target = export[0] if export else plan.target
    if target:
        lines.append(f"    target: {target}")
    if export is None:
        lines.append("    push: true")
        lines += ["    tags: |", *(f"      {t}" for t in c.tags(plan))]
    lines += ["    cache-from: |", *(f"      {s}" for s in c.cache_from(plan, export))]
    lines.append(f"    cache-to: {c.cache_to(plan, export)}")
    return lines


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _gitlab(plan: Plan, command_line: str) -> str:
    if plan.image.startswith("$CI_REGISTRY_IMAGE"):
        login = [
            '- echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" '
            '--password-stdin "$CI_REGISTRY"'
        ]
    else:  # another registry: its credentials as CI/CD variables
        host = plan.image.split("/", 1)[0]
        login = [
            "# ECR: REGISTRY_USER is AWS, REGISTRY_PASSWORD `aws ecr get-login-password`.",
            f'- echo "$REGISTRY_PASSWORD" | docker login -u "$REGISTRY_USER" '
            f"--password-stdin {host}",
        ]
    before = [*login, "- docker buildx create --driver docker-container --bootstrap --use"]
    binfmt = c.binfmt_command(plan)
    if binfmt:
        before.insert(len(login), f"- {binfmt}")
    script = ["- |", *(f"  {line}" for line in c.build_command(plan).splitlines())]
    if plan.cache == "local":
        script.append(f"- {_yaml_quote(c.rotate_local(plan))}")
    for export in plan.exports:
        script += ["- |", *(f"  {line}" for line in c.build_command(plan, export).splitlines())]
        if plan.cache == "local":
            script.append(f"- {_yaml_quote(c.rotate_local(plan, export))}")
    variables = ['DOCKER_TLS_CERTDIR: "/certs"']
    if plan.cache == "s3":
        variables += ["AWS_REGION: us-east-1", "CACHE_BUCKET: my-buildkit-cache"]
    cache = []
    if plan.cache == "local":
        cache = [
            "# GitLab's cache carries the directory: per branch, the default branch's as fallback.",
            "cache:",
            "  key: buildx-$CI_COMMIT_REF_SLUG",
            "  fallback_keys:",
            f"    - buildx-{plan.default_branch}",
            "  paths:",
            f"    - {c.LOCAL_DIR['gitlab']}/",
        ]
    return (
        _header(plan, command_line, "#")
        + "stages:\n"
        + "  - build\n"
        + "\n"
        + "image-build:\n"
        + "  stage: build\n"
        + "  # docker:dind is a fresh daemon per job: its builder starts empty every time.\n"
        + "  image: docker:27\n"
        + "  services:\n"
        + "    - docker:27-dind\n"
        + "  variables:\n"
        + _yaml_block(variables, 4)
        + _yaml_block(cache, 2)
        + "  before_script:\n"
        + _yaml_block(before, 4)
        + "  script:\n"
        + _yaml_block(script, 4)
    )
