"""The rules reference: a Markdown page per rule and an index, in English and in Korean, made from
the rule modules (docstrings, `.ko.md` twins, RULE fields) by `layerwise rule --all --output DIR`.

Layout under DIR: `README.md` and `LW101.md`, ...; the Korean twins under `ko/`. The pages are
generated, so the rule modules stay the one place each text is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from layerwise.rules.base import Rule, Safety
from layerwise.rules.registry import Registered, all_rules, translated_doc

_PAGE = re.compile(r"^LW\d{3}\.md$")

# The Korean twins keep the English headings (a test compares them); pages show them translated.
HEADINGS_KO = {
    "What it finds": "찾는 것",
    "Why it matters": "왜 중요한가",
    "Example": "예시",
    "Fix safety": "수정 안전성",
    "Options": "옵션",
    "References": "참고 자료",
}

_FIX = {
    "en": {"safe": "safe", "unsafe": "unsafe", "both": "safe or unsafe", "unknown": "yes"},
    "ko": {
        "safe": "안전",
        "unsafe": "안전하지 않음",
        "both": "경우에 따라 안전",
        "unknown": "있음",
    },
}
_NO_FIX = {"en": "no fix", "ko": "수정 없음"}
_FIX_WORD = {"en": "fix", "ko": "수정"}

_INDEX = {
    "en": (
        "# Rules\n\n[한국어](ko/README.md)\n\n"
        "Generated from the rule modules by `layerwise rule --all --output docs/rules`: edit a\n"
        "rule's module and its `.ko.md` twin, not these pages.\n\n"
        "| Code | Name | Severity | Fix | Status | Summary |\n"
    ),
    "ko": (
        "# 규칙\n\n[English](../README.md)\n\n"
        "규칙 모듈에서 `layerwise rule --all --output docs/rules`로 만든 문서입니다. 고칠 때는 이\n"
        "페이지가 아니라 규칙 모듈과 그 `.ko.md` 짝 파일을 고치세요.\n\n"
        "| 코드 | 이름 | 심각도 | 수정 | 상태 | 요약 |\n"
    ),
}


def fix_label(rule: Rule, lang: str = "en") -> str:
    """What fixing a finding of the rule can be: `safe`, `unsafe`, `safe or unsafe`, or ``."""
    if not rule.fixable:
        return ""
    words = _FIX.get(lang, _FIX["en"])
    kinds = set(rule.fix_safety)
    if kinds == {Safety.SAFE, Safety.UNSAFE}:
        return words["both"]
    if len(kinds) == 1:
        return words[str(kinds.pop())]
    return words["unknown"]


def rule_markdown(registered: Registered, lang: str = "en", *, link: str = "") -> str:
    """The rule's document in `lang` as Markdown: its first line as the title, then its
    metadata (and `link`, a line to the other language's page), then its sections."""
    rule = registered.rule
    doc = translated_doc(registered, lang) or rule.doc
    title, _, body = doc.partition("\n")
    fix = fix_label(rule, lang)
    fix_text = f"{_FIX_WORD.get(lang, 'fix')}: {fix}" if fix else _NO_FIX.get(lang, "no fix")
    meta = f"*{rule.severity}* · {fix_text} · {rule.status}"
    body = _separate_code_blocks(body.strip())
    if lang == "ko":
        body = re.sub(
            r"^(## +)(.+?)[ \t]*$", lambda m: m[1] + HEADINGS_KO.get(m[2], m[2]), body, flags=re.M
        )
    head = f"# {title.strip()}\n\n{meta}\n\n" + (f"{link}\n\n" if link else "")
    return f"{head}{body}\n"


def _separate_code_blocks(text: str) -> str:
    """Blank lines around indented examples and headings, which docstrings write right under a
    text line."""
    out: list[str] = []
    for line in text.splitlines():
        indented = line.startswith("    ")
        heading = line.startswith("#")
        if line.strip() and out and out[-1].strip():
            after_heading = out[-1].startswith("#")
            if heading or after_heading or out[-1].startswith("    ") != indented:
                out.append("")
        out.append(line)
    return "\n".join(out)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def index_markdown(lang: str = "en") -> str:
    """The table of every rule: code (linking its page), name, severity, fix, status, summary."""
    rows = ["| --- | --- | --- | --- | --- | --- |"]
    for r in all_rules():
        rule = r.rule
        cells = [
            f"[{r.code}]({r.code}.md)",
            f"`{rule.name}`",
            str(rule.severity),
            fix_label(rule, lang) or "—",
            rule.status,
            _cell(rule.summary_in(lang)),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return _INDEX[lang] + "\n".join(rows) + "\n"


def reference() -> dict[str, str]:
    """Every page of the reference, by its path relative to the output directory."""
    pages = {"README.md": index_markdown("en"), "ko/README.md": index_markdown("ko")}
    for r in all_rules():
        pages[f"{r.code}.md"] = rule_markdown(r, "en", link=f"[한국어](ko/{r.code}.md)")
        pages[f"ko/{r.code}.md"] = rule_markdown(r, "ko", link=f"[English](../{r.code}.md)")
    return pages


def write_reference(out: Path) -> list[Path]:
    """Write the reference under `out`; rule pages of rules that no longer exist are removed
    (nothing else is touched). Returns the files written."""
    pages = reference()
    for folder in (out, out / "ko"):
        if folder.is_dir():
            for old in folder.iterdir():
                rel = old.relative_to(out).as_posix()
                if _PAGE.match(old.name) and rel not in pages:
                    old.unlink()
    written = []
    for rel, text in pages.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
