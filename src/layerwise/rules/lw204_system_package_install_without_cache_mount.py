"""LW204 system-package-install-without-cache-mount

## What it finds
A RUN that installs distribution packages with apk (Alpine), dnf, yum or microdnf (Fedora, RHEL
and its rebuilds, Amazon Linux) or zypper (openSUSE, SLES) without a cache the next build
reuses: no locked cache mount on the manager's cache folder (`/var/cache/apk`;
`/var/cache/dnf` and `/var/cache/libdnf5` for `dnf`, `/var/cache/yum` as well for `yum`,
`/var/cache/yum` for `microdnf`; `/var/cache/zypp`), or a mount the manager leaves empty:
`apk --no-cache`, no `/etc/apk/cache` link to the cache, dnf's `keepcache` off (its default),
no `keeppackages` on zypper's repositories (its default). Which dnf a base image has is not in
the Dockerfile, so a mount on any one of the folders counts (whoever mounted /var/cache/dnf
knows the image has dnf 4), and a mount on /etc/apk/cache itself is apk's cache folder. apt has
its own rule (LW202). An
install that moves the cache (`apk --cache-dir`, `--root`, `dnf --installroot`, a `cachedir`
setting, `zypper --cache-dir`) is left alone, and so is `zypper download`: the package cache is
where it puts the RPMs it fetches for a later step, and a mount there would keep them out of
the image.

## Why it matters
Whenever the step rebuilds, the manager downloads every package again. A cache mount keeps
them between builds on the same builder without putting them in the image, and its contents
never change the step's cache key; but each of these managers deletes what it downloaded, or
never stores it, unless told to keep it. apk keeps packages only where /etc/apk/cache links to
a folder (apk-cache(5)), and `--no-cache` makes it use no cache at all. dnf and yum delete the
packages after each transaction unless `keepcache` is on; zypper unless the repository has
`keeppackages`. The mounts are `sharing=locked`: each manager's lock lives in the image, so two
builds sharing one mount would not see each other. The cleanups that keep caches out of layers
(`rm -rf /var/cache/apk/*`, `dnf clean all`, `yum clean all`, `zypper clean`) have nothing to
do under a mount and would empty it: the fix drops them (see LW203).

## Example
    RUN apk add --no-cache curl
After the fix:
    RUN --mount=type=cache,target=/var/cache/apk,sharing=locked \\
        ln -sfn /var/cache/apk /etc/apk/cache && apk add --update-cache curl
And for dnf (`--setopt=keepcache=1`) and zypper (`zypper modifyrepo --keep-packages --all` in
front):
    RUN dnf install -y gcc && dnf clean all
    RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked \\
        --mount=type=cache,target=/var/cache/libdnf5,sharing=locked \\
        dnf --setopt=keepcache=1 install -y gcc

## Fix safety
Unsafe: not yet proven by a real build on BuildKit for apk, dnf, yum, microdnf or zypper (no
Alpine, Fedora, RHEL or openSUSE image can be pulled here). What the fix writes follows each
manager's documentation: `--no-cache` gives way to `--update-cache` (apk fetched fresh indexes
with it; the mount hides those an earlier RUN left in the image, so an install without an
`apk update` of its own gets the refresh); `ln -sfn` replaces a link an earlier RUN made;
`--setopt=keepcache=1` is the spelling microdnf accepts too. The link and zypper's repository
flag stay in the image, so a later RUN of the stage (or of a stage built FROM it) that installs
without the mount would keep its packages in its layer: while one does, this RUN gets no fix
(fix that one first). zypper's flag reaches the repositories defined when the RUN starts, not
one the RUN adds. dnf's metadata in the mount is reused until its `metadata_expire`, as on a
machine. A mounted folder the image's dnf does not use (`/var/cache/libdnf5` under dnf 4) stays
empty; the mount point BuildKit creates for it is removed from the layer from BuildKit 0.11 on
(moby/buildkit#3307), and left as an empty folder before. No fix under a user other than root.
No fix for a RUN that also deletes a folder above a mount it would add (`rm -rf /var/cache`):
a mount point cannot be removed, so the RUN would fail (see LW203).

## References
- Dockerfile reference: RUN --mount=type=cache
- apk-cache(5), apk(8) (`--no-cache`, `--update-cache`), apk-cache(8) (alpinelinux/apk-tools)
- dnf.conf(5) `keepcache`, `cachedir`; dnf5-caching(7); yum.conf(5); microdnf's `--setopt`
- zypper(8): `modifyrepo --keep-packages`, FILES /var/cache/zypp, `clean`"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from layerwise.ecosystems import system_for
from layerwise.ecosystems.base import CacheMount, SystemPackages
from layerwise.model.nodes import Stage, Step
from layerwise.rules._support import commands, stage_chain
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import (
    add_flags,
    cache_mounts,
    delete_word,
    drop_cleanups,
    fighting_cleanups,
    shell_runs,
    short,
)
from layerwise.rules.texts import Listing, Phrase, Text
from layerwise.shell import Command, Script
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW204",
    name="system-package-install-without-cache-mount",
    severity=Severity.WARNING,
    message="`{command}` downloads every package again: {missing}",
    fix_title="{todo}",
    summary="apk, dnf, yum, microdnf or zypper install without a cache the next build reuses",
    message_ko="`{command}` 명령이 모든 패키지를 다시 내려받습니다: {missing}",
    fix_title_ko="{todo}",
    summary_ko="다음 빌드가 다시 쓸 캐시 없이 실행하는 apk, dnf, yum, microdnf, zypper 설치",
    phrases={
        "no_mount": Phrase(
            "no locked cache mount on {targets}", "{targets}에 `sharing=locked` 캐시 마운트 없음"
        ),
        "no_mounts": Phrase(
            "no locked cache mounts on {targets}", "{targets}에 `sharing=locked` 캐시 마운트 없음"
        ),
        "defeat": Phrase("{words} turns the cache off", "{words} 옵션이 캐시를 끔"),
        "not_kept_apk": Phrase(
            "`apk` keeps no package while `/etc/apk/cache` does not link to the cache",
            "`/etc/apk/cache`가 캐시를 가리키지 않으면 `apk`는 패키지를 남기지 않음",
        ),
        "not_kept_dnf": Phrase(
            "`{program}` deletes the packages it downloads (`keepcache` is off)",
            "`{program}` 명령이 내려받은 패키지를 지움(`keepcache` 꺼짐)",
        ),
        "not_kept_zypper": Phrase(
            "`zypper` deletes the packages it downloads (no `keeppackages` on the repositories)",
            "`zypper`가 내려받은 패키지를 지움(저장소에 `keeppackages` 없음)",
        ),
        "mount": Phrase(
            "a locked cache mount on {targets}", "{targets}에 `sharing=locked` 캐시 마운트"
        ),
        "mounts": Phrase(
            "locked cache mounts on {targets}", "{targets}에 `sharing=locked` 캐시 마운트"
        ),
        "add": Phrase("Add {items}", "{items} 추가"),
        "remove": Phrase("remove {words}", "{words} 제거"),
        "remove_only": Phrase("Remove {words}", "{words} 제거"),
    },
    fix_safety=(Safety.UNSAFE,),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for step, script in shell_runs(ctx):
        found = _first_install(script)
        if found is None:
            continue
        eco, first = found
        before = [c for c in _chain_commands(ctx, step) if c is not first]
        if any(eco.moves_cache(c) for c in (*before, first)):
            continue
        wanted = eco.install_mounts(first)
        installs = [c for c in script.commands if eco.install_mounts(c)]
        have = [m.mount for m in cache_mounts(ctx, step)]
        # A mount on the folder that turns the cache on (apk's /etc/apk/cache) is the cache.
        enabled = any(m.target in eco.ENABLING_MOUNTS for m in have)
        missing = [] if enabled or _mounted(wanted, have) else list(wanted)
        defeats = [w for c in installs for w in eco.cache_defeats(c)]
        turned_on = enabled or any(eco.turns_cache_on(c) for c in before if c.end <= first.start)
        needs_setup = eco.SETUP is not None and not turned_on
        unkept = [c for c in installs if eco.KEEP_OPTION and not turned_on
                  and not eco.keeps_packages(c)]  # fmt: skip
        if not (missing or defeats or needs_setup or unkept):
            continue
        parts: list[object] = []
        if missing:
            parts.append(RULE.text(_plural("no_mount", missing), targets=_targets(missing)))
        if defeats:
            parts.append(RULE.text("defeat", words=_defeat_words(eco, installs)))
        # An install whose own option turns keeping off is reported by that option alone.
        if needs_setup or any(not eco.cache_defeats(c) for c in unkept):
            parts.append(RULE.text(f"not_kept_{eco.NAME}", program=first.program_name))
        fix = None
        if _editable(ctx, step) and not (needs_setup and _later_unmounted(ctx, step, eco)):
            fix = _fix(ctx, step, script, eco, installs, missing, needs_setup, unkept)
        yield RULE.finding(
            ctx.tree.span(first.start, first.end),
            fix=fix,
            command=short(first, eco.verb(first)),
            missing=Listing(parts, sep="; "),
            todo=_todo(eco, missing, needs_setup, unkept, installs, script),
        )


def _first_install(script: Script) -> tuple[SystemPackages, Command] | None:
    for cmd in script.commands:
        for eco in system_for(cmd):
            if eco.is_install(cmd):
                return eco, cmd
    return None


def _chain_commands(ctx: RuleContext, step: Step) -> list[Command]:
    """The commands of the RUNs before `step` in its stage and the stages it is built FROM,
    then those of `step` itself."""
    out: list[Command] = []
    for stage in stage_chain(ctx.model.stages[step.stage]):
        for earlier in stage.steps:
            out.extend(commands(ctx, earlier.instruction))
            if earlier is step:
                return out
    return out


def _later_unmounted(ctx: RuleContext, step: Step, eco: SystemPackages) -> bool:
    """A later RUN of the stage, or of a stage built FROM it, runs the manager's installs
    without their mounts (or in JSON form): with the cache turned on in the image, it would
    keep its packages in its layer."""
    stage = ctx.model.stages[step.stage]
    return _unmounted_in(ctx, stage, stage.steps.index(step) + 1, eco)


def _unmounted_in(ctx: RuleContext, stage: Stage, start: int, eco: SystemPackages) -> bool:
    for later in stage.steps[start:]:
        instruction = later.instruction
        if instruction.name != "RUN":
            continue
        if instruction.is_json:
            if any(p.rsplit("/", 1)[-1] in eco.PROGRAMS for p in instruction.value[:1]):
                return True
            continue
        have = [m.mount for m in cache_mounts(ctx, later)]
        if any(m.target in eco.ENABLING_MOUNTS for m in have):
            continue
        for cmd in commands(ctx, instruction):
            wanted = eco.install_mounts(cmd)
            if wanted and not _mounted(wanted, have):
                return True
    children = (s for s in ctx.model.stages if s.base_stage is not None)
    return any(_unmounted_in(ctx, s, 0, eco) for s in children if s.base_stage is stage)


def _mounted(wanted: Sequence[CacheMount], have: Sequence[CacheMount]) -> bool:
    """One of the folders the install may cache in is mounted: dnf 4 uses /var/cache/dnf and
    dnf 5 /var/cache/libdnf5, and a Dockerfile that mounts one knows which dnf its image has."""
    return any(m.covers(w.target) for w in wanted for m in have)


def _editable(ctx: RuleContext, step: Step) -> bool:
    """Run as root: the manager installs as root, and `sudo` in front would be a guess."""
    return step.state.is_root


def _fix(
    ctx: RuleContext,
    step: Step,
    script: Script,
    eco: SystemPackages,
    installs: list[Command],
    missing: list[CacheMount],
    needs_setup: bool,
    unkept: list[Command],
) -> Fix | None:
    tree = ctx.tree
    prefix = f"{eco.SETUP} && " if needs_setup and eco.SETUP else ""
    flags = [m.flag_text() for m in missing]
    edits = add_flags(tree, step.instruction, flags, one_per_line=True, prefix=prefix)
    if edits is None:
        return None
    for cmd in installs:
        earlier = [c for c in script.commands if c.end <= cmd.start]
        more = _command_edits(tree.text, eco, cmd, earlier, cmd in unkept, bool(missing))
        if more is None:
            return None
        edits.extend(more)
    cleanups = fighting_cleanups(script, missing, step.state.home, step.state.workdir)
    dropped = drop_cleanups(tree, script, cleanups)
    if dropped is None:
        return None
    edits.extend(dropped)
    return Fix(Safety.SAFE if eco.BUILD_PROVEN else Safety.UNSAFE, edits)


def _command_edits(
    text: str,
    eco: SystemPackages,
    cmd: Command,
    earlier: Sequence[Command],
    keep: bool,
    new_mount: bool,
) -> list[Edit] | None:
    """The install's options: what defeats the cache goes, the keep and refresh options come
    (in place of the first defeat, else right after the program's name)."""
    added = _options(eco, cmd, earlier, keep, new_mount)
    defeats = eco.cache_defeats(cmd)
    if defeats and added:
        rest = [delete_word(text, w) for w in defeats[1:]]
        return [Edit(defeats[0].start, defeats[0].end, " ".join(added)), *rest]
    edits = [delete_word(text, w) for w in defeats]
    if added:
        if cmd.program_word is None:
            return None
        edits.append(Edit.insert(cmd.program_word.end, "".join(" " + a for a in added)))
    return edits


def _options(
    eco: SystemPackages, cmd: Command, earlier: Sequence[Command], keep: bool, new_mount: bool
) -> list[str]:
    """The options the fix gives an install: the keep option, and the refresh where the fix
    takes away the indexes it read (a new mount hides the image's; without `--no-cache` none
    are fetched in passing)."""
    added = [eco.KEEP_OPTION] if keep and eco.KEEP_OPTION else []
    refresh = eco.refresh_option(cmd, earlier) if new_mount or eco.cache_defeats(cmd) else None
    return added + ([refresh] if refresh else [])


def _todo(
    eco: SystemPackages,
    missing: list[CacheMount],
    needs_setup: bool,
    unkept: list[Command],
    installs: list[Command],
    script: Script,
) -> Listing:
    """The fix title: what it adds, then what it removes."""
    items: list[object] = []
    if missing:
        items.append(RULE.text(_plural("mount", missing), targets=_targets(missing)))
    if needs_setup and eco.SETUP:
        items.append(f"`{eco.SETUP}`")
    options: dict[str, None] = {}
    for cmd in installs:
        earlier = [c for c in script.commands if c.end <= cmd.start]
        options.update(dict.fromkeys(_options(eco, cmd, earlier, cmd in unkept, bool(missing))))
    items += [f"`{o}`" for o in options]
    parts: list[Text] = []
    if items:
        parts.append(RULE.text("add", items=Listing(items)))
    removed = _defeat_words(eco, installs)
    if removed:
        parts.append(RULE.text("remove" if parts else "remove_only", words=removed))
    return Listing(parts, sep="; ")


def _plural(key: str, mounts: list[CacheMount]) -> str:
    return key + ("s" if len(mounts) > 1 else "")


def _targets(mounts: list[CacheMount]) -> Listing:
    return Listing([f"`{m.target}`" for m in mounts], inner=True)


def _defeat_words(eco: SystemPackages, installs: list[Command]) -> str:
    """`--no-cache`, `--setopt keepcache=0`: each install's defeating words, once each."""
    texts = (" ".join(w.text for w in eco.cache_defeats(c)) for c in installs)
    return ", ".join(f"`{t}`" for t in dict.fromkeys(texts) if t)
