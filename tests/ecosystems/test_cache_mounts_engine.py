"""The cache mounts the ecosystems write, on the real BuildKit.

- npm under `USER node`: the mount from `npm.cache_mount(home, uid_gid)` (uid/gid 1000) lets
  `npm ci` fill /home/node/.npm; the same mount without uid/gid is root's and npm cannot write.
- yarn and pnpm: `yarn cache dir` and `pnpm store path` agree with yarn.cache_dir and
  pnpm.store_dir for root and for node; `pip cache dir` with pip.cache_dir.
- apt: with `apt.KEEP_CACHE_COMMAND` run first, the downloaded .deb files stay in the
  /var/cache/apt mount; with the official images' docker-clean in place they are deleted.

Each build uses cache ids of its own, so earlier builds on the builder cannot leak in.
Needs the npm registry and a Debian mirror (both reachable here).
"""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest

from layerwise.ecosystems import apt, npm, pip, pnpm, yarn
from layerwise.ecosystems.base import CacheMount
from layerwise.engine.client import Client

PACKAGE_JSON = '{"name":"a","version":"1.0.0","dependencies":{"is-number":"7.0.0"}}'


def _unique(mount: CacheMount) -> CacheMount:
    return dataclasses.replace(mount, id=f"lw-test-{uuid.uuid4().hex[:12]}")


def _build(client: Client, tmp_path: Path, dockerfile: str) -> dict[str, str]:
    (tmp_path / "Dockerfile").write_text(dockerfile)
    out = tmp_path / "out"
    argv = ["buildx", "build"] if client.kind == "buildx" else ["build"]
    client.check(*argv, "-q", "--no-cache", "-o", f"type=local,dest={out}", str(tmp_path),
                 timeout=600)  # fmt: skip
    return {p.name: p.read_text().strip() for p in out.iterdir() if p.is_file()}


@pytest.mark.engine
@pytest.mark.parametrize("with_uid", [True, False])
def test_npm_cache_mount_for_the_node_user(
    buildkit: Client, tmp_path: Path, with_uid: bool
) -> None:
    client = buildkit
    mount = npm.cache_mount("/home/node", ("1000", "1000") if with_uid else None)
    flag = _unique(mount).flag_text()
    result = _build(
        client,
        tmp_path,
        f"""\
FROM node:20 AS probe
USER node
WORKDIR /home/node/app
RUN echo '{PACKAGE_JSON}' > package.json && npm install --package-lock-only --ignore-scripts
RUN {flag} (npm ci --no-audit --no-fund > /dev/null 2>&1 && echo ok || echo failed) \\
      > /tmp/status; \\
    (ls /home/node/.npm/_cacache > /dev/null 2>&1 && echo filled || echo empty) > /tmp/cache
FROM scratch
COPY --from=probe /tmp/status /tmp/cache /
""",
    )
    if with_uid:
        assert result == {"status": "ok", "cache": "filled"}
    else:
        assert result["cache"] == "empty"  # root-owned mount: npm cannot write its cache


@pytest.mark.engine
@pytest.mark.parametrize("keep", [True, False])
def test_apt_cache_mounts_keep_downloads_only_without_docker_clean(
    buildkit: Client, tmp_path: Path, keep: bool
) -> None:
    client = buildkit
    flags = " ".join(_unique(m).flag_text() for m in apt.cache_mounts())
    prepare = apt.KEEP_CACHE_COMMAND if keep else "true"
    result = _build(
        client,
        tmp_path,
        f"""\
FROM debian:bookworm-slim AS probe
RUN {prepare}
RUN {flags} apt-get update -qq && apt-get install -y -qq --no-install-recommends file \\
    > /dev/null && ls /var/cache/apt/archives/ | grep -c '[.]deb$' > /tmp/debs || echo 0 > /tmp/debs
FROM scratch
COPY --from=probe /tmp/debs /
""",
    )
    if keep:
        assert int(result["debs"]) > 0
    else:
        assert result["debs"] == "0"


@pytest.mark.engine
def test_yarn_and_pnpm_report_the_cache_dirs_we_predict(buildkit: Client, tmp_path: Path) -> None:
    client = buildkit
    result = _build(
        client,
        tmp_path,
        """\
FROM node:20 AS probe
RUN npm i -g yarn@1.22.22 pnpm@9.15.0 > /dev/null 2>&1
RUN mkdir /out && yarn cache dir > /out/yarn-root && pnpm store path > /out/pnpm-root \\
 && su node -s /bin/sh -c 'cd /tmp && yarn cache dir' > /out/yarn-node \\
 && su node -s /bin/sh -c 'cd /tmp && pnpm store path' > /out/pnpm-node
FROM scratch
COPY --from=probe /out /
""",
    )
    # The tools add a version level (v6, v3) below the directory a mount should target.
    assert result["yarn-root"].startswith(yarn.cache_dir("/root") + "/")
    assert result["yarn-node"].startswith(yarn.cache_dir("/home/node") + "/")
    assert result["pnpm-root"].startswith(pnpm.store_dir("/root") + "/")
    assert result["pnpm-node"].startswith(pnpm.store_dir("/home/node") + "/")


@pytest.mark.engine
def test_pip_reports_the_cache_dir_we_predict(buildkit: Client, tmp_path: Path) -> None:
    client = buildkit
    result = _build(
        client,
        tmp_path,
        """\
FROM python:3.11-slim AS probe
RUN mkdir /out && pip cache dir > /out/root && PIP_CACHE_DIR=/c pip cache dir > /out/env \\
 && XDG_CACHE_HOME=/x pip cache dir > /out/xdg
FROM scratch
COPY --from=probe /out /
""",
    )
    assert result == {
        "root": pip.cache_dir("/root"),
        "env": pip.cache_dir("/root", {"PIP_CACHE_DIR": "/c"}),
        "xdg": pip.cache_dir("/root", {"XDG_CACHE_HOME": "/x"}),
    }
