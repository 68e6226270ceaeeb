"""Whether a build may read the context's `.git` folder, so a `.dockerignore` written for it must
not leave `.git` out (LW601). Not a rule module.

The build may read `.git` when:
- a RUN runs `git` or names `.git` (`git rev-parse HEAD > VERSION`, `COPY .git .git`);
- a RUN runs `go build` or `go install` without `-buildvcs=false` (in the command or in
  `GOFLAGS`): from Go 1.18 the default `-buildvcs=auto` stamps the commit into the binary from
  `.git` when the image has git (the official golang images do), and fails when it has not;
- a project file at the context root or one folder below names a tool that takes the version
  from git (`VCS_TOOLS`: setuptools-scm, hatch-vcs, pbr, versioneer, vergen, git-commit-id...),
  or runs git in a command (`$(shell git describe)` in a Makefile, `git rev-parse` in a
  package.json script or a shell script): `pip install .`, `make`, `npm run build` then do.
Anything else a build runs could read `.git` too (a build script deeper in the tree), which
this does not see; those are left to the user.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from layerwise.ecosystems.base import command_env
from layerwise.rules import _context_files as cf
from layerwise.rules import _support as s
from layerwise.rules.base import RuleContext
from layerwise.shell import Command

# Tools that read the version (or the commit) from git at build time, as named in the project
# files that configure them.
VCS_TOOLS = (
    "setuptools_scm", "setuptools-scm", "use_scm_version", "hatch-vcs", "hatch_vcs",
    "versioningit", "dunamai", "pbr", "versioneer", "poetry-dynamic-versioning",
    "setuptools-git-versioning", "vergen", "git-version", "shadow-rs", "git-commit-id",
    "gradle-git-properties", "com.palantir.git-version", "grgit", "git-rev-sync",
    "git-revision-webpack-plugin",
)  # fmt: skip
# Files that define how a project builds, read for the names above and for git commands.
PROJECT_FILES = frozenset(
    {"pyproject.toml", "setup.py", "setup.cfg", "Makefile", "makefile", "GNUmakefile",
     "package.json", "Cargo.toml", "pom.xml", "build.gradle", "build.gradle.kts", "build.rs",
     "Taskfile.yml", "justfile"}
)  # fmt: skip
_SCRIPT_SUFFIXES = (".sh", ".bash")
_TOOL = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(t) for t in VCS_TOOLS) + r")(?![\w-])")
# `git describe` in a shell line or Makefile; `["git", "describe"]` in Python's subprocess.
_GIT_COMMAND = re.compile(r"(?<![\w.+/-])git[ \t]+-?[a-z][\w-]*|[\"']git[\"']\s*,")
_MAX_BYTES = 256 * 1024
_SKIP = frozenset({"node_modules", ".git", "vendor", "target", ".venv", "venv", "dist", "build"})


def build_may_read_git(ctx: RuleContext) -> bool:
    return (
        cf.mentions_word(ctx, ".git")
        or cf.runs_program(ctx, "git")
        or any(
            _stamps_vcs(cmd, step.state.env)
            for step in ctx.model.steps
            for cmd in s.commands(ctx, step.instruction)
        )
        or ctx.memo(_project_files_read_git, lambda: _project_files_read_git(ctx))
    )


def _stamps_vcs(cmd: Command, env: Mapping[str, str]) -> bool:
    """`go build` / `go install` with Go's default `-buildvcs=auto` (or `true`): the command's
    own `-buildvcs` wins over GOFLAGS'."""
    operands = cmd.operands()
    if cmd.program_name != "go" or not operands or operands[0].text not in ("build", "install"):
        return False
    goflags = command_env(cmd, env).get("GOFLAGS", "").split()
    value = _buildvcs(goflags)
    own = _buildvcs([w.text for w in cmd.words])
    value = own if own is not None else value
    return value not in ("false", "0", "f", "F", "FALSE", "False")


def _buildvcs(words: list[str]) -> str | None:
    """The last `-buildvcs` value in `words`; `-buildvcs` alone is `true` (a boolean-style
    flag: the next word is not its value)."""
    value = None
    for word in words:
        name, eq, given = word.lstrip("-").partition("=")
        if word.startswith("-") and name == "buildvcs":
            value = given if eq else "true"
    return value


def _project_files_read_git(ctx: RuleContext) -> bool:
    context = ctx.context
    if context is None:
        return False
    for path in context.files(max_depth=1, skip=_SKIP):
        name = path.rsplit("/", 1)[-1]
        if name not in PROJECT_FILES and not name.endswith(_SCRIPT_SUFFIXES):
            continue
        data = context.read_bytes(path)
        if data is None or len(data) > _MAX_BYTES:
            continue
        text = data.decode("utf-8", "replace")
        if name == "package.json":
            text = _scripts_text(text)
        if _TOOL.search(text) or _GIT_COMMAND.search(text):
            return True
    return False


def _scripts_text(text: str) -> str:
    """package.json's scripts and dependency names (where `"type": "git"` does not count)."""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return ""
    parts: list[str] = []
    for key in ("scripts", "dependencies", "devDependencies"):
        value = data.get(key)
        if isinstance(value, dict):
            parts += [f"{k}\n{v}" for k, v in value.items() if isinstance(v, str)]
    return "\n".join(parts)
