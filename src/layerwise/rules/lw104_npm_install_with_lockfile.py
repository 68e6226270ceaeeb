"""LW104 npm-install-with-lockfile

## What it finds
A bare `npm install` (no package named, not global) in a directory where an earlier COPY put an
npm lockfile (`package-lock.json` or `npm-shrinkwrap.json`).

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

import fnmatch
import posixpath
from collections.abc import Iterator
from typing import Any

from layerwise.context.build_context import BuildContext, join
from layerwise.ecosystems import npm
from layerwise.model.nodes import Step
from layerwise.rules._support import copy_parts, cwd_of, resolve, stage_chain
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
            directory = cwd_of(step, cmd)
            found = _copied_lockfile(ctx, step, directory)
            if found is None:
                continue
            lockfile, line, source_dir, known = found
            safe = known and _in_sync(ctx.context, source_dir, lockfile)
            fix = Fix(Safety.SAFE if safe else Safety.UNSAFE, [Edit(verb.start, verb.end, "ci")])
            yield RULE.finding(
                tree.span(cmd.start, cmd.end), fix=fix, verb=verb.text, lockfile=lockfile, line=line
            )


def _copied_lockfile(
    ctx: RuleContext, step: Step, directory: str
) -> tuple[str, int, str, bool] | None:
    """The last COPY before `step` (in its stage or the stages it is built FROM) that put a
    lockfile into `directory`: (lockfile name, line, its context dir, whether the context
    confirms it)."""
    for stage in reversed(stage_chain(ctx.model.stages[step.stage])):
        earlier = []
        for other in stage.steps:
            if other is step:
                break
            earlier.append(other)
        for other in reversed(earlier):
            found = _lockfile_in(ctx.context, other, directory)
            if found is not None:
                return found
    return None


def _lockfile_in(
    context: BuildContext | None, step: Step, directory: str
) -> tuple[str, int, str, bool] | None:
    parts = copy_parts(step.instruction)
    if parts is None:
        return None
    sources, dest = parts
    dest_dir = resolve(dest, step.state.workdir)
    line = step.instruction.start_line
    for source in sources:
        src = source.removeprefix("./")
        base = posixpath.basename(src.rstrip("/"))
        parent = posixpath.dirname(src)
        named = [lock for lock in npm.LOCKFILES if fnmatch.fnmatchcase(lock, base)]
        if named and dest_dir == directory:
            lock = named[0]
            if context is None:
                return lock, line, join("", parent), base == lock
            rel = join(parent, lock)
            if context.exists(rel):
                return lock, line, join("", parent), True
            continue
        if context is None or not _is_dir_copy(context, src):
            continue
        # A directory copy puts `src/<rel>` at `dest/<rel>`.
        if directory != dest_dir and not directory.startswith(dest_dir.rstrip("/") + "/"):
            continue
        rel_dir = posixpath.relpath(directory, dest_dir)
        context_dir = join(src if src not in (".", "") else "", "" if rel_dir == "." else rel_dir)
        lock_path = context.first_existing(context_dir, npm.LOCKFILES)
        if lock_path is not None:
            return posixpath.basename(lock_path), line, context_dir, True
    return None


def _is_dir_copy(context: BuildContext, src: str) -> bool:
    return src in (".", "") or context.is_dir(src)


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
