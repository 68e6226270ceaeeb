"""The model against builds recorded on the real engine (tests/engine/data, see its README):
each printed step's CACHED/executed equals the prediction, step by step and per platform."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.cache import Change, FileState, predict
from layerwise.cache.observed import observed
from layerwise.engine import parse_progress

DATA = Path(__file__).resolve().parents[1] / "engine" / "data"
BOTH = ("linux/amd64", "linux/arm64")
A, B = FileState.of(b"a"), FileState.of(b"b")


@pytest.mark.parametrize(
    ("log", "dockerfile", "edited", "platforms"),
    [
        # python:3.11, pruned builder importing a registry cache, app/main.py edited
        (
            "buildx013-import.log",
            "import.Dockerfile",
            "app/main.py",
            ("linux/amd64", "linux/arm64"),
        ),
        (
            "buildx013-import-lazy.log",
            "import.Dockerfile",
            "app/main.py",
            ("linux/amd64", "linux/arm64"),
        ),
        # the same with requirements.txt edited
        ("buildx013-import-dep-edit.log", "import.Dockerfile", "requirements.txt", BOTH),
        # BuildKit 0.8: the same two-stage build twice, nothing changed (COPY --from included)
        ("bk08-second.log", "first-second.Dockerfile", None, (None,)),
    ],
)
def test_recorded_build_agrees(
    log: str, dockerfile: str, edited: str | None, platforms: tuple[str | None, ...]
) -> None:
    text = (DATA / dockerfile).read_text()
    files = {edited: (A, B)} if edited else {}
    prediction = predict(Change.simple(text, files=files))
    steps = parse_progress((DATA / log).read_text())
    single = sum(line.startswith("FROM ") for line in text.splitlines()) == 1
    for platform in platforms:
        pairs = observed(prediction, steps, single_stage=single, platform=platform)
        assert all(step is not None for _, step in pairs)
        assert [(v.line, v.cached) for v, _ in pairs] == [
            (v.line, step.cached) for v, step in pairs if step is not None
        ]
        assert [v.instruction for v, _ in pairs] == [s.instruction for _, s in pairs if s]
    assert any(not v.cached for v in prediction.verdicts) == bool(edited)
