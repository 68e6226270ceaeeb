"""LW107 install-ignores-lockfile

## What it finds
A dependency install that may rewrite the lockfile an earlier COPY put where it runs, instead
of installing what the lockfile pins: `yarn` or `yarn install` without `--frozen-lockfile`
(Yarn classic) or `--immutable` (Yarn Berry), `pnpm install` without `--frozen-lockfile`,
`uv sync` without `--locked` or `--frozen`, `pipenv install` without `--deploy`, `bundle
install` without Bundler's frozen setting, `composer update` of the whole project, and `dotnet
restore` without `--locked-mode` where a packages.lock.json was copied beside the project.
npm's `npm install` is LW104's. Silent when the lockfile is held already: by ENV
(`YARN_ENABLE_IMMUTABLE_INSTALLS`, `UV_LOCKED`, `UV_FROZEN`, `BUNDLE_FROZEN`,
`BUNDLE_DEPLOYMENT`, `RestoreLockedMode`, a CI variable for Yarn Berry and pnpm), by the
project's settings (.yarnrc.yml, .yarnrc, .npmrc, pnpm-workspace.yaml, .bundle/config, the
project or Directory.Build.props), or by an earlier `bundle config set frozen true` (or `yarn
config set`, `pnpm config set`); and when the command chose on purpose (`--no-lockfile`,
`uv sync --upgrade`, `composer update vendor/pkg` or `--lock`, `dotnet restore
--force-evaluate`, `pipenv install --skip-lock`). Silent too for a `uv sync` of another
folder's project (`--directory`, `--project`, UV_PROJECT, UV_WORKING_DIR): its lockfile is
not the one beside the RUN. `pipenv install --system` outside a virtualenv
is not reported: on a stale lock it warns and installs the lock as it is. Without a known build
context, only a COPY naming the lockfile (or a glob such as `Gemfile*`) counts, and `COPY . .`
does not.
## Why it matters
These installs follow the lockfile only while it agrees with the manifest. When it does not (a
dependency added to package.json, Gemfile or pyproject.toml without locking again), they
resolve again inside the image, rewrite the lockfile there and install versions nobody tested:
two builds of one commit can differ, and the layer no longer matches the lockfile in git. The
frozen form installs exactly what is pinned and stops the build when the lockfile is stale, so
the mismatch shows in the build log rather than in production. Yarn Berry and pnpm freeze the
lockfile by default in CI, but they detect CI from variables such as `CI` and `BUILD_NUMBER`,
which `docker build` does not pass to RUN steps unless the Dockerfile declares them: inside the
image they behave as on a laptop.
## Example
    COPY package.json yarn.lock ./
    RUN yarn install --production
After the fix the second line reads `RUN yarn install --frozen-lockfile --production`
(`--immutable` when the project is on Yarn Berry: package.json's `packageManager`, a
.yarnrc.yml or yarn.lock's header tell).
## Fix safety
The fix adds the frozen option after the verb (`--frozen-lockfile`, `--immutable`, `--locked`,
`--deploy`, `--locked-mode`; Yarn classic's `--pure-lockfile` is replaced), puts
`BUNDLE_FROZEN=true` in front of `bundle install` (the `--frozen` flag is deprecated), or
replaces `composer update` with `composer install`. When the yarn flavour is unknown the fix
writes `--frozen-lockfile`, which Berry takes as a deprecated alias of `--immutable` (Yarn 2
releases before early 2021 refused it). A frozen install fails where the original
rewrote a stale lockfile: that is its purpose, and also why the fix can break a build that
passes today. So it is safe only for uv, whose layout a real build proved here
(tests/apps/python-uv), and only when the build context shows uv.lock in sync: a single project
without `[tool.uv]`, uv.toml, optional dependencies or dynamic metadata, every requirement a
name and version specifiers, the same `requires-python`, uv.lock's record of
`dependencies` and `[dependency-groups]` equal to pyproject.toml's, no `[options]` or
`[manifest]` in uv.lock, every package from PyPI, and no index or resolver option on the
command or in ENV. Everything else is unsafe: for yarn and pnpm the context
cannot show that the lockfile matches package.json (a frozen install then stops), Bundler,
Composer and .NET have no proving build here (their registries are out of reach), and
Pipenv's `--deploy` also stops when the image's Python is not the Pipfile's
`[requires] python_version`, and compares a hash of the Pipfile that layerwise does not
compute. Hazards to check before applying: Bundler's frozen mode stops on a Gemfile.lock that
lacks the image's platform (made on macOS without `x86_64-linux`), which a plain install quietly
adds; `dotnet restore --locked-mode` stops when the restore's runtime (`-r linux-x64`) or target
framework is not in the lock; `composer install` installs a stale lock with a warning where
`update` re-resolved, so the image may get older packages than before. No fix where one word
cannot do it: `bundle install` behind `sudo` (it may drop the variable), `composer update` with
options `install` lacks (`--with-all-dependencies`, `--prefer-lowest`).
## References
- Yarn classic documentation: `yarn install` (`--frozen-lockfile`, `--pure-lockfile`)
- Yarn documentation: `yarn install` (`--immutable`, "defaults to true on CI") and the
  `enableImmutableInstalls` setting; yarnpkg/berry's install command keeps `--frozen-lockfile`
  as a deprecated alias of `--immutable` (yarnpkg/berry#2488, yarnpkg/yarn#8597)
- pnpm documentation: `pnpm install` (`--frozen-lockfile`: "true in CI", detected with ci-info)
- uv documentation: Locking and syncing (`--locked`, `--frozen`), Using uv in Docker,
  Environment variables (`UV_LOCKED`, `UV_FROZEN`)
- Pipenv: `pipenv install --deploy` ("Abort if the Pipfile.lock is out-of-date, or Python
  version is wrong"); pypa/pipenv routines/install.py (re-locking, `--system`)
- Bundler: bundle-config(1) (`frozen`, `deployment`), bundle-install(1)
- Composer documentation: Command-line interface (`install`, `update`)
- NuGet documentation: Locking dependencies (`--locked-mode`, `RestoreLockedMode`), NU1004"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from layerwise.ecosystems import Installer, installers_named
from layerwise.ecosystems.base import LockfileForm
from layerwise.model import Step
from layerwise.rules._copied import Copied, copied_file
from layerwise.rules._support import commands_before, cwd_of, resolve, word_edit
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import shell_runs
from layerwise.rules.texts import Phrase, Text
from layerwise.shell import Command

RULE = Rule(
    code="LW107",
    name="install-ignores-lockfile",
    severity=Severity.WARNING,
    message="`{command}` may rewrite `{lockfile}` copied at line {line} instead of installing "
    "what it pins",
    fix_title="{change}",
    summary="An install that may rewrite the lockfile copied where it runs (yarn, pnpm, uv, "
    "Pipenv, Bundler, Composer, .NET)",
    message_ko="`{command}` 명령이 {line}번 줄에서 복사한 `{lockfile}` 파일이 고정한 버전을 "
    "설치하지 않고 그 파일을 다시 쓸 수 있습니다",
    fix_title_ko="{change}",
    summary_ko="실행 위치에 복사한 lockfile을 다시 쓸 수 있는 설치 (yarn, pnpm, uv, Pipenv, "
    "Bundler, Composer, .NET)",
    phrases={
        "add": Phrase("Add `{text}`", "`{text}` 추가"),
        "replace": Phrase("Replace `{old}` with `{new}`", "`{old}` 대신 `{new}` 사용"),
    },
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for step, script in shell_runs(ctx):
        for cmd in script.commands:
            for eco in installers_named(cmd):  # each answers for its own programs only
                lockfile = eco.lockfile_of(cmd)
                if lockfile is None:
                    continue
                found = _finding(ctx, step, cmd, eco, lockfile)
                if found is not None:
                    yield found
                break


def _finding(
    ctx: RuleContext, step: Step, cmd: Command, eco: Installer, lockfile: str
) -> Finding | None:
    """The finding when an earlier COPY put `lockfile` where `cmd` reads it and nothing holds
    the install to it already."""
    folder = resolve(posixpath.dirname(lockfile) or ".", cwd_of(step, cmd))
    copied = copied_file(ctx, step, folder, (posixpath.basename(lockfile),))
    if copied is None:
        return None
    earlier = commands_before(ctx, step, cmd)
    form = eco.lockfile_form(cmd, step.state.variables, ctx.context, copied.source_dir, earlier)
    if form is None:
        return None
    verb = eco.verb(cmd)
    program = cmd.program_name or cmd.text
    label = f"{program} {verb.text}" if verb is not None and verb.is_static else program
    fix = None
    if form.word is not None:
        safe = eco.BUILD_PROVEN and ctx.context is not None and copied.known and form.proven
        fix = Fix(
            Safety.SAFE if safe else Safety.UNSAFE, [word_edit(form.word, form.text, form.place)]
        )
    # A replaced verb is shown with its program: `composer update`, not `update`.
    on_verb = verb is not None and form.word is not None and form.word.start == verb.start
    return RULE.finding(
        ctx.tree.span(cmd.start, cmd.end),
        fix=fix,
        command=label,
        lockfile=_shown(lockfile, copied),
        line=copied.line,
        change=_change(form, program if on_verb else ""),
    )


def _shown(lockfile: str, copied: Copied) -> str:
    """The lockfile as the command sees it (`src/Api/packages.lock.json`)."""
    folder = posixpath.dirname(lockfile)
    return posixpath.join(folder, copied.name) if folder else copied.name


def _change(form: LockfileForm, program: str) -> Text:
    """What the fix does, in words: add the option or setting, or replace a word (after
    `program` when it is the verb)."""
    if form.word is None or form.place != "replace":
        return RULE.text("add", text=form.text)
    prefix = f"{program} " if program else ""
    return RULE.text("replace", old=prefix + form.word.text, new=prefix + form.text)
