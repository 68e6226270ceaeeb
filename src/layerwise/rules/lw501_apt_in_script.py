"""LW501 apt-in-script

## What it finds
A RUN that calls `apt` (the interactive front end) instead of `apt-get`.

## Why it matters
`apt` is made for people at a terminal: it warns that it "does not have a stable CLI interface",
its output and defaults may change between releases, and it does not keep downloaded packages
(`Binary::apt::APT::Keep-Downloaded-Packages` is off), so an apt cache mount on
`/var/cache/apt` stays empty. `apt-get` is meant for scripts.

## Example
    RUN apt update && apt install -y dumb-init && apt upgrade -y
After the fix:
    RUN apt-get update && apt-get install -y dumb-init && apt-get upgrade --with-new-pkgs -y

## Fix safety
The fix writes the `apt-get` command that does what the `apt` verb did, keeping every option:
`apt` sets `APT::Get::Upgrade-Allow-New`, so `apt upgrade` installs new packages an upgrade
needs and becomes `apt-get upgrade --with-new-pkgs` (plain `apt-get upgrade` holds those
upgrades back); `apt full-upgrade` becomes `apt-get dist-upgrade`, `apt reinstall`
`apt-get install --reinstall`, `apt autopurge` `apt-get autoremove --purge`. Verbs both tools
share (update, install, remove, purge, autoremove, dist-upgrade, clean, autoclean, source,
build-dep, download, changelog) keep their name. Safe, except when a package argument
has wildcard characters: since apt 2.0 `apt` takes only patterns (`APT::Cmd::Pattern-Only`),
while `apt-get` still matches `lib*` as a regular expression, so the fix is unsafe there.
Verbs `apt-get` lacks (`list`, `search`, `show`, `policy`, `edit-sources`...) belong to
`apt-cache`, `dpkg-query` or nothing, and are reported without a fix; so is `apt satisfy`,
whose `apt-get` twin older releases may lack.
Unsafe too for a verb that downloads packages (install, reinstall, upgrade, full-upgrade,
dist-upgrade, build-dep) once the Dockerfile has removed `/etc/apt/apt.conf.d/docker-clean`
(in this RUN or an earlier one of the stage chain, the step before apt cache mounts) and no
cache mount in the RUN holds `/var/cache/apt`: `apt` deletes the .deb files it downloaded
(`Binary::apt::APT::Keep-Downloaded-Packages` is off), `apt-get` keeps them, so the swap
leaves them in the layer (checked on debian:bookworm: 0 .deb files after `apt install`, 16
after `apt-get install` of curl). Add the cache mounts (LW202), and the swap is safe again.

## References
- apt(8): upgrade installs new packages when dependencies need them; full-upgrade may remove
- apt-get(8): upgrade, dist-upgrade, `--with-new-pkgs`, `--reinstall`, `--purge`
- apt 2.0 release notes: `apt` no longer accepts regular expressions or wildcards as packages
- hadolint DL3027"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.ecosystems import apt
from layerwise.model.nodes import Step
from layerwise.rules._apt_lists import docker_clean_removed
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import cache_mounts, shell_runs
from layerwise.shell import Command, Script
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW501",
    name="apt-in-script",
    severity=Severity.WARNING,
    message="`apt {verb}` uses the interactive front end, whose command line is not stable",
    fix_title="Replace `{raw} {verb}` with `{program} {replacement}`",
    summary="`apt` used in a script instead of `apt-get`",
    message_ko="`apt {verb}` 명령은 명령줄 인터페이스가 안정적이지 않은 대화형 프런트엔드를 씁니다",
    fix_title_ko="`{raw} {verb}` 대신 `{program} {replacement}` 사용",
    summary_ko="스크립트에서 `apt-get` 대신 쓴 `apt`",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# apt verb -> (apt-get verb, option that gives apt's behaviour or ""), from apt(8), apt-get(8)
# and the defaults apt sets for itself (Binary::apt::APT::Get::Upgrade-Allow-New "1").
APT_GET_VERBS: dict[str, tuple[str, str]] = {
    **{verb: (verb, "") for verb in (
        "update", "install", "remove", "purge", "autoremove", "auto-remove", "dist-upgrade",
        "clean", "autoclean", "auto-clean", "source", "build-dep", "download", "changelog")},
    "upgrade": ("upgrade", "--with-new-pkgs"),
    "full-upgrade": ("dist-upgrade", ""),
    "reinstall": ("install", "--reinstall"),
    "autopurge": ("autoremove", "--purge"),
}  # fmt: skip
# Verbs whose operands name packages, and the characters apt-get reads as a regex or glob there.
_PACKAGE_VERBS = frozenset({"install", "reinstall", "remove", "purge", "autopurge"})
_WILDCARD = re.compile(r"[*?\[\]^$|]")
# Verbs that download .deb files into /var/cache/apt/archives; `apt` deletes them after
# (Binary::apt::APT::Keep-Downloaded-Packages "0"), `apt-get` keeps them.
_DOWNLOAD_VERBS = frozenset(
    {"install", "reinstall", "upgrade", "full-upgrade", "dist-upgrade", "build-dep"}
)
_ARCHIVES = f"{apt.CACHE_DIR}/archives"


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for step, script in shell_runs(ctx):
        keeps = None  # worked out for the first `apt` command that downloads packages
        for cmd in script.commands:
            word = cmd.program_word
            if word is None or not apt.is_apt_cli(cmd) or not word.is_static:
                continue
            verb_word = apt.verb(cmd)
            verb = verb_word.text if verb_word is not None and verb_word.is_static else ""
            program = word.raw[: -len("apt")] + apt.PREFERRED_PROGRAM
            target = APT_GET_VERBS.get(verb)
            fix = None
            replacement = ""
            if target is not None and verb_word is not None and word.raw.endswith("apt"):
                new_verb, option = target
                replacement = f"{new_verb} {option}".strip()
                if option and cmd.has_option(option):
                    replacement = new_verb
                edits = [
                    Edit(word.end - len("apt"), word.end, apt.PREFERRED_PROGRAM),
                    Edit(verb_word.start, verb_word.end, replacement),
                ]
                unsafe = _wildcard_packages(cmd, verb)
                if verb in _DOWNLOAD_VERBS and not unsafe:
                    keeps = _debs_kept(ctx, step, script) if keeps is None else keeps
                    unsafe = keeps
                safety = Safety.UNSAFE if unsafe else Safety.SAFE
                fix = Fix(safety, [e for e in edits if tree.text[e.start : e.end] != e.new_text])
            yield RULE.finding(
                tree.span(word.start, word.end),
                fix=fix,
                verb=verb,
                raw=word.raw,
                program=program,
                replacement=replacement,
            )


def _debs_kept(ctx: RuleContext, step: Step, script: Script) -> bool:
    """`apt-get` would keep the downloaded .deb files in this RUN's layer, where `apt` does
    not: docker-clean (which deletes them for both) is gone and no cache mount takes
    /var/cache/apt/archives out of the layer."""
    if any(m.mount.covers(_ARCHIVES) for m in cache_mounts(ctx, step)):
        return False
    return docker_clean_removed(ctx, step, script)


def _wildcard_packages(cmd: Command, verb: str) -> bool:
    """A package argument apt reads as a name but apt-get would read as a regex or glob."""
    if verb not in _PACKAGE_VERBS:
        return False
    for word in cmd.operands(apt.VALUE_OPTIONS)[1:]:
        name = re.split(r"[=/]", word.text, maxsplit=1)[0]
        if not word.is_static or _WILDCARD.search(name):
            return True
    return False
