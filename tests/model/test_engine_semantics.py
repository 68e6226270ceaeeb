"""The model's variables, WORKDIR, USER and home against what the real BuildKit does.

A probe stage writes what its RUN sees to files; the build exports them with
`-o type=local`, and each must equal what build_model predicts for that RUN.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.engine.client import Client
from layerwise.model import build_model
from layerwise.syntax import parse

PROBED = ("G", "GB", "S", "E1", "A2", "SB", "TARGETPLATFORM", "HOME")

PROBE = """\
ARG G=global
ARG GB=global-b
FROM debian:bookworm-slim AS base
ARG SB=from-base-stage
ENV PARENT=1

FROM base AS probe
ARG GB
ARG S=stage-default
ENV E1=env-before
ARG E1=arg-after-env
ARG A2=arg-before-env
ENV A2=env-after-arg
ARG TARGETPLATFORM
WORKDIR app
WORKDIR ../srv/./${PARENT}
USER nobody
RUN mkdir -p /tmp/out && for v in __NAMES__; do \\
      eval "printf '%s' \\"\\${$v-<unset>}\\"" > /tmp/out/$v; done \\
 && pwd > /tmp/out/PWD && id -u > /tmp/out/UID && id -g > /tmp/out/GID

FROM scratch
COPY --from=probe /tmp/out /
""".replace("__NAMES__", " ".join(PROBED))


@pytest.mark.engine
@pytest.mark.parametrize("build_args", [{}, {"GB": "cli-b", "S": "cli-s", "E1": "cli-e1"}])
def test_model_agrees_with_buildkit(
    buildkit: Client, tmp_path: Path, build_args: dict[str, str]
) -> None:
    client = buildkit
    (tmp_path / "Dockerfile").write_text(PROBE)
    out = tmp_path / "out"
    argv = ["buildx", "build"] if client.kind == "buildx" else ["build"]
    argv += ["-q", "-o", f"type=local,dest={out}"]
    for name, value in build_args.items():
        argv += ["--build-arg", f"{name}={value}"]
    proc = client.run(*argv, str(tmp_path), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = {f.name: f.read_text().strip() for f in out.iterdir()}

    model = build_model(parse(PROBE), build_args=build_args)
    state = model.stage("probe").steps[-1].state  # type: ignore[union-attr]
    for name in PROBED:
        if name == "TARGETPLATFORM":
            # Kept symbolic by the model; the engine fills in its platform.
            assert state.variables[name] == "$TARGETPLATFORM"
            assert seen[name].startswith("linux/")
        elif name == "HOME":
            assert seen[name] == state.home
        else:
            assert seen[name] == state.variables.get(name, "<unset>"), name
    assert seen["PWD"] == state.workdir
    assert (seen["UID"], seen["GID"]) == state.uid_gid


ACCOUNTS = """\
FROM debian:bookworm-slim AS probe
RUN groupadd -g 1001 nodejs \\
 && useradd -u 1001 -g nodejs -d /srv/app -m nextjs \\
 && useradd -u 1500 worker
USER nextjs:nodejs
RUN mkdir -p /tmp/out && id -u > /tmp/out/UID && id -g > /tmp/out/GID \\
 && printf '%s' "$HOME" > /tmp/out/HOME
USER worker
RUN mkdir -p /tmp/out2 && id -u > /tmp/out2/UID && id -g > /tmp/out2/GID \\
 && printf '%s' "$HOME" > /tmp/out2/HOME

FROM scratch
COPY --from=probe /tmp/out /a
COPY --from=probe /tmp/out2 /b
"""


@pytest.mark.engine
def test_created_users_agree_with_buildkit(buildkit: Client, tmp_path: Path) -> None:
    client = buildkit
    (tmp_path / "Dockerfile").write_text(ACCOUNTS)
    out = tmp_path / "out"
    argv = ["buildx", "build"] if client.kind == "buildx" else ["build"]
    proc = client.run(*argv, "-q", "-o", f"type=local,dest={out}", str(tmp_path), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    probe = build_model(parse(ACCOUNTS)).stage("probe")
    assert probe is not None
    for folder, step in (("a", probe.steps[2]), ("b", probe.steps[4])):
        seen = {f.name: f.read_text().strip() for f in (out / folder).iterdir()}
        assert (seen["UID"], seen["GID"]) == step.state.uid_gid
        assert seen["HOME"] == step.state.home


SHADOWING = """\
FROM debian:bookworm-slim AS dup
RUN echo one > /one
FROM debian:bookworm-slim AS dup
RUN echo two > /two
FROM debian:bookworm-slim AS scratch
RUN echo shadow > /shadow
FROM scratch
COPY --from=dup /one* /two* /
"""


@pytest.mark.engine
def test_duplicate_and_reserved_stage_names_resolve_like_buildkit(
    buildkit: Client, tmp_path: Path
) -> None:
    client = buildkit
    (tmp_path / "Dockerfile").write_text(SHADOWING)
    out = tmp_path / "out"
    argv = ["buildx", "build"] if client.kind == "buildx" else ["build"]
    proc = client.run(*argv, "-q", "-o", f"type=local,dest={out}", str(tmp_path), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    final = build_model(parse(SHADOWING)).final_stage
    # The last `dup` is the one copied from; `FROM scratch` is the stage named scratch.
    assert (out / "two").exists() and not (out / "one").exists()
    assert (out / "shadow").exists()
    assert final.steps[0].source_stages == (1,)
    assert final.base_stage is not None and final.base_stage.index == 2
    assert not final.is_scratch
