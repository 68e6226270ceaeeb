"""What counts as a RUN that reads nothing a broad COPY brings (LW106's proof)."""

from __future__ import annotations

import pytest

from layerwise.model import build_model
from layerwise.rules._context_free import context_free, overlaps
from layerwise.rules.base import RuleContext
from layerwise.syntax import parse


def _judge(run: str, dest: str = "/app", before: str = "") -> bool:
    tree = parse(f"FROM debian:bookworm\n{before}WORKDIR /app\n{run}\n")
    ctx = RuleContext(model=build_model(tree), tree=tree)
    step = ctx.model.stages[0].steps[-1]
    return context_free(ctx, step, dest) is not None


@pytest.mark.parametrize(
    "run",
    [
        "RUN apt-get update && apt-get install -y --no-install-recommends jq",
        "RUN apt-get install -y jq >/dev/null 2>&1",
        "RUN apk add --no-cache --virtual .deps gcc && apk del .deps",
        'RUN pip install --no-cache-dir "uwsgi>=2.0"',
        "RUN npm install -g pm2 @nestjs/cli",
        "RUN useradd -r -m app && mkdir -p /var/log/app && chown app /var/log/app",
        "RUN --mount=type=cache,target=/var/cache/apt apt-get install -y jq",
    ],
)
def test_context_free(run: str) -> None:
    assert _judge(run)


@pytest.mark.parametrize(
    "run",
    [
        "RUN apt-get install -y ./tool.deb",
        "RUN apt-get install -y jq > log.txt",
        "RUN apt-get download jq",
        "RUN pip install -r requirements.txt",
        "RUN pip install .",
        "RUN pip install dist/app-1.0.whl",
        "RUN python -m pip install six",  # imports from its working directory, /app
        "RUN npm install -g .",
        "RUN npm install -g file:tools",
        "RUN npm install pm2",  # a local install writes into the copied tree
        "RUN mkdir logs",
        "RUN chmod +x /app/run.sh",
        "RUN rm -rf /app/tests",
        "RUN X=$(cat pkgs); apt-get install -y $X",
        "RUN ./setup.sh && apt-get install -y jq",
        "RUN --mount=type=bind,target=/src apt-get install -y jq",
        "RUN sudo apt-get install -y jq",
    ],
)
def test_not_context_free(run: str) -> None:
    assert not _judge(run)


def test_a_copy_to_the_root_covers_what_apt_reads() -> None:
    assert not _judge("RUN apt-get install -y jq", dest="/")


def test_path_and_home_in_the_copied_tree() -> None:
    assert not _judge("RUN apt-get install -y jq", before="ENV PATH=/app/bin:$PATH\n")
    assert not _judge("RUN pip install six", before="ENV HOME=/app\n")
    assert _judge("RUN apt-get install -y jq", before="ENV HOME=/app\n")


def test_dockerfile_variables_count_by_value() -> None:
    assert _judge("RUN apt-get install -y $PKGS", before="ARG PKGS=jq\n")
    assert not _judge("RUN npm install -g $TOOL", before="ARG TOOL=./tools\n")
    assert not _judge("RUN apt-get install -y $PKGS", before="ARG PKGS\n")


def test_overlaps() -> None:
    assert overlaps("/app", "/app/logs") and overlaps("/app/logs", "/app")
    assert not overlaps("/app", "/application")
