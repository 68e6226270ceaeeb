"""Finding texts rendered after the fact, in English or Korean; the language of a locale."""

from __future__ import annotations

import pytest

from layerwise.errors import LayerwiseError
from layerwise.rules.base import Fix, Rule, Safety, Severity
from layerwise.rules.texts import (
    Listing,
    Phrase,
    choose_lang,
    env_lang,
    parse_lang,
    placeholders,
)
from layerwise.syntax.span import Edit, Span

SPAN = Span(0, 3, 1, 1, 1, 4)

RULE = Rule(
    code="LW999",
    name="made-up",
    severity=Severity.WARNING,
    message="`{command}` misses {what}",
    message_ko="`{command}` 명령: {what} 없음",
    fix_title="Add {what}",
    fix_title_ko="{what} 추가",
    phrases={"mounts": Phrase("cache mounts on {targets}", "{targets}에 캐시 마운트")},
)


def test_a_finding_renders_in_either_language_after_the_fact() -> None:
    what = RULE.text("mounts", targets=Listing(["`/a`", "`/b`", "`/c`"]))
    fix = Fix(Safety.SAFE, [Edit.replace(SPAN, "x")])
    english = RULE.finding(SPAN, command="npm ci", what=what, fix=fix)
    assert english.message == "`npm ci` misses cache mounts on `/a`, `/b` and `/c`"
    assert (
        english.fix is not None and english.fix.title == "Add cache mounts on `/a`, `/b` and `/c`"
    )
    korean = english.localized("ko")
    assert korean.message == "`npm ci` 명령: `/a`, `/b` 및 `/c`에 캐시 마운트 없음"
    assert korean.fix is not None and korean.fix.title == "`/a`, `/b` 및 `/c`에 캐시 마운트 추가"
    assert korean.fix.edits == fix.edits and korean.fix.safety is Safety.SAFE
    assert english.localized("en") is english


def test_a_missing_translation_falls_back_to_english() -> None:
    rule = Rule(code="LW998", name="made-up", severity=Severity.INFO, message="`{x}` is odd")
    assert rule.finding(SPAN, x="a").localized("ko").message == "`a` is odd"


def test_listings() -> None:
    assert Listing(["a"]).render("ko") == "a"
    assert Listing(["a", "b"]).render("en") == "a and b"
    assert Listing(["a", "b"], sep="; ").render("ko") == "a; b"
    inner = Listing(["`/a`", "`/b`"], inner=True)
    assert inner.render("en") == "`/a` and `/b`"
    assert inner.render("ko") == "`/a`, `/b`"  # the outer list keeps the one `및`
    outer = Listing([Phrase("x on {t}", "{t}에 x")(t=inner), "`y`"])
    assert outer.render("ko") == "`/a`, `/b`에 x 및 `y`"


def test_placeholders() -> None:
    assert placeholders("`{a}` at line {line:>3}, {{literal}}") == {"a", "line"}


@pytest.mark.parametrize(
    ("value", "lang"),
    [("ko_KR.UTF-8", "ko"), ("ko", "ko"), ("ko_KR", "ko"), ("KO_kr.eucKR", "ko"),
     ("en_US.UTF-8", "en"), ("C", None), ("POSIX", None), ("de_DE.UTF-8", None),
     ("C.UTF-8", None)],
)  # fmt: skip
def test_parse_lang(value: str, lang: str | None) -> None:
    assert parse_lang(value) == lang


@pytest.mark.parametrize(
    ("environ", "lang"),
    [({}, "en"), ({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LC_MESSAGES": "ko", "LANG": "en_US"}, "ko"),
     ({"LC_ALL": "C", "LANG": "ko_KR.UTF-8"}, "en"),  # LC_ALL decides, as in gettext
     ({"LC_ALL": "", "LANG": "ko_KR.UTF-8"}, "ko"),  # set but empty: not set
     ({"LANG": "fr_FR.UTF-8"}, "en")],
)  # fmt: skip
def test_env_lang_reads_the_locale_in_gettext_order(environ: dict[str, str], lang: str) -> None:
    assert env_lang(environ) == lang


def test_option_wins_over_the_environment_and_is_checked() -> None:
    assert choose_lang("en", {"LANG": "ko_KR.UTF-8"}) == "en"
    assert choose_lang(None, {"LANG": "ko_KR.UTF-8"}) == "ko"
    with pytest.raises(LayerwiseError, match="unknown language `fr`"):
        choose_lang("fr", {})
