"""`render_for`: the format name from `--output-format` picks the renderer."""

from __future__ import annotations

import json

import pytest

from layerwise.report.formats import CI_FORMATS, render_for


@pytest.mark.parametrize("name", CI_FORMATS)
def test_every_ci_format_renders_an_empty_run(name: str) -> None:
    assert isinstance(render_for(name, [], sources={}), str)


def test_statistics_only_in_text_or_json() -> None:
    assert json.loads(render_for("json", [], sources={}, statistics=True)) == []
    with pytest.raises(ValueError, match="no statistics in format 'sarif'"):
        render_for("sarif", [], sources={}, statistics=True)


def test_unknown_format_is_a_bug_not_a_silent_default() -> None:
    with pytest.raises(ValueError, match="no report format 'xml'"):
        render_for("xml", [], sources={})
