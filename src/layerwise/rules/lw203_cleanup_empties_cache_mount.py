"""LW203 cleanup-empties-cache-mount

## What it finds
A command that deletes what a cache mount of the same RUN keeps: `npm cache clean --force` with
a mount on npm's cache, `pip cache purge`, `uv cache clean`, `poetry cache clear` or an `rm` of
`~/.cache/pip` (uv, pypoetry, pipenv) with a mount on that cache, `yarn cache clean` or an
`rm` of `~/.cache/yarn` / `~/.yarn/berry` with a mount on yarn's cache (classic's or Berry's
global one), `pnpm store prune` with a mount on pnpm's store, `go clean -modcache` with a
mount on Go's module cache (`go clean -cache` on its build cache; with the mount on the module
cache folder itself, `go clean -modcache` also fails the RUN: "unlinkat /go/pkg/mod: device or
resource busy", seen on BuildKit 0.13 with Go 1.19),
`mvn dependency:purge-local-repository` (~/.m2/repository), `dotnet nuget locals all --clear`
(~/.nuget/packages), `composer clear-cache`, `apt-get clean` or
`rm -rf /var/lib/apt/lists/*` with apt's cache mounts, `apk cache purge` (/var/cache/apk),
`dnf clean all`, `yum clean all`, `microdnf clean all` (/var/cache/dnf, /var/cache/libdnf5,
/var/cache/yum), `zypper clean` (/var/cache/zypp), or an `rm` that empties a mounted cache
directory: the mount itself, a glob in it or in one of its folders (`/root/.npm/*`,
`archives/*.deb`) or a whole folder of it (`rm -r /root/.npm/_cacache`). A path named by a variable
the stage sets with ARG or ENV (`rm -rf $POETRY_CACHE_DIR`) counts as written there, unless the RUN
sets the variable itself; `rm -rf` of the mount point itself also fails the RUN ("Device or resource
busy"), and so does an `rm -r` of a folder above it (`rm -rf ~/.bundle/` with a mount on
`~/.bundle/cache`, or a glob there, `rm -rf ~/.cache/*`): rm empties the mount, then cannot remove
the mount point. Removing one file, or lock, log and temporary files
(`rm -f /cache/repo/.git/*.lock`, stale lock recovery), leaves the cached packages in place and is
not reported; so does removing a folder deeper in (`rm -rf /root/.m2/repository/com/acme` with the
mount on `/root/.m2`): one group's packages, often the project's own artifacts that `mvn install`
put there, kept out of the shared cache on purpose so that no later build takes a stale one. A
package manager's own cleaning command empties the folder IT uses: the one its options
(`pip cache purge --cache-dir /opt/c`), a `VAR=x` prefix or the stage's ARG or ENV
(`PIP_CACHE_DIR`, `npm_config_cache`, `YARN_CACHE_FOLDER`, `UV_CACHE_DIR`, `POETRY_CACHE_DIR`,
`GOMODCACHE`...) name, else the tool's default. It is reported only when that folder lies in a
mount: with the mount on the default and the cache moved elsewhere, it empties a folder of the
image and is not reported, nor is one whose folder only the shell knows (`--cache-dir "$DIR"`).

## Why it matters
These cleanups exist to keep caches out of the image layer. A cache mount is never committed to
the layer, so with the mount in place they save nothing and instead empty the cache the next
build would have reused: every package is downloaded again.

## Example
    RUN --mount=type=cache,target=/root/.npm npm ci && npm cache clean --force
After the fix:
    RUN --mount=type=cache,target=/root/.npm npm ci

## Fix safety
Safe: the deleted files are in the mount, never in the image. The fix drops the command with the
`&&`/`;` joining it (or only the mounted paths of an `rm` that also deletes others, and only the
option that empties a mount of `go clean -cache -modcache` when another of its cache options
stays: without one, `go clean` cleans the package's build outputs instead); no fix when the
cleanup is the RUN's only command or sits in a pipe. A cleaning of a folder no mount holds (counting
the one a fix of LW201, LW202 or LW204 adds) is never dropped: it keeps that folder out of the
image. A package manager's own cleaning command (`composer clear-cache`, `dnf clean all`...) of Yarn
Berry, Cargo, Maven, Gradle, .NET, Bundler, Composer, apk, dnf, yum, microdnf or zypper gets an
unsafe fix: not yet proven by a real build on BuildKit for them (their registries and base images
are out of reach here). Those of npm, yarn classic, pnpm and Go (`yarn cache clean`, `pnpm store
prune`, `go clean -modcache`) are safe: builds proved these managers' mounts, and a command that
only empties the mount adds nothing to the image. An `rm` of a mounted path is the same edit for
every tool and stays safe. No fix for an `rm -r` of a folder above the mount: dropping it would keep
that folder's other files in the image; move the mount or the `rm` by hand. The cache-mount rules
(LW201, LW202, LW204) give no fix either for a RUN with such an `rm`: the mount they would add would
fail the RUN (seen on BuildKit 0.13: `rm: cannot remove '/root/.x/cache': Device or resource busy`).

## References
- Dockerfile reference: RUN --mount=type=cache (contents are not part of the layer)
- Docker docs, Optimize cache usage in builds: use cache mounts"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ecosystems.base import fix_proven
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import (
    cache_mounts,
    delete_edits,
    fighting_cleanups,
    shell_runs,
)
from layerwise.rules.texts import Phrase

RULE = Rule(
    code="LW203",
    name="cleanup-empties-cache-mount",
    severity=Severity.WARNING,
    message="`{command}` {effect}",
    fix_title="Remove `{command}`",
    summary="cleanup that empties a cache mount of the same RUN",
    message_ko="`{command}` 명령이 {effect}",
    fix_title_ko="`{command}` 명령 제거",
    summary_ko="같은 RUN의 캐시 마운트를 비우는 정리 명령",
    phrases={
        "empties": Phrase(
            "empties the cache mount on `{target}` that this RUN keeps",
            "이 RUN이 유지하는 `{target}` 캐시 마운트를 비웁니다",
        ),
        "above": Phrase(
            "deletes the folder that holds the cache mount on `{target}`: it empties the cache, "
            "then fails the RUN (a mount point cannot be removed: Device or resource busy)",
            "`{target}` 캐시 마운트를 담은 폴더를 지웁니다: 캐시를 비운 뒤 RUN이 실패합니다"
            "(마운트 지점은 지울 수 없음)",
        ),
    },
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for step, script in shell_runs(ctx):
        mounts = [m.mount for m in cache_mounts(ctx, step)]
        if not mounts:  # most RUNs: nothing to empty, and no need to work out the user's home
            continue
        for cleanup in fighting_cleanups(
            script, mounts, step.state.home, step.state.workdir, step.state.variables
        ):
            cmd = cleanup.command
            # Above the mount: dropping the `rm` would keep the folder's other files.
            edits = None if cleanup.above else delete_edits(tree, script, cleanup)
            # A manager's own cleaning command goes safely only where a real build proved
            # its fixes; an `rm` of a mounted path is the same edit for every ecosystem.
            eco = cleanup.ecosystem
            safe = eco is None or fix_proven(eco, cmd, step.state.variables, ctx.context, "")
            fix = Fix(Safety.SAFE if safe else Safety.UNSAFE, edits) if edits else None
            if cleanup.words:
                # The words dropped, after the command's name (and its verb for a tool's own
                # cleaning: `go clean -modcache` out of `go clean -cache -modcache`).
                head = [cmd.program or ""]
                if eco is not None and cmd.args and not cmd.args[0].text.startswith("-"):
                    head.append(cmd.args[0].raw)
                what = " ".join([*head, *(w.raw for w in cleanup.words)])
                span = tree.span(cleanup.words[0].start, cleanup.words[-1].end)
            else:
                what = cmd.text
                span = tree.span(cmd.start, cmd.end)
            effect = RULE.text("above" if cleanup.above else "empties", target=cleanup.target)
            yield RULE.finding(
                span, fix=fix, facet="above" if cleanup.above else "", command=what, effect=effect
            )
