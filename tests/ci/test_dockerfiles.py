"""Which stages of a Dockerfile are dependency stages: named, needed by the target, and holding
no copy of the sources, so that `ci generate` exports them and LW912 asks for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.ci.dockerfiles import facts_for
from layerwise.ci.generate import make_plan

NODE_NEST = Path(__file__).parent.parent / "apps" / "node-nest"


def _dependency_stages(tmp_path: Path, text: str, target: str | None = None) -> tuple[str, ...]:
    (tmp_path / "Dockerfile").write_text(text)
    facts = facts_for(tmp_path / "Dockerfile", target)
    assert facts is not None
    return facts.dependency_stages


def test_node_nest_exports_its_dependency_stages_and_not_the_build_stage() -> None:
    """`deps` copies package.json and the lockfile; `prod-deps` only prunes `deps`; `build`
    copies everything (`COPY . .`), so a source edit changes all its layers."""
    plan = make_plan(
        "gitlab",
        NODE_NEST / "Dockerfile.fixed",
        root=NODE_NEST,
        platforms=("linux/amd64", "linux/arm64"),
    )
    assert plan.stage_exports == ("deps", "prod-deps")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # manifests by name, by npm's glob, and settings files
        ("FROM node AS a\nCOPY package*.json .npmrc ./\nRUN npm ci\n", ("a",)),
        ("FROM golang AS a\nCOPY go.mod go.sum ./\nRUN go mod download\n", ("a",)),
        ("FROM dotnet AS a\nCOPY src/App/App.csproj src/App/\nRUN dotnet restore\n", ("a",)),
        ("FROM node AS a\nRUN npm i -g pnpm\n", ("a",)),  # copies nothing
        ("FROM node AS a\nADD https://example.com/x.tgz /x.tgz\n", ("a",)),  # remote
        # sources: the whole context, a folder, a glob that may match more
        ("FROM node AS a\nCOPY . .\n", ()),
        ("FROM node AS a\nCOPY package.json ./\nCOPY src/ src/\n", ()),
        ("FROM node AS a\nCOPY *.json ./\n", ()),
        ("FROM node AS a\nCOPY package.json $SRC ./\n", ()),  # unknown: counted as sources
        # a bind mount of the context is a copy of it; of a manifest it is not
        ("FROM node AS a\nRUN --mount=type=bind,target=/s make\n", ()),
        ("FROM golang AS a\nRUN --mount=type=bind,source=go.sum,target=go.sum true\n", ("a",)),
    ],
)
def test_a_stage_holds_sources_when_it_copies_more_than_dependency_files(
    tmp_path: Path, text: str, expected: tuple[str, ...]
) -> None:
    assert _dependency_stages(tmp_path, text + "FROM alpine\nCOPY --from=a / /\n") == expected


def test_sources_pass_along_from_base_copy_and_mount(tmp_path: Path) -> None:
    text = (
        "FROM node AS src\nCOPY . .\n"
        "FROM src AS child\nRUN true\n"  # built on a stage with sources
        "FROM node AS copier\nCOPY --from=src /x /x\n"
        "FROM node AS mounter\nRUN --mount=type=bind,from=src,target=/s true\n"
        "FROM node AS clean\nCOPY --from=alpine /etc/os-release /x\n"  # an image, not a stage
        "FROM alpine\nCOPY --from=child /a /a\nCOPY --from=copier /b /b\n"
        "COPY --from=mounter /c /c\nCOPY --from=clean /d /d\n"
    )
    assert _dependency_stages(tmp_path, text) == ("clean",)


def test_only_the_stages_the_target_needs_count(tmp_path: Path) -> None:
    text = "FROM node AS deps\nCOPY package.json ./\nFROM node AS other\nRUN true\nFROM deps\n"
    assert _dependency_stages(tmp_path, text) == ("deps",)
    assert _dependency_stages(tmp_path, text, target="other") == ()
