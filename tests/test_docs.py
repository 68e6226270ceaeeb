"""The rules reference under docs/rules/ is generated from the rule modules and kept current."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.cli.app import main
from layerwise.docs import fix_label, index_markdown, reference, rule_markdown
from layerwise.rules.registry import all_rules, get

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"
COMMAND = "uv run layerwise rule --all --output docs/rules"


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_docs_rules_is_up_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "--all", "--output", str(tmp_path)]) == 0
    assert f"wrote {2 * len(all_rules()) + 2} files" in capsys.readouterr().out
    fresh, committed = _files(tmp_path), _files(DOCS)
    stale = sorted(set(fresh) ^ set(committed) | {p for p in fresh if committed.get(p) != fresh[p]})
    assert not stale, f"docs/rules/ is out of date ({', '.join(stale)}): run `{COMMAND}`"


def test_every_rule_has_a_page_in_both_languages_and_an_index_row() -> None:
    pages = reference()
    for r in all_rules():
        assert pages[f"{r.code}.md"].startswith(f"# {r.code} {r.rule.name}\n")
        assert pages[f"ko/{r.code}.md"].startswith(f"# {r.code} {r.rule.name}\n")
        assert (
            f"| [{r.code}]({r.code}.md) | `{r.rule.name}` | {r.rule.severity} |"
            in (pages["README.md"])
        )
    assert len(pages) == 2 * len(all_rules()) + 2


def test_korean_page_translates_headings_and_links_back() -> None:
    registered = get("LW202")
    assert registered is not None
    page = reference()["ko/LW202.md"]
    assert "[English](../LW202.md)" in page
    assert "*warning* · 수정: 경우에 따라 안전 · preview" in page
    for heading in (
        "## 찾는 것\n",
        "## 왜 중요한가\n",
        "## 예시\n",
        "## 수정 안전성\n",
        "## 참고 자료\n",
    ):
        assert heading in page
    assert "## What it finds" not in page
    assert "\n\n\n" not in page
    english = rule_markdown(registered)
    assert "## What it finds\n\nA RUN that installs" in english


def test_fix_labels_and_index_cells() -> None:
    lw101, lw102, lw103 = (get(c) for c in ("LW101", "LW102", "LW103"))
    assert lw101 is not None and lw102 is not None and lw103 is not None
    assert fix_label(lw101.rule) == "safe or unsafe"
    assert fix_label(lw101.rule, "ko") == "경우에 따라 안전"
    assert fix_label(lw103.rule, "ko") == "안전하지 않음"
    assert fix_label(lw102.rule) == "safe"
    assert "`apt-get install`" in index_markdown("ko")


def test_output_removes_pages_of_rules_gone_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "ko").mkdir()
    for rel in ("LW999.md", "ko/LW999.md", "notes.md", "ko/LW999.txt"):
        (tmp_path / rel).write_text("old\n")
    assert main(["rule", "--all", "--output", str(tmp_path)]) == 0
    assert not (tmp_path / "LW999.md").exists() and not (tmp_path / "ko" / "LW999.md").exists()
    assert (tmp_path / "notes.md").exists() and (tmp_path / "ko" / "LW999.txt").exists()
    assert (tmp_path / "LW101.md").exists() and (tmp_path / "ko" / "README.md").exists()


def test_output_with_a_code_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rule", "LW101", "--output", str(tmp_path)]) == 2
    assert "--output writes every rule's page" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
