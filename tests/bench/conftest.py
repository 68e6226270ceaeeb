"""Fixtures of the bench's unit tests (helpers and the stand-in engine live in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import APP_FILES, make_repo


@pytest.fixture
def tiny_app(tmp_path: Path) -> Path:
    """A committed app: Dockerfile, requirements.txt, app/ (git work tree at tmp_path/app)."""
    return make_repo(tmp_path / "tiny", APP_FILES)
