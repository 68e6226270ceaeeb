"""Every pipeline under tests/fixtures/ci/ against its snapshot: `<file>.findings` (one line per
finding: code, line:col, message) and, when a fix applies, `<file>.fixed` (safe fixes) and
`<file>.unsafe.fixed`. Each rule folder LW9xx holds a file that has the rule's finding and one
that has not.

Snapshots are rewritten only with LAYERWISE_UPDATE_SNAPSHOTS=1 (then review the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layerwise.ci.check import run_pipeline_file
from layerwise.rules.base import Settings
from layerwise.rules.registry import PIPELINE_RULE_MODULES

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ci"
UPDATE = os.environ.get("LAYERWISE_UPDATE_SNAPSHOTS") == "1"
_NOT_PIPELINES = (".findings", ".fixed", "Dockerfile")


def pipelines() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.rglob("*")
        if p.is_file()
        and not p.name.endswith(_NOT_PIPELINES)
        and "infra" not in p.parts
        and "generated" not in p.parts
    )


def _lines(path: Path) -> str:
    outcome = run_pipeline_file(path, path.read_text(), Settings(), fix=False, unsafe=False)
    return "".join(f"{f.code} {f.line}:{f.col} {f.message}\n" for f in outcome.findings)


def _compare(path: Path, actual: str) -> None:
    if UPDATE:
        if actual or path.suffix != ".fixed":
            path.write_text(actual)
        return
    assert path.exists(), f"missing snapshot {path.name} (run with LAYERWISE_UPDATE_SNAPSHOTS=1)"
    assert actual == path.read_text()


@pytest.mark.parametrize("path", pipelines(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_findings_match_the_snapshot(path: Path) -> None:
    _compare(path.with_name(path.name + ".findings"), _lines(path))


@pytest.mark.parametrize("path", pipelines(), ids=lambda p: str(p.relative_to(FIXTURES)))
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fixes_match_the_snapshot_and_remove_their_findings(path: Path, unsafe: bool) -> None:
    text = path.read_text()
    outcome = run_pipeline_file(path, text, Settings(), fix=True, unsafe=unsafe)
    snapshot = path.with_name(path.name + (".unsafe.fixed" if unsafe else ".fixed"))
    if outcome.fixed_text == text:
        assert not snapshot.exists() or UPDATE, f"{snapshot.name} exists but no fix applies"
        return
    _compare(snapshot, outcome.fixed_text)
    # Each fix removes its finding (another rule may then say more: LW903's import of the
    # branch's own ref brings LW905's "no fallback").
    left = {(f.code, f.message) for f in outcome.findings}
    assert not left & {(f.code, f.message) for f in outcome.applied}


@pytest.mark.parametrize("module", PIPELINE_RULE_MODULES)
def test_each_rule_has_a_positive_and_a_negative_fixture(module: str) -> None:
    code = module[:5].upper()
    folder = FIXTURES / code
    files = [p for p in pipelines() if p.parent == folder]
    found = [code in _lines(p).split() for p in files]
    assert any(found), f"{code}: no fixture in {folder} has the finding"
    assert not all(found), f"{code}: every fixture in {folder} has the finding"
