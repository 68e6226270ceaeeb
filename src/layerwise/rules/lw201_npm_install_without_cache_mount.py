"""LW201 npm-install-without-cache-mount

## What it finds
A RUN that installs packages without a cache mount on the tool's cache directory, for the user
the RUN runs as (root's home, else the user's, with uid/gid) and the ENV that moves it:
npm (`/root/.npm`, `npm_config_cache`), pip (`/root/.cache/pip`, `PIP_CACHE_DIR`,
`XDG_CACHE_HOME`, `--cache-dir`), uv (`/root/.cache/uv`, `UV_CACHE_DIR`), Poetry
(`/root/.cache/pypoetry`, `POETRY_CACHE_DIR`; only its `cache/` and `artifacts/` folders
unless ENV provably keeps the virtualenv out of it: it defaults to `{cache-dir}/virtualenvs`.
Out of it means `POETRY_VIRTUALENVS_CREATE` false, `POETRY_VIRTUALENVS_IN_PROJECT` `true` or
`1` (Poetry reads only those as true, `yes` and `on` are false), or an absolute
`POETRY_VIRTUALENVS_PATH` outside the cache directory) and
Pipenv (`/root/.cache/pipenv`, `PIPENV_CACHE_DIR`). `ENV PIP_NO_CACHE_DIR` (any value turns
pip's cache off) is the Dockerfile's choice and is left alone.
yarn classic: `/usr/local/share/.cache/yarn` for root (yarn 1 takes /usr/local/share as root's
home on Linux), `~/.cache/yarn` for another user, `YARN_CACHE_FOLDER`, `XDG_CACHE_HOME`,
`--cache-folder`. yarn Berry, told from the command or ENV (`--immutable`, `YARN_*` settings
only Berry has) and from the build context: when the context folder the command's package.json
was copied from is a Berry project (`packageManager`, `.yarnrc.yml`, yarn.lock's header), the
rule reads the `nodeLinker`, `enableGlobalCache`, `globalFolder` and `cacheFolder` of the
`.yarnrc.yml` the image has there, with Berry's defaults where it is silent (`nodeLinker` pnp;
`enableGlobalCache` true from Yarn 4 and false in 2 and 3, the version taken from
`packageManager` or the release `yarnPath` names, left open when unknown; `cacheFolder`
`./.yarn/cache`, in the project). ENV wins over the file. Only with the node-modules linker and
a settled cache place does it report: the global cache (`<globalFolder>/cache`:
`~/.yarn/berry/cache`, or `$XDG_DATA_HOME/yarn/berry/cache`) when on, else `cacheFolder` (a
relative one from where the command runs). Berry's default Plug'n'Play linker runs the program
from the cache's archives, which a mount would keep out of the image. An rc file that does not
parse, or that the image lacks, counts as Plug'n'Play; a project cache folder the image already
has (a committed offline cache) gets no mount, which would hide it. A `yarn` whose flavour
neither the command nor the context shows is taken for classic, the yarn the official node
images ship; on a Berry project that mount only stays unused.
pnpm: the store, `~/.local/share/pnpm/store`, `$PNPM_HOME/store`,
`$XDG_DATA_HOME/pnpm/store`, `npm_config_store_dir`, `--store-dir` (pnpm copies from it when it
cannot hard-link across the mount). `pnpm fetch` and an offline pnpm install (`--offline`,
`npm_config_offline=true`, or `offline=true` in the `.npmrc` the image has where the command's
package.json came from) are left alone: they hand packages to each other through the store, and
a mount on one of them alone breaks the other. So is an install with pnpm's global virtual
store on (pnpm 10.12+: `enableGlobalVirtualStore: true` in the pnpm-workspace.yaml, or
`enable-global-virtual-store=true` in the `.npmrc`, that the image has where the command's
package.json came from, or `npm_config_enable_global_virtual_store` in ENV; not in CI, where
pnpm turns it off): node_modules then holds only symlinks into the store, which a mount would
keep out of the image.
Go (`/go/pkg/mod` in the official image: GOMODCACHE, GOPATH; builds also `~/.cache/go-build`:
GOCACHE), Cargo (`$CARGO_HOME/registry` and `git/db`, /usr/local/cargo in the official
image; its `target/`, the build output, is LW101's), Maven (`~/.m2/repository`,
`-Dmaven.repo.local`),
Gradle (`~/.gradle/caches`, and `wrapper` for gradlew; GRADLE_USER_HOME), .NET
(`~/.nuget/packages`, NUGET_PACKAGES), Bundler (`~/.bundle/cache`, BUNDLE_USER_CACHE, with
`BUNDLE_GLOBAL_GEM_CACHE=true` put in front: a mount on GEM_HOME would drop the gems from
the image) and Composer (COMPOSER_CACHE_DIR or COMPOSER_HOME/cache, else `/tmp/cache` with
`COMPOSER_CACHE_DIR=/tmp/cache` put in front; `--no-cache` is dropped).
A global install of package managers that are one tarball each (`npm install -g pnpm`,
`npm i -g yarn@1`, `corepack`, `npm` itself), and a pip install of pip's own tools alone
(`pip install --upgrade pip setuptools wheel`), are left alone: a cache mount would save one
download of a few megabytes, only when that early layer rebuilds (its cache key is the RUN's
text and what precedes it), which is not worth a warning. Other global installs stay in:
`npm install -g @nestjs/cli` fetches hundreds of packages.
A pip install without an index (`--no-index` or `PIP_NO_INDEX`) that looks only in local
`--find-links` folders and names no URL (`pip install --no-index --find-links=/wheels
/wheels/*.whl`) downloads nothing, and is left alone too (its requirement files are not read).
So is an offline npm, yarn or uv install (`npm ci --offline`, `npm_config_offline=true` or
`offline=true` in the `.npmrc` the image has where the command's package.json came from, yarn
classic's `yarn install --offline`, Berry's `enableNetwork: false` in the `.yarnrc.yml` the
image has or `YARN_ENABLE_NETWORK=0`/`false` in ENV, which wins over it; `uv pip install
--offline`, `UV_OFFLINE`): it reads only the cache the image holds (or yarn classic's offline
mirror), which a mount would hide; on BuildKit, yarn classic then stops with "Can't make a
request in offline mode", Berry with YN0080 and pnpm with ERR_PNPM_NO_OFFLINE_TARBALL.
`--prefer-offline` still downloads what the cache lacks and keeps its finding. So is an
offline Cargo, Maven or Gradle run (`cargo build --offline` or `--frozen`,
CARGO_NET_OFFLINE=true, `mvn -o`, `gradle --offline`), and a Go command with GOPROXY=off
gets the build cache alone: each takes its packages from what an earlier step left in the
cache and downloads nothing.
The users official images add are known: `node` (uid 1000, /home/node) in the node images and
`app` (uid 1654, /home/app; `USER $APP_UID`, the uid the images give in ENV) in Microsoft's
.NET 8+ images (mcr.microsoft.com/dotnet).
A stage built on a Windows image (`windows`, `nanoserver` or `servercore` in its name) is left
alone: its tools keep their caches under `C:\\` (the golang image's GOPATH is `C:\\gopath`), and a
Windows daemon builds with the legacy builder, which stops on `RUN --mount`.

## Why it matters
Whenever the dependency layer rebuilds, npm downloads every package again. A
`RUN --mount=type=cache` keeps npm's cache between builds on the same builder; it is never
committed to the image and its contents never change the step's cache key. npm stores only
downloaded tarballs there, so `npm ci` still installs exactly what the lockfile pins. The mount
must be writable by the user npm runs as: a cache mount belongs to root (uid/gid 0) unless told
otherwise, so under `USER node` npm stops with `EACCES` on `/home/node/.npm/_cacache` (seen on
Docker 20.10) unless the mount sets that user's uid and gid.

## Example
    USER node
    RUN npm ci --omit=dev
After the fix:
    USER node
    RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci --omit=dev

## Fix safety
Safe for npm, yarn classic, pnpm, pip, uv, Poetry and Pipenv: the mount only adds a cache, and
real builds on BuildKit proved each (tests/fixtures/buildable). Go and Cargo are proven too
(Cargo with Debian's packaged crates standing in for crates.io), with the condition below. Not
yet proven for Yarn Berry, Maven, Gradle, .NET, Bundler and Composer (their registries are out
of reach here): their fixes are unsafe. Without a build context the project's settings are unseen
and the tool's defaults decide, as for yarn's flavour: pnpm's global virtual store is off.
Poetry's mount never holds the folder its virtualenv goes to (see above): every package
installed there would stay in the mount and `poetry run` in the image would find none.
The fix drops what would keep the mount unused
(`--no-cache-dir`, `PIP_NO_CACHE_DIR=1` in front of the command, uv's `--no-cache`/`-n`,
Poetry's `--no-cache`) and puts `UV_LINK_MODE=copy` in front of uv (uv's Docker guide: the cache
and the environment are on different file systems). The fix also drops an `npm cache clean` of
the same RUN, which would empty the mount (see LW203), and replaces a mount left on another
user's `.npm`.
Go, Cargo, Maven, Gradle and .NET read packages from that cache when they build, so with a
mount the packages leave the image: even once proven, the fix stays unsafe unless every other
use of the tool in the stage, its bases and the stages built FROM it has the same mount or gets
it from this rule's fix (not when an ignore comment keeps the fix out of that RUN), with no
`make` or script in between, no COPY into the cache (nor, for a cache inside the project such
as `ENV GOMODCACHE=/app/.modcache`, a COPY of anything but named files of the context into a
folder holding it), no `COPY --from` of it, and no CMD or
ENTRYPOINT there that starts the tool (`go run .`, `cargo run`: the container would find the
packages gone and download them again, or fail offline), and no use that runs offline
(`cargo build --offline`, `mvn -o`, `GOPROXY=off`, `dotnet publish --no-restore`) without a
download before it in its RUN: it would read the packages from the mount, and Docker asks
that a build work with any contents of a cache mount. It fails whenever the mount is empty
(a new CI builder, `docker builder prune --filter type=exec.cachemount`) while the step that
filled it comes from the layer cache. A RUN of the same
user that runs the tool without installing (`dotnet publish --no-restore`, `dotnet test
--no-restore`) gets the same mount from the fix, as Docker's .NET template has it: with the
mount on `dotnet restore` alone the packages leave the image and the publish fails (NETSDK1064,
dotnet/dotnet-docker#3353).
The fix is unsafe when a later RUN of the stage, or of a stage built FROM it, installs offline
with the same tool as the same user without that mount (`yarn install --production --offline`
after `yarn install`, `npm ci --offline`, a pnpm install made offline by the `.npmrc` it
finds): it reads the cache the first install leaves in the image, which the mount keeps out
(on BuildKit the offline yarn install then stops: "Can't make a request in offline mode").
No fix for a RUN that also deletes a folder above the cache (`rm -rf ~/.bundle/` with the cache
in `~/.bundle/cache`, Rails' generated Dockerfile): a mount point cannot be removed, so the RUN
would fail (see LW203).
No fix when the user's uid is unknown (a user created in the Dockerfile): set it numerically.
Works with Docker 20.10's built-in frontend (no `# syntax=` line needed).

## References
- Docker docs, Optimize cache usage in builds: use cache mounts (npm: /root/.npm)
- Dockerfile reference: RUN --mount=type=cache ("Your build should work with any contents of
  the cache directory")
- npm docs: config `cache` (default `~/.npm`)
- pip docs: Caching, `pip install --no-index`; uv docs: Caching, Using uv in Docker; Poetry
  docs: Configuration (`cache-dir`, `virtualenvs.path`); Pipenv docs: Configuration
  (`PIPENV_CACHE_DIR`)
- yarn classic docs: `yarn cache`; yarn docs: Settings (.yarnrc.yml) (`cacheFolder`,
  `enableGlobalCache`, `globalFolder`, `nodeLinker`); pnpm docs: `store-dir`, `pnpm fetch`
- The Cargo Book: cargo-build (`--offline`, `--frozen`, `net.offline`); Maven CLI `-o`;
  Gradle command-line interface `--offline`; `go help environment` (GOPROXY=off)"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence

from layerwise.ecosystems import Installer, installers_for
from layerwise.ecosystems._toolchain import STORE_CACHES
from layerwise.ecosystems.base import CacheMount, fix_proven, is_under
from layerwise.model.nodes import Step
from layerwise.rules._copied import copied_file
from layerwise.rules._support import (
    commands,
    copy_parts,
    cwd_of,
    is_windows_stage,
    launch_commands,
    resolve,
    stage_chain,
    stages_built_from,
)
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import (
    RunMount,
    add_flags,
    cache_mounts,
    delete_word,
    drop_cleanups,
    fighting_cleanups,
    insert_at,
    shell_runs,
    short,
)
from layerwise.rules.texts import Phrase
from layerwise.shell import Command, Script
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW201",
    name="npm-install-without-cache-mount",
    severity=Severity.WARNING,
    message="`{command}` {effect}: no cache mount on `{target}`",
    fix_title="Add `{flag}` to the RUN",
    summary="package install (npm, yarn, pnpm, Python, Go, Cargo, JVM, .NET, Ruby, PHP) without a "
    "cache mount on its cache",
    message_ko="`{command}` 명령이 {effect}: `{target}`에 캐시 마운트 없음",
    phrases={
        "downloads": Phrase("downloads every package again", "모든 패키지를 다시 내려받습니다"),
        "compiles": Phrase("compiles every package again", "모든 패키지를 다시 컴파일합니다"),
    },
    fix_title_ko="RUN에 `{flag}` 추가",
    summary_ko="패키지 캐시 디렉터리에 캐시 마운트 없이 실행하는 설치 명령 "
    "(npm, yarn, pnpm, Python, Go, Cargo, JVM, .NET, Ruby, PHP)",
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# Programs that may run the tool where layerwise cannot see it.
_OPAQUE = frozenset({"make", "sh", "bash", "ash", "dash", "zsh"})


def check(ctx: RuleContext) -> Iterator[Finding]:
    tree = ctx.tree
    for step, script in shell_runs(ctx):
        # A Windows image keeps its caches under C:\ (GOPATH=C:\gopath, %LocalAppData%): a
        # mount on our Linux paths would hold nothing. And a Windows daemon advertises the
        # legacy builder (docker/cli#5001; BuildKit on Windows is experimental), which stops
        # on `RUN --mount` ("the --mount option requires BuildKit").
        if is_windows_stage(ctx.model.stages[step.stage]):
            continue
        found = _first_install(ctx, step, script)
        if found is None:
            continue
        eco, cmd, wanted = found
        mounts = cache_mounts(ctx, step)
        missing = [w for w in wanted if not any(m.mount.covers(w.target) for m in mounts)]
        if not missing:
            continue
        state = step.state
        flags = [m.flag_text() for m in missing]
        fix = None
        cleanups = fighting_cleanups(script, wanted, state.home, state.workdir, state.variables)
        dropped = drop_cleanups(tree, script, cleanups)
        if (
            (state.is_root or state.uid_gid is not None)
            and all(m.writable for m in missing)
            and dropped is not None
        ):
            # A mount left on another user's cache is replaced rather than kept beside.
            stale = _stale(mounts, missing, state.home) if len(missing) == 1 else None
            if stale is not None:
                edits = [Edit.replace(stale.flag.span, flags[0])]
            else:
                edits = add_flags(tree, step.instruction, flags, one_per_line=False) or []
            edits.extend(dropped)
            # Other RUNs of the tool that read its packages without installing (`dotnet
            # publish --no-restore`) get the same mount, or they find the packages gone.
            readers = _readers_to_mount(ctx, step, eco, missing)
            for reader in readers:
                edits.extend(add_flags(tree, reader.instruction, flags, one_per_line=False) or [])
            for word in eco.cache_defeats(cmd):
                edits.append(delete_word(tree.text, word, first=word.start == cmd.start))
            prefix = "".join(p + " " for p in eco.mount_assignments(cmd, state.variables))
            if prefix:
                edits = insert_at(edits, cmd.start, prefix)
            proven = fix_proven(eco, cmd, state.variables, ctx.context, "")
            safe = proven and _store_kept(ctx, step, eco, missing, readers)
            safe = safe and not _offline_after(ctx, step, eco, missing)
            fix = Fix(Safety.SAFE if safe else Safety.UNSAFE, edits)
        verb = eco.verb(cmd)
        label = short(cmd, verb)
        if verb is not None and cmd.args[:1] and cmd.args[0].text in ("-m", "-mpip"):
            label = f"{cmd.program_name} -m pip {verb.text}"
        yield RULE.finding(
            tree.span(cmd.start, cmd.end),
            fix=fix,
            command=label,
            effect=RULE.text("compiles" if all(m.compiled for m in missing) else "downloads"),
            target="`, `".join(m.target for m in missing),
            flag=" ".join(flags),
        )


def _first_install(
    ctx: RuleContext, step: Step, script: Script
) -> tuple[Installer, Command, tuple[CacheMount, ...]] | None:
    """The first install of the RUN with the cache mounts it wants: the user's cache (uid/gid
    when not root), where ENV and the project's settings put it, targets made absolute from
    where the command runs."""
    state = step.state
    uid_gid = None if state.is_root else state.uid_gid
    home, env = state.home, state.variables  # `home` is worked out on each read: once per RUN here
    for cmd in script.commands:
        for eco in installers_for(cmd):
            settings = _project_env(ctx, step, cmd, eco)
            seen = {**settings, **env} if settings else env
            wanted = eco.install_caches(cmd, home, uid_gid, seen)
            if wanted:
                # A relative directory (`--cache x`, `ENV HOME=x`) is relative to the tool's
                # cwd, while a mount's relative target is relative to WORKDIR: write it absolute.
                cwd = cwd_of(step, cmd)
                return eco, cmd, tuple(w.at(resolve(w.target, cwd)) for w in wanted)
    return None


def _project_env(ctx: RuleContext, step: Step, cmd: Command, eco: Installer) -> dict[str, str]:
    """What the project's files, as the image has them where `cmd` runs, say about the tool's
    cache (Berry's .yarnrc.yml): the context folder is the one its manifest was copied from."""
    if ctx.context is None:
        return {}
    cwd = cwd_of(step, cmd)
    copied = copied_file(ctx, step, cwd, eco.MANIFESTS)
    if copied is None:
        return {}

    def in_image(path: str) -> bool:
        full = resolve(path, cwd)
        name = (posixpath.basename(full),)
        return copied_file(ctx, step, posixpath.dirname(full), name) is not None

    return eco.project_env(ctx.context, copied.source_dir, in_image)


def _family(ctx: RuleContext, step: Step) -> set[int]:
    """The stage of `step`, its bases and the stages built FROM one of them: where a build
    reads the packages the install put in its cache."""
    stages = ctx.model.stages
    chain = stage_chain(stages[step.stage])
    family = {st.index for st in chain}
    for base in chain:
        family.update(st.index for st in stages_built_from(stages, base))
    return family


def _offline_after(ctx: RuleContext, step: Step, eco: Installer, mounts: list[CacheMount]) -> bool:
    """A later RUN of the stage, or of a stage built FROM it, as the same user and without the
    mount, that installs offline with the same tool (`yarn install --offline`, or offline by
    the project's settings): it reads the cache this install leaves in the image, which the
    mount would keep out."""
    stages = ctx.model.stages
    for index in sorted(_family(ctx, step)):
        if all(st.index != step.stage for st in stage_chain(stages[index])):
            continue  # a base stage, or one built FROM a base: none runs after the install
        steps = stages[index].steps
        at = next(i for i, st in enumerate(steps) if st is step) if index == step.stage else -1
        later = steps[at + 1 :]
        for other in later:
            if other.instruction.name != "RUN" or other.state.user != step.state.user:
                continue
            has = cache_mounts(ctx, other)
            if all(any(h.mount.covers(m.target) for h in has) for m in mounts):
                continue
            for cmd in commands(ctx, other.instruction):
                if eco.is_install(cmd):
                    # The project's settings count (`offline=true` in its .npmrc); ENV wins.
                    seen = {**_project_env(ctx, other, cmd, eco), **other.state.variables}
                    if eco.offline(cmd, seen):
                        return True
    return False


def _readers_to_mount(
    ctx: RuleContext, step: Step, eco: Installer, mounts: list[CacheMount]
) -> list[Step]:
    """For a tool whose builds read packages from its cache (STORE_CACHES): the other RUNs of
    the family, as the same user, that run the tool without installing (`dotnet publish
    --no-restore`, `go vet`) and have no mount on that cache. With the mount on the install
    only, the packages leave the image and these fail (dotnet: NETSDK1064); the fix mounts
    the cache on them too, as Docker's own templates do."""
    if eco.NAME not in STORE_CACHES:
        return []
    found: list[Step] = []
    stages = ctx.model.stages
    for index in sorted(_family(ctx, step)):
        for other in stages[index].steps:
            if other is step or other.instruction.name != "RUN":
                continue
            if other.state.user != step.state.user:
                continue  # another user's home: left to `_store_kept`, which says unsafe
            cmds = commands(ctx, other.instruction)
            if not any(eco.verb(c) is not None for c in cmds):
                continue
            has = cache_mounts(ctx, other)
            if all(any(h.mount.covers(m.target) for h in has) for m in mounts):
                continue
            state = other.state
            installs = any(eco.install_caches(c, state.home, None, state.variables) for c in cmds)
            if installs and not _runs_offline(eco, other, cmds):
                continue  # an install: its own finding's fix mounts the cache
            found.append(other)
    return found


def _store_kept(
    ctx: RuleContext,
    step: Step,
    eco: Installer,
    mounts: list[CacheMount],
    readers: Sequence[Step] = (),
) -> bool:
    """For a tool whose cache is where builds read packages (STORE_CACHES): every use of the
    tool in the stage, its bases and the stages built FROM it is an install that gets the same
    mount or one of `readers` (which the fix mounts too), no script or `make` could run it
    unseen, no CMD or ENTRYPOINT starts it in the container (`go run .` would find the
    packages gone from the image), no COPY puts files under the mount (it would hide them)
    and no other stage copies from them. Nor does a use run offline (`cargo build
    --offline`) unless the same RUN downloads before it: with the packages in a mount it
    fails whenever the mount is empty (a new builder, pruned mounts) while the step that
    filled it comes from the layer cache, and Docker asks that a build work with any contents
    of a cache mount."""
    if eco.NAME not in STORE_CACHES:
        return True
    stores = any(not m.compiled for m in mounts)
    stages = ctx.model.stages
    family = _family(ctx, step)
    for stage in stages:
        outside = stage.index not in family and family & set(stage.depends_on)
        if outside and any(_reads_cache_across(st, mounts) for st in stage.steps):
            return False
    for index in sorted(family):
        for other in stages[index].steps:
            if other.instruction.name in ("COPY", "ADD"):
                dest = resolve((other.instruction.value[-1:] or [""])[0], other.state.workdir)
                if any(m.covers(dest) for m in mounts):
                    return False
                # A cache inside the project (`ENV GOMODCACHE=/app/.modcache`): a folder that
                # `COPY . .` brings there would be hidden by the mount.
                if any(is_under(m.target, dest) for m in mounts) and not _files_only(ctx, other):
                    return False
            if other.instruction.name in ("CMD", "ENTRYPOINT") and any(
                c.program_name in eco.PROGRAMS for c in launch_commands(other.instruction)
            ):
                return False
            if other.instruction.name != "RUN":
                continue
            cmds = commands(ctx, other.instruction)
            if not cmds:
                return False
            state = other.state
            # A RUN with an install gets the mount (unless an ignore comment keeps this rule's
            # fix out of it): every command of it sees the cache.
            has = cache_mounts(ctx, other)
            mounted = (
                any(other is r for r in readers)
                or all(any(h.mount.covers(m.target) for h in has) for m in mounts)
                or (
                    any(eco.install_caches(c, state.home, None, state.variables) for c in cmds)
                    and (other is step or not _fix_kept_out(ctx, other))
                )
            )
            if stores and _runs_offline(eco, other, cmds):
                return False
            for cmd in cmds:
                runs_tool = eco.verb(cmd) is not None
                word = cmd.program_word.text if cmd.program_word is not None else ""
                if not runs_tool and (cmd.program_name in _OPAQUE or word.startswith("./")):
                    return False
                if runs_tool and not mounted:
                    return False
    return True


def _runs_offline(eco: Installer, step: Step, cmds: Sequence[Command]) -> bool:
    """A command of the RUN runs the tool offline (`cargo build --offline`, `GOPROXY=off go
    build`) with no download of the tool before it in the RUN: it reads the packages an earlier
    step left in the tool's cache."""
    state = step.state
    for cmd in cmds:
        if eco.verb(cmd) is not None and eco.offline(cmd, state.variables):
            return True
        if eco.install_caches(cmd, state.home, None, state.variables):
            return False
    return False


def _files_only(ctx: RuleContext, step: Step) -> bool:
    """A COPY of named files of the known context (`COPY go.mod go.sum ./`): no folder."""
    parts = copy_parts(step.instruction)
    context = ctx.context
    if parts is None or context is None:
        return False
    return all(
        not any(c in src for c in "*?[") and context.exists(src) and not context.is_dir(src)
        for src in parts[0]
    )


def _fix_kept_out(ctx: RuleContext, step: Step) -> bool:
    from layerwise.rules.runner import may_be_silenced  # the runner imports every rule

    return may_be_silenced(ctx.tree, step.instruction, RULE.code)


def _reads_cache_across(step: Step, mounts: list[CacheMount]) -> bool:
    """A `RUN --mount=...,from=` (unknown paths), or a `COPY --from` of a path in the cache
    or above it: it would find the packages gone from the image."""
    instruction = step.instruction
    if instruction.name == "RUN":
        return any("from=" in (f.value or "") for f in instruction.flags_named("mount"))
    if instruction.name not in ("COPY", "ADD") or instruction.flag("from") is None:
        return False
    sources = [resolve(src, "/") for src in instruction.value[:-1]]
    return any(m.covers(src) or is_under(m.target, src) for m in mounts for src in sources)


def _stale(mounts: tuple[RunMount, ...], missing: list[CacheMount], home: str) -> RunMount | None:
    """A mount on the same cache of another user (`/root/.npm` under `USER node`)."""
    target = missing[0].target
    if not is_under(target, home) or target == home.rstrip("/"):
        return None
    suffix = target[len(home.rstrip("/")) :]
    return next((m for m in mounts if m.mount.target.endswith(suffix)), None)
