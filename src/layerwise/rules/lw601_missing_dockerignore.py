"""LW601 missing-dockerignore

## What it finds
A COPY or ADD of the whole build context (`COPY . .`), or a RUN that bind-mounts it
(`RUN --mount=type=bind,target=/src make`), with no `.dockerignore`, while the context
holds what no image needs: the `.git` folder, installed dependencies (`node_modules`), build
outputs (`dist/`, `build/`, `target/` at the root or beside the manifest of the project that
writes them), virtualenvs (a folder with a `pyvenv.cfg`), tool caches (`__pycache__`,
`.pytest_cache`, `.mypy_cache`, `.ruff_cache`, `.tox`, `.nox`, `.hypothesis`, `.parcel-cache`) and
log files (`*.log`; not one in a test data folder: `test`, `tests`, `testdata`, `fixtures`,
`__fixtures__`, `__tests__`, where it is a fixture a test reads).
## Why it matters
BuildKit keys a COPY on the content of every file it copies. Without a `.dockerignore`, `COPY .
.` copies `.git` (which changes on every commit, fetch and checkout), the host's `node_modules`
(which changes on every install) and logs and caches that change on every run: the COPY and
every step after it rerun although no source changed, the client sends those bytes to the
builder on every build, and the image carries them. Left out by `.dockerignore`, they never
reach the builder and editing them busts nothing.
## Example
    FROM node:20
    WORKDIR /app
    COPY . .
    RUN npm ci && npm run build
With `.git/`, `node_modules/` and `npm-debug.log` in the context, the fix writes a new
`.dockerignore`:
    .git
    node_modules
    *.log
## Fix safety
The fix creates `.dockerignore` at the context root, listing what the context actually holds
and nothing else. It leaves out anything the Dockerfile may still need: a path a COPY or ADD
names (`COPY .git ./.git`, `COPY dist/ ./dist/`) or all a copied folder holds; `.git` when the
build may read it: a RUN runs `git` or mentions `.git`; a RUN runs `go build` or `go install`
without `-buildvcs=false` (in the command or `GOFLAGS`: Go stamps the commit from `.git` into
the binary by default, so leaving it out changes the binary); or a project file at the context
root or one folder below (pyproject.toml, setup.py, setup.cfg, Makefile, package.json's
scripts and the script files they run with node, JavaScript build configs such as
next.config.js or vite.config.ts, Cargo.toml, build.rs, pom.xml, build.gradle, `*.sh`) names a
tool that takes the version from git (setuptools-scm, hatch-vcs, versioningit, pbr,
versioneer, vergen, git-commit-id...), runs a git command (`$(shell git describe)`,
`execSync("git rev-parse HEAD")`) or runs `go build` without `-buildvcs=false` (a Makefile's
build target); installed dependencies
(`node_modules`) when no RUN installs JavaScript dependencies with npm, pnpm or yarn (the image
then uses the host's; a `pip install` makes no `node_modules`); a `**/*.log` line that would
also leave out a log file of a test data folder; a virtualenv some instruction names
(`.venv/bin/python`); build outputs some instruction names when no RUN builds. The fix is safe;
it is unsafe when other Dockerfiles sit at the context root, since they read the same
`.dockerignore` and were not checked.
## References
- Docker docs: Build context, .dockerignore files
- Docker docs: Optimize cache usage in builds (keep the context small)"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from layerwise.context.dockerignore import IgnoreMatcher
from layerwise.context.ignore_file import ignore_path
from layerwise.context.survey import Found, ignore_lines
from layerwise.rules import _context_files as cf
from layerwise.rules._vcs_reads import build_may_read_git
from layerwise.rules.base import FileLines, Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.texts import Listing

RULE = Rule(
    code="LW601",
    name="missing-dockerignore",
    severity=Severity.WARNING,
    message="No `.dockerignore`: `{copy}` sends {what} to the builder, and any change to them "
    "reruns it and every later step",
    fix_title="Create `{file}` leaving out {what}",
    message_ko="`.dockerignore`가 없어 `{copy}`가 {what}까지 빌더로 보내며, 이것들이 바뀔 때마다 "
    "이 단계와 이후 단계가 모두 다시 실행됩니다",
    fix_title_ko="{what}을(를) 제외하는 `{file}` 만들기",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
_NODE_INSTALLERS = frozenset({"npm", "pnpm", "yarn"})


def check(ctx: RuleContext) -> Iterator[Finding]:
    context = ctx.context
    if context is None or context.ignore_file is not None:
        return
    copies = cf.broad_copies(ctx)
    found = cf.context_survey(ctx)
    if not copies or found is None or not found.clutter:
        return
    lines: list[str] = []
    for line, items in ignore_lines(found.clutter):
        if not _needed(ctx, line, items, lines):
            lines.append(line)
    if not lines:
        return
    copy = copies[0].instruction
    safety = Safety.UNSAFE if cf.other_dockerfiles(ctx) else Safety.SAFE
    file = ignore_path(context)
    fix = Fix(safety, [], files=[FileLines(file, tuple(lines))])
    yield RULE.finding(
        copy.span,
        copy=copy.text.splitlines()[0],
        what=Listing([f"`{line}`" for line in lines]),
        file=file,
        fix=fix,
    )


def _needed(ctx: RuleContext, line: str, items: tuple[Found, ...], written: Sequence[str]) -> bool:
    """The Dockerfile may read what `line` would leave out: then the line is not written.
    `written`: the lines already chosen, which together with this one must not empty a
    copied folder (`web/` holding only `node_modules/` and `out.log`: each line alone leaves
    it something)."""
    for source in cf.explicit_sources(ctx):
        if cf.excluded_by([line], source) or any(cf.names_path(source, i.path) for i in items):
            return True
    if cf.empties_a_copy(ctx, [*written, line]):
        return True
    kind = items[0].kind
    if kind == "vcs":
        return build_may_read_git(ctx)
    if kind == "dependencies":  # node_modules: only a JavaScript install makes it in the image
        return not cf.installs_dependencies(ctx, _NODE_INSTALLERS)
    if kind == "virtualenv":  # a host venv's absolute paths rarely work in an image: only named
        return cf.mentions_word(ctx, items[0].path)
    if kind == "log":  # `**/*.log` would leave out the logs a test reads too
        found = cf.context_survey(ctx)
        test_logs = found.test_logs if found is not None else ()
        return any(IgnoreMatcher([line]).is_ignored(log.path) for log in test_logs)
    if kind == "build":
        return not cf.builds(ctx) and cf.mentions_word(ctx, cf.basename(items[0].path))
    return False
