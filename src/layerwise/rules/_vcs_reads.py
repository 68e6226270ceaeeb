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
  package.json script or a shell script, `execSync('git rev-parse HEAD')` in a JavaScript build
  config such as next.config.js or in a file a package.json script runs with node), or runs
  `go build`/`go install` without `-buildvcs=false` (a Makefile's build target): `pip install .`,
  `make`, `npm run build` then do.
Anything else a build runs could read `.git` too (a build script deeper in the tree), which
this does not see; those are left to the user.
"""

from __future__ import annotations

import json
import posixpath
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
# JavaScript and TypeScript build configurations (next.config.js, vite.config.ts,
# webpack.config.cjs, gulpfile.js...), which run in `npm run build` and may call git.
_JS_CONFIG = re.compile(r"(?:.+\.config|gulpfile|gruntfile)\.[cm]?[jt]s", re.IGNORECASE)
# A script file a package.json script runs (`node scripts/version.mjs`).
_SCRIPT_FILE = re.compile(r"(?<![\w./-])((?:\./)?[\w./-]+\.[cm]?[jt]s)(?![\w.-])")
# `go build`/`go install` in a Makefile or script, without `-buildvcs=false` on the line.
_GO_BUILD = re.compile(r"(?<![\w.+/-])go[ \t]+(?:build|install)\b(?![^\n]*-buildvcs=(?:false|0))")
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
            _stamps_vcs(cmd, step.state.variables)
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
    run_by_scripts: list[str] = []
    for path in context.files(max_depth=1, skip=_SKIP):
        name = path.rsplit("/", 1)[-1]
        if not (
            name in PROJECT_FILES or name.endswith(_SCRIPT_SUFFIXES) or _JS_CONFIG.fullmatch(name)
        ):
            continue
        text = _read(ctx, path)
        if text is None:
            continue
        if name == "package.json":
            text = _scripts_text(text)
            folder = path.rpartition("/")[0]
            run_by_scripts += [
                posixpath.normpath(posixpath.join(folder, m)) for m in _SCRIPT_FILE.findall(text)
            ]
        if _reads_git(text):
            return True
    return any(_reads_git(_read(ctx, path) or "") for path in run_by_scripts)


def _read(ctx: RuleContext, path: str) -> str | None:
    data = ctx.context.read_bytes(path) if ctx.context is not None else None
    return None if data is None or len(data) > _MAX_BYTES else data.decode("utf-8", "replace")


def _reads_git(text: str) -> bool:
    return bool(_TOOL.search(text) or _GIT_COMMAND.search(text) or _GO_BUILD.search(text))


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
