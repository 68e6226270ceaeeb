"""What the cache-mount rules share (LW201, LW202, LW203, LW204, and LW504 which defers to LW202).

Which cache mounts a RUN has, which commands of its script empty a mounted cache, and the
smallest edits that add `--mount` flags, put a command in front of a script, or drop a command
from an `&&`/`;` chain. Not a rule module: the registry only lists `lwNNN_<name>.py` files.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from layerwise.ecosystems import cleaners_for, installers_for
from layerwise.ecosystems.base import CacheMount, Ecosystem, is_under, removed_paths
from layerwise.model.arguments import expand_flag
from layerwise.model.expand import ExpansionError, expand_word
from layerwise.model.nodes import Step
from layerwise.rules._support import resolve
from layerwise.rules.base import RuleContext
from layerwise.shell import Command, Script, Word
from layerwise.syntax import Dockerfile, Instruction
from layerwise.syntax.nodes import Flag
from layerwise.syntax.span import Edit

# Indent of the lines a multi-flag insertion adds (`RUN --mount=a \` / `    --mount=b \`).
INDENT = "    "


@dataclass(frozen=True, slots=True)
class RunMount:
    """A `--mount=type=cache` flag of a RUN and what it mounts."""

    flag: Flag
    mount: CacheMount


@dataclass(frozen=True, slots=True)
class Cleanup:
    """A command that empties a mounted cache. `words`: the paths to drop from an `rm` that
    also removes other things; empty when the whole command goes."""

    command: Command
    target: str  # the mount it empties
    words: tuple[Word, ...] = ()
    # The package manager whose own cache cleaning it is (`go clean -modcache`); None for an `rm`.
    ecosystem: Ecosystem | None = None
    # An `rm -r` of a folder above the mount point (`rm -rf ~/.bundle/` with a mount on
    # `~/.bundle/cache`): it empties the cache, then fails the RUN, since a mount point cannot be
    # removed (Device or resource busy). Dropping `words` would keep the folder's other files
    # in the image: no fix drops it.
    above: bool = False


def shell_runs(ctx: RuleContext) -> tuple[tuple[Step, Script], ...]:
    """Every shell-form RUN step with its parsed script (JSON-form RUNs have no shell)."""
    return ctx.memo(shell_runs, lambda: tuple(_shell_runs(ctx)))


def _shell_runs(ctx: RuleContext) -> Iterator[tuple[Step, Script]]:
    for step in ctx.model.steps:
        instruction = step.instruction
        if instruction.name != "RUN" or instruction.is_json:
            continue
        script = ctx.script(instruction)
        if script is not None and script.commands:
            yield step, script


def cache_mounts(ctx: RuleContext, step: Step) -> tuple[RunMount, ...]:
    """The cache mounts of a RUN, targets resolved against its WORKDIR."""
    return ctx.memo((cache_mounts, id(step)), lambda: _cache_mounts(step))


def _cache_mounts(step: Step) -> tuple[RunMount, ...]:
    """BuildKit expands a `--mount` value before it mounts: a target such as
    `$POETRY_CACHE_DIR` is taken expanded; the id stays as written (LW805 reads the platform
    variables in it)."""
    out: list[RunMount] = []
    state = step.state
    for flag in step.instruction.flags_named("mount"):
        if flag.value is None:
            continue
        mount = CacheMount.from_flag(flag.value, state.workdir)
        if mount is not None and "$" in mount.target:
            value = expand_flag("RUN", "mount", flag.value, state.variables, state.escape) or ""
            expanded = CacheMount.from_flag(value, state.workdir)
            mount = replace(mount, target=expanded.target) if expanded is not None else mount
        if mount is not None:
            out.append(RunMount(flag, mount))
    return tuple(out)


def covered(path: str, mounts: Iterable[CacheMount]) -> bool:
    return any(m.covers(path) for m in mounts)


def short(cmd: Command, verb: Word | None = None) -> str:
    """`apt-get install` for `sudo apt-get -q install -y curl`: the program and its verb
    (`verb` as the ecosystem finds it, else the first operand)."""
    name = cmd.program_name or cmd.text
    if verb is None:
        operands = cmd.operands()
        verb = operands[0] if operands else None
    return f"{name} {verb.text}" if verb is not None and verb.is_static else name


def fighting_cleanups(
    script: Script,
    mounts: Sequence[CacheMount],
    home: str,
    workdir: str,
    env: Mapping[str, str] | None = None,
) -> list[Cleanup]:
    """Commands of `script` that empty what `mounts` keep: an `rm` of a path inside a mount
    (relative paths taken from `workdir` and a preceding `cd`; `$NAME` from the stage's `env`,
    `rm -rf $POETRY_CACHE_DIR`), or a package manager's own cache cleaning (`npm cache clean`,
    `apt-get clean`) when the directory it cleans (its options, `VAR=x` prefixes, `env`, else
    the default) is mounted."""
    found: list[Cleanup] = []
    if not mounts:
        return found
    env = env or {}
    for cmd in script.commands:
        if cmd.nested:
            continue
        paths = removed_paths(cmd)
        if paths:  # most commands remove nothing: no paths to work out
            cwd = _cwd(cmd, workdir)
            known = {id(w): _env_path(w, env, script) for w in paths}
            where = {key: resolve(text, cwd) for key, text in known.items() if text is not None}
            above = _removed_above(cmd, paths, known, cwd, home, mounts)
            if above is not None:
                found.append(above)
                continue
            hits = tuple(w for w in paths if id(w) in where and _emptied(cmd, where[id(w)], mounts))
            if hits:
                target = _mount(where[id(hits[0])], mounts) or ""
                found.append(Cleanup(cmd, target, () if len(hits) == len(paths) else hits))
                continue
            if len(where) == len(paths):
                continue  # an `rm` of known paths, none of them mounted
        for eco in cleaners_for(cmd):
            if not eco.cache_cleaning(cmd, home):
                continue
            if paths:  # an `rm` of the tool's cache spelled from the home (`rm -rf ~/.npm`)
                places = [m.target for m in eco.cache_mounts(home, None)]
                places += _install_caches(script, eco, home, workdir, env)
            else:
                # The tool's own cleaning empties the cache where IT looks: `pip cache purge
                # --cache-dir /opt/c` leaves a mount on ~/.cache/pip alone, and dropping it
                # would keep /opt/c in the image. Not known (`$DIR`): no guess, no finding.
                cwd = _cwd(cmd, workdir)
                named = [_place(p, home, cwd) for p in eco.cleaned_caches(cmd, home, env)]
                if None in named:
                    continue
                places = [p for p in named if p is not None]
            targets = (_mount(place, mounts) for place in places)
            hit = next((t for t in targets if t), None)
            if hit:
                # An `rm` of `~/.npm` is found through the tool that knows its home, but it
                # is no command of that tool.
                words = () if paths else _emptying_options(cmd, eco, mounts, home, workdir, env)
                found.append(Cleanup(cmd, hit, words, ecosystem=None if paths else eco))
                break
    return found


def _emptying_options(
    cmd: Command,
    eco: Ecosystem,
    mounts: Sequence[CacheMount],
    home: str,
    workdir: str,
    env: Mapping[str, str],
) -> tuple[Word, ...]:
    """The options of a cleaning command that empty a mount (`-modcache` of `go clean -cache
    -modcache` with the module cache mounted), when another of its cleaning options stays:
    dropping those words keeps the rest's work. () when the whole command goes."""
    options = eco.cleaning_options(cmd, home, env)
    cwd = _cwd(cmd, workdir)
    emptying = tuple(
        word
        for word, folders in options
        if any((place := _place(f, home, cwd)) and _mount(place, mounts) for f in folders)
    )
    return emptying if len(emptying) < len(options) else ()


