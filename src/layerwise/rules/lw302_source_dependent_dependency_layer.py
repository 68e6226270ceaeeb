"""LW302 source-dependent-dependency-layer

## What it finds
The final stage copies `node_modules` (or a directory holding it) from a stage that changed it
after copying the whole build context (`COPY . .`): it installed, pruned or generated code into
it after the broad COPY.
## Why it matters
That stage reruns those steps on every source change, so the final image's dependency layer is
rebuilt on every commit; any byte that differs (a generated file, a build cache written under
`node_modules/.cache`) makes it a new layer of the full dependency size that every push uploads
and every node pulls, although no dependency changed. Installed from the manifests alone, the
production dependencies stay one cached layer until package.json or the lockfile changes.
## Example
    FROM node:20 AS build
    COPY package*.json ./
    RUN npm ci
    COPY . .
    RUN npm run build && npm prune --omit=dev
    FROM node:20
    COPY --from=build /app/node_modules ./node_modules
After the fix the final stage runs `COPY package.json package-lock.json ./` and `RUN npm ci
--omit=dev` before its first COPY, and copies only generated code such as `node_modules/.prisma`
from the build stage.
## Fix safety
No fix when a whole directory holding the project is copied, when the final stage's npm version
is unknown (its base may have no npm at all: distroless `nodejs` images), or when a later step
of the final stage needs the devDependencies (a build, a script, `npx`). Otherwise unsafe: the
final stage's base image needs the tools that native add-ons build with, and the install must
not depend on files the manifests do not list. The install is spelled for the stage's npm:
`--omit=dev` from npm 7, `--production` on npm 6 and older, which ignore `--omit`.
## References
- Docker docs: Multi-stage builds; Optimize cache usage in builds"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.rules import _node_modules as nm
from layerwise.rules.base import Finding, Rule, RuleContext, Safety, Severity

RULE = Rule(
    code="LW302",
    name="source-dependent-dependency-layer",
    severity=Severity.WARNING,
    message="`node_modules` from stage `{stage}` changes after `COPY . .` at line {line} "
    "(`{step}`), so this layer is rebuilt on every source change",
    fix_title="Install production dependencies in the final stage from the manifests alone",
    message_ko="`{stage}` 스테이지의 `node_modules`가 {line}번 줄의 `COPY . .` 뒤에서 "
    "바뀌므로(`{step}`), 소스가 바뀔 때마다 이 레이어를 다시 빌드합니다",
    fix_title_ko="최종 스테이지에서 매니페스트만으로 프로덕션 의존성 설치",
    fix_safety=(Safety.UNSAFE,),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for copy in nm.modules_copies(ctx):
        hist = nm.history(ctx, copy.source, copy.project)
        late = hist.after_broad_copy()
        if not late or hist.broad_copy_line is None:
            continue
        ins = copy.step.instruction
        yield RULE.finding(
            ins.span,
            stage=copy.source.ref,
            line=hist.broad_copy_line,
            step=late[0][0].instruction.text.splitlines()[0],
            fix=nm.prod_install_fix(ctx, copy, hist),
        )
