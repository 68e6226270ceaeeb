"""Commands that may run apt where the shell parser cannot see it (LW202). Not a rule module.

A RUN may run apt through something it runs rather than names:
- a script file or a piped script (`./setup.sh`, `bash install.sh`, `. env.sh`, `curl ... |
  bash -`, as NodeSource's setup, which installs with apt-get);
- a script whose text is only known when the RUN runs: a shell given a script word with an
  expansion (`bash -lc "$(cat install.sh)"`, `sh -c "$SCRIPT"`), or `eval` of one;
- a task runner's recipe (`make deps`, `npm run setup`, `yarn setup`, `just deps`, `task deps`):
  its commands live in a file of the project. The recipe files the context shows at its root or
  one folder below are read: a runner runs no apt when they name neither apt nor a shell script
  file (which may run it unseen in turn); without such a file in the context (no context, or a
  project the build fetches itself) it may. So `make` of a C program whose Makefile names no
  apt stays clear, and a Makefile that runs `apt-get install` does not.
"""

from __future__ import annotations

import json
import posixpath
import re

from layerwise.ecosystems import npm, pnpm, yarn
from layerwise.rules.base import RuleContext
from layerwise.shell import Command
from layerwise.shell.inline import SHELLS, script_word

# `apt-get`, `apt` or `aptitude` as a word of its own: not a path part (`/var/lib/apt/lists`),
# nor part of a name (`python3-apt`, `apt-transport-https`).
APT_WORD = re.compile(r"(?<![\w./-])(?:apt-get|apt|aptitude)(?![\w./-])")
# A shell script file a recipe runs (`./scripts/deps.sh`, `bash tools/setup.bash`).
_SHELL_FILE = re.compile(r"[\w./-]+\.(?:sh|bash)(?![\w.-])")
# Scripts known to run no package manager: a Python virtual environment's `activate` (sourced
# in front of pip) only sets PATH, VIRTUAL_ENV and the prompt.
_QUIET_SCRIPTS = frozenset({"activate"})
# Task runners and the files their recipes come from.
_MAKE = frozenset({"make", "gmake"})
_MAKEFILES = frozenset({"GNUmakefile", "makefile", "Makefile"})
_JUST = frozenset({"justfile", "Justfile", ".justfile"})
_TASK = frozenset({"Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml"})
_PACKAGE_JSON = frozenset({"package.json"})
# Options with which a runner only prints (`make --version`): it runs no recipe.
_NO_RECIPE = ("--version", "-v", "--help", "-h")
_MAX_BYTES = 256 * 1024
_SKIP = frozenset({"node_modules", ".git", "vendor", "target", ".venv", "venv", "dist", "build"})


def may_run_apt(ctx: RuleContext, cmd: Command) -> bool:
    """`cmd` runs a script file, a script known only at run time, or a task runner whose
    recipes may run apt."""
    return runs_script_file(cmd) or runs_unknown_script(cmd) or _runner_may_run_apt(ctx, cmd)


def unseen_lists_use(ctx: RuleContext, cmd: Command) -> str | None:
    """How `cmd` uses the package lists unseen: "reads" when it may run apt unseen, except a
    sourced script known to run no apt; None otherwise."""
    if runs_script_file(cmd):
        return _script_file_use(cmd)
    return "reads" if may_run_apt(ctx, cmd) else None


def runs_script_file(cmd: Command) -> bool:
    """Runs a shell script from a file or a pipe (`./setup.sh`, `bash install.sh`, `. env.sh`,
    `curl ... | bash -`)."""
    name = cmd.program_name or ""
    if name.endswith((".sh", ".bash")) or name in (".", "source"):
        return True
    # A shell without -c reads its script from a file or stdin (`sh -c '...'` is parsed already).
    return name in SHELLS and script_word(cmd) is None


def runs_unknown_script(cmd: Command) -> bool:
    """A shell given a script word with an expansion (`bash -lc "$(cat install.sh)"`), or
    `eval` of such a word or of one that names apt: the script is read only when it runs."""
    name = cmd.program_name or ""
    if name in SHELLS:
        word = script_word(cmd)
        return word is not None and not word.is_static
    if name == "eval":
        return any(not w.is_static or APT_WORD.search(w.text) for w in cmd.args)
    return False


def _script_file_use(cmd: Command) -> str | None:
    """The file's use of the lists: "reads", since what it runs is unseen here (NodeSource's
    setup installs with apt-get; the file's origin is unknown once a RUN names it, so the
    context cannot tell), or None for a sourced script known to run no apt."""
    args = cmd.args
    quiet = cmd.program_name in (".", "source") and bool(args) and args[0].is_static
    if quiet and posixpath.basename(args[0].text) in _QUIET_SCRIPTS:
        return None
    return "reads"


def _recipe_files(cmd: Command) -> frozenset[str] | None:
    """The names of the files whose recipes `cmd` runs, None when it runs no task runner."""
    name = cmd.program_name or ""
    if cmd.has_option(*_NO_RECIPE):
        return None
    if name in _MAKE:
        return _MAKEFILES
    if name == "just":
        return _JUST
    if name in ("task", "go-task"):
        return _TASK
    if npm.run_script_name(cmd) is not None:
        return _PACKAGE_JSON
    if (name in yarn.PROGRAMS and yarn.needs_dev(cmd)) or (
        name in pnpm.PROGRAMS and pnpm.needs_dev(cmd)
    ):
        return _PACKAGE_JSON
    return None


def _runner_may_run_apt(ctx: RuleContext, cmd: Command) -> bool:
    names = _recipe_files(cmd)
    if names is None:
        return False
    return ctx.memo((_runner_may_run_apt, names), lambda: _recipes_may_run_apt(ctx, names))


def _recipes_may_run_apt(ctx: RuleContext, names: frozenset[str]) -> bool:
    """No recipe file among `names` at the context root or one folder below (what runs is
    unknown), or one that names apt or a shell script file."""
    context = ctx.context
    if context is None:
        return True
    found = False
    for path in context.files(max_depth=1, skip=_SKIP):
        included = names is _MAKEFILES and path.endswith(".mk")  # `include common.mk`
        if posixpath.basename(path) not in names and not included:
            continue
        found = True
        data = context.read_bytes(path)
        if data is None or len(data) > _MAX_BYTES:
            return True
        text = data.decode("utf-8", "replace")
        if names is _PACKAGE_JSON:
            text = _scripts(text)
        if APT_WORD.search(text) or _SHELL_FILE.search(text):
            return True
    return not found


def _scripts(text: str) -> str:
    """package.json's scripts, one a line (all of it when it does not parse)."""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return ""
    return "\n".join(v for v in scripts.values() if isinstance(v, str))