def _install_caches(
    script: Script, eco: Ecosystem, home: str, workdir: str, env: Mapping[str, str]
) -> list[str]:
    """Where the script's own installs with `eco` keep their cache, ENV and options followed
    (`YARN_CACHE_FOLDER`, `PIP_CACHE_DIR`, `GOMODCACHE`...): an `rm` the tool knows as its
    cache's is matched against these places too. (A tool's own cleaning command is not: it
    empties where `cleaned_caches` says, whatever the installs use.)"""
    places: list[str] = []
    for cmd in script.commands:
        for installer in installers_for(cmd):
            if installer.NAME == eco.NAME:
                cwd = _cwd(cmd, workdir)
                caches = installer.install_caches(cmd, home, None, env)
                places += [resolve(m.target, cwd) for m in caches]
    return places


def _cwd(cmd: Command, workdir: str) -> str:
    """Where a command of the script runs: `workdir`, moved by a preceding `cd`."""
    return resolve(cmd.cwd_hint, workdir) if cmd.cwd_hint else workdir


def _place(text: str, home: str, cwd: str) -> str | None:
    """A directory a cleaning command names, absolute (`~/` is the home); None when only the
    shell knows it (`$DIR`, a quoted or escaped word)."""
    if text == "~" or text.startswith("~/"):
        text = home + text[1:]
    return None if _NOT_PLAIN.search(text) else resolve(text, cwd)


