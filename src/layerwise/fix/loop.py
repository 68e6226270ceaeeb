"""Apply fixes until nothing more can be fixed: check, pick non-overlapping fixes, apply, re-parse.

Each pass takes the fixes of one check in position order and accepts a fix only when none of
its edits overlaps an edit already accepted in that pass (the others come back next pass, on the
new text). Every byte outside the accepted edits is kept. A fix whose output does not parse is
dropped and recorded in `bugs`, and so is one that leaves a RUN script tree-sitter-bash cannot
parse where the text before it had none; the loop stops at a fixed point or after `max_passes`.

A fix may also add lines to a file of the build context (`Fix.files`: a `.dockerignore` entry).
Those files are kept in memory as the passes go (`FixResult.files`, written by the caller), and
the next pass sees the context through the new ignore file, as BuildKit would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from layerwise.context.ignore_file import add_lines, ignore_path, with_ignore_text
from layerwise.errors import LayerwiseError
from layerwise.rules.base import Finding, Fix, Safety, Settings, script_of
from layerwise.rules.registry import Registered
from layerwise.rules.runner import check_tree
from layerwise.syntax import Dockerfile, parse
from layerwise.syntax.span import Edit, apply_edits

if TYPE_CHECKING:
    from layerwise.context import BuildContext
    from layerwise.shell import Script

MAX_PASSES = 10
# A re-parsed text: its tree, its count of broken RUN scripts, and those scripts by id.
_Parsed = tuple[Dockerfile, int, "dict[int, Script | None]"]


@dataclass(frozen=True, slots=True)
class FixResult:
    """The text after fixing, what was fixed, and what is left."""

    original: str
    text: str
    applied: tuple[Finding, ...]  # findings whose fix went in, over all passes
    remaining: tuple[Finding, ...]  # findings of the final text
    passes: int
    bugs: tuple[str, ...]  # fixes dropped because their output did not parse, or a loop
    # Files of the build context the fixes add lines to: path relative to the context root ->
    # the whole new text (written by the caller, like `text`).
    files: Mapping[str, str] = field(default_factory=dict)
    context_root: str | None = None  # the directory `files` are relative to

    @property
    def changed(self) -> bool:
        return self.text != self.original or bool(self.files)


def allowed(fix: Fix | None, unsafe: bool) -> bool:
    """Whether this fix applies under the chosen safety level."""
    return fix is not None and (fix.safety is Safety.SAFE or unsafe)


def pick_fixes(findings: Sequence[Finding], unsafe: bool) -> list[Finding]:
    """The findings whose fixes can apply together in one pass, first come first served."""
    accepted: list[Finding] = []
    taken: list[Edit] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not allowed(fix, unsafe) or not (fix.edits or fix.files):
            continue
        if any(e.overlaps(t) for e in fix.edits for t in taken):
            continue
        if any(a.overlaps(b) for i, a in enumerate(fix.edits) for b in fix.edits[i + 1 :]):
            continue  # a rule bug: its own edits collide
        accepted.append(finding)
        taken.extend(fix.edits)
    return accepted


def _parsed(text: str, path: str | None, broken: int) -> _Parsed | None:
    """The tree of `text`, its count of broken scripts and its scripts, or None when it does
    not parse, does not print back exactly, or has more RUN scripts tree-sitter-bash cannot
    parse than `broken` (the count before the fix: a fix may edit a script that was already
    broken, never break one)."""
    try:
        tree = parse(text, path=path)
    except LayerwiseError:
        return None
    if str(tree) != text:
        return None
    scripts: dict[int, Script | None] = {}
    count = broken_scripts(tree, scripts)
    return (tree, count, scripts) if count <= broken else None


_NOT_POSIX = re.compile(r"pwsh|powershell|cmd(\.exe)?\b", re.IGNORECASE)


def broken_scripts(tree: Dockerfile, scripts: dict[int, Script | None] | None = None) -> int:
    """How many shell-form RUN scripts of `tree` tree-sitter-bash cannot parse: a fix that adds
    one would hand the shell a script it may reject. `scripts` (see `script_of`) keeps them for
    the check of the same tree."""
    if any(ins.name == "SHELL" and _NOT_POSIX.search(ins.body) for ins in tree.instructions):
        return 0  # PowerShell or cmd scripts are not bash: nothing to say about them
    known: dict[int, Script | None] = {} if scripts is None else scripts
    found = 0
    for ins in tree.instructions:
        if ins.name == "RUN":
            script = script_of(ins, known)
            if script is not None and script.has_errors:
                found += 1
    return found


def _edits(findings: Sequence[Finding]) -> list[Edit]:
    return [e for f in findings if f.fix is not None for e in f.fix.edits]


def fix_text(
    text: str,
    *,
    path: str | None = None,
    context: BuildContext | None = None,
    settings: Settings | None = None,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
    rules: Sequence[Registered] | None = None,
) -> FixResult:
    """Fix `text` to a fixed point. Raises LayerwiseError only when `text` itself does not parse."""
    tree: Dockerfile = parse(text, path=path)
    current = text
    applied: list[Finding] = []
    bugs: list[str] = []
    rejected: set[tuple[str, int, int]] = set()
    seen = {current}
    passes = 0
    scripts: dict[int, Script | None] = {}
    findings = check_tree(tree, context=context, settings=settings, rules=rules, scripts=scripts)
    broken: int | None = None  # counted once there is a fix to try: most files have none
    files: dict[str, str] = {}
    while passes < max_passes:
        candidates = [f for f in findings if _key(f) not in rejected]
        chosen = pick_fixes(candidates, unsafe)
        if not chosen:
            break
        if broken is None:
            broken = broken_scripts(tree, scripts)
        passes += 1
        new = apply_edits(current, _edits(chosen))
        parsed = _parsed(new, path, broken)
        if parsed is None:
            chosen = [
                f for f in chosen if _keep_or_reject(current, f, path, broken, rejected, bugs)
            ]
            if not chosen:
                continue
            new = apply_edits(current, _edits(chosen))
            parsed = _parsed(new, path, broken)
            if parsed is None:  # each parses alone, not together: keep the first
                chosen = chosen[:1]
                new = apply_edits(current, _edits(chosen))
                first = parse(new, path=path)
                scripts = {}
                parsed = (first, broken_scripts(first, scripts), scripts)
        new_tree, new_broken, scripts = parsed
        touched = _add_file_lines(context, files, chosen)
        if new in seen and not touched:
            bugs.append(f"fixes cycle without converging: {', '.join(f.code for f in chosen)}")
            break
        seen.add(new)
        applied.extend(chosen)
        current = new
        broken = new_broken
        if touched and context is not None:
            context = _seen_through(context, files)
        findings = check_tree(
            new_tree, context=context, settings=settings, rules=rules, scripts=scripts
        )
    else:
        if pick_fixes([f for f in findings if _key(f) not in rejected], unsafe):
            bugs.append(f"fixes did not converge in {max_passes} passes (a layerwise bug)")
    root = str(context.root) if context is not None else None
    return FixResult(
        text, current, tuple(applied), tuple(findings), passes, tuple(bugs), files, root
    )


def _add_file_lines(
    context: BuildContext | None, files: dict[str, str], chosen: Sequence[Finding]
) -> bool:
    """Add the chosen fixes' lines to the context files in `files` (read from disk on first
    touch); True when a file changed. Without a context there is nowhere to add them."""
    if context is None:
        return False
    touched = False
    for finding in chosen:
        for entry in finding.fix.files if finding.fix is not None else ():
            before = files.get(entry.path)
            if before is None:
                before = read_context_file(context.root / entry.path)
            after = add_lines(before, entry.lines)
            if after != before:
                files[entry.path] = after
                touched = True
    return touched


def read_context_file(path: Path) -> str:
    """The text of a context file a fix adds to ("" when it is absent or unreadable)."""
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            return handle.read()
    except OSError:
        return ""


def _seen_through(context: BuildContext, files: Mapping[str, str]) -> BuildContext:
    """The context as BuildKit sees it once the new ignore file is written."""
    text = files.get(ignore_path(context))
    return context if text is None else with_ignore_text(context, text)


def _key(finding: Finding) -> tuple[str, int, int]:
    return (finding.code, finding.span.start, finding.span.end)


def _keep_or_reject(
    text: str,
    finding: Finding,
    path: str | None,
    broken: int,
    rejected: set[tuple[str, int, int]],
    bugs: list[str],
) -> bool:
    if _parsed(apply_edits(text, _edits([finding])), path, broken) is not None:
        return True
    rejected.add(_key(finding))
    where = f"{path or '<input>'}:{finding.line}:{finding.col}"
    bugs.append(
        f"{where}: {finding.code} fix dropped: its output, or a RUN script in it, does not parse "
        "(a layerwise bug)"
    )
    return False
