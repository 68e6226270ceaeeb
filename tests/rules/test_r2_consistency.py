"""The cache-mount and apt rules agree with each other when all rules run together.

The fixture driver runs one rule at a time; here every rule runs, so a fix of one rule must not
give a finding of another (LW202's mounts must not trigger LW203 or LW504, LW201's mount must
not leave an `npm cache clean` behind) and the loop must settle with nothing fixable left.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.fix import fix_text
from layerwise.rules.base import Safety, Settings
from layerwise.rules.runner import check_tree
from layerwise.shell import parse_script
from layerwise.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
CODES = ("LW104", "LW105", "LW201", "LW202", "LW203", "LW401", "LW402", "LW403", "LW501",
         "LW502", "LW503", "LW504")  # fmt: skip
SEED = ROOT / "examples" / "seed-before" / "Dockerfile"
CASES = [SEED, *sorted(p for code in CODES for p in (FIXTURES / code).glob("*.Dockerfile"))]


def broken_scripts(text: str) -> int:
    """How many shell-form RUNs of `text` have a script the shell grammar rejects."""
    count = 0
    for instruction in parse(text).instructions:
        source = instruction.shell_source() if instruction.name == "RUN" else None
        if source is not None and parse_script(source).has_errors:
            count += 1
    return count


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_all_rules_settle_with_nothing_fixable_left(path: Path, unsafe: bool) -> None:
    result = fix_text(_read(path), path=path.name, unsafe=unsafe)
    assert result.bugs == ()
    assert fix_text(result.text, path=path.name, unsafe=unsafe).text == result.text
    assert broken_scripts(result.text) <= broken_scripts(_read(path))
    for finding in result.remaining:
        if finding.code in CODES and finding.fix is not None:
            assert finding.fix.safety is Safety.UNSAFE and not unsafe, finding


def test_seed_fix_leaves_no_cache_or_apt_finding() -> None:
    fixed = fix_text(_read(SEED), path="Dockerfile").text
    left = {f.code for f in check_tree(parse(fixed, path="Dockerfile"))}
    assert not left & {"LW201", "LW202", "LW203", "LW501", "LW502", "LW504"}
    assert "--mount=type=cache,target=/root/.npm npm ci --omit=dev" in fixed
    assert "rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update" in fixed


def test_cache_mounts_do_not_fight_list_removal() -> None:
    text = (
        "FROM debian:bookworm\n"
        "RUN apt-get update \\\n"
        "    && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "FROM node:20\n"
        "USER node\n"
        "RUN npm ci && npm cache clean --force\n"
    )
    fixed = fix_text(text, path="Dockerfile").text
    assert "rm -rf /var/lib/apt/lists" not in fixed
    assert "npm cache clean" not in fixed
    assert "--mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci\n" in fixed
    codes = {f.code for f in check_tree(parse(fixed, path="Dockerfile"))}
    assert not codes & {"LW201", "LW202", "LW203", "LW504"}


def test_lw504_defers_to_lw202_unless_it_is_off() -> None:
    text = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n"
    tree = parse(text, path="Dockerfile")
    assert "LW504" not in {f.code for f in check_tree(tree)}
    off = Settings(ignore=("LW2",))
    assert "LW504" in {f.code for f in check_tree(tree, settings=off)}
    fixed = fix_text(text, path="Dockerfile", settings=off).text
    assert fixed.endswith("apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n")