def _removed_above(
    cmd: Command,
    paths: Sequence[Word],
    known: Mapping[int, str | None],
    cwd: str,
    home: str,
    mounts: Sequence[CacheMount],
) -> Cleanup | None:
    """An `rm -r` of folders above a mount point (or a glob there that matches the folder
    holding it), as a Cleanup marked `above`; None when it removes none."""
    if not paths or not cmd.has_option("-r", "-R", "--recursive"):
        return None
    found: list[tuple[Word, str]] = []
    for word in paths:
        raw = word.raw
        if raw == "~" or raw.startswith("~/"):  # the shell's tilde expansion, plain words only
            text = None if _NOT_PLAIN.search(raw) else home + raw[1:]
        else:
            text = known.get(id(word))
        if text is None:
            continue
        folder = resolve(text, cwd)
        target = next((m.target for m in mounts if _holds(folder, m.target)), None)
        if target is not None:
            found.append((word, target))
    if not found:
        return None
    return Cleanup(cmd, found[0][1], tuple(w for w, _ in found), above=True)


_NOT_PLAIN = re.compile(r"[$`'\"\\]")


def _holds(path: str, target: str) -> bool:
    """Removing `path` recursively would remove the mount point `target`: `path` is a folder
    above it, or a glob in such a folder matching the next folder down (`~/.cache/*`)."""
    head, tail = posixpath.split(path)
    if _GLOB.search(tail):
        if target == head or not is_under(target, head):
            return False
        return fnmatch.fnmatchcase(target[len(head) :].strip("/").split("/")[0], tail)
    return target != path and is_under(target, path)


def drop_cleanups(
    tree: Dockerfile, script: Script, cleanups: Sequence[Cleanup]
) -> list[Edit] | None:
    """The edits that take `cleanups` out of the RUN a fix gives a cache mount (one that cannot
    be dropped stays); None when one removes a folder above a mount point: the mount would
    fail the RUN, and dropping the `rm` would keep that folder's other files in the image."""
    if any(c.above for c in cleanups):
        return None
    edits: list[Edit] = []
    for cleanup in cleanups:
        edits.extend(delete_edits(tree, script, cleanup) or [])
    return edits


def _env_path(word: Word, env: Mapping[str, str], script: Script) -> str | None:
    """The path an `rm` operand names: its text when static, else its `$NAME`s filled in from
    the stage's ARG and ENV values when every one is set there and the script does not set it
    again (then the shell sees those values); None when not known before the shell runs."""
    if word.is_static:
        return word.text
    if "`" in word.raw or "$(" in word.raw:
        return None
    try:
        expansion = expand_word(word.raw, env)
    except ExpansionError:
        return None
    if expansion.missing or not expansion.used or re.search(r"\s", expansion.text):
        return None
    if any(
        re.search(rf"\b{name}\s*=|\b(read|for)\b[^;&|\n]*\b{name}\b", script.text)
        for name in expansion.used
    ):
        return None
    return expansion.text


def _mount(path: str, mounts: Sequence[CacheMount]) -> str | None:
    """The target of the mount `path` lies in, if any."""
    return next((m.target for m in mounts if m.covers(path)), None)


# Last words of names that hold locks, logs or unfinished downloads, not cached packages:
# `.git/index.lock`, `_locks`, `archives/partial` (split on `.`, `_`, `-`).
_SCRATCH_WORDS = frozenset({"lock", "locks", "lck", "pid", "tmp", "temp", "log", "logs", "partial"})
_GLOB = re.compile(r"[*?\[]")


def _emptied(cmd: Command, path: str, mounts: Sequence[CacheMount]) -> bool:
    """An `rm` of `path` empties the cache of the mount it lies in: the mount itself, a glob in
    it or in one of its folders (`lists/*`, `archives/*.deb`) or a whole folder of it (`rm -r`
    of `_cacache`, `registry/src`). Removing one file, lock, log and temporary files (stale
    lock recovery), or a folder deeper in (`rm -rf ~/.m2/repository/com/acme`: one group's
    artifacts, often the project's own kept out of the shared cache on purpose) leaves the
    cached packages alone."""
    target = _mount(path, mounts)
    if target is None:
        return False
    if path == target:
        return True
    below = path[len(target) :].strip("/").split("/")
    if any(re.split(r"[._-]", part.lower())[-1] in _SCRATCH_WORDS for part in below):
        return False
    if _GLOB.search(below[-1]):
        return len(below) <= 2
    return len(below) == 1 and cmd.has_option("-r", "-R", "--recursive")


