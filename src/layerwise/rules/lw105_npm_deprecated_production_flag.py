"""LW105 npm-deprecated-production-flag

## What it finds
An npm command with a deprecated flag for leaving out (or adding) dev dependencies:
`--production`, `--only=prod`, `--only=production` (now `--omit=dev`), `--also=dev` (now
`--include=dev`), in a stage whose npm is 7 or later, or of a version the base does not tell.

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
Safe when the stage's npm is 7 or later: the base is an official `node` image whose tag names
Node.js 15 or later (or follows the newest release: `node:lts`, `node:alpine`), or an earlier
RUN installed npm 7+ globally (`npm install -g npm@10`). Silent when that npm is 6 or older
(`node:14` and before, or `npm install -g npm@6`): there the old flag is the right spelling and
`--omit=dev` would be ignored, installing dev dependencies. Unsafe when the npm version is
unknown (Debian's or Alpine's packaged npm, Windows or custom images, a tag set by an ARG
without a default): the finding stands, since the flag is deprecated on every current npm, but
the replacement is only right if that npm is 7+.

## References
- npm docs: config `omit`, `include`; `production` and `only` are deprecated
- buildkit-facts.md: `npm prune --production` is deprecated, use `--omit=dev`"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ecosystems import npm
from layerwise.ecosystems import npm_versions as nv
from layerwise.rules import _support as s
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


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for step, script in shell_runs(ctx):
        for cmd in script.commands:
            found_flags = npm.deprecated_flags(cmd)
            if not found_flags:
                continue
            major = s.npm_major(ctx, step, cmd)
            if major is not None and major < nv.FIRST_OMIT_NPM:
                continue  # npm 6 and older: the old flag is right, `--omit` unknown
            safety = Safety.UNSAFE if major is None else Safety.SAFE
            for found in found_flags:
                flag = " ".join(w.text for w in found.words)
                fix = Fix(safety, [Edit(found.start, found.end, found.replacement)])
                yield RULE.finding(
                    tree.span(found.start, found.end),
                    fix=fix,
                    flag=flag,
                    replacement=found.replacement,
                )
