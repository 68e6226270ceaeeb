"""The real-build cases of tests/fixtures/buildable/: loading a case and fixing it as
`layerwise check --fix` (or `--unsafe-fixes`) would, with the case folder as build context.
Shared by the expectation test (no engine) and the build test (engine). Fixes are made for the
default target engine (modern): that output is what the engine test builds."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from layerwise.context import BuildContext
from layerwise.fix import FixResult, fix_text
from layerwise.rules.base import DEFAULT_TARGET_ENGINE, Settings

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "buildable"
KEYS = {"about", "applied", "not_applied", "contains", "absent", "target", "run", "unsafe",
        "unsafe_contains", "platforms"}  # fmt: skip


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "Dockerfile").is_file())


def expectations(case: Path) -> dict[str, Any]:
    data = tomllib.loads((case / "expect.toml").read_text(encoding="utf-8"))
    unknown = set(data) - KEYS
    assert not unknown, f"{case.name}/expect.toml: unknown keys {sorted(unknown)}"
    assert data.get("about"), f"{case.name}/expect.toml: `about` says what the case is"
    return data


def fixed(
    case: Path,
    *,
    unsafe: bool = False,
    engine: str = DEFAULT_TARGET_ENGINE,
    platforms: tuple[str, ...] = (),
) -> tuple[str, FixResult]:
    """The case's Dockerfile and the result of fixing it with every rule on, for `engine` and
    a build for `platforms` (the case's `platforms` key)."""
    original = (case / "Dockerfile").read_text(encoding="utf-8")
    context = BuildContext.open(case)
    settings = Settings(target_engine=engine, platforms=platforms)
    result = fix_text(
        original, path="Dockerfile", context=context, settings=settings, unsafe=unsafe
    )
    return original, result


def check_expectations(case: Path) -> None:
    """The safe fix of `case` does what its expect.toml says."""
    expect = expectations(case)
    platforms = tuple(expect.get("platforms", ()))
    original, result = fixed(case, platforms=platforms)
    assert not result.bugs, result.bugs
    text = result.text
    applied = {f.code for f in result.applied}
    for code in expect.get("applied", []):
        assert code in applied, f"{code}'s safe fix did not go in; applied: {sorted(applied)}"
    for code in expect.get("not_applied", []):
        assert code not in applied, f"{code}'s fix went in but must not:\n{text}"
    if expect.get("applied"):
        assert text != original
    for part in expect.get("contains", []):
        assert part in text, f"missing {part!r} in the fixed Dockerfile:\n{text}"
    for part in expect.get("absent", []):
        assert part not in text, f"{part!r} still in the fixed Dockerfile:\n{text}"
    if expect.get("unsafe_contains"):
        unsafe = fixed(case, unsafe=True, platforms=platforms)[1].text
        for part in expect["unsafe_contains"]:
            assert part in unsafe, f"missing {part!r} after the unsafe fixes:\n{unsafe}"
