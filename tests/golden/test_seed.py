"""Golden test: `layerwise check --fix` on the seed's "before" Dockerfile.

The build context is tests/apps/node-nest (the seed's NestJS/Prisma service, made small). The
fixed texts are snapshots in tests/fixtures/golden/ (rewritten only with
LAYERWISE_UPDATE_SNAPSHOTS=1). Beyond the snapshot, the result must parse with the official
BuildKit parser, be a fixed point, keep every comment, report no cache finding, and do what the
seed's hand optimisation did and more. Under the default target engine (modern) the runtime
stage's node_modules copy is a `COPY --link`; under `docker-20.10` the output keeps to what that
engine's built-in frontend accepts (its own snapshot where it differs).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dockerfile
import pytest

from layerwise.context import BuildContext
from layerwise.fix import fix_text
from layerwise.rules.base import Settings
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed-before" / "Dockerfile"
HAND = ROOT / "examples" / "seed-after" / "Dockerfile"
APP = ROOT / "tests" / "apps" / "node-nest"
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
CACHE_FAMILIES = ("LW1", "LW2", "LW3")
LEGACY = Settings(target_engine="docker-20.10")


def _context() -> BuildContext | None:
    return BuildContext.open(APP) if APP.is_dir() else None


def _fixed(unsafe: bool, settings: Settings | None = None) -> str:
    text = SEED.read_text()
    return fix_text(
        text, path="Dockerfile", context=_context(), settings=settings, unsafe=unsafe
    ).text


@pytest.mark.parametrize(
    ("unsafe", "settings", "snapshot"),
    [
        (False, None, "seed-before.fixed.Dockerfile"),
        (True, None, "seed-before.unsafe.fixed.Dockerfile"),
        (True, LEGACY, "seed-before.docker-20.10.unsafe.fixed.Dockerfile"),
    ],
    ids=["safe", "unsafe", "unsafe-docker-20.10"],
)
def test_snapshot(unsafe: bool, settings: Settings | None, snapshot: str) -> None:
    fixed = _fixed(unsafe, settings)
    path = GOLDEN / snapshot
    if os.environ.get("LAYERWISE_UPDATE_SNAPSHOTS") == "1":
        path.write_text(fixed)
    assert path.read_text() == fixed


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_official_parser_fixed_point_and_comments(unsafe: bool) -> None:
    original = SEED.read_text()
    fixed = _fixed(unsafe)
    commands = dockerfile.parse_string(fixed)
    # The unsafe fixes split the build stage into deps / prod-deps / build (LW304).
    assert [c.cmd for c in commands].count("FROM") == (4 if unsafe else 2)
    again = fix_text(fixed, path="Dockerfile", context=_context(), unsafe=unsafe)
    assert again.text == fixed and not again.applied
    for line in original.splitlines():
        if line.lstrip().startswith("#"):
            assert line in fixed.splitlines(), f"comment lost: {line}"


def test_no_cache_finding_left_after_all_fixes() -> None:
    findings = check_tree(parse(_fixed(unsafe=True)), context=_context())
    assert [f.code for f in findings if f.code.startswith(CACHE_FAMILIES)] == []


def test_safe_fix_leaves_only_the_unsafe_restructurings() -> None:
    findings = check_tree(parse(_fixed(unsafe=False)), context=_context())
    codes = [f.code for f in findings if f.code.startswith(CACHE_FAMILIES)]
    assert codes == ["LW103", "LW304"]


def _stages(text: str) -> list[list[str]]:
    """Instruction texts (continuations joined) per stage."""
    stages: list[list[str]] = []
    for ins in parse(text).instructions:
        if ins.name == "FROM":
            stages.append([])
        stages[-1].append(" ".join(ins.text.replace("\\\n", " ").split()))
    return stages


def _index(lines: list[str], pattern: str) -> int:
    return next(i for i, line in enumerate(lines) if re.search(pattern, line))


def test_does_what_the_hand_optimisation_did_and_more() -> None:
    deps, prod_deps, build, runtime = _stages(_fixed(unsafe=True))
    assert deps[0] == "FROM node:20 AS deps" and build[0] == "FROM deps AS build"
    pipeline = deps + build  # the build stage continues where the deps stage stopped
    # What examples/seed-after did: manifests first, npm cache mount, generate before build.
    manifests = _index(pipeline, r"^COPY package\.json package-lock\.json \./$")
    assert manifests < _index(pipeline, "npm ci") < _index(pipeline, r"^COPY \. \.$")
    assert re.search(
        r"--mount=type=cache,target=/root/\.npm\b.* npm ci$", pipeline[_index(pipeline, "npm ci")]
    )
    assert _index(pipeline, "prisma generate") < _index(pipeline, "npm run build")
    # Better: one install; production dependencies pruned from it in a stage that depends on
    # the manifests only (no node_modules from the source-dependent build stage, no second
    # install in the runtime stage); the generated client copied before the build output;
    # package.json copied last so it cannot bust the dependency layer; apt cache mounts and
    # apt-get with --no-install-recommends.
    assert prod_deps == ["FROM deps AS prod-deps", "RUN npm prune --omit=dev"]
    assert not any("npm ci" in line for line in runtime)
    copies = [line for line in runtime if "--from=" in line]
    assert copies == [
        "COPY --link --from=prod-deps /usr/src/app/node_modules ./node_modules",
        "COPY --from=build /usr/src/app/node_modules/.prisma/ ./node_modules/.prisma/",
        "COPY --from=build /usr/src/app/dist/ ./dist/",
        "COPY --from=build /usr/src/app/config/ ./config/",
    ]
    assert _index(runtime, r"^COPY package\*\.json \./$") > _index(runtime, "config/")
    apt = runtime[_index(runtime, "apt-get install")]
    for part in ("--mount=type=cache,target=/var/cache/apt,sharing=locked",
                 "--mount=type=cache,target=/var/lib/apt,sharing=locked",
                 "rm -f /etc/apt/apt.conf.d/docker-clean", "--no-install-recommends"):  # fmt: skip
        assert part in apt
    assert not re.search(r"\bapt (update|install)\b", apt)
    # The hand optimisation itself still has cache findings; the fix has none (see above).
    hand = check_tree(parse(HAND.read_text()), context=_context())
    assert any(f.code.startswith(CACHE_FAMILIES) for f in hand)


def test_docker_20_10_differs_only_by_the_link() -> None:
    """The safe fixes write the same under both engines; the unsafe ones differ by one flag."""
    assert _fixed(False, LEGACY) == _fixed(False)
    modern = _fixed(True)
    assert modern.count("--link") == 1
    assert modern.replace("COPY --link --from=", "COPY --from=") == _fixed(True, LEGACY)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_buildable_on_docker_20_10_frontend(unsafe: bool) -> None:
    fixed = _fixed(unsafe, LEGACY)
    tree = parse(fixed)
    assert not tree.directives, "no `# syntax=` line: it needs a registry"
    for ins in tree.instructions:
        assert not ins.heredocs
        assert ins.flag("link") is None
        for flag in ins.flags_named("mount"):
            assert "$" not in (flag.value or "")


@pytest.mark.parametrize(
    ("flags", "snapshot"),
    [
        ([], "seed-before.fixed.Dockerfile"),
        (["--unsafe-fixes"], "seed-before.unsafe.fixed.Dockerfile"),
        (
            ["--unsafe-fixes", "--target-engine", "docker-20.10"],
            "seed-before.docker-20.10.unsafe.fixed.Dockerfile",
        ),
    ],
)
def test_check_fix_command_writes_the_snapshot(
    tmp_path: Path, flags: list[str], snapshot: str
) -> None:
    from layerwise.cli.app import main

    target = tmp_path / "Dockerfile"
    target.write_text(SEED.read_text())
    code = main(["check", "--fix", *flags, "--context", str(APP), str(target)])
    assert target.read_text() == (GOLDEN / snapshot).read_text()
    assert code == (0 if flags else 1)  # only LW103's unsafe reorder is left without the flag
