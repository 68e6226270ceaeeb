"""The fix loop with made-up rules: overlaps wait for the next pass, broken fixes are dropped,
unsafe fixes need the flag, untouched bytes stay, and the result is a fixed point."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from layerwise.fix import fix_text, pick_fixes, unified_diff, write_atomic
from layerwise.rules.base import (
    Finding,
    Fix,
    Rule,
    RuleContext,
    RuleModule,
    Safety,
    Settings,
    Severity,
)
from layerwise.rules.registry import Registered
from layerwise.syntax.span import Edit, Span


def _word_rule(code: str, old: str, new: str, safety: Safety = Safety.SAFE) -> Registered:
    """Replaces every `old` word in the text with `new`."""
    rule = Rule(code=code, name="made-up", severity=Severity.WARNING, message="{m}", fix_title="t")

    def check(ctx: RuleContext) -> Iterator[Finding]:
        text = ctx.tree.text
        at = text.find(old)
        while at >= 0:
            span = ctx.tree.span(at, at + len(old))
            yield rule.finding(span, m=old, fix=Fix(safety, [Edit.replace(span, new)]))
            at = text.find(old, at + 1)

    module = cast(RuleModule, SimpleNamespace(RULE=rule, check=check))
    return Registered(rule, module, f"{code.lower()}_made_up")


TEXT = "FROM node:20\n# keep me\nRUN apt update\r\nRUN apt install x\n"


def test_safe_fixes_apply_and_keep_other_bytes() -> None:
    result = fix_text(TEXT, rules=[_word_rule("LW991", "apt ", "apt-get ")])
    assert result.text == "FROM node:20\n# keep me\nRUN apt-get update\r\nRUN apt-get install x\n"
    assert [f.code for f in result.applied] == ["LW991", "LW991"]
    assert result.remaining == ()
    assert result.changed


def test_unsafe_fixes_need_the_flag() -> None:
    rules = [_word_rule("LW991", "node:20", "node:22", Safety.UNSAFE)]
    assert fix_text(TEXT, rules=rules).text == TEXT
    assert "node:22" in fix_text(TEXT, rules=rules, unsafe=True).text


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    # Both rules edit `update`: the second waits for the first and applies on the new text.
    rules = [
        _word_rule("LW991", "apt update", "apt-get update"),
        _word_rule("LW993", "update\r", "update -q\r"),
    ]
    result = fix_text(TEXT, rules=rules)
    assert "RUN apt-get update -q\r\n" in result.text
    assert result.passes == 2
    assert fix_text(result.text, rules=rules).text == result.text


def test_fix_that_breaks_parsing_is_dropped_as_a_bug() -> None:
    # Turning a RUN into an unterminated heredoc gives text that does not parse.
    bad = _word_rule("LW994", "RUN apt install x", "RUN <<EOF")
    good = _word_rule("LW991", "node:20", "node:22")
    result = fix_text(TEXT, rules=[bad, good])
    assert "node:22" in result.text and "<<EOF" not in result.text
    assert any("LW994" in bug for bug in result.bugs)


def test_fix_that_breaks_a_run_script_is_dropped_as_a_bug() -> None:
    # The Dockerfile still parses, but the shell would reject the RUN's script.
    bad = _word_rule("LW994", "apt install x", "apt install x && (")
    good = _word_rule("LW991", "node:20", "node:22")
    result = fix_text(TEXT, rules=[bad, good])
    assert "node:22" in result.text and "&& (" not in result.text
    assert any("LW994" in bug and "RUN script" in bug for bug in result.bugs)


def test_a_script_already_broken_does_not_block_fixes() -> None:
    text = "FROM node:20\nRUN echo (\nRUN apt install x\n"
    result = fix_text(text, rules=[_word_rule("LW991", "apt install", "apt-get install")])
    assert result.bugs == () and "RUN apt-get install x" in result.text


def test_cycle_stops_and_is_reported() -> None:
    rules = [_word_rule("LW991", "node:20", "node:22"), _word_rule("LW992", "node:22", "node:20")]
    result = fix_text(TEXT, rules=rules)
    assert result.bugs and "cycle" in result.bugs[0]
    assert result.passes <= 10


def test_endless_fix_stops_after_max_passes() -> None:
    result = fix_text(TEXT, rules=[_word_rule("LW991", "node:20", "node:200")], max_passes=3)
    assert result.passes == 3
    assert result.bugs and "converge" in result.bugs[-1]


def test_pick_fixes_takes_first_of_overlapping() -> None:
    rule = Rule(code="LW990", name="x", severity=Severity.INFO, message="m")
    span = Span(0, 4, 1, 1, 1, 5)
    a = rule.finding(span, fix=Fix(Safety.SAFE, [Edit(0, 4, "a")]))
    b = rule.finding(span, fix=Fix(Safety.SAFE, [Edit(2, 6, "b")]))
    c = rule.finding(span, fix=Fix(Safety.UNSAFE, [Edit(8, 9, "c")]))
    assert pick_fixes([a, b, c], unsafe=False) == [a]
    assert pick_fixes([a, b, c], unsafe=True) == [a, c]


def test_write_atomic_keeps_crlf_and_mode(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_bytes(b"FROM a\r\n")
    target.chmod(0o640)
    write_atomic(target, "FROM b\r\nRUN x\r\n")
    assert target.read_bytes() == b"FROM b\r\nRUN x\r\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


def test_unified_diff() -> None:
    assert unified_diff("a\n", "a\n", "Dockerfile") == ""
    diff = unified_diff("FROM a\nRUN x\n", "FROM a\nRUN y\n", "Dockerfile")
    assert diff.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n")
    assert "-RUN x\n+RUN y\n" in diff
    assert "No newline at end of file" in unified_diff("a", "b", "D")


def test_a_relative_home_gives_a_cache_mount_that_settles() -> None:
    # Found by benchmarks/fuzz.py: with `ENV HOME=x` LW201 added `target=x/.npm`, then did not
    # see it (mount targets are resolved against WORKDIR) and re-added it: a fix cycle.
    text = "FROM node:20\nENV HOME=x\nRUN npm install\n"
    result = fix_text(text, settings=Settings(select=("LW201",)))
    assert result.bugs == ()
    assert "--mount=type=cache,target=/x/.npm " in result.text
    assert fix_text(result.text, settings=Settings(select=("LW201",))).text == result.text


def test_a_home_with_a_blank_gets_no_cache_mount_fix() -> None:
    # Found by benchmarks/fuzz.py: `ENV HOME="o "` gave `--mount=type=cache,target=/o /.npm`,
    # which BuildKit reads as two words; the finding stays, without a fix.
    text = 'FROM node:20\nENV HOME="o "\nRUN npm install\n'
    result = fix_text(text, settings=Settings(select=("LW201",)))
    assert result.bugs == ()
    assert result.text == text
    assert [f.code for f in result.remaining] == ["LW201"]


def test_a_copy_without_destination_is_left_out_of_the_stage() -> None:
    # Found by benchmarks/fuzz.py: `COPY --from=build` alone crashed the rules that read a
    # COPY's destination (`value[-1]` of an empty tuple); BuildKit refuses it (LW410).
    result = fix_text("FROM alpine AS build\nFROM alpine\nCOPY --from=build\n")
    assert result.bugs == ()
    assert [f.code for f in result.remaining] == ["LW410"]


def test_a_flag_goes_before_the_double_dash_that_ends_the_flags() -> None:
    # Found by benchmarks/fuzz.py: in `RUN -- npm i` LW201 inserted its mount after the `--`,
    # where BuildKit reads it as part of the command, and then inserted it again, forever.
    result = fix_text("FROM node:20\nRUN --\tnpm i\n", settings=Settings(select=("LW201",)))
    assert result.bugs == ()
    assert result.text == "FROM node:20\nRUN --mount=type=cache,target=/root/.npm --\tnpm i\n"
