"""LW202 apt-install-without-cache-mount

## What it finds
A RUN that installs Debian/Ubuntu packages (`apt-get install`) without apt's cache kept between
builds: locked cache mounts on both `/var/cache/apt` (downloaded .deb files) and `/var/lib/apt`
(package lists), and `/etc/apt/apt.conf.d/docker-clean` removed before apt runs.

## Why it matters
Whenever the step rebuilds, `apt-get update` downloads every package list again and `apt-get
install` every package. Cache mounts keep both between builds on the same builder without putting
them in the image, and their contents never change the step's cache key. apt needs exclusive access
to its directories, so both mounts need `sharing=locked` (parallel builds wait instead of corrupting
each other). The official Debian and Ubuntu images ship `docker-clean`, an apt hook that deletes
downloaded packages after every run: with it, the `/var/cache/apt` mount stays empty. With the
mounts, the lists live in the mount, not in the layer, so the image stays as small as with `rm -rf
/var/lib/apt/lists/*` (which the fix drops: it would empty the cache, see LW203).

## Example
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends curl
After the fix:
    RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
        --mount=type=cache,target=/var/lib/apt,sharing=locked \\
        rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update \\
        && apt-get install -y --no-install-recommends curl

## Fix safety
Safe when the same RUN runs `apt-get update` before installing: the mount on `/var/lib/apt`
hides lists left in the image by an earlier RUN, so without an update in the RUN there is no fix
(merge the update first: LW502), unless no earlier RUN left lists in the image (only mounted
updates, as in a file fixed before): then the fix adds the RUN's own `apt-get update`. A removal
of `docker-clean` in an earlier RUN of the stage (the Dockerfile reference's pattern) counts.
Removing `docker-clean` reaches every later RUN of the stage and of the stages built FROM it:
one that runs apt without the mounts then keeps the downloaded .deb files and apt's
pkgcache.bin in its layer (measured: 71 MB instead of 20 kB for `apt-get update` and one
package). So a fix that removes it gives every such RUN (`apt-get`/`apt` with any verb but
`clean`, also a lone `apt-get update`; `apt-cache`, `aptitude`, `add-apt-repository`) the same
locked mounts, and the RUNs among them that read the package lists before an update of their
own (`apt-get install`, also of a local .deb, `upgrade`...) `apt-get update` first: the lists
now live in the mount, a cache that may be empty, not in the image ("Unable to locate
package" otherwise). Cleanups in those RUNs that would empty the new mounts go. When one of
them cannot take the edit (JSON form, run as a user other than root, or a RUN that may run
apt unseen: one that runs a script file or a piped script (`./setup.sh`, `. ./env.sh`,
`source install.sh`, `curl ... | bash -`), a script known only when it runs (`bash -lc
"$(cat install.sh)"`, `sh -c "$SCRIPT"`, `eval`), or a task runner whose recipes may run apt
(`make deps`, `npm run setup`, `yarn setup`, `just`, `task`: the recipe files the context
shows at its root or one folder below are read, and the runner counts when one names apt or a
shell script file, or when the context has none, as for a project the build clones; so a
`make` of a C program whose Makefile names no apt does not count, and `make --version` never
does), or one that names apt where its shell runs none: `apt-get` inside a `python3 -c` string
or a heredoc fed to another interpreter) the fix is unsafe, and so is a RUN itself run as
another user (`rm` and `apt-get update` need root). Seen with Docker 26.1: after the fix a
later `RUN make deps`, whose Makefile runs `apt-get install -y jq`, stopped with "Unable to
locate package jq"; before it, it installed jq.
Without the removal (an
earlier RUN removed `docker-clean` already) only the later RUNs that read the lists this RUN
left in the image come along. The removal stays in the image: a RUN without the mounts in a
derived image keeps its downloads in its layer. Works with Docker 20.10's built-in frontend
(checked: a rebuild after adding a package fetched 241 kB of lists instead of 9.4 MB, and
reused the cached .deb files).
The `apt-get update` put in front of a later RUN keeps what it meant: without it, an
`apt-get upgrade` there would read an empty mount and silently upgrade nothing; with it, the
RUN reads lists of the same sources the earlier update read, fetched when the RUN runs rather
than taken from a cached layer (old lists are what LW502 is about: their versions leave the
mirror). Not when a step between that update and the RUN may change apt's sources (a RUN that
writes under `/etc/apt`, runs `add-apt-repository`, `apt-key` or `dpkg --add-architecture`,
or a script file or task runner as above; a COPY or ADD into `/etc/apt`) and no update
follows it: the original read
lists without the new sources, the added update would bring them in and may install or
upgrade other packages, so the fix is unsafe.
The lists the image kept are also read after the build: by the container, when the image's
CMD or ENTRYPOINT (of this stage or of one built FROM it) runs apt on them before an update of
its own (`CMD apt-get install -y jq && ...`), or by a COPY --from of such a stage that copies
`/var/lib/apt/lists` or a folder above it, or a RUN that mounts them from it (`--mount=type=
bind,from=base,source=/var/lib/apt/lists,...`, or a cache mount they seed). Once the fix moves
them into the mounts, and no unmounted update writes them again later, each finds an empty
folder (seen with Docker 26.1: the fixed image's `CMD apt-get install -y jq` stopped with
"Unable to locate package jq", and `apt-cache policy jq` through such a bind mount found no
candidate), so the fix is unsafe. A start script the container runs is not opened (most
images have one).
No fix for a RUN that also deletes a folder above a mount it would add (`rm -rf /var/cache`):
a mount point cannot be removed, so the RUN would fail (see LW203). Nor for one with another
mount on apt's folders (`--mount=type=bind,from=base,source=/var/lib/apt/lists,target=/var/
lib/apt/lists`: read-only, so an `apt-get update` put in front failed with "Read-only file
system" on Docker 26.1); a later RUN with one cannot take the edit (unsafe, as above).

## References
- Dockerfile reference: RUN --mount=type=cache (the apt example with sharing=locked)
- Docker docs, Optimize cache usage in builds: use cache mounts
- apt.conf(5): APT::Keep-Downloaded-Packages; the official images' docker-clean"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.ecosystems import apt
from layerwise.ecosystems.base import CacheMount
from layerwise.model.nodes import Step
from layerwise.rules._apt_lists import (
    ListReader,
    apt_runs_after,
    docker_clean_removed,
    editable,
    image_lists_written,
    lists_mounted,
    lists_read_after_build,
    other_apt_mount,
    readers_after,
)
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import (
    RunMount,
    add_flags,
    cache_mounts,
    drop_cleanups,
    fighting_cleanups,
    shell_runs,
    short,
)
from layerwise.rules.texts import Listing, Phrase
from layerwise.shell import Script
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW202",
    name="apt-install-without-cache-mount",
    severity=Severity.WARNING,
    message="`{command}` downloads every package again: {missing}",
    fix_title="Add {todo}",
    summary="apt-get install without locked cache mounts for apt",
    message_ko="`{command}` 명령이 모든 패키지를 다시 내려받습니다: {missing}",
    fix_title_ko="{todo} 추가",
    summary_ko="apt용 잠금(`sharing=locked`) 캐시 마운트 없이 실행하는 apt-get install",
    phrases={
        "no_mount": Phrase(
            "no locked cache mount on {targets}", "{targets}에 `sharing=locked` 캐시 마운트 없음"
        ),
        "no_mounts": Phrase(
            "no locked cache mounts on {targets}", "{targets}에 `sharing=locked` 캐시 마운트 없음"
        ),
        "unlocked": Phrase(
            "`{target}` is mounted without `sharing=locked`",
            "`{target}` 마운트에 `sharing=locked` 없음",
        ),
        "docker_clean": Phrase(
            "`docker-clean` deletes the downloaded packages",
            "`docker-clean` 훅이 내려받은 패키지를 지움",
        ),
        "add_mount": Phrase(
            "a locked cache mount on {targets}", "{targets}에 `sharing=locked` 캐시 마운트"
        ),
        "add_mounts": Phrase(
            "locked cache mounts on {targets}", "{targets}에 `sharing=locked` 캐시 마운트"
        ),
        "update_first": Phrase("`{command}` first", "맨 앞의 `{command}`"),
        "readers": Phrase(
            "the mounts and `{command}` to the RUN at line {lines}",
            "{lines}번 줄의 RUN에 마운트와 `{command}`",
        ),
        "readers_many": Phrase(
            "the mounts and `{command}` to the RUNs at lines {lines}",
            "{lines}번 줄의 RUN에 마운트와 `{command}`",
        ),
        "later": Phrase("the mounts to the RUN at line {lines}", "{lines}번 줄의 RUN에 마운트"),
        "later_many": Phrase(
            "the mounts to the RUNs at lines {lines}", "{lines}번 줄의 RUN에 마운트"
        ),
        "lock": Phrase("`sharing=locked` to `{target}`", "`{target}` 마운트에 `sharing=locked`"),
    },
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for step, script in shell_runs(ctx):
        installs = [c for c in script.commands if apt.is_install(c)]
        if not installs:
            continue
        mounts = cache_mounts(ctx, step)
        missing: list[CacheMount] = []
        unlocked: list[RunMount] = []
        for wanted in apt.CACHE_MOUNTS:
            have = next((m for m in mounts if m.mount.target == wanted.target), None)
            if have is None:
                missing.append(wanted)
            elif have.mount.sharing != "locked":
                unlocked.append(have)
        clean_kept = not docker_clean_removed(ctx, step, script)
        if not (missing or unlocked or clean_kept):
            continue
        parts: list[object] = []
        todo: list[object] = []
        if missing:
            plural = "s" if len(missing) > 1 else ""
            targets = Listing([f"`{m.target}`" for m in missing], inner=True)
            parts.append(RULE.text("no_mount" + plural, targets=targets))
            todo.append(RULE.text("add_mount" + plural, targets=targets))
        parts += [RULE.text("unlocked", target=m.mount.target) for m in unlocked]
        todo += [RULE.text("lock", target=m.mount.target) for m in unlocked]
        if clean_kept:
            parts.append(RULE.text("docker_clean"))
            todo.append(f"`rm -f {apt.DOCKER_CLEAN}`")
        first = installs[0]
        updated = any(apt.is_update(c) and c.end <= first.start for c in script.commands)
        # No update here and none in the image before (only mounted ones, as an earlier fix
        # leaves them): the RUN reads lists nobody left it, so it gets its own update.
        own_update = not updated and not image_lists_written(ctx, step) and editable(ctx, step)
        if own_update:
            todo.append(RULE.text("update_first", command=apt.UPDATE_COMMAND))
        # The lists go into the mount: the later RUNs that read them from the image come along.
        # Without docker-clean every later apt RUN of the stage chain does, or it keeps apt's
        # downloads in its layer.
        if clean_kept and (updated or own_update):
            readers = apt_runs_after(ctx, step)
        elif updated and not lists_mounted(ctx, step):
            readers = readers_after(ctx, step)
        else:
            readers = []
        for update, key in ((True, "readers"), (False, "later")):
            lines = [str(r.step.instruction.start_line) for r in readers
                     if r.editable and r.update == update]  # fmt: skip
            if lines:
                key += "" if len(lines) == 1 else "_many"
                todo.append(RULE.text(key, command=apt.UPDATE_COMMAND, lines=Listing(lines)))
        fix = None
        if updated or own_update:
            fix = _fix(ctx, step, script, missing, unlocked, clean_kept, readers, own_update)
        yield RULE.finding(
            tree.span(first.start, first.end),
            fix=fix,
            command=short(first, apt.verb(first)),
            missing=Listing(parts, sep="; "),
            todo=Listing(todo),
        )


def _fix(
    ctx: RuleContext,
    step: Step,
    script: Script,
    missing: list[CacheMount],
    unlocked: list[RunMount],
    clean_kept: bool,
    readers: list[ListReader],
    update: bool,
) -> Fix | None:
    tree = ctx.tree
    if other_apt_mount(step):
        return None  # another mount on apt's folders (lists bound in): not ours to move
    prefix = f"rm -f {apt.DOCKER_CLEAN} && " if clean_kept else ""
    prefix += f"{apt.UPDATE_COMMAND} && " if update else ""
    flags = [m.flag_text() for m in missing]
    edits = add_flags(tree, step.instruction, flags, one_per_line=True, prefix=prefix)
    if edits is None:
        return None
    for have in unlocked:
        lock = _lock(have)
        if lock is None:
            return None
        edits.append(lock)
    cleanups = fighting_cleanups(
        script, missing, step.state.home, step.state.workdir, step.state.variables
    )
    dropped = drop_cleanups(tree, script, cleanups)
    if dropped is None:
        return None
    edits.extend(dropped)
    # Removing docker-clean and updating need root: under another user (sudo) it is a guess.
    safe = step.state.user_name in ("root", "0")
    # A later RUN that read the image's lists gets the mounts and its own update, or the fix
    # would leave it with none ("Unable to locate package").
    for reader in readers:
        more = _reader_edits(ctx, reader.step, reader.update) if reader.editable else None
        safe = safe and more is not None
        # Its own update would read sources a step in between changed: the original's lists
        # never held them, so it may install or upgrade other packages.
        safe = safe and not (reader.update and reader.sources_changed)
        edits.extend(more or [])
    # What the image kept of the lists for after the build goes into the mounts too.
    changed = {step, *(r.step for r in readers if r.editable)}
    safe = safe and not lists_read_after_build(ctx, step, changed)
    return Fix(Safety.SAFE if safe else Safety.UNSAFE, edits)


def _reader_edits(ctx: RuleContext, step: Step, update: bool) -> list[Edit] | None:
    """A later RUN that uses apt: locked mounts on both apt directories, without the cleanups
    that would empty them, and, when it reads the lists before an update of its own,
    `apt-get update` in front."""
    have = {m.mount.target: m for m in cache_mounts(ctx, step)}
    added = [m for m in apt.CACHE_MOUNTS if m.target not in have]
    prefix = f"{apt.UPDATE_COMMAND} && " if update else ""
    flags = [m.flag_text() for m in added]
    edits = add_flags(ctx.tree, step.instruction, flags, one_per_line=True, prefix=prefix)
    script = ctx.script(step.instruction)
    if edits is None or script is None:
        return None
    cleanups = fighting_cleanups(
        script, added, step.state.home, step.state.workdir, step.state.variables
    )
    dropped = drop_cleanups(ctx.tree, script, cleanups)
    if dropped is None:
        return None
    edits.extend(dropped)
    for mount in apt.CACHE_MOUNTS:
        existing = have.get(mount.target)
        if existing is not None and existing.mount.sharing != "locked":
            lock = _lock(existing)
            if lock is None:
                return None
            edits.append(lock)
    return edits


_SHARING = re.compile(r"(?:(?<==)|(?<=,))sharing=[^,]*")


def _lock(have: RunMount) -> Edit | None:
    """Set `sharing=locked` on an existing mount flag: replace its sharing option or append one."""
    flag = have.flag
    text = flag.text
    if text.endswith(("'", '"')):
        return None  # a quoted value: leave it to a person
    # The option itself, not a longer key that ends in it (`#sharing=`, `xsharing=`).
    match = _SHARING.search(text)
    if match is None:
        return Edit.insert(flag.span.end, ",sharing=locked")
    return Edit(flag.span.start + match.start(), flag.span.start + match.end(), "sharing=locked")
