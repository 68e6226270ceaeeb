"""LW501 apt-in-script

## What it finds
A RUN that calls `apt` (the interactive front end) instead of `apt-get`.

## Why it matters
`apt` is made for people at a terminal: it warns that it "does not have a stable CLI interface",
its output and defaults may change between releases, and it does not keep downloaded packages
(`Binary::apt::APT::Keep-Downloaded-Packages` is off), so an apt cache mount on
`/var/cache/apt` stays empty. `apt-get` takes the same verbs for installing and is meant for
scripts.

## Example
    RUN apt update && apt install -y dumb-init
After the fix:
    RUN apt-get update && apt-get install -y dumb-init

## Fix safety
Safe for the verbs `apt-get` shares with `apt` (update, install, remove, purge, upgrade,
dist-upgrade, autoremove, clean, ...). `apt list`, `apt search` and `apt show` have no
`apt-get` equivalent (they belong to `apt-cache`/`dpkg-query`): reported without a fix.

## References
- apt(8): an end-user tool whose behaviour may change between versions; apt-get(8) for scripts
- hadolint DL3027"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ecosystems import apt
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import shell_runs
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW501",
    name="apt-in-script",
    severity=Severity.WARNING,
    message="`apt {verb}` uses the interactive front end, whose command line is not stable",
    fix_title="Replace `{raw}` with `{program}`",
    summary="`apt` used in a script instead of `apt-get`",
    message_ko="`apt {verb}` 명령은 명령줄 인터페이스가 안정적이지 않은 대화형 프런트엔드를 씁니다",
    fix_title_ko="`{raw}` 대신 `{program}` 사용",
    summary_ko="스크립트에서 `apt-get` 대신 쓴 `apt`",
    fix_safety=(Safety.SAFE,),
)
# apt's verbs that apt-get runs the same way (apt(8) and apt-get(8)).
SHARED_VERBS = frozenset(
    {"update", "upgrade", "install", "reinstall", "remove", "purge", "autoremove", "dist-upgrade",
     "clean", "autoclean", "source", "build-dep", "download", "satisfy", "check"}
)  # fmt: skip


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for _step, script in shell_runs(ctx):
        for cmd in script.commands:
            word = cmd.program_word
            if word is None or not apt.is_apt_cli(cmd) or not word.is_static:
                continue
            verb_word = apt.verb(cmd)
            verb = verb_word.text if verb_word is not None else ""
            fix = None
            if verb in SHARED_VERBS and word.raw.endswith("apt"):
                edit = Edit(word.end - len("apt"), word.end, apt.PREFERRED_PROGRAM)
                fix = Fix(Safety.SAFE, [edit])
            program = word.raw[: -len("apt")] + apt.PREFERRED_PROGRAM
            yield RULE.finding(
                tree.span(word.start, word.end), fix=fix, verb=verb, raw=word.raw, program=program
            )
