"""LW503 apt-install-flags-missing

## What it finds
An `apt-get install` without `-y` (it would stop at the confirmation prompt) or without
`--no-install-recommends` (it installs packages nobody asked for).

## Why it matters
A build has no terminal: without `-y` (or `--yes`, `-qq`) apt-get aborts when it wants to ask
for confirmation, which it does as soon as it pulls in extra packages. Recommended packages are
installed by default on Debian and Ubuntu; they often double the download, the install time and
the layer that is pushed and pulled with the image.

## Example
    RUN apt-get update && apt-get install curl
After the fix (`-y` with `--fix`, `--no-install-recommends` with `--unsafe-fixes`):
    RUN apt-get update && apt-get install -y --no-install-recommends curl

## Fix safety
Adding `-y` is safe: without it the build can only stop. Adding `--no-install-recommends` is
unsafe: the image loses the recommended packages, and the software may rely on one (curl
recommends ca-certificates); add the ones you need by name. No fix in a RUN the shell cannot
parse (an unterminated quote): where the command ends is not known.

## References
- apt-get(8): -y, --no-install-recommends
- Docker docs, Building best practices: apt-get
- hadolint DL3014, DL3015"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ecosystems import apt
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import shell_runs, short
from layerwise.shell import Command, Word
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW503",
    name="apt-install-flags-missing",
    severity=Severity.WARNING,
    message="`{command}` runs without `{flag}`",
    fix_title="Add `{flag}`",
    summary="`apt-get install` without `-y` or `--no-install-recommends`",
    message_ko="`{command}` 명령이 `{flag}` 없이 실행됩니다",
    fix_title_ko="`{flag}` 추가",
    summary_ko="`-y` 또는 `--no-install-recommends` 없이 실행하는 `apt-get install`",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for _step, script in shell_runs(ctx):
        for cmd in script.commands:
            if cmd.program_name not in apt.PROGRAMS:
                continue  # the common case, answered before two calls into apt that say no
            missing = apt.install_flags_missing(cmd)
            verb = apt.verb(cmd)
            if not missing or verb is None:
                continue
            for flag in missing:
                at = verb.end if flag == "-y" else _after_yes(cmd, verb)
                safety = Safety.SAFE if flag == "-y" else Safety.UNSAFE
                # In a script the shell cannot parse (an unterminated quote), where the
                # command ends is a guess: an inserted flag may land inside the broken word.
                fix = None if script.has_errors else Fix(safety, [Edit.insert(at, f" {flag}")])
                yield RULE.finding(
                    tree.span(cmd.start, cmd.end),
                    fix=fix,
                    facet=flag,
                    command=short(cmd, verb),
                    flag=flag,
                )


def _after_yes(cmd: Command, verb: Word) -> int:
    """Where `--no-install-recommends` goes: after the verb and the `-y` right behind it."""
    at = verb.end
    args = cmd.args
    index = next(i for i, w in enumerate(args) if w is verb)
    for word in args[index + 1 :]:
        yes = word.is_option and (
            word.text in apt.YES_FLAGS or (not word.text.startswith("--") and "y" in word.text[1:])
        )
        if not yes:
            break
        at = word.end
    return at
