"""What the R2 fixes claim, checked on the real BuildKit (the engine scripts/engine-up starts).

- LW401/LW402/LW403: the fixed file builds an image with the same ENV and LABEL values, and the
  CMD becomes the exec-form argv.
- LW201: under `USER node` the added mount (uid/gid 1000) is writable and kept between builds.
- LW202: with the added apt mounts, a rebuild after adding a package downloads far less.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from layerwise.engine.client import Client
from layerwise.fix import fix_text
from layerwise.rules.base import Settings

pytestmark = pytest.mark.engine


# Unique to this test session: an ENV of it under each FROM gives every step a key no earlier
# session's build cache answers, so the first build of a test really runs (the tests read what
# the steps print), while the builds within a session still share their cache.
RUN_TOKEN = uuid.uuid4().hex


def _build(client: Client, directory: Path, text: str, *extra: str) -> tuple[str, str]:
    """Build `text` in `directory`; (image id, plain progress log)."""
    marked = re.sub(r"(?im)^(from .*\n)", rf"\1ENV LAYERWISE_TEST_RUN={RUN_TOKEN}\n", text)
    (directory / "Dockerfile").write_text(marked)
    iid = directory / "iid"
    argv = ["buildx", "build", "--load"] if client.kind == "buildx" else ["build"]
    argv += ["--progress=plain", "--iidfile", str(iid), *extra, str(directory)]
    proc = client.run(*argv, timeout=600)
    assert proc.returncode == 0, (proc.stderr or proc.stdout)[-3000:]
    return iid.read_text().strip(), proc.stderr + proc.stdout


def _config(client: Client, image: str) -> dict[str, Any]:
    data = json.loads(client.check("image", "inspect", image, timeout=60))
    config: dict[str, Any] = data[0]["Config"]
    return config


def _fixed(text: str, codes: tuple[str, ...], unsafe: bool = False) -> str:
    result = fix_text(text, path="Dockerfile", settings=Settings(select=codes), unsafe=unsafe)
    assert result.changed and result.bugs == ()
    return result.text


SYNTAX = """\
from debian:bookworm-slim AS base
ENV PATH /opt/bin:$PATH
ENV GREETING hello   world
ENV TZ\tUTC
LABEL maintainer "ops@example.com"
LABEL version 1.2
CMD printf '%s' ok
FROM base as final
CMD sleep 1
"""


def test_syntax_fixes_keep_the_image_config(buildkit: Client, tmp_path: Path) -> None:
    client = buildkit
    fixed = _fixed(SYNTAX, ("LW4",))
    assert 'ENV GREETING="hello   world"' in fixed and 'CMD ["sleep", "1"]' in fixed
    before, _ = _build(client, tmp_path, SYNTAX)
    after, _ = _build(client, tmp_path, fixed)
    old, new = _config(client, before), _config(client, after)
    assert new["Env"] == old["Env"]
    assert new["Labels"] == old["Labels"]
    assert old["Cmd"] == ["/bin/sh", "-c", "sleep 1"]
    assert new["Cmd"] == ["sleep", "1"]


NPM = """\
FROM node:20-slim
USER node
WORKDIR /home/node/app
RUN echo '{"name":"t","version":"1.0.0"}' > package.json
RUN echo "cache: $(ls -A /home/node/.npm 2>/dev/null)" && npm install ms@__VERSION__
"""


def test_npm_mount_under_user_node_is_writable_and_kept(buildkit: Client, tmp_path: Path) -> None:
    client = buildkit
    first = _fixed(NPM.replace("__VERSION__", "2.1.3"), ("LW201",))
    assert "--mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 " in first
    _build(client, tmp_path, first)
    # A changed command reruns the step: the mount still holds npm's cache from the first build.
    _, log = _build(client, tmp_path, first.replace("ms@2.1.3", "ms@2.1.2"))
    assert re.search(r"cache: .*_cacache", log), log[-2000:]


APT = """\
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends __PACKAGES__
"""


def _fetched_kb(log: str) -> float:
    """Everything apt reports as fetched in the log, in kB."""
    total = 0.0
    for amount, unit in re.findall(r"Fetched ([\d.,]+) (B|kB|MB)", log):
        value = float(amount.replace(",", ""))
        total += {"B": value / 1000, "kB": value, "MB": value * 1000}[unit]
    return total


def test_apt_mounts_keep_lists_and_packages_between_builds(
    buildkit: Client, tmp_path: Path
) -> None:
    client = buildkit
    first = _fixed(APT.replace("__PACKAGES__", "dumb-init"), ("LW202",))
    assert "rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update" in first
    _, log1 = _build(client, tmp_path, first)
    # Adding a package reruns the RUN; lists and dumb-init's .deb come from the mounts.
    _, log2 = _build(client, tmp_path, first.replace("dumb-init", "dumb-init tini"))
    fresh = _fetched_kb(log2)
    assert fresh < 2000, log2[-3000:]  # the lists alone are ~9 MB when not cached
    assert "Need to get" in log2 and "dumb-init" not in re.findall(
        r"Get:\d+ \S+ \S+ \S+ (\S+)", log2
    )
    assert log1  # the first build ran
