"""Run the enabled rules over one parsed Dockerfile, honouring inline suppressions.

Suppression: a comment `# layerwise: ignore=LW101,LW2` (codes or prefixes, or `all`) on the
comment line(s) directly above an instruction silences those findings inside that instruction.
hadolint's pragmas count too, for the layerwise rules that report the same problem
(rules/hadolint_map.py): `# hadolint ignore=DL3027` on the line right above an instruction, and
`# hadolint global ignore=DL3009` anywhere for the whole file, with hadolint's exact syntax.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from layerwise.model import build_model
from layerwise.rules import hadolint_map
from layerwise.rules.base import Finding, RuleContext, Settings
from layerwise.rules.registry import Registered, dockerfile_rules
from layerwise.syntax import Dockerfile, Instruction

if TYPE_CHECKING:
    from layerwise.context import BuildContext
    from layerwise.shell import Script

_IGNORE = re.compile(r"#\s*layerwise:\s*ignore\s*=\s*([A-Za-z0-9_,\s]+)", re.I)
# hadolint's Pragma.hs: case-sensitive words, codes of the letters D, L, S, C and digits, an
# optional trailing `# comment`; anything else is not a pragma.
_HADOLINT = re.compile(
    r"#[ \t]*hadolint[ \t]+(global[ \t]+)?ignore[ \t]*=[ \t]*"
    r"([DLSC0-9]+(?:[ \t]*,[ \t]*[DLSC0-9]+)*)[ \t]*(?:#.*)?"
)


def _may_ignore(text: str) -> bool:
    """False when no comment of `text` can be an ignore comment: each pattern above holds the
    word `ignore`, whose letters past the first match only themselves in either case (a
    comment's text is a piece of the file's). `str.lower` and `in` run at C speed; a
    case-insensitive regular expression compares character by character."""
    return "gnore" in text.lower()


def check_tree(
    tree: Dockerfile,
    *,
    context: BuildContext | None = None,
    settings: Settings | None = None,
    rules: Sequence[Registered] | None = None,
    scripts: dict[int, Script | None] | None = None,
) -> list[Finding]:
    """All findings of the enabled rules (default: the registry's) on `tree`, sorted by
    position, suppressions removed, their texts in `settings.lang`. `scripts` holds the RUN
    scripts of `tree` already parsed (see `script_of`); the rules add theirs to it."""
    settings = settings or Settings()
    model = build_model(tree, build_args=settings.build_args or None)
    ctx = RuleContext(model, tree, context, settings, {} if scripts is None else scripts)
    found: list[Finding] = []
    if rules is None:
        chosen = _enabled(settings.select, settings.ignore)
    else:
        chosen = tuple(r for r in rules if settings.enabled(r.code) and _on_dockerfiles(r))
    if not model.stages:
        chosen = tuple(r for r in chosen if not r.rule.needs_stages)
    lang, path = settings.lang, tree.path
    for registered in chosen:
        # Most rules find nothing in most files: `list` drains the generator at C speed, and
        # the per-finding work runs only for the rules that found something.
        mine = list(registered.module.check(ctx))
        if mine:
            found.extend(f.localized(lang).with_path(path) for f in mine)
    return sorted(_unsuppressed(tree, found, settings), key=Finding.sort_key)


@functools.lru_cache(maxsize=64)
def _enabled(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[Registered, ...]:
    settings = Settings(select=select, ignore=ignore)
    return tuple(r for r in dockerfile_rules() if settings.enabled(r.code) and _on_dockerfiles(r))


def _on_dockerfiles(registered: Registered) -> bool:
    return registered.rule.scope == "dockerfile"


def suppressions(
    tree: Dockerfile, *, hadolint: bool = True
) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, patterns) for every instruction with an ignore comment directly above it.
    Patterns are layerwise codes or prefixes, `ALL`, or (with `hadolint`) hadolint codes."""
    out: list[tuple[int, int, frozenset[str]]] = []
    if not _may_ignore(tree.text):
        return out  # most files: no comment to read
    for instruction in tree.instructions:
        patterns: set[str] = set()
        for index, node in enumerate(reversed(instruction.leading)):
            text = node.text.strip()
            if not text.startswith("#"):
                break  # a blank line ends "directly above"
            match = _IGNORE.search(text)
            if match:
                patterns.update(p.strip().upper() for p in match.group(1).split(",") if p.strip())
            pragma = _HADOLINT.fullmatch(text) if hadolint and index == 0 else None
            if pragma and not pragma.group(1):  # hadolint: only the line right above counts
                patterns.update(_codes(pragma.group(2)))
        if patterns:
            out.append((instruction.start, instruction.end, frozenset(patterns)))
    return out


def global_hadolint_ignores(tree: Dockerfile) -> frozenset[str]:
    """The codes of every `# hadolint global ignore=...` comment in the file."""
    codes: set[str] = set()
    if not _may_ignore(tree.text):
        return frozenset(codes)
    lines = [*(n for i in tree.instructions for n in i.leading), *tree.trailing]
    for node in lines:
        pragma = _HADOLINT.fullmatch(node.text.strip())
        if pragma and pragma.group(1):
            codes.update(_codes(pragma.group(2)))
    return frozenset(codes)


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",")]


def may_be_silenced(tree: Dockerfile, instruction: Instruction, code: str) -> bool:
    """Whether an ignore comment above `instruction` may silence `code` there (any facet of
    it, hadolint codes included): a fix that counts on the rule's fix at that instruction
    must not, since the comment keeps that fix out."""
    for start, _, patterns in suppressions(tree):
        if start == instruction.start:
            return (
                "ALL" in patterns
                or any(code.startswith(p) for p in patterns)
                or any(o.code in patterns and o.rule == code for o in hadolint_map.OVERLAPS)
            )
    return False


def _silences(patterns: frozenset[str], finding: Finding) -> bool:
    return (
        "ALL" in patterns
        or any(finding.code.startswith(p) for p in patterns)
        or hadolint_map.silenced(patterns, finding)
    )


def _unsuppressed(
    tree: Dockerfile, findings: Iterable[Finding], settings: Settings
) -> Iterable[Finding]:
    pragmas = settings.hadolint_pragmas
    ranges = suppressions(tree, hadolint=pragmas)
    everywhere = frozenset(settings.hadolint_ignore)
    if pragmas:
        everywhere |= global_hadolint_ignores(tree)
    if not ranges and not everywhere:
        yield from findings
        return
    starts = [r[0] for r in ranges]
    for finding in findings:
        if everywhere and hadolint_map.silenced(everywhere, finding):
            continue
        i = bisect.bisect_right(starts, finding.span.start) - 1
        if i >= 0:
            start, end, patterns = ranges[i]
            if start <= finding.span.start <= end and _silences(patterns, finding):
                continue
        yield finding