def delete_word(text: str, word: Word, *, first: bool = False) -> Edit:
    """An edit dropping one word of a command with the blanks before it (after it, when it is
    the command's `first` word); a word alone on its continued line goes with that line
    (`    --no-cache-dir \\`)."""
    start = word.start
    if first:
        end = word.end
        while end < len(text) and text[end] in " \t":
            end += 1
        return Edit(start, end, "")
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    line_start = text.rfind("\n", 0, start) + 1
    rest = re.match(r"[ \t]*(\\|`)\r?\n", text[word.end :])
    if start == line_start and rest is not None:
        return Edit(line_start, word.end + rest.end(), "")
    if start == line_start:  # first word of a continued line: keep the line's indent
        start = word.start
        end = word.end
        while end < len(text) and text[end] in " \t":
            end += 1
        return Edit(start, end, "")
    return Edit(start, word.end, "")


def _joiner(tree: Dockerfile, *, heredoc: bool) -> re.Pattern[str]:
    # Outside a heredoc, blank and comment lines right after a line continuation are no part
    # of the command (the Dockerfile parser drops them): they may sit between a command and
    # its operator. In a heredoc the shell reads them.
    esc = re.escape(tree.escape)
    skipped = "" if heredoc else r"(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*"
    gap = rf"(?:[ \t]|{esc}\r?\n{skipped})*"
    return re.compile(rf"{gap}(?:&&|\|\||;){gap}")


def delete_edits(tree: Dockerfile, script: Script, cleanup: Cleanup) -> list[Edit] | None:
    """Edits that drop a cleanup: its words from an `rm`, or the command with the operator that
    joins it to its neighbour, or its whole line in a heredoc script. None otherwise (a pipe, a
    comment line in between, the only command of the RUN)."""
    text = tree.text
    if cleanup.words:
        edits = []
        for word in cleanup.words:
            start = word.start
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            edits.append(Edit(start, word.end, ""))
        return edits
    cmd = cleanup.command
    if "|" in (cmd.operator_before, cmd.operator_after) or cmd.operator_after == "&":
        return None
    in_heredoc = _in_heredoc(tree, cmd.start)
    joiner = _joiner(tree, heredoc=in_heredoc)
    peers = [
        c for c in script.commands if c is not cmd and not c.nested and c.enclosing == cmd.enclosing
    ]
    before = [c for c in peers if c.end <= cmd.start]
    after = [c for c in peers if c.start >= cmd.end]
    if before and joiner.fullmatch(text, before[-1].end, cmd.start):
        return [Edit(before[-1].end, cmd.end, "")]
    if after and joiner.fullmatch(text, cmd.end, after[0].start):
        return [Edit(cmd.start, after[0].start, "")]
    return _delete_line(text, cmd) if in_heredoc else None


def _delete_line(text: str, cmd: Command) -> list[Edit] | None:
    """A command alone on a line of a heredoc script goes with its line, unless the script
    line before it (past blank and comment lines) continues into it (`&&`, `|`, a backslash)."""
    start = text.rfind("\n", 0, cmd.start) + 1
    end = text.find("\n", cmd.end)
    if end < 0 or text[start : cmd.start].strip() or text[cmd.end : end].strip():
        return None
    at = start - 1
    while at > 0:
        line_start = text.rfind("\n", 0, at) + 1
        line = text[line_start:at].strip()
        if line and not line.startswith("#"):
            if line.endswith(("&&", "||", "|", "\\")):
                return None
            break
        at = line_start - 1
    return [Edit(start, end + 1, "")]


