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
Unsafe: the application may require a package that package.json lists under devDependencies, and
an install in the final stage needs the tools native add-ons build with. The flag follows the
stage's npm (ecosystems/npm_versions.py): `--omit=dev` on npm 7+, `--production` on npm 6 and
older (`node:14` and before), which ignore `--omit`. When the npm version is unknown the install
fix writes `--omit=dev`: npm 6 ignores it, so
the fix changes nothing there rather than breaking the install.
The fix that moves the install into the final stage is offered only when the final stage's npm
is known: an unknown base may have no npm at all (distroless `nodejs` images).
## References
- npm docs: `npm ci` and `npm install` (`--omit=dev`, NODE_ENV=production)
- Docker docs: Multi-stage builds"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ecosystems import npm
from layerwise.ecosystems import npm_versions as nv
from layerwise.model import Step
from layerwise.rules import _node_modules as nm
from layerwise.rules import _support as s
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.texts import Phrase, Text
from layerwise.shell import Command
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW301",
    name="dev-dependencies-in-final-image",
    severity=Severity.WARNING,
    message="{what} puts devDependencies into the final image",
    fix_title="{remedy}",
    message_ko="{what} 때문에 최종 이미지에 devDependencies가 들어갑니다",
    fix_title_ko="{remedy}",
    phrases={
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
                remedy=RULE.text("omit_dev", verb=verb.text, flag=flag),
                fix=fix,
            )
    for copy in nm.modules_copies(ctx):
        hist = nm.history(ctx, copy.source, copy.project)
        if not hist.has_dev or nm.dev_dependencies_wanted(ctx, copy.step, copy.dest_project):
            continue
        ins = copy.step.instruction
        yield RULE.finding(
            ctx.tree.span(ins.span.start, ins.span.end),
            what=RULE.text("copy", stage=copy.source.ref, copied=_copied(copy)),
            remedy=RULE.text("prod_install", flag=nm.prod_install_flag(ctx) or "--omit=dev"),
            fix=nm.prod_install_fix(ctx, copy, hist),
        )


def _pruned(ctx: RuleContext, step: Step, install: Command, cwd: str) -> bool:
    """A later `npm prune --omit=dev` of the same RUN in the same directory: the
    devDependencies never reach a layer (a prune in a later RUN leaves them in this one)."""
    return any(
        c.start > install.start
        and npm.is_prune(c)
        and npm.omits_dev(c, step.state.env)
        and s.cwd_of(step, c) == cwd
        for c in s.commands(ctx, step.instruction)
    )


def _copied(copy: nm.ModulesCopy) -> Text | str:
    """`/app/node_modules`, or the project directory holding it."""
    if copy.whole:
        return RULE.text("whole", project=copy.project)
    return f"`{copy.project}/node_modules`"
