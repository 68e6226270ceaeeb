"""The README's configuration example is a valid configuration, and its error is the real one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from layerwise.config.files import load
from layerwise.errors import LayerwiseError

README = Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Configuration\n") : text.index("## Layout\n")]


def indented_blocks(text: str) -> list[str]:
    """Markdown's indented code blocks (blank lines inside a block belong to it)."""
    blocks = re.finditer(r"(?m)^    .*\n(?:(?:\n)*^    .*\n)*", text)
    return ["\n".join(line[4:] for line in b.group(0).splitlines()) for b in blocks]


def test_the_example_is_valid(tmp_path: Path) -> None:
    example = indented_blocks(section())[0]
    path = tmp_path / "pyproject.toml"
    path.write_text(example + "\n")
    config = load(path)
    assert config is not None
    o = config.options
    assert o.select == ("LW1", "LW2", "LW5")
    assert o.per_file_ignores == (("legacy/**", ("LW5",)), ("*.dev.Dockerfile", ("LW403",)))
    assert o.build_args == {"NODE_ENV": "production"}


def test_the_error_shown_is_the_one_given(tmp_path: Path) -> None:
    shown = indented_blocks(section())[1].splitlines()
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.layerwise]\nselect = ["LW1"]\nselct = []\n')
    with pytest.raises(LayerwiseError) as caught:
        load(path)
    assert str(caught.value).replace(str(path), "pyproject.toml") == shown[0]
    assert f"hint: {caught.value.hint}" == shown[1]
