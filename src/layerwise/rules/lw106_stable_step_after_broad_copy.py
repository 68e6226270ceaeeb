"""LW106 stable-step-after-broad-copy

## What it finds
A RUN that reads nothing from the build context but comes after the whole context was copied in
(`COPY . .`) in the same stage: system packages (`apt-get install`, `apk add`, `dnf install`),
global tools on literal names (`pip install poetry`, `npm install -g pm2`) and user or group
creation (`useradd`). Installs of the project's own dependencies, which read its manifests, are
LW101's. Cheap steps of the same kind (`mkdir -p /data`, `ln -s`, `chown` of a path outside the
copied tree) are not reported on their own, but move with a reported step.
## Why it matters
BuildKit keys a COPY on the content of the files it copies, and a miss reruns every later step
of the stage. Below `COPY . .`, a step that never looks at the sources still reruns on every
source edit: apt downloads and unpacks its packages again and the push uploads a new layer.
Above the COPY it stays cached until the base image or the step itself changes.
## Example
    WORKDIR /app
    COPY . .
    RUN apt-get update && apt-get install -y --no-install-recommends jq
    CMD ["python", "app.py"]
After the fix:
    WORKDIR /app
    RUN apt-get update && apt-get install -y --no-install-recommends jq
    COPY . .
    CMD ["python", "app.py"]
## Fix safety
A step counts as reading nothing from the context only when every command of it is proven so:
package managers on package names (no `./x.deb`, archive or path, and no option value naming a path
in the copied tree or a relative one: a local repository such as `apk -X /app/repo` or dnf's
`--repofrompath=local,/app/rpms`, apt's `-o Dir::Etc::SourceList=/app/sources.list`), `pip install`
and `npm install -g` on names (no `-r`, `-e`, `.`, `file:`, target folder), account tools, and
`mkdir`/`ln -s`/`chown`/`chmod`/`rm` on absolute paths outside the copied tree; every word is
literal or a Dockerfile variable; no redirect, no bind mount, no script file; and none of what the
programs read lies in the copied tree (apt's and pip's configuration, a PATH entry, the home folder
and variables naming files for pip and npm, the working directory of `python -m pip`). A COPY to
`/` reads everything, so nothing after it counts.
The fix moves the broad COPY (with its comments) below the last such step. The instructions it
passes must not change what the COPY does: LABEL, EXPOSE, CMD and the like, USER (a COPY without
`--chown` makes root-owned files whatever the user), ENV and ARG when the COPY uses no variable,
and other steps of this kind. When a WORKDIR, SHELL or VOLUME lies between there is no fix; after
another COPY or any other RUN the step is not reported, since that may have prepared what it
uses. The fix is safe unless a moved step writes where the COPY puts files (packages write the
system folders and `/var/www`, pip and npm `/usr/local` and the home folder, `useradd` `/etc`
and the home folder, `mkdir` its paths): then the COPY, now last, would win over the step, and
the fix is unsafe.
## References
- Docker docs: Optimize cache usage in builds (order your layers)
- Docker docs: Build cache invalidation"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.model import Step
from layerwise.rules import _support as s
from layerwise.rules._context_free import ContextFree, context_free, overlaps
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity

RULE = Rule(
    code="LW106",
    name="stable-step-after-broad-copy",
    severity=Severity.WARNING,
    message="`{command}` reads nothing `{copy}` at line {line} copies, but runs after it: any "
    "source change reruns it",
    fix_title="Move `{copy}` below line {below}",
    message_ko="`{command}` 명령은 {line}번 줄의 `{copy}`가 복사한 파일을 읽지 않는데도 그 뒤에서 "
    "실행되어, 소스가 바뀔 때마다 다시 실행됩니다",
    fix_title_ko="`{copy}`를 {below}번 줄 아래로 이동",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# Instructions the broad COPY may move below without changing what it copies: the COPY ignores
# USER without --chown, and ENV/ARG only matter to it through variables it uses.
_CROSSABLE = s.NO_STEP | {"USER", "ENV", "ARG"}
# After these the steps below may use what they made: nothing further is proven.
_BLOCKING = frozenset({"RUN", "COPY", "ADD", "ONBUILD"})


def check(ctx: RuleContext) -> Iterator[Finding]:
    for steps, at in s.after_broad_copy(ctx.model.stages):
        copy = steps[at]
        dest = _destination(copy)
        variables = "$" in copy.instruction.text
        found: list[tuple[Step, ContextFree, bool]] = []
        movable = True
        for step in steps[at + 1 :]:
            stable = context_free(ctx, step, dest)
            if stable is not None:
                found.append((step, stable, movable))
                continue
            name = step.instruction.name
            if name in _BLOCKING:
                break
            if name not in _CROSSABLE or (variables and name in ("ENV", "ARG")):
                movable = False
        moved = [(st, stable) for st, stable, ok in found if ok]
        fix = _fix(ctx, copy, moved, dest) if moved else None
        for _, stable, ok in found:
            if stable.notable is None:
                continue
            yield RULE.finding(
                ctx.tree.span(stable.notable.start, stable.notable.end),
                command=" ".join(stable.notable.text.split()),
                copy=copy.instruction.text.splitlines()[0],
                line=copy.instruction.start_line,
                below=moved[-1][0].instruction.start_line if moved else 0,
                fix=fix if ok else None,
            )


def _destination(copy: Step) -> str:
    """Where the broad COPY puts the context, absolute."""
    _, dest = s.copy_parts(copy.instruction) or ((), ".")
    return s.resolve(copy.state.expand(dest), copy.state.workdir)


def _fix(ctx: RuleContext, copy: Step, moved: list[tuple[Step, ContextFree]], dest: str) -> Fix:
    """The COPY goes below the last movable step; unsafe when a moved step writes where the
    COPY puts files (the COPY would now win)."""
    tree, instruction = ctx.tree, copy.instruction
    clash = any(overlaps(path, dest) for _, stable in moved for path in stable.writes)
    edits = [
        s.delete_block(tree, instruction),
        s.insert_after(tree, moved[-1][0].instruction, [instruction]),
    ]
    return Fix(Safety.UNSAFE if clash else Safety.SAFE, edits)
