"""LW105 npm-deprecated-production-flag

## What it finds
An npm command with a deprecated flag for leaving out (or adding) dev dependencies:
`--production`, `--only=prod`, `--only=production` (now `--omit=dev`), `--also=dev` (now
`--include=dev`).

## Why it matters
npm 7 and later warn on every run ("npm WARN config production Use `--omit=dev` instead") and
the old spellings are slated for removal: when a future npm drops them, the install silently
includes dev dependencies and the runtime image grows. `--omit=dev` says the same thing in the
form npm documents.

## Example
    RUN npm ci --production
After the fix:
    RUN npm ci --omit=dev

## Fix safety
Safe on npm 7 and later (node 15+ images ship it). Unsafe when the stage is built on `node:14`
or older: npm 6 does not know `--omit` and would install dev dependencies.

## References
- npm docs: config `omit`, `include`; `production` and `only` are deprecated
- buildkit-facts.md: `npm prune --production` is deprecated, use `--omit=dev`"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.ecosystems import npm
from layerwise.model.nodes import Stage
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import shell_runs
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW105",
    name="npm-deprecated-production-flag",
    severity=Severity.WARNING,
    message="`{flag}` is deprecated in npm 7+",
    fix_title="Replace `{flag}` with `{replacement}`",
    summary="npm flags deprecated since npm 7 (`--production`, `--only=prod`)",
    message_ko="`{flag}` 옵션은 npm 7부터 사용 중단(deprecated)되었습니다",
    fix_title_ko="`{flag}` 대신 `{replacement}` 사용",
    summary_ko="npm 7부터 사용 중단된 npm 옵션(`--production`, `--only=prod`)",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# node images up to 14 ship npm 6, which has no `--omit`.
_LAST_NPM6_NODE = 14


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for step, script in shell_runs(ctx):
        safety = Safety.UNSAFE if _npm6(ctx.model.stages[step.stage]) else Safety.SAFE
        for cmd in script.commands:
            for found in npm.deprecated_flags(cmd):
                flag = " ".join(w.text for w in found.words)
                fix = Fix(safety, [Edit(found.start, found.end, found.replacement)])
                yield RULE.finding(
                    tree.span(found.start, found.end),
                    fix=fix,
                    flag=flag,
                    replacement=found.replacement,
                )


def _npm6(stage: Stage) -> bool:
    """The stage's base image is `node:<major>` with a major that shipped npm 6 or older."""
    base = stage.root.base
    name, _, tag = base.rpartition(":")
    if "/" in tag or not name or name.rsplit("/", 1)[-1] != "node":
        return False
    major = re.match(r"\d+", tag)
    return major is not None and int(major.group(0)) <= _LAST_NPM6_NODE
