"""`ci generate`: every provider and option combination gives a file that `ci check` finds
nothing in, that validates against the published schema (check-jsonschema's vendored copies,
offline), and whose build lines are the commands the generator makes for the shell."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from layerwise.ci.check import run_pipeline_file
from layerwise.ci.generate import CACHES, PROVIDERS, Plan, make_plan, render, target_file
from layerwise.ci.generate import commands as c
from layerwise.ci.jenkins import _SH, _literal
from layerwise.errors import LayerwiseError
from layerwise.rules.base import Settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ci"
MULTI = (FIXTURES / "LW902" / "Dockerfile").read_text()  # 3 stages, a cache mount
SINGLE = (FIXTURES / "LW902" / "single.Dockerfile").read_text()
PLATFORMS = ((), ("linux/amd64", "linux/arm64"))
REGISTRIES = (None, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api")


def combos() -> list[tuple[str, str, str, tuple[str, ...], str, str | None]]:
    out = []
    for provider, cache, mode, platforms, dockerfile, registry in itertools.product(
        PROVIDERS, CACHES, ("max", "min"), PLATFORMS, ("multi", "single"), REGISTRIES
    ):
        if cache == "gha" and provider != "github":
            continue
        out.append((provider, cache, mode, platforms, dockerfile, registry))
    return out


def _generate(
    root: Path,
    provider: str,
    cache: str,
    mode: str,
    platforms: tuple[str, ...],
    dockerfile: str,
    registry: str | None,
) -> tuple[Plan, Path]:
    (root / "Dockerfile").write_text(MULTI if dockerfile == "multi" else SINGLE)
    plan = make_plan(
        provider,
        root / "Dockerfile",
        root=root,
        registry=registry,
        platforms=platforms,
        cache=cache,
        cache_mode=mode,
    )
    out = root / target_file(provider)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(plan, "layerwise ci generate --provider " + provider))
    return plan, out


@pytest.mark.parametrize(
    ("provider", "cache", "mode", "platforms", "dockerfile", "registry"),
    combos(),
    ids=lambda v: ",".join(v) if isinstance(v, tuple) else str(v),
)
def test_ci_check_finds_nothing_in_a_generated_file(
    tmp_path: Path,
    provider: str,
    cache: str,
    mode: str,
    platforms: tuple[str, ...],
    dockerfile: str,
    registry: str | None,
) -> None:
    _, out = _generate(tmp_path, provider, cache, mode, platforms, dockerfile, registry)
    outcome = run_pipeline_file(out, out.read_text(), Settings(), fix=False, unsafe=False)
    assert [f"{f.code} {f.line} {f.message}" for f in outcome.findings] == []


def test_ci_check_would_find_what_the_generator_avoids(tmp_path: Path) -> None:
    """The check above can fail: the same file with mode=min and its explanation removed
    is reported (LW902), as is one without --cache-from (LW903)."""
    _, out = _generate(tmp_path, "gitlab", "registry", "max", (), "multi", None)
    text = out.read_text().replace("mode=max", "mode=min")
    broken = "\n".join(line for line in text.splitlines() if "--cache-from" not in line)
    outcome = run_pipeline_file(out, broken, Settings(), fix=False, unsafe=False)
    assert {f.code for f in outcome.findings} == {"LW902", "LW903"}


@pytest.mark.parametrize("provider", ["github", "gitlab"])
def test_generated_yaml_validates_against_the_published_schema(
    tmp_path: Path, provider: str
) -> None:
    files = []
    for i, combo in enumerate(x for x in combos() if x[0] == provider):
        root = tmp_path / str(i)
        root.mkdir()
        files.append(_generate(root, *combo)[1])
    schema = "vendor.github-workflows" if provider == "github" else "vendor.gitlab-ci"
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validation done" in result.stdout


@pytest.mark.parametrize("platforms", PLATFORMS)
@pytest.mark.parametrize("cache", ["registry", "local", "s3", "inline"])
def test_the_jenkinsfile_runs_the_generated_shell_script(
    tmp_path: Path, platforms: tuple[str, ...], cache: str
) -> None:
    plan, out = _generate(tmp_path, "jenkins", cache, "max", platforms, "multi", None)
    text = out.read_text()
    (match,) = list(_SH.finditer(text))
    script = _literal(text, match.end(), match["quote"])
    assert script is not None
    # What Groovy hands to `sh`, less the block's indentation, is the generator's script.
    expected = c.shell_script(replace(plan, image="$IMAGE"))
    assert textwrap.dedent(script.text).strip("\n") == expected.strip("\n")
    assert "docker buildx build \\\n  --platform" in expected


@pytest.mark.parametrize("platforms", PLATFORMS)
def test_gitlab_script_items_are_the_generated_commands(
    tmp_path: Path, platforms: tuple[str, ...]
) -> None:
    plan, out = _generate(tmp_path, "gitlab", "registry", "max", platforms, "multi", None)
    job = yaml.safe_load(out.read_text())["image-build"]
    builds = [s for s in job["script"] if s.startswith("docker buildx build")]
    expected = [c.build_command(plan), *(c.build_command(plan, e) for e in plan.exports)]
    assert builds == [e + "\n" for e in expected]
    # For two platforms the image, and `deps` once per platform; `build` holds the sources
    # (`COPY . .`)
    assert len(builds) == (3 if platforms else 1)
    if platforms:
        assert [b.split("\n")[1].strip() for b in builds[1:]] == [
            "--platform linux/amd64 \\",
            "--platform linux/arm64 \\",
        ]
        # the image build imports each platform's dependency cache
        for arch in ("amd64", "arm64"):
            assert f"cache-deps-{arch}-$CI_COMMIT_REF_SLUG" in builds[0]


def test_github_inputs_are_the_generated_cache_specs(tmp_path: Path) -> None:
    plan, out = _generate(
        tmp_path, "github", "registry", "max", PLATFORMS[1], "multi", REGISTRIES[1]
    )
    steps = yaml.safe_load(out.read_text())["jobs"]["image"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses[:3] == [
        "actions/checkout",
        "docker/setup-qemu-action",
        "docker/setup-buildx-action",
    ]
    assert "aws-actions/amazon-ecr-login" in uses
    image = next(s for s in steps if s.get("name") == "Image")["with"]
    assert image["cache-from"].splitlines() == c.cache_from(plan, None)
    assert image["cache-to"] == c.cache_to(plan, None)
    assert "image-manifest=true,oci-mediatypes=true" in image["cache-to"]
    caches = [s["with"] for s in steps if s.get("name", "").startswith("Cache")]
    assert [(w["target"], w["platforms"]) for w in caches] == [
        ("deps", "linux/amd64"),
        ("deps", "linux/arm64"),
    ]
    assert caches[0]["cache-to"] != caches[1]["cache-to"]


def test_defaults_come_from_the_dockerfile(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM --platform=linux/arm64 alpine:3.20\nRUN true\n")
    plan = make_plan("gitlab", tmp_path / "Dockerfile", root=tmp_path)
    assert plan.platforms == ("linux/arm64",)
    assert plan.cache == "registry"
    assert not plan.multi_stage
    assert make_plan("github", tmp_path / "Dockerfile", root=tmp_path).cache == "gha"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"provider": "circleci"}, "no provider"),
        ({"provider": "jenkins", "cache": "gha"}, "only in GitHub Actions"),
        ({"provider": "github", "cache_mode": "mid"}, "no cache mode"),
        ({"provider": "github", "platforms": ("linux/amd64/v99/x",)}, "--platform"),
    ],
)
def test_bad_options_are_user_errors(
    tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    (tmp_path / "Dockerfile").write_text(SINGLE)
    provider = str(kwargs.pop("provider"))
    with pytest.raises(LayerwiseError, match=message):
        make_plan(provider, tmp_path / "Dockerfile", root=tmp_path, **kwargs)  # type: ignore[arg-type]


def test_a_missing_dockerfile_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(LayerwiseError, match="no Dockerfile"):
        make_plan("github", tmp_path / "Dockerfile", root=tmp_path)


def test_the_seed_pipeline_regenerated_after_the_dockerfile_fix(tmp_path: Path) -> None:
    """The README's worked example: the seed's Dockerfile fixed by `check --fix
    --unsafe-fixes` has `deps` and `prod-deps` exported on their own, not `build`, and the
    generated Jenkinsfile checks clean while the seed's own reports LW901."""
    from layerwise.cli.app import main

    seed = FIXTURES / "seed"
    dockerfile = tmp_path / "infra" / "docker" / "app" / "Dockerfile"
    dockerfile.parent.mkdir(parents=True)
    dockerfile.write_text((seed / "infra" / "docker" / "app" / "Dockerfile").read_text())
    jenkinsfile = tmp_path / "Jenkinsfile"
    jenkinsfile.write_text((seed / "Jenkinsfile").read_text())
    seeded = run_pipeline_file(
        jenkinsfile, jenkinsfile.read_text(), Settings(), fix=False, unsafe=False
    )
    assert [f.code for f in seeded.findings] == ["LW901"]
    assert main(["check", "--fix", "--unsafe-fixes", "--isolated", str(dockerfile)]) == 0
    plan = make_plan(
        "jenkins",
        dockerfile,
        root=tmp_path,
        registry="123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api",
        platforms=("linux/arm64", "linux/amd64"),
    )
    assert plan.stage_exports == ("deps", "prod-deps")
    jenkinsfile.write_text(render(plan, "layerwise ci generate --provider jenkins"))
    outcome = run_pipeline_file(
        jenkinsfile, jenkinsfile.read_text(), Settings(), fix=False, unsafe=False
    )
    assert list(outcome.findings) == []