_FIRST_COMMAND = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?=[^\s#])")


def script_start(instruction: Instruction) -> int | None:
    """The file offset where a RUN's script starts running commands: past blank lines and
    comment lines, so a heredoc's `#!` line stays first. None when there is no command."""
    source = instruction.shell_source()
    if source is None:
        return None
    match = _FIRST_COMMAND.match(source.text)
    if match is None:
        return None
    return source.offsets[match.end()]


def add_flags(
    tree: Dockerfile,
    instruction: Instruction,
    flags: Sequence[str],
    *,
    one_per_line: bool,
    prefix: str = "",
) -> list[Edit] | None:
    """Edits that put `flags` first among a RUN's flags and, when given, `prefix` (like
    `rm -f x && `) in front of its script. One flag per line uses the file's escape and newline.
    None when the script has no start to put `prefix` before."""
    at = instruction.flags[0].span.start if instruction.flags else instruction.args_span.start
    after = instruction.after_keyword
    if not instruction.flags and "--" in after:
        # `RUN -- npm ci`: a lone `--` ends the flags, so a new one goes in front of it.
        at = instruction.start + len(instruction.keyword) + len(after) - len(after.lstrip())
    if one_per_line:
        sep = f" {tree.escape}{tree.newline}{INDENT}"
        flag_text = "".join(flag + sep for flag in flags)
    else:
        flag_text = "".join(flag + " " for flag in flags)
    if not prefix:
        return [Edit.insert(at, flag_text)] if flag_text else []
    start = script_start(instruction)
    if start is None:
        return None
    if start == at:
        return [Edit.insert(at, flag_text + prefix)]
    edits = [Edit.insert(start, prefix)]
    if flag_text:
        edits.insert(0, Edit.insert(at, flag_text))
    return edits


def append_command(tree: Dockerfile, script: Script, cmd: Command, new: str) -> Edit | None:
    """An edit adding `&& new` right after `cmd`, on a line of its own when the script already
    chains its commands one per line. None after a pipe, `||` or `&`: there `&&` would change
    what runs."""
    if cmd.operator_after in ("|", "||", "&") or cmd.operator_before == "|" or cmd.nested:
        return None
    text = tree.text
    earlier = [c for c in script.commands if c.end <= cmd.start and not c.nested]
    gap = text[earlier[-1].end : cmd.start] if earlier else ""
    if f"{tree.escape}\n" in gap or f"{tree.escape}\r\n" in gap:
        line_start = text.rfind("\n", 0, cmd.start) + 1
        indent = re.match(r"[ \t]*", text[line_start:]).group(0)  # type: ignore[union-attr]
        return Edit.insert(cmd.end, f" {tree.escape}{tree.newline}{indent}&& {new}")
    return Edit.insert(cmd.end, f" && {new}")


# The words that close a compound command: `&& x` after one runs `x` once, after the loop.
_CLOSERS = re.compile(r"(?:^|[\s;&|])(?:done|fi|esac)$|\)$")


def append_after_all(
    tree: Dockerfile, script: Script, commands: Sequence[Command], new: str
) -> Edit | None:
    """An edit adding `&& new` where it runs once, after all of `commands` (in source order):
    right after the last when they all are top-level commands; else after the script's last
    top-level command, or after the compound command that ends the script (`... done`), when
    that comes after them. Never inside a loop or a function body, where `new` would run
    again, or before the commands a function runs when called later. None when there is no
    such place."""
    last = commands[-1]
    if script.has_errors:
        return None
    if all(c.top_level for c in commands):
        return append_command(tree, script, last, new)
    final = [c for c in script.commands if not c.nested][-1]
    if final.top_level and final.start >= last.end:
        return append_command(tree, script, final, new)
    text = script.text.rstrip()
    if not _CLOSERS.search(text) or script.source.offsets[len(text)] <= last.start:
        return None
    end = script.source.offsets[len(text) - 1] + 1
    first = script.commands[0]
    if f"{tree.escape}\n" in tree.text[first.start : end] and not _in_heredoc(tree, end):
        line_start = tree.text.rfind("\n", 0, end) + 1
        indent = re.match(r"[ \t]*", tree.text[line_start:]).group(0)  # type: ignore[union-attr]
        return Edit.insert(end, f" {tree.escape}{tree.newline}{indent}&& {new}")
    return Edit.insert(end, f" && {new}")


def _in_heredoc(tree: Dockerfile, at: int) -> bool:
    return any(
        h.content_span.start <= at <= h.content_span.end
        for i in tree.instructions
        if i.start <= at <= i.end
        for h in i.heredocs
    )


def insert_at(edits: list[Edit], at: int, text: str) -> list[Edit]:
    """`edits` plus inserting `text` at `at`, after an insertion already there (the flags)."""
    for i, edit in enumerate(edits):
        if edit.start == edit.end == at:
            return [*edits[:i], Edit(at, at, edit.new_text + text), *edits[i + 1 :]]
    return [*edits, Edit.insert(at, text)]
