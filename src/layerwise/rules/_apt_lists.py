"""Which later RUNs read the apt package lists a RUN leaves in the image, and which run apt at
all (LW202).

A cache mount on /var/lib/apt takes the lists `apt-get update` writes out of the image. A RUN
built on that image (later in the stage, or in a stage built FROM it) that installs without its
own update read those lists before the mount and finds none after it ("Unable to locate
package"). These are the RUNs a mount fix must bring along: each gets the same locked mounts
and its own `apt-get update` first, or the fix is not safe.

Removing `docker-clean` reaches further: every later apt RUN of the stage chain without the
mounts then keeps its downloaded .deb files and apt's pkgcache.bin in its layer (tens of MB),
so a fix that removes it brings along every such RUN (`apt_runs_after`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace

from layerwise.ecosystems import apt
from layerwise.ecosystems.base import is_under, parse_mount_options, removed_paths
from layerwise.model import Stage, Step
from layerwise.rules._apt_unseen import APT_WORD, may_run_apt, unseen_lists_use
from layerwise.rules._support import launch_commands, resolve, stage_chain, stages_built_from
from layerwise.rules.base import RuleContext
from layerwise.rules.lw2_mounts import cache_mounts
from layerwise.shell import Command, Script
from layerwise.syntax import Instruction

_ROOT = frozenset({"root", "0"})
# Made once: a union written in a test is made again on every call.
_READERS = apt.PROGRAMS | apt.LIST_READERS
_LIST_USERS = apt.LIST_READERS | apt.LIST_UPDATERS


@dataclass(frozen=True, slots=True)
class ListReader:
    """A RUN that reads the lists in the image before any update of its own. `editable`: a
    shell-form RUN run as root, where mounts and an `apt-get update` can go in front."""

    step: Step
    editable: bool
    # It reads lists before an update of its own, so it needs `apt-get update` in front once
    # the lists live in the mount (False: it only needs the mounts).
    update: bool = True
    # A step between the update that wrote the lists and this RUN may change apt's sources
    # (see `changes_sources`): an `apt-get update` put in front of it would read sources the
    # original's lists never held, so the packages it installs or upgrades may differ.
    sources_changed: bool = False


def lists_mounted(ctx: RuleContext, step: Step) -> bool:
    """The RUN has a cache mount holding /var/lib/apt/lists (on it or on /var/lib/apt)."""
    return any(m.mount.covers(apt.LISTS_DIR) for m in cache_mounts(ctx, step))


def readers_after(ctx: RuleContext, step: Step) -> list[ListReader]:
    """RUNs that read the lists `step` leaves in the image: the later RUNs of its stage and of
    the stages built FROM it, up to a RUN that rewrites the image's lists itself (an unmounted
    `apt-get update`, or an `rm` of the lists, before any read)."""
    stage = ctx.model.stages[step.stage]
    index = stage.steps.index(step)
    return list(_walk(ctx, stage, index + 1, every_apt=False))


def apt_runs_after(ctx: RuleContext, step: Step) -> list[ListReader]:
    """Every later RUN of the stage chain (the rest of `step`'s stage and the stages built FROM
    it) that runs apt without cache mounts on both its directories, or may run it unseen (a
    script file, a task runner: `_apt_unseen`): with `docker-clean` gone each would keep apt's
    downloads in its layer. Such a RUN counts as not editable (what it runs is unknown here)."""
    stage = ctx.model.stages[step.stage]
    index = stage.steps.index(step)
    return list(_walk(ctx, stage, index + 1, every_apt=True))


def _walk(
    ctx: RuleContext, stage: Stage, start: int, *, every_apt: bool, changed: bool = False
) -> Iterator[ListReader]:
    for step in stage.steps[start:]:
        if every_apt:
            found = _apt_run(ctx, step)
            if found is not None:
                yield replace(found, sources_changed=changed) if changed else found
        else:
            use = _lists_use(ctx, step)
            if use == "refreshes":
                return
            if use == "reads":
                yield ListReader(step, editable(ctx, step), sources_changed=changed)
        # An update after the change writes lists that hold the new sources: what a reader's
        # own update would read too.
        if changes_sources(ctx, step):
            changed = True
        elif _updates(ctx, step):
            changed = False
    for child in ctx.model.stages:
        if child.base_stage is not None and child.base_stage.index == stage.index:
            yield from _walk(ctx, child, 0, every_apt=every_apt, changed=changed)


# Programs that change the package sources apt reads or the keys it trusts them with.
_SOURCE_PROGRAMS = frozenset({"add-apt-repository", "apt-add-repository", "apt-key"})
# Files under /etc/apt the cache-mount fixes and the Dockerfile reference's pattern write:
# they change what apt keeps, not where it gets its lists.
_KEEPING_FILES = re.compile(re.escape(apt.DOCKER_CLEAN) + "|" + re.escape(apt.KEEP_CACHE_CONF))
_APT_ETC = "/etc/apt"


def changes_sources(ctx: RuleContext, step: Step) -> bool:
    """The step may change where apt gets its package lists from: a RUN that names a path
    under /etc/apt (sources.list.d, preferences, keyrings, apt.conf; not docker-clean nor
    keep-cache), adds a repository or an architecture (`add-apt-repository`, `apt-key`,
    `dpkg --add-architecture`) or may run apt unseen (a script file or piped script, as
    NodeSource's setup, which writes a sources file; a task runner: `_apt_unseen`); a COPY or
    ADD into /etc/apt or a folder above it."""
    instruction = step.instruction
    if instruction.name in ("COPY", "ADD"):
        words = instruction.value
        dest = words[-1] if words else ""
        return "$" in dest or _near(resolve(dest, step.state.workdir))
    if instruction.name != "RUN":
        return False
    script = None if instruction.is_json else ctx.script(instruction)
    if script is None:
        text = " ".join(instruction.value)
    else:
        text = script.text
        for cmd in script.commands:
            name = cmd.program_name or ""
            if name in _SOURCE_PROGRAMS or may_run_apt(ctx, cmd):
                return True
            if name == "dpkg" and cmd.has_option("--add-architecture"):
                return True
    return _APT_ETC in _KEEPING_FILES.sub("", text)


def _updates(ctx: RuleContext, step: Step) -> bool:
    """A shell-form RUN that runs `apt-get update`."""
    instruction = step.instruction
    script = None if instruction.name != "RUN" else ctx.script(instruction)
    return script is not None and any(apt.is_update(c) for c in script.commands)


def _near(path: str) -> bool:
    return is_under(path, _APT_ETC) or is_under(_APT_ETC, path)


def _apt_run(ctx: RuleContext, step: Step) -> ListReader | None:
    """`step` as a RUN that uses apt and lacks the mounts, None otherwise."""
    instruction = step.instruction
    if instruction.name != "RUN" or apt_mounted(ctx, step):
        return None
    if instruction.is_json:
        uses = _json_program(instruction) in _READERS
        return ListReader(step, editable=False) if uses else None
    script = ctx.script(instruction)
    if script is None:
        return None
    if any(may_run_apt(ctx, c) for c in script.commands) or _runs_apt_unseen(script):
        return ListReader(step, editable=False, update=False)
    # `apt-get clean` alone leaves nothing behind; every other apt command opens apt's cache.
    if not any(_uses_apt(c) for c in script.commands):
        return None
    # Lists it reads come from the mount now (even one it had): a cache that may be empty.
    reads = _script_lists_use(ctx, script) == "reads"
    return ListReader(step, editable(ctx, step), update=reads)


def apt_mounted(ctx: RuleContext, step: Step) -> bool:
    """The RUN has cache mounts holding both apt's downloads and its package lists."""
    mounts = cache_mounts(ctx, step)
    return all(any(m.mount.covers(path) for m in mounts) for path in _KEPT)


_KEPT = (apt.CACHE_DIR, apt.LISTS_DIR)
# Shell builtins an apt RUN sets itself up with; they read no file.
_SETUP = frozenset({"export", "set", "true", ":"})


def is_apt_only_run(ctx: RuleContext, step: Step) -> bool:
    """A RUN of apt commands alone (with at most cache mounts) that name no file: it reads
    nothing a COPY brings and writes only where apt does."""
    instruction = step.instruction
    if instruction.name != "RUN" or len(cache_mounts(ctx, step)) != len(instruction.flags):
        return False
    script = ctx.script(instruction)
    return (
        script is not None and bool(script.commands) and all(map(apt_only_command, script.commands))
    )


def apt_only_command(cmd: Command) -> bool:
    """An apt-get/apt command on package names, an `rm` of apt's own directories (or of
    docker-clean, as the cache-mount fixes write), or setup."""
    if cmd.program_name in _SETUP:
        return True
    if apt.verb(cmd) is None:
        paths = removed_paths(cmd)
        apts = len(apt.cache_removal(cmd)) + sum(w.text == apt.DOCKER_CLEAN for w in paths)
        return bool(paths) and apts == len(paths)
    names = cmd.operands(apt.VALUE_OPTIONS)[1:]
    return all(w.is_static and not w.text.startswith((".", "/", "~")) for w in names)


def _uses_apt(cmd: Command) -> bool:
    if cmd.program_name in _LIST_USERS:
        return True
    return cmd.program_name in apt.PROGRAMS and not apt.is_clean(cmd)


# Interpreters whose scripts the shell parser does not see into.
_INTERPRETER = re.compile(r"(?:python|perl|ruby|node|php)[\d.]*")


def _runs_apt_unseen(script: Script) -> bool:
    """An interpreter of the RUN runs a script that names apt, where no shell command runs it
    (`python3 -c "subprocess.run(['apt-get', ...])"`, a heredoc fed to `python3`): it may read
    the lists, and keep its downloads, as a script file may. `echo apt-get` runs no apt."""
    if any(_uses_apt(c) for c in script.commands):
        return False
    interpreted = any(_INTERPRETER.fullmatch(c.program_name or "") for c in script.commands)
    return interpreted and bool(APT_WORD.search(script.text))


def _lists_use(ctx: RuleContext, step: Step) -> str | None:
    """ "reads" (the image's lists, before any update), "refreshes" (updates or removes the
    image's lists before reading them) or None (neither, or it reads a mounted cache)."""
    instruction = step.instruction
    if instruction.name != "RUN" or lists_mounted(ctx, step):
        return None
    if instruction.is_json:
        return "reads" if _json_program(instruction) in _READERS else None
    script = ctx.script(instruction)
    return None if script is None else _script_lists_use(ctx, script)


def _script_lists_use(ctx: RuleContext, script: Script) -> str | None:
    """What `script` does first with the lists; a script file or task runner it runs may read
    them (`_apt_unseen`)."""
    use = _commands_lists_use(script.commands, ctx)
    return use if use is not None or not _runs_apt_unseen(script) else "reads"


def _commands_lists_use(commands: Sequence[Command], ctx: RuleContext | None) -> str | None:
    """What `commands` do first with the lists; with `ctx`, what they run unseen counts too."""
    for cmd in sorted(commands, key=lambda c: c.start):
        if apt.is_update(cmd) or apt.lists_removal(cmd):
            return "refreshes"
        if apt.reads_lists(cmd):
            return "reads"
        use = None if ctx is None else unseen_lists_use(ctx, cmd)
        if use is not None:
            return use
    return None


def _json_program(instruction: Instruction) -> str:
    """The program a JSON-form RUN executes, without its directory."""
    words = instruction.value
    return posixpath.basename(words[0]) if words else ""


def lists_read_after_build(ctx: RuleContext, step: Step, changed: Collection[Step]) -> bool:
    """Package lists the image kept until the fix moves them into the mounts of `changed` (the
    RUNs it edits, `step` among them) are read once the build is done, from an image built on
    `step` (its stage or one built FROM it) that keeps no lists of its own after the fix: its
    CMD or ENTRYPOINT runs apt on them before any update (`CMD apt-get install -y jq && ...`,
    at container start), or a COPY --from of that stage copies them (`/var/lib/apt/lists`, or a
    folder above it). Either would find an empty folder ("Unable to locate package"). A start
    script the container runs is not opened: that most images have one says nothing of apt."""
    stage = ctx.model.stages[step.stage]
    family = [stage, *stages_built_from(ctx.model.stages, stage)]
    for each in family:
        chain = [st for s in stage_chain(each) for st in s.steps]
        if not _lists_lost(ctx, chain, changed):
            continue
        if _launch_reads(chain) or _copied_out(ctx, each):
            return True
    return False


def _lists_lost(ctx: RuleContext, chain: Sequence[Step], changed: Collection[Step]) -> bool:
    """The image at the end of `chain` had lists, and the fix takes the last writer's away."""
    before: bool | None = None
    after: bool | None = None
    for each in chain:
        use = _writes(ctx, each)
        if use is None:
            continue
        before = use
        if each not in changed:
            after = use
    return before is True and after is not True


def _launch_reads(chain: Sequence[Step]) -> bool:
    """The last CMD or ENTRYPOINT of `chain` reads the lists before an update of its own."""
    for name in ("CMD", "ENTRYPOINT"):
        last = [st for st in chain if st.instruction.name == name][-1:]
        for each in last:
            use = _commands_lists_use(launch_commands(each.instruction), None)
            if use == "reads":
                return True
    return False


def _copied_out(ctx: RuleContext, stage: Stage) -> bool:
    """A COPY --from of `stage` copies its lists (or a folder above them), or a RUN mounts
    them with `--mount=...,from=<stage>` (a bind mount, or a cache mount they seed; `source`
    is the stage's root unless set)."""
    for step in ctx.model.steps:
        if stage.index not in step.source_stages:
            continue
        ins = step.instruction
        sources: list[str] = []
        if ins.name == "COPY" and step.source_stages == (stage.index,):
            sources = list(ins.value[:-1])
        for flag in ins.flags_named("mount") if ins.name == "RUN" else ():
            options = parse_mount_options(flag.value or "")
            if options.get("from", "").lower() == stage.name:  # a name, never an index
                sources.append(options.get("source") or options.get("src") or "/")
        for source in sources:
            path = resolve(step.state.expand(source), "/")
            if is_under(path, apt.LISTS_DIR) or is_under(apt.LISTS_DIR, path):
                return True
    return False


def image_lists_written(ctx: RuleContext, step: Step) -> bool:
    """An earlier RUN of the stage (or of a stage it is built FROM) left package lists in the
    image: its last unmounted `apt-get update` came after any `rm` of the lists."""
    written = False
    for stage in stage_chain(ctx.model.stages[step.stage]):
        for earlier in stage.steps:
            if earlier is step:
                return written
            use = _writes(ctx, earlier)
            written = written if use is None else use
    return written


def _writes(ctx: RuleContext, step: Step) -> bool | None:
    """True: the RUN updates the image's lists; False: it deletes them last; None: neither."""
    instruction = step.instruction
    if instruction.name != "RUN" or lists_mounted(ctx, step):
        return None
    if instruction.is_json:
        updates = _json_program(instruction) in apt.PROGRAMS and "update" in instruction.value
        return True if updates else None
    script = ctx.script(instruction)
    last: bool | None = None
    for cmd in sorted(script.commands if script else (), key=lambda c: c.start):
        if apt.is_update(cmd):
            last = True
        elif apt.lists_removal(cmd):
            last = False
    return last


def docker_clean_removed(ctx: RuleContext, step: Step, script: Script) -> bool:
    """This RUN, an earlier RUN of its stage or of a stage it is built FROM removes the hook."""
    if any(apt.removes_docker_clean(c) for c in script.commands):
        return True
    for each in stage_chain(ctx.model.stages[step.stage]):
        for earlier in each.steps:
            if earlier is step:
                break
            if earlier.instruction.name != "RUN" or earlier.instruction.is_json:
                continue
            other = ctx.script(earlier.instruction)
            if other is not None and any(apt.removes_docker_clean(c) for c in other.commands):
                return True
    return False


def editable(ctx: RuleContext, step: Step) -> bool:
    """A shell-form RUN run as root, with no other mount on apt's directories: mounts and an
    `apt-get update` can go in front."""
    if step.instruction.is_json or step.state.user_name not in _ROOT:
        return False  # `apt-get update` needs root, and sudo in front is a guess
    return ctx.script(step.instruction) is not None and not other_apt_mount(step)


def other_apt_mount(step: Step) -> bool:
    """A `--mount` other than a cache mount (a bind mount, by default read-only; a tmpfs) on
    apt's directories or a folder above or below them: `--mount=type=bind,from=base,source=
    /var/lib/apt/lists,target=/var/lib/apt/lists` gives the RUN another stage's lists, where
    an `apt-get update` put in front fails ("Read-only file system", seen with Docker 26.1)."""
    for flag in step.instruction.flags_named("mount"):
        options = parse_mount_options(flag.value or "")
        if options.get("type", "bind") == "cache":
            continue
        where = options.get("target") or options.get("dst") or options.get("destination")
        target = resolve(step.state.expand(where or ""), step.state.workdir)
        for path in _KEPT_ROOTS:
            if where and (is_under(target, path) or is_under(path, target)):
                return True
    return False


_KEPT_ROOTS = tuple(m.target for m in apt.CACHE_MOUNTS)
