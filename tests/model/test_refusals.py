"""What BuildKit refuses is recorded as one of its texts and the fields that fill it, so the
rules can say it in any language; the English stays BuildKit's own words."""

from __future__ import annotations

import pytest

from layerwise.errors import ErrorText
from layerwise.model import build_model, refusals
from layerwise.model.refusals import REFUSALS, DiagnosticKind
from layerwise.rules.registry import all_rules
from layerwise.rules.texts import placeholders
from layerwise.syntax import parse
from layerwise.syntax.messages import SYNTAX_ERRORS


@pytest.mark.parametrize(
    ("text", "expected", "fields", "message"),
    [
        (
            "FROM alpine AS 1x\n",
            refusals.STAGE_NAME,
            {"name": "1x"},
            "invalid name for build stage: '1x', name can't start with a number or contain symbols",
        ),
        (
            "FROM Alpine\n",
            refusals.REFERENCE_LOWERCASE,
            {"base": "Alpine"},
            "failed to parse stage name 'Alpine': invalid reference format: repository name "
            "must be lowercase",
        ),
        (
            "FROM a\nENV X=${Y:?say-so}\n",
            refusals.UNSET_WITH_REASON,
            {"word": "${Y:?say-so}", "name": "Y", "reason": "say-so"},
            "failed to process '${Y:?say-so}': Y: say-so",
        ),
        (
            "FROM a\nENV X=${Y?}\n",
            refusals.UNSET,
            {"word": "${Y?}", "name": "Y"},
            "failed to process '${Y?}': Y: is not allowed to be unset",
        ),
        (
            "FROM a\nENV E=\nENV X=${E:?needed}\n",
            refusals.EMPTY_WITH_REASON,
            {"word": "${E:?needed}", "name": "E", "reason": "needed"},
            "failed to process '${E:?needed}': E: needed",
        ),
        (
            "FROM a\nENV E=\nENV X=${E:?}\n",
            refusals.EMPTY,
            {"word": "${E:?}", "name": "E"},
            "failed to process '${E:?}': E: is not allowed to be empty",
        ),
        (
            "FROM a\nENV X=${Y#\\q}\n",
            refusals.INVALID_PATTERN,
            {"word": "${Y#\\q}", "pattern": "\\q", "escaped": "q"},
            "failed to process '${Y#\\\\q}': invalid pattern (\\q) in substitution: "
            "invalid escape '\\q'",
        ),
        (
            "FROM a\nCOPY --from=7 /x /y\n",
            refusals.STAGE_INDEX,
            {"index": 7},
            "invalid stage index 7",
        ),
        ("FROM a\nADD x\n", refusals.ONE_ARGUMENT, {"keyword": "ADD"}, None),
    ],
)
def test_a_diagnostic_is_a_text_and_its_fields(
    text: str, expected: ErrorText, fields: dict[str, object], message: str | None
) -> None:
    (diagnostic,) = build_model(parse(text)).diagnostics
    assert diagnostic.text is expected
    assert dict(diagnostic.fields) == fields
    assert diagnostic.message == expected.format(fields)
    if message is not None:
        assert diagnostic.message == message


def test_keys_name_one_text_each() -> None:
    texts = [t for kind in DiagnosticKind for t in REFUSALS[kind]]
    assert len({t.key for t in texts}) == len(texts)
    assert len({t.key for t in SYNTAX_ERRORS}) == len(SYNTAX_ERRORS)


@pytest.mark.parametrize("kind", list(DiagnosticKind), ids=str)
def test_the_rule_of_each_kind_says_each_of_its_texts(kind: DiagnosticKind) -> None:
    """The rule named like the kind has a phrase for every text, with BuildKit's English and
    a Korean with the same fields (tests/rules/test_translations.py checks the Korean)."""
    (rule,) = [r.rule for r in all_rules() if r.rule.name == kind.value]
    for text in REFUSALS[kind]:
        phrase = rule.phrases[text.key]
        assert phrase.en == text.template
        assert placeholders(phrase.ko) == placeholders(text.template)
