"""LW301 dev-dependencies-in-final-image

## What it finds
devDependencies that end up in the final image: the final stage copies `node_modules` (or a
directory holding it) from a stage that installed them and never pruned them, or the final stage
itself runs `npm ci` / `npm install` without `--omit=dev` (and without `NODE_ENV=production`).
Silent when a later step of the final stage needs those devDependencies (`npm run build`,
`npx tsc`, `nest build`, any `npm run`/`npm test`/`npm exec`/`npx`/`yarn`/`pnpm`/`node`
command, `prisma generate`, `node_modules/.bin/...`) or removes `node_modules` anyway
(`rm -rf node_modules`, in the same RUN or later), or when the same RUN prunes them
(`npm ci && npm prune --omit=dev`: they never reach a layer).
The final stage's installs of the other managers too, each left without its development
dependencies the way its own documentation gives (ecosystems/, `dev_form`):
- yarn classic: `yarn install --production` (NODE_ENV=production does it already); Berry, whose
  `install` has no such option: `yarn workspaces focus --production` in its place (built into
  Yarn 4, a plugin before: no edit on Yarn 2 and 3 without `workspace-tools`; none when the
  install has other options, which `focus` does not take, or when the flavour is unknown);
- pnpm: `--prod` (not `pnpm fetch`, which fills only the store);
- Poetry: `--only main` (Poetry 1.2+; before it, `--no-dev`), silent when pyproject.toml has no
  group but `main` that an install takes, or the command picks its groups (`--with`, `--only`);
- uv: `uv sync --no-dev`, silent when pyproject.toml has no `dev` group, sets
  `tool.uv.default-groups`, or the command or UV_NO_DEV picks the groups; `uv pip install` as pip;
- Pipenv: `pipenv install` leaves `[dev-packages]` out unless `--dev` (or PIPENV_DEV): the fix
  removes that word;
- pip: none in general, since pip cannot tell a development requirement from another. Only when
  the requirements are split into files named for it (`requirements-dev.txt`,
  `dev-requirements.txt`, `requirements/test.txt`): beside other `-r` files that `-r` goes; alone,
  it gives way to the one file it chains (`-r requirements.txt`), when the context shows it;
- Bundler: `ENV BUNDLE_WITHOUT=development:test` above the RUN (silent when `without` is set by
  ENV, `bundle config` or .bundle/config, or the Gemfile has neither group): ENV, not a setting
  in front of `bundle install`, because Bundler does not save that, and at run time
  `bundler/setup` would want the left-out gems (Bundler::GemNotFound);
- Composer: `--no-dev` (silent with COMPOSER_NO_DEV or when composer.json has no `require-dev`).
npm stays as above, spelled for the stage's npm version. A final-stage `COPY --from` of the folder
another manager's install filled (`node_modules` of yarn or pnpm, uv's `.venv`, Composer's
`vendor`) in a stage that brought the development dependencies and pruned nothing after (the
module's prune, `pnpm prune --prod`, or a production install there) is reported too, without a
fix: moving that install into a stage of its own is LW304's. Silent, as for npm, when a later step
of the final stage runs what the development dependencies may provide (`poetry run`, `uv run`,
`pipenv run`, `bundle exec`, a package.json or composer.json script, `pytest`, `mypy`,
`rspec`, `rake`, `vendor/bin/phpunit`...) or removes what the install wrote (`node_modules`,
`.venv`, `vendor`), or when the CMD or ENTRYPOINT starts such a tool or goes through the
manager itself (`uv run` syncs the `dev` group back in when the container starts; `yarn start`
runs a script). Go, Cargo, Maven, Gradle and .NET have no development dependencies that reach
the artifact: their toolchain in the final image is LW305's.
## Why it matters
Compilers, test runners and type packages are often most of `node_modules`. In the runtime image
they are bytes every push uploads and every node pulls, and a layer that changes whenever any of
them changes.
## Example
    FROM node:20
    COPY package*.json ./
    RUN npm ci
After the fix the last line reads `RUN npm ci --omit=dev`. When `node_modules` comes from a
build stage, the fix installs the production dependencies in the final stage from the manifests
alone and keeps copying only the generated client (`node_modules/.prisma`).
## Fix safety
Unsafe, for every manager, proven by a build or not: the application may import at run time a
package its manifest lists among the development ones, which no build shows. For npm, too: the
application may require a package that package.json lists under devDependencies, and
an install in the final stage needs the tools native add-ons build with. The flag follows the
stage's npm (ecosystems/npm_versions.py): `--omit=dev` on npm 7+, `--production` on npm 6 and
older (`node:14` and before), which ignore `--omit`. When the npm version is unknown the install
fix writes `--omit=dev`: npm 6 ignores it, so
the fix changes nothing there rather than breaking the install.
The fix that moves the install into the final stage is offered only when the final stage's npm
is known: an unknown base may have no npm at all (distroless `nodejs` images).
## References
- npm docs: `npm ci` and `npm install` (`--omit=dev`, NODE_ENV=production)
- Yarn classic docs: `yarn install --production`; Yarn docs: `yarn workspaces focus`
- pnpm docs: `pnpm install` (`--prod`); Poetry docs: Managing dependencies (`--only main`);
  uv docs: `uv sync` (`--no-dev`, `default-groups`); Pipenv docs: `pipenv install --dev`
- Bundler: bundle-config(1) (`without`); Composer docs: `install --no-dev`
- Docker docs: Multi-stage builds"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from layerwise.ecosystems import Installer, installers_for, npm
from layerwise.ecosystems import npm_versions as nv
from layerwise.ecosystems.base import DevForm, is_under, removed_paths, runs_dev_tool
from layerwise.model import Stage, Step
from layerwise.rules import _node_modules as nm
from layerwise.rules import _support as s
from layerwise.rules._copied import copied_file
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import delete_word, short
from layerwise.rules.texts import Phrase, Text
from layerwise.shell import Command
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW301",
    name="dev-dependencies-in-final-image",
    severity=Severity.WARNING,
    message="{what} puts {dev} into the final image",
    fix_title="{remedy}",
    summary="Development dependencies (npm, yarn, pnpm, pip, Poetry, uv, Pipenv, Bundler, "
    "Composer) installed in the final image",
    message_ko="{what} 때문에 최종 이미지에 {dev} 들어갑니다",
    fix_title_ko="{remedy}",
    summary_ko="최종 이미지에 설치되는 개발 의존성 (npm, yarn, pnpm, pip, Poetry, uv, Pipenv, "
    "Bundler, Composer)",
    phrases={
        "node_dev": Phrase("devDependencies", "devDependencies가"),
        "dev": Phrase("development dependencies", "개발 의존성이"),
        "add": Phrase("Add `{text}` to `{command}`", "`{command}`에 `{text}` 추가"),
        "before": Phrase("Put `{text}` in front of `{command}`", "`{command}` 앞에 `{text}` 추가"),
        "env": Phrase("Set `ENV {text}` before `{command}`", "`{command}` 앞에 `ENV {text}` 설정"),
        "replace": Phrase("Replace `{old}` with `{new}`", "`{old}` 대신 `{new}` 사용"),
        "remove": Phrase("Remove `{text}` from `{command}`", "`{command}`에서 `{text}` 제거"),
        "install": Phrase("`{command}` in the final stage", "최종 스테이지의 `{command}` 명령"),
        "copy": Phrase("`COPY --from={stage}` of {copied}", "{copied} 복사(`COPY --from={stage}`)"),
        "whole": Phrase(
            "`{project}` with its `node_modules`", "`node_modules`를 포함한 `{project}`"
        ),
        "omit_dev": Phrase("Add `{flag}` to `npm {verb}`", "`npm {verb}`에 `{flag}` 추가"),
        "prod_install": Phrase(
            "Install production dependencies in the final stage with `npm ci {flag}`",
            "최종 스테이지에서 `npm ci {flag}`로 프로덕션 의존성 설치",
        ),
    },
    fix_safety=(Safety.UNSAFE,),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for step in ctx.model.final_stage.steps:
        for cmd in s.commands(ctx, step.instruction):
            if not s.is_dependency_install(cmd) or s.omits_dev(cmd, step):
                continue
            cwd = s.cwd_of(step, cmd)
            if nm.dev_dependencies_wanted(ctx, step, cwd, cmd) or _pruned(ctx, step, cmd, cwd):
                continue
            verb = npm.verb(cmd)
            assert verb is not None
            # Unknown npm: `--omit=dev`, which npm 6 ignores (a fix that does nothing there).
            flag = nv.omit_dev_flag(s.npm_major(ctx, step, cmd)) or "--omit=dev"
            fix = Fix(Safety.UNSAFE, [Edit.insert(verb.end, f" {flag}")])
            yield RULE.finding(
                ctx.tree.span(cmd.start, cmd.end),
                what=RULE.text("install", command=cmd.text),
                dev=RULE.text("node_dev"),
                remedy=RULE.text("omit_dev", verb=verb.text, flag=flag),
                fix=fix,
            )
    yield from _other_installs(ctx)
    yield from _other_copies(ctx)
    for copy in nm.modules_copies(ctx):
        hist = nm.history(ctx, copy.source, copy.project)
        if not hist.has_dev or nm.dev_dependencies_wanted(ctx, copy.step, copy.dest_project):
            continue
        ins = copy.step.instruction
        yield RULE.finding(
            ins.span,
            what=RULE.text("copy", stage=copy.source.ref, copied=_copied(copy)),
            dev=RULE.text("node_dev"),
            remedy=RULE.text("prod_install", flag=nm.prod_install_flag(ctx) or "--omit=dev"),
            fix=nm.prod_install_fix(ctx, copy, hist),
        )


def _other_installs(ctx: RuleContext) -> Iterator[Finding]:
    """Installs of the other managers in the final stage that bring development dependencies
    (each module's `dev_form`), unless a later step needs them or removes what was installed."""
    for step in ctx.model.final_stage.steps:
        for cmd in s.commands(ctx, step.instruction):
            for eco in installers_for(cmd):
                if eco.NAME == npm.NAME or not eco.is_dependency_install(cmd):
                    continue  # npm: above, with the flag its version takes
                cwd = s.cwd_of(step, cmd)
                copied = copied_file(ctx, step, cwd, (*eco.MANIFESTS, *eco.LOCKFILES))
                context = ctx.context if copied is not None else None
                folder = copied.source_dir if copied is not None else ""
                earlier = s.commands_before(ctx, step, cmd)
                form = eco.dev_form(cmd, step.state.variables, context, folder, earlier)
                if form is None or _dev_wanted(ctx, step, cmd, eco, cwd):
                    continue
                node = eco.NAME in ("yarn", "pnpm")
                yield RULE.finding(
                    ctx.tree.span(cmd.start, cmd.end),
                    what=RULE.text("install", command=cmd.text),
                    dev=RULE.text("node_dev" if node else "dev"),
                    remedy=_remedy(cmd, eco, form),
                    fix=_fix(ctx, step, cmd, form),
                )


def _other_copies(ctx: RuleContext) -> Iterator[Finding]:
    """The final stage's `COPY --from` of the folder another manager's install filled
    (`DEV_OUTPUTS`: `node_modules`, `.venv`, `vendor`) in a stage that brought the development
    dependencies and did not prune them. No fix: moving the install is LW304's business."""
    stages = ctx.model.stages
    for step in ctx.model.final_stage.steps:
        ins = step.instruction
        if ins.name != "COPY" or ins.flag("from") is None or len(step.source_stages) != 1:
            continue
        source = stages[step.source_stages[0]]
        dest = s.resolve(step.state.expand(ins.value[-1]), step.state.workdir)
        for src in ins.value[:-1]:
            path = posixpath.normpath(posixpath.join("/", step.state.expand(src)))
            found = _last_install_into(ctx, source, path)
            if found is None:
                continue
            eco = found[0]
            # A folder's contents land in `dest`: the installed folder's new place.
            if _dev_wanted(ctx, step, None, eco, posixpath.dirname(dest)):
                continue
            node = eco.NAME in ("yarn", "pnpm")
            yield RULE.finding(
                ins.span,
                what=RULE.text("copy", stage=source.ref, copied=f"`{path}`"),
                dev=RULE.text("node_dev" if node else "dev"),
            )
            break


def _last_install_into(
    ctx: RuleContext, source: Stage, path: str
) -> tuple[Installer, Step, Command] | None:
    """The last install of another manager than npm in `source`'s chain whose folder is
    `path`, when it brought the development dependencies and nothing after it pruned them (the
    module's `pruning` command, or a production install)."""
    found: tuple[Installer, Step, Command] | None = None
    for stage in s.stage_chain(source):
        for st in stage.steps:
            for cmd in s.commands(ctx, st.instruction):
                cwd = s.cwd_of(st, cmd)
                if found is not None and cwd == s.cwd_of(found[1], found[2]):
                    eco = found[0]
                    prune = eco.pruning(found[2], st.state.variables, None, "")
                    if prune is not None and cmd.text == prune.command:
                        found = None
                        continue
                for eco in installers_for(cmd):
                    if eco.NAME == npm.NAME or not eco.is_dependency_install(cmd):
                        continue
                    if any(s.resolve(out, cwd) == path for out in eco.DEV_OUTPUTS):
                        found = (eco, st, cmd)
    if found is None:
        return None
    eco, st, cmd = found
    cwd = s.cwd_of(st, cmd)
    copied = copied_file(ctx, st, cwd, eco.MANIFESTS)
    context = ctx.context if copied is not None else None
    folder = copied.source_dir if copied is not None else ""
    earlier = s.commands_before(ctx, st, cmd)
    form = eco.dev_form(cmd, st.state.variables, context, folder, earlier)
    return found if form is not None else None


def _dev_wanted(
    ctx: RuleContext, step: Step, install: Command | None, eco: Installer, cwd: str
) -> bool:
    """A later command of the stage runs what development dependencies provide (the tool's
    own runner, a script, a test or lint tool) or removes the folder the install wrote; or the
    container's CMD or ENTRYPOINT starts a test or lint tool or goes through the tool itself
    (`uv run` syncs the `dev` group back in when it starts, `yarn start` runs a script). A
    plain `node app.js` or `python -m app` there is the application, not a sign."""
    for c in _launch_commands(ctx):
        if runs_dev_tool(c) or (c.program_name in eco.PROGRAMS and eco.needs_dev(c)):
            return True
    outputs = [s.resolve(out, cwd) for out in eco.DEV_OUTPUTS]
    for later, cmd in s.later_commands(ctx, step, install):
        if eco.needs_dev(cmd) or runs_dev_tool(cmd):
            return True
        where = s.cwd_of(later, cmd)
        removed = (s.resolve(w.text, where) for w in removed_paths(cmd))
        if any(is_under(out, path) for path in removed for out in outputs):
            return True
    return False


def _launch_commands(ctx: RuleContext) -> tuple[Command, ...]:
    """The commands of the final stage's last CMD and ENTRYPOINT."""
    found: list[Command] = []
    for name in ("CMD", "ENTRYPOINT"):
        steps = [st for st in ctx.model.final_stage.steps if st.instruction.name == name]
        if steps:
            found.extend(s.launch_commands(steps[-1].instruction))
    return tuple(found)


def _fix(ctx: RuleContext, step: Step, cmd: Command, form: DevForm) -> Fix | None:
    """Unsafe whatever the manager: the application may import a development package."""
    if not form.words:
        return None
    if form.place == "env":
        line = f"ENV {form.text}{ctx.tree.newline}"
        return Fix(Safety.UNSAFE, [s.insert_before(ctx.tree, step.instruction, [line])])
    if form.place == "remove":
        text = ctx.tree.text
        edits = [delete_word(text, w, first=w.start == cmd.start) for w in form.words]
        return Fix(Safety.UNSAFE, edits)
    return Fix(Safety.UNSAFE, [s.word_edit(form.words[0], form.text, form.place)])


def _remedy(cmd: Command, eco: Installer, form: DevForm) -> Text:
    label = short(cmd, eco.verb(cmd))
    if form.place == "remove":
        return RULE.text("remove", text=form.shown, command=label)
    if form.place == "before":
        return RULE.text("before", text=form.text, command=label)
    if form.place == "env":
        return RULE.text("env", text=form.text, command=label)
    word, verb = form.words[0] if form.words else None, eco.verb(cmd)
    if form.place == "replace" and word is not None:
        on_verb = verb is not None and word.start == verb.start
        program = f"{cmd.program_name} " if on_verb else ""
        return RULE.text("replace", old=program + word.text, new=program + form.text)
    if word is not None and word is cmd.program_word:  # a subcommand after a bare `yarn`
        return RULE.text("replace", old=word.text, new=f"{word.text} {form.text}")
    return RULE.text("add", text=form.text, command=label)


def _pruned(ctx: RuleContext, step: Step, install: Command, cwd: str) -> bool:
    """A later `npm prune --omit=dev` of the same RUN in the same directory: the
    devDependencies never reach a layer (a prune in a later RUN leaves them in this one)."""
    return any(
        c.start > install.start
        and npm.is_prune(c)
        and npm.omits_dev(c, step.state.variables)
        and s.cwd_of(step, c) == cwd
        for c in s.commands(ctx, step.instruction)
    )


def _copied(copy: nm.ModulesCopy) -> Text | str:
    """`/app/node_modules`, or the project directory holding it."""
    if copy.whole:
        return RULE.text("whole", project=copy.project)
    return f"`{copy.project}/node_modules`"
