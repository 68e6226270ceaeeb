"""The real-build cases of tests/fixtures/buildable/ that guard one rule's fix: each parses, and
that rule's safe fix changes the file (or, for a case that guards a refusal, leaves it alone).
The engine harness builds them before and after `layerwise check --fix`."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.context import BuildContext
from layerwise.fix import fix_text
from layerwise.rules.base import Settings
from layerwise.syntax import parse

BUILDABLE = Path(__file__).resolve().parent.parent / "fixtures" / "buildable"
# case -> (rule, the text its safe fix must put in the Dockerfile; None: must change nothing)
CASES = {
    "lw102-build-script-arg": ("LW102", "COPY build.sh ./\nARG SITE_COMMIT=unknown\n"),
    "lw102-label-schema": ("LW102", "RUN useradd --create-home app\n# set per build"),
    "lw203-lock-cleanup": ("LW203", "--no-install-recommends hello\nRUN hello\n"),
    "lw403-cmd-script": ("LW403", 'CMD ["./start.sh", "--port", "8080"]\n'),
    "lw403-cmd-no-shebang": ("LW403", None),
    "lw501-apt-verbs": ("LW501", "apt-get upgrade --with-new-pkgs -s"),
}


@pytest.mark.parametrize(("case", "rule", "expected"), [(c, *v) for c, v in CASES.items()])
def test_case_parses_and_its_rule_fixes_it(case: str, rule: str, expected: str | None) -> None:
    folder = BUILDABLE / case
    text = (folder / "Dockerfile").read_text(encoding="utf-8")
    assert str(parse(text)) == text
    assert (folder / "README.md").read_text(encoding="utf-8").startswith(rule)
    result = fix_text(
        text,
        path="Dockerfile",
        context=BuildContext.open(folder),
        settings=Settings(select=(rule,)),
    )
    assert result.bugs == ()
    assert str(parse(result.text)) == result.text
    if expected is None:
        assert result.text == text
    else:
        assert expected in result.text and expected not in text
