"""`layerwise rule`: one rule's documentation, or the catalogue."""

from __future__ import annotations

import pytest

from layerwise.cli.app import main
from layerwise.rules.registry import all_rules


def test_rule_prints_its_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "lw101"]) == 0
    out = capsys.readouterr().out
    assert "LW101 install-after-broad-copy" in out
    for heading in ("What it finds", "Why it matters", "Example", "Fix safety", "References"):
        assert heading in out


def test_all_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "--all"]) == 0
    out = capsys.readouterr().out
    for registered in all_rules():
        assert registered.code in out


def test_unknown_code_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "LW999"]) == 2
    assert "unknown rule code `LW999`" in capsys.readouterr().err


def test_korean_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "LW101", "--lang", "ko"]) == 0
    assert "Docker 문서" in capsys.readouterr().out
    assert main(["rule", "LW101", "--lang", "fr"]) == 2


def test_examples_render_as_code_blocks() -> None:
    from layerwise.rules.markdown import rule_markdown
    from layerwise.rules.registry import get

    registered = get("LW102")
    assert registered is not None
    assert "After the fix:\n\n    RUN npm ci\n" in rule_markdown(registered)
