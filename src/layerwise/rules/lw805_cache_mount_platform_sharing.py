"""LW805 cache-mount-platform-sharing

## What it finds
In a multi-platform build (see LW801 for when a build counts as one), two opposite mistakes
with a cache mount's `id`:
- a cache mount holding files built for one platform, shared by every platform: the target is
  a `node_modules` directory, a virtual environment (`.venv`, `venv`, `$VIRTUAL_ENV`) or the
  `target` directory of a RUN that runs `cargo` (or the folder its `CARGO_TARGET_DIR` names),
  in a stage that runs on the target platform, and its `id` does not name the platform;
- a per-platform `id` (it uses `$TARGETPLATFORM`, `$TARGETARCH`, `$TARGETOS` or
  `$TARGETVARIANT`) on a cache whose content every platform can use: npm's cache (`~/.npm`),
  pip's (`~/.cache/pip`), Go's module and build caches (`/go/pkg/mod`, `~/.cache/go-build`),
  Cargo's registry (`/usr/local/cargo/registry`, `/usr/local/cargo/git/db`). Reported as info.
Anything else is left alone: apt's caches (`pkgcache.bin` is built for one architecture), and
directories layerwise cannot tell.

## Why it matters
buildkit-facts.md: the platform is not part of a cache mount's identity; in a multi-platform
build every platform shares one mount unless the id names the platform. Native modules, a
virtual environment's compiled packages or Cargo's build output left by the amd64 build are
then found by the arm64 build (or written by both at once): wrong-architecture binaries in
the image, or rebuilds each time the other platform ran last. The reverse costs time: npm's
cache, pip's, Go's and Cargo's registry are keyed by content (pip's wheels and Go's build cache
name the platform themselves), so one copy per platform only downloads everything twice.

## Example
    ARG TARGETPLATFORM
    RUN --mount=type=cache,target=/app/node_modules npm install
After the fix:
    RUN --mount=type=cache,target=/app/node_modules,id=/app/node_modules-$TARGETPLATFORM npm install
and the reverse:
    RUN --mount=type=cache,target=/root/.npm,id=npm-$TARGETPLATFORM npm ci
After the fix:
    RUN --mount=type=cache,target=/root/.npm,id=npm npm ci

## Fix safety
Naming the platform: safe, with the target engine `modern` only: variables in `--mount` options
are expanded from Dockerfile syntax 1.3 (Docker 20.10's built-in frontend keeps them literal,
so there is no fix for `docker-20.10`, nor under a `# syntax=` pinned before 1.3). The fix adds
`id=<id or target>-$TARGETPLATFORM` and, when the stage has none, `ARG TARGETPLATFORM` above the
RUN. The first build after it starts with empty per-platform caches. No fix either when the
file gives `TARGETPLATFORM` a default (`ARG TARGETPLATFORM=linux/amd64`, in the stage or before
the first FROM, which replaces the automatic value) or declares it before the first FROM
(BuildKit 0.13 empties it there): every platform would get the same id. Sharing again: safe, the
platform part of the id goes (with its `-`, `_`, `.` or `/`), or the whole `id` when nothing is
left; the tools named keep their caches safe for concurrent use. An `ARG TARGETPLATFORM` the
file declares stays, even when the id was its only use: a declared ARG is in the environment
of every later RUN, where a script may read it.

## Options
`--platform` / `platforms`: the platforms the build targets.

## References
- Dockerfile reference: RUN --mount=type=cache (id, sharing)
- Docker docs: Optimize cache usage (cache mounts); Multi-platform builds
- buildkit-facts.md: Cache mounts, Multi-platform"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Iterator

from layerwise.ecosystems import cargo
from layerwise.ecosystems.base import is_under
from layerwise.model import Step
from layerwise.rules._platforms import (
    MOUNT_ID,
    automatic_value,
    declare_before,
    mount_variables_expanded,
    multi_platform,
    shareable_cache,
)
from layerwise.rules._support import cwd_of
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import RunMount, cache_mounts, shell_runs
from layerwise.rules.texts import Phrase
from layerwise.shell import Script
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW805",
    name="cache-mount-platform-sharing",
    severity=Severity.WARNING,
    message="Cache mount on `{target}` {what}",
    fix_title="{action}",
    summary="A cache mount shared across platforms that holds one platform's files, or split "
    "per platform where sharing is right",
    message_ko="`{target}`의 캐시 마운트: {what}",
    fix_title_ko="{action}",
    summary_ko="한 플랫폼용 파일을 담은 채 모든 플랫폼이 공유하는 캐시 마운트, 또는 공유가 맞는데 "
    "플랫폼별로 나눈 캐시 마운트",
    phrases={
        "shared": Phrase(
            "holds {kind} built for one platform, and every platform of the build shares it: "
            "its id does not name the platform",
            "한 플랫폼용으로 빌드된 {kind}을 담는데 빌드의 모든 플랫폼이 공유합니다. "
            "`id`에 플랫폼이 없습니다",
        ),
        "split": Phrase(
            "keeps one copy per platform (`id={id}`) of a cache every platform can use: each "
            "platform downloads it again",
            "모든 플랫폼이 쓸 수 있는 캐시를 플랫폼마다 따로 둡니다(`id={id}`). 플랫폼마다 다시 "
            "내려받습니다",
        ),
        "node_modules": Phrase("`node_modules`", "`node_modules`"),
        "venv": Phrase("a virtual environment", "가상 환경"),
        "cargo": Phrase("Cargo's build output", "카고(`cargo`) 빌드 결과"),
        "add_platform": Phrase(
            "Add `$TARGETPLATFORM` to the mount's id", "마운트 `id`에 `$TARGETPLATFORM` 추가"
        ),
        "drop_platform": Phrase(
            "Remove the platform from the mount's id", "마운트 `id`에서 플랫폼 제거"
        ),
    },
    fix_safety=(Safety.SAFE,),
)
_TARGET_REF = re.compile(r"\$\{?TARGET(?:PLATFORM|OS|ARCH|VARIANT)(?![A-Za-z0-9_])\}?")
_PLATFORM_PART = re.compile(r"[-_./]?" + _TARGET_REF.pattern)


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not multi_platform(ctx):
        return
    for step, script in shell_runs(ctx):
        stage = ctx.model.stages[step.stage]
        platform = stage.effective_platform
        per_target = platform is None or _TARGET_REF.search(platform) is not None
        for run_mount in cache_mounts(ctx, step):
            mount = run_mount.mount
            split = mount.id is not None and _TARGET_REF.search(mount.id) is not None
            kind = _platform_specific(step, script, mount.target)
            if kind is not None and per_target and not split:
                yield _shared(ctx, step, run_mount, kind)
            elif split and mount.id is not None and shareable_cache(step, mount.target):
                yield _split(ctx, run_mount, mount.id)


def _platform_specific(step: Step, script: Script, target: str) -> str | None:
    name = posixpath.basename(target)
    if name == "node_modules":
        return "node_modules"
    if name in (".venv", "venv") or target == step.state.variables.get("VIRTUAL_ENV"):
        return "venv"
    cargo_runs = [c for c in script.commands if c.program_name == "cargo"]
    if cargo_runs and name == "target":
        return "cargo"
    state = step.state
    for cmd in cargo_runs:  # a target folder moved into the mount (`CARGO_TARGET_DIR=/tmp/t`)
        outputs = cargo.build_outputs(cmd, cwd_of(step, cmd), state.home, state.variables)
        if any(is_under(o, target) for o in outputs):
            return "cargo"
    return None


def _shared(ctx: RuleContext, step: Step, run_mount: RunMount, kind: str) -> Finding:
    tree, flag, mount = ctx.tree, run_mount.flag, run_mount.mount
    fix = None
    # With a default for TARGETPLATFORM (`ARG TARGETPLATFORM=linux/amd64`, in the stage or the
    # global scope) the id would be the same constant for every platform: still one shared
    # mount, now under a new id, and the finding gone.
    per_platform = automatic_value(ctx, step, "TARGETPLATFORM")
    if mount_variables_expanded(ctx) and per_platform and '"' not in flag.text:
        found = MOUNT_ID.search(flag.text)
        if found is not None:
            edit = Edit.insert(flag.start + found.end(1), "-$TARGETPLATFORM")
        else:
            at = flag.start + len(flag.text)
            edit = Edit.insert(at, f",id={mount.target}-$TARGETPLATFORM")
        edits = [edit]
        if "TARGETPLATFORM" not in step.state.args:
            edits.append(declare_before(tree, step.instruction, ["TARGETPLATFORM"]))
        fix = Fix(Safety.SAFE, edits)
    what = RULE.text("shared", kind=RULE.text(kind))
    return RULE.finding(
        flag.span, fix=fix, target=mount.target, what=what, action=RULE.text("add_platform")
    )


def _split(ctx: RuleContext, run_mount: RunMount, mount_id: str) -> Finding:
    flag = run_mount.flag
    fix = None
    found = MOUNT_ID.search(flag.text)
    # The platform reference must show in the flag's own text: the parsed id has escapes
    # resolved (`$TARGETPLAT\\FORM`), and an edit that cannot find it would change nothing.
    if found is not None and '"' not in flag.text and _TARGET_REF.search(found.group(1)):
        kept = _PLATFORM_PART.sub("", found.group(1)).lstrip("-_.")
        if kept:
            edit = Edit(flag.start + found.start(1), flag.start + found.end(1), kept)
        else:
            # the whole `,id=...` (or `id=...,` when it comes first after `--mount=`)
            start, end = found.start(), found.end()
            if flag.text[start - 1] == ",":
                start -= 1
            elif flag.text[end : end + 1] == ",":
                end += 1
            edit = Edit(flag.start + start, flag.start + end, "")
        fix = Fix(Safety.SAFE, [edit])
    what = RULE.text("split", id=mount_id)
    finding = RULE.finding(
        flag.span,
        fix=fix,
        target=run_mount.mount.target,
        what=what,
        action=RULE.text("drop_platform"),
    )
    return dataclasses.replace(finding, severity=Severity.INFO)
