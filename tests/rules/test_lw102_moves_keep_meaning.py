"""LW102's fix only ever takes a variable out of the environment of RUN steps that cannot read
it: every other RUN of every fixture sees the same variables, with the same values, after the fix
as before, and every other instruction (LABELs moved with a declaration too) expands the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from layerwise.fix import fix_text
from layerwise.model import Step, build_model
from layerwise.rules.base import RuleContext, Settings
from layerwise.rules.lw102_cache_busting_arg import _blind
from layerwise.syntax import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "LW102"
CASES = sorted(FIXTURES.glob("*.Dockerfile"))


def _build_args(text: str) -> dict[str, str]:
    """A distinct value for every ARG the file declares, as a CI build would pass them."""
    names = re.findall(r"^ARG\s+(\w+)", text, re.MULTILINE)
    return {name: f"passed-{name.lower()}" for name in names}


def _steps(text: str, args: dict[str, str]) -> tuple[RuleContext, list[Step]]:
    tree = parse(text)
    model = build_model(tree, build_args=args)
    ctx = RuleContext(model=model, tree=tree)
    return ctx, [st for st in model.steps if st.name not in ("ARG", "ENV")]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_only_blind_runs_lose_variables(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    args = _build_args(text)
    fixed = fix_text(text, settings=Settings(select=("LW102",), build_args=args)).text
    assert fixed != text or not case.with_suffix(".fixed").exists()
    before_ctx, before = _steps(text, args)
    _, after = _steps(fixed, args)
    # The fix moves only ARG, ENV and LABEL lines: the other steps keep their order.
    assert [st.instruction.text for st in before if st.name != "LABEL"] == [
        st.instruction.text for st in after if st.name != "LABEL"
    ]
    by_text = {st.instruction.text: st for st in after}
    for old in before:
        new = by_text[old.instruction.text]
        if old.name == "RUN" and _blind(before_ctx, old):
            assert new.state.variables.items() <= old.state.variables.items()
        elif old.name == "RUN":  # may read any variable: it must see them all, unchanged
            assert new.state.variables == old.state.variables, old.instruction.text
        else:  # COPY, LABEL, WORKDIR...: only what their arguments expand to matters
            assert new.expanded_value() == old.expanded_value(), old.instruction.text
