"""Shared fixtures of the ecosystem tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from layerwise.context import BuildContext

ContextMaker = Callable[[dict[str, str]], BuildContext]


@pytest.fixture
def make_context(tmp_path: Path) -> ContextMaker:
    """A build context in a temporary folder holding `files` (path -> text)."""

    def make(files: dict[str, str]) -> BuildContext:
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text)
        return BuildContext.open(tmp_path)

    return make
