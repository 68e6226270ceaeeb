"""Every shell-form RUN of the syntax corpus and the rule fixtures: parse_script never raises,
and every command and word points at its own text in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.errors import LayerwiseError
from layerwise.shell import parse_script
from layerwise.syntax import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FILES = sorted(
    p
    for p in [*(FIXTURES / "corpus").rglob("*"), *(FIXTURES / "rules").glob("*/*.Dockerfile")]
    if p.is_file()
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_run_scripts_map_back_to_the_file(path: Path) -> None:
    try:
        tree = parse(path.read_bytes().decode("utf-8"), path=str(path))
    except (UnicodeDecodeError, LayerwiseError):
        pytest.skip("not a valid Dockerfile on purpose")
    text = tree.text
    for instruction in tree.instructions:
        source = instruction.shell_source()
        if source is None:
            continue
        for cmd in parse_script(source).commands:
            assert 0 <= cmd.start <= cmd.end <= len(text)
            for word in cmd.words:
                assert cmd.start <= word.start <= word.end <= cmd.end
                written = text[word.start : word.end]
                if word.end - word.start == len(word.raw):
                    assert written == word.raw
                else:  # the word spans a line continuation
                    assert written[0] == word.raw[0] and written[-1] == word.raw[-1]
