"""LW104 npm-install-with-lockfile

## What it finds
A bare `npm install` (no package named, not global) in a directory where an earlier COPY put an
npm lockfile (`package-lock.json` or `npm-shrinkwrap.json`). The other package managers'
lockfiles (yarn, pnpm, uv, Pipenv, Bundler, Composer, .NET) are LW107's.

## Why it matters
`npm install` treats the lockfile as a hint: it may resolve newer versions inside the ranges of
package.json and rewrite the lockfile inside the image, so two builds of one commit can produce
different node_modules, and the layer differs from what was tested. `npm ci` installs exactly
what the lockfile pins, fails when lockfile and package.json disagree, and starts from an empty
node_modules.

## Example
    COPY package.json package-lock.json ./
    RUN npm install
After the fix the second line reads `RUN npm ci`.

## Fix safety
Safe when the build context is known and its lockfile records the same dependencies as
package.json. Unsafe otherwise (no context, a lockfile older than package.json, or a lockfile
only matched by a glob like `package*.json`): `npm ci` stops where `npm install` would have
updated the lockfile.

## References
- npm docs: `npm ci` ("the project must have an existing package-lock.json"), `npm install`"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from layerwise.context.build_context import BuildContext, join
from layerwise.ecosystems import npm
from layerwise.rules._copied import copied_file
from layerwise.rules._support import cwd_of
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import shell_runs
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW104",
    name="npm-install-with-lockfile",
    severity=Severity.WARNING,
    message="`npm {verb}` ignores `{lockfile}` copied at line {line}",
    fix_title="Replace `npm {verb}` with `npm ci`",
    summary="`npm install` run where an npm lockfile was copied",
    message_ko="`npm {verb}` 명령이 {line}번 줄에서 복사한 `{lockfile}` 파일을 무시합니다",
    fix_title_ko="`npm {verb}` 대신 `npm ci` 사용",
    summary_ko="npm lockfile을 복사한 곳에서 실행하는 `npm install`",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
_DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for step, script in shell_runs(ctx):
        for cmd in script.commands:
            verb = npm.verb(cmd)
            if verb is None or not npm.is_bare_install(cmd) or cmd.option_value("--prefix"):
                continue
            found = copied_file(ctx, step, cwd_of(step, cmd), npm.LOCKFILES)
            if found is None:
                continue
            safe = found.known and _in_sync(ctx.context, found.source_dir, found.name)
            fix = Fix(Safety.SAFE if safe else Safety.UNSAFE, [Edit(verb.start, verb.end, "ci")])
            yield RULE.finding(
                tree.span(cmd.start, cmd.end),
                fix=fix,
                verb=verb.text,
                lockfile=found.name,
                line=found.line,
            )


def _in_sync(context: BuildContext | None, directory: str, lockfile: str) -> bool:
    """The lockfile records the dependency specs package.json declares (what `npm ci` checks,
    approximated by equal spec maps; lockfile v1 has no root entry, so it never counts)."""
    if context is None:
        return False
    manifest: Any = context.read_json(join(directory, "package.json"))
    lock: Any = context.read_json(join(directory, lockfile))
    if not isinstance(manifest, dict) or not isinstance(lock, dict):
        return False
    packages = lock.get("packages")
    root = packages.get("") if isinstance(packages, dict) else None
    if not isinstance(root, dict):
        return False
    return all(manifest.get(key, {}) == root.get(key, {}) for key in _DEPENDENCY_FIELDS)
