"""RuleContext: what rules share within one check (parsed scripts, memoised facts)."""

from __future__ import annotations

from layerwise.model import build_model
from layerwise.rules.base import RuleContext
from layerwise.rules.lw2_mounts import cache_mounts, shell_runs
from layerwise.syntax import parse

TEXT = (
    "FROM node:20\nWORKDIR /app\n"
    "RUN --mount=type=cache,target=/root/.npm npm ci\n"
    'RUN ["npm", "test"]\nRUN npm run build\n'
)


def context(text: str = TEXT) -> RuleContext:
    tree = parse(text)
    return RuleContext(model=build_model(tree), tree=tree)


def test_memo_computes_once_per_key() -> None:
    ctx = context()
    calls: list[str] = []

    def compute(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert ctx.memo(("k", 1), lambda: compute("a")) == "A"
    assert ctx.memo(("k", 1), lambda: compute("b")) == "A"
    assert ctx.memo(("k", 2), lambda: compute("b")) == "B"
    assert calls == ["a", "b"]
    assert context().memo(("k", 1), lambda: compute("c")) == "C"  # one memo per check


def test_shared_facts_are_the_same_objects_for_every_rule() -> None:
    ctx = context()
    runs = shell_runs(ctx)
    assert [step.instruction.start_line for step, _ in runs] == [3, 5]  # JSON form: no shell
    assert shell_runs(ctx) is runs
    step = runs[0][0]
    mounts = cache_mounts(ctx, step)
    assert [m.mount.target for m in mounts] == ["/root/.npm"]
    assert cache_mounts(ctx, step) is mounts
    assert cache_mounts(ctx, runs[1][0]) == ()
