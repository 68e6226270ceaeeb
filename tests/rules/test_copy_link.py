"""rules/_copy_link.py: where a fix may write `COPY --link` (same image as without it), and
never for Docker 20.10. `at` is the last RUN of the last stage, the copy goes to
<WORKDIR>/node_modules."""

from __future__ import annotations

import pytest

from layerwise.model import build_model
from layerwise.rules._copy_link import link_flag
from layerwise.rules.base import RuleContext, Settings
from layerwise.syntax import parse


def _flag(text: str, engine: str = "modern") -> str:
    tree = parse("FROM node:20 " + text + "RUN npm ci --omit=dev\n")
    ctx = RuleContext(build_model(tree), tree, settings=Settings(target_engine=engine))
    at = ctx.model.final_stage.steps[-1]
    return link_flag(ctx, at, at.state.workdir.rstrip("/") + "/node_modules")


@pytest.mark.parametrize(
    "text",
    [
        "\nWORKDIR /app\n",
        "\nWORKDIR /usr/src/app\nENV NODE_ENV=production\nEXPOSE 3000\n",
        "\nWORKDIR /opt/svc\nRUN apt-get update && apt-get install -y curl\n",
        "\nWORKDIR /srv/app\nCOPY config/ ./config/\nWORKDIR /srv/app\n",
        "\nWORKDIR /usr/local\nWORKDIR app\n",
        "AS base\nWORKDIR /app\nFROM base\n",  # made in the stage it is built FROM
    ],
)
def test_links(text: str) -> None:
    assert _flag(text) == "--link "
    assert _flag(text, engine="docker-20.10") == ""


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("\n", "no WORKDIR: the copy would go to /node_modules"),
        ("\nWORKDIR /home/node/app\n", "/home/node is node's"),
        ("\nWORKDIR /tmp\n", "/tmp is 1777"),
        ("\nWORKDIR /root/app\n", "/root is 0700"),
        ("\nWORKDIR /var\n", "a directory of the base image"),
        ("\nUSER node\nWORKDIR /app\nUSER root\n", "made as node: node's, not root's 0755"),
        ("\nWORKDIR /app\nRUN chown node /app\n", "a RUN may change it"),
        ("\nWORKDIR /app\nUSER node\n", "a USER between"),
        ("\nWORKDIR /app\nCOPY . .\n", "a copy into the WORKDIR itself"),
        ("\nWORKDIR /app\nCOPY vendor/ ./node_modules/\n", "the destination exists"),
        ("\nWORKDIR /app\nWORKDIR /app/node_modules\nWORKDIR /app\n", "a WORKDIR makes it"),
        ("AS base\nWORKDIR /app\nRUN chmod 777 .\nFROM base\n", "changed in the base stage"),
    ],
)
def test_does_not_link(text: str, why: str) -> None:
    assert _flag(text) == "", why
