"""LW101 install-after-broad-copy

## What it finds
A dependency install that runs after the whole build context was copied in (`COPY . .`) in
the same stage: npm (`npm ci`, `npm install`), yarn classic and Berry (`yarn`, `yarn install`),
pnpm (`pnpm install`, `pnpm fetch`), pip (`pip install -r requirements.txt`), uv
(`uv sync`, `uv pip install -r ...`), Poetry (`poetry install`) and Pipenv (`pipenv install`,
`pipenv sync`), and the download step of Go (`go mod download`), Cargo (`cargo fetch`), Maven
(`mvn dependency:go-offline`), .NET (`dotnet restore`), Bundler (`bundle install`) and Composer
(`composer install`). A compile after `COPY . .` (`go build`, `mvn package`, `dotnet publish`,
any Gradle task) reads the sources and is not reported. `cargo build` is the exception: nothing
it compiled survives the rebuilt step, so each source edit compiles every crate again; it is
reported unless it builds something else than the one package (`--bin`, `-p`,
`--manifest-path`, `--target-dir`...), a cache mount of its RUN holds its target folder, or a
`cargo build` or cargo-chef's `cargo chef cook` (which compiles every dependency of the recipe,
cargo-chef's README layout) already runs above the copy. An install of the
project itself (`pip install .`, `pip install -e .`, a wheel or folder of the context) builds
the sources and is not reported; `uv sync` or
`poetry install` below `COPY . .` is not reported when the same tool's dependency-only step
(`--no-install-project`, `--no-root`) already runs above it, nor `pnpm install --offline` below
a `pnpm fetch` (pnpm's documented Docker layout). Above means in the stage or in a stage it is
built FROM. Nor is an install that the same installer
already ran above `COPY . .`, in the same folder from the same manifests (`COPY Gemfile .`,
`bundle install`, then `COPY . .`, `bundle install`): the dependencies are in a layer above, and
the later install only adds what the rest of the context changes (a lockfile, a gemspec). A
later `npm ci` is still reported: it deletes node_modules and installs everything again.
## Why it matters
BuildKit keys a COPY on the content of the files it copies, and a miss reruns every later step
of the stage. After `COPY . .`, any edit to any source file reruns the install, which downloads
and unpacks every dependency again. Copying only the manifests first keeps the install cached
until the dependencies really change.
## Example
    COPY . .
    RUN npm ci
After the fix:
    COPY package.json package-lock.json ./
    RUN npm ci
    COPY . .
## Fix safety
Python: the fix copies what the install reads. pip: the requirement files and every file they
chain with `-r`/`-c` (read from the context); safe when the context has them all and no line
installs from the context (`-e .`, `./pkg`, `libs/pkg` or `x.whl`: any name pip takes for a
path, `--find-links ./wheels`: then no fix). No fix either when the command or the stage's ARG
or ENV points the install at a local path, relative, absolute or `file:` (`--find-links wheels`,
`PIP_FIND_LINKS`, `PIP_CONSTRAINT`, `PIP_REQUIREMENT`; for `uv pip install` its `--find-links`,
`--override`, `--build-constraint` and `UV_FIND_LINKS`, `UV_CONSTRAINT`, `UV_OVERRIDE`,
`UV_BUILD_CONSTRAINT`): those files come only with the broad COPY. No fix either when a
configuration file is named: pip's PIP_CONFIG_FILE (but `/dev/null`, which makes pip read none;
Pipenv's installs too, as they run pip) and Pipenv's PIPENV_DOTENV_LOCATION, uv's
`--config-file` and UV_CONFIG_FILE, npm's `--userconfig`/`--globalconfig` and their
`npm_config_*` variables. pip and npm skip a missing one without a word, so the moved install
would run without its index or registry settings; uv stops (seen on BuildKit: "failed to open
file `ci/uv.toml`"). Pipenv:
Pipfile, Pipfile.lock (and `.env`); safe for `pipenv sync` or `install --deploy` when the
Pipfile names no local path. No fix when PIPENV_PIPFILE (ENV, ARG or a prefix of the command)
points Pipenv at another Pipfile: it reads that one and the lockfile beside it, which may
come only with the broad COPY. uv: `uv sync --no-install-project` moves with pyproject.toml,
uv.lock, `.python-version` and `uv.toml`, safe with `--locked`/`--frozen`, no local sources, no
dynamic metadata and no `.venv` in the context; a plain `uv sync` (it also installs the project)
gets a fix that adds `uv sync ... --no-install-project` above the copy and keeps the original
below it, safe on the same conditions. No fix when uv runs in or syncs another folder
(`--directory`, `--project`, or UV_WORKING_DIR, UV_PROJECT from ENV, ARG or a prefix): the
files it reads are there, not beside the RUN (seen on BuildKit: the fix that copied
`requirements.txt` beside `uv --directory svc pip install -r requirements.txt` failed with "No
such file or directory"). A plain `poetry install` splits the same way (`poetry
install ... --no-root` above the copy); Poetry's fixes are always unsafe (Poetry may read
files the project names, such as its readme). No fix when the manifests name a local source
(Pipenv's or Poetry's `path = ...`, an editable or `file:` dependency, a uv workspace or path
source): the install needs those sources, which come only with the broad COPY.
yarn and pnpm: as npm below (package.json, `.npmrc`, workspace manifests, install scripts), plus
yarn.lock, `.yarnrc` and what it names (classic: `yarn-path`, and the `yarn-offline-mirror`
folder, where an install looks for each tarball first and `--offline` only; classic also takes
the mirror from the `.npmrc` and from `YARN_YARN_OFFLINE_MIRROR` or
`npm_config_yarn_offline_mirror` in ENV, ARG or in front of the command, a relative folder
taken from where yarn runs), `.yarnrc.yml` and
what it names (`yarnPath`, plugins, a project `cacheFolder`), `.yarn/releases`,
`.yarn/plugins`, `.yarn/patches`, `.yarn/cache` and `.env.yarn` (Berry); pnpm-lock.yaml,
pnpm-workspace.yaml and its `packages` members, `.pnpmfile.cjs` and `patches/` (the list pnpm's
`pnpm fetch` page gives). Complete only when the lockfile is in the context and, for yarn, the
flavour is known (package.json's `packageManager`, a `.yarnrc.yml`, or the lockfile's header),
the rc files and those variables name nothing outside the project, no parent folder holds
yarn/pnpm files (the install belongs to a larger workspace) nor, for yarn, an `.npmrc` (yarn
classic merges every `.yarnrc` and `.npmrc` from the root down to where it runs), and neither
`node_modules` (a workspace member's included) nor Berry's `.pnp.cjs` is in the context.
Below a pnpm workspace (pnpm-workspace.yaml in a parent folder, which pnpm takes for the
workspace root) the fix also copies that root's lockfile, pnpm-workspace.yaml, `.npmrc` and
member manifests, and stays unsafe; a parent `.npmrc` without pnpm-workspace.yaml beside it is
not read by pnpm (pnpm.io "Settings (.npmrc)"; seen on BuildKit). `pnpm fetch` reads only
the lockfile (and `.npmrc`, pnpm-workspace.yaml) and moves with it; an offline pnpm install
(`--offline`, `npm_config_offline=true`) below the copy gets an unsafe fix
that adds `pnpm fetch` above it and keeps the install below (the offline install fails on
anything the lockfile does not pin).
npm: safe only when the build context proves what every moved install reads: a valid package.json
and lockfile (and `.npmrc`, workspace manifests) in each install's folder (a second install-only
RUN, `cd client && npm ci`, moves too and gets its own manifests), install-time scripts that
only run `prisma generate` (its schema is copied) or patch-package (its patches) and none in a
workspace, no `file:`
dependency, no `node_modules` in the context that `COPY . .` would lay over the installed one,
in the install's folder or a workspace member's (`packages/a/node_modules`: a `.dockerignore`
line `node_modules` leaves out only the root one, `**/node_modules` leaves out all),
manifests copied earlier only when those COPYs bring every input, and between the COPY and the
install nothing that could read the moved files: other broad COPYs, LABEL/EXPOSE/CMD-like
instructions, ENV/ARG the COPYs do not use, RUNs of apt commands on package names. Anything else
(an unknown context, a script file run at install time, a RUN in between such as `mix deps.get`
that may read the moved files) makes the fix unsafe. No fix for `npm ci --prefix dir` (`-C
dir`): npm installs the project in dir, whose manifests come only with the broad COPY (seen on
BuildKit: with the root's manifests copied, `npm ci --prefix svc` stops with EUSAGE, no
lockfile).
Go: go.mod, go.sum and the go.mod of each directory a `replace` points to; no fix with `go -C
dir` (the go command runs in dir), GOWORK
set, a go.work file in the module's folder or a parent (Go looks for it upward), or an
absolute replacement. `cargo fetch`: no fix (the manifests do not load
without a target file). `cargo build`: the fix keeps the target folder in a cache mount
instead of moving anything (Docker's Rust guide does the same): `--mount=type=cache` on
/tmp/cargo-target (with the id a mount on the project's `target` would have, and the user's
uid/gid), `CARGO_TARGET_DIR=/tmp/cargo-target` in front of the build, and right after it
`mkdir -p target/release && cp /tmp/cargo-target/release/<package> target/release/` (the
folder the build's `--release`, `--profile` and `--target` choose), so the image keeps the
binary where the build wrote it. A source edit then compiles the package alone and a dependency
change only the crates it touches. A dependency-only build of placeholder sources above the
copy (cargo-chef's layout, which this rule wrote before) keeps the crates in a layer instead,
which a registry cache carries to an empty builder, but it compiles every crate and the package
twice on a dependency change: slower than the naive build on tests/apps/rust-api. Such a build
already above the copy is left alone. Safe when nothing after the build (the rest of its RUN,
the later steps of its stage, any `COPY --from`) names a path under `target/` other than the
copied binary or a folder holding it: the rest of the target folder is in the mount, not the
image. Cargo takes a package for fresh when its sources are older than its last build, which
an edit or a checkout never is. No fix without a context (the binary is named after the
package), nor for a workspace, a `[lib]`/`[[bin]]` table, `src/bin/`, no `src/main.rs`, a build
script, a path dependency or a package in a subfolder of another manifest, nor where the
stage's ARG or ENV (`CARGO_TARGET_DIR`, `CARGO_BUILD_TARGET_DIR`, `CARGO_BUILD_TARGET`) or a
`.cargo/config.toml` of the project's folder or a parent in the context (`build.target`,
`build.target-dir`) moves the output: the binary is then not in `target/<profile>`, so the
copy-out would fail the RUN or leave a later `COPY --from` without its file.
Maven: pom.xml (with `mvnw` and `.mvn/`) and the settings or toolchains file that `-s`, `-gs`
or `-t` names (on the command, in MAVEN_ARGS or in `.mvn/maven.config`); no fix for a
multi-module POM, a local parent, or such a file outside the project folder. .NET: the one
project file and NuGet.config, Directory.Build.props/targets,
Directory.Packages.props, global.json, packages.lock.json, and all of those but the lockfile in
the parent folders of the context (MSBuild and NuGet look upward for them; unproven then, as a
props file may import more); no fix for a solution or a ProjectReference. Bundler: Gemfile,
Gemfile.lock (no fix with `gemspec`, `path:`,
`eval_gemfile`, or `--gemfile`/BUNDLE_GEMFILE naming another Gemfile). Composer: composer.json,
composer.lock, auth.json; with `--no-scripts --no-autoloader` the install moves, else that
dependency-only install goes above the copy and the original stays below it (Composer's
documented layout); no fix when COMPOSER names another composer.json (its lock is named after
it).
Proven by real builds on BuildKit (tests/fixtures/buildable) for npm, yarn classic, pnpm, Go,
Cargo, pip, uv, Poetry and Pipenv. Not yet for Yarn Berry, Maven, Gradle, .NET, Bundler and
Composer (their registries are out of reach here, and no Berry case builds each fix alone):
their fixes are unsafe whatever the context shows.
## Options
`target-engine`: the fix is the same for `modern` and `docker-20.10`. The manifests copy gets no
`COPY --link`: the install right below it is keyed on the whole stage before it, so it reruns
whenever an earlier step changes, linked copy or not; linking would only save copying two
small files.
## References
- Docker docs: Optimize cache usage in builds (order your layers)
- Docker docs: Build cache invalidation"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterator, Sequence

from layerwise.ecosystems import Installer, installers_for
from layerwise.ecosystems.base import (
    CacheMount,
    OutputCache,
    fix_proven,
)
from layerwise.model import Step
from layerwise.rules import _support as s
from layerwise.rules._apt_lists import is_apt_only_run
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.lw2_mounts import add_flags, insert_at
from layerwise.rules.texts import Phrase
from layerwise.shell import Command
from layerwise.syntax import Instruction
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW101",
    name="install-after-broad-copy",
    severity=Severity.WARNING,
    message="`{command}` runs after `{copy}` at line {line}: any source change reinstalls "
    "every dependency",
    fix_title="Copy {manifests} first and install before `{copy}`",
    message_ko="`{command}` 명령이 {line}번 줄의 `{copy}` 뒤에서 실행되어, 소스가 바뀔 때마다 "
    "모든 의존성을 다시 설치합니다",
    fix_title_ko="{manifests}부터 복사하고 `{copy}` 앞에서 설치",
    phrases={
        "manifests": Phrase("the manifests", "매니페스트"),
        "keep_output": Phrase(
            "Keep the build's output in a cache mount on `{target}` and copy `{outputs}` out",
            "빌드 결과를 `{target}` 캐시 마운트에 두고 `{outputs}`를 복사해 꺼내기",
        ),
    },
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# Between the broad COPY and the install these do not change what the install sees.
_NEUTRAL = frozenset({"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL"})


def check(ctx: RuleContext) -> Iterator[Finding]:
    for steps, at in s.after_broad_copy(ctx.model.stages):
        for index in range(at + 1, len(steps)):
            install = next(
                filter(s.installs_dependencies, s.commands(ctx, steps[index].instruction)), None
            )
            if install is None or _split_above(ctx, _above(ctx, steps, at), install):
                continue
            if _output_cached(steps[index], install):
                continue
            if _installed_above(ctx, steps[:at], steps[index], install):
                continue
            between = steps[at + 1 : index]
            broads = [steps[at], *(b for b in between if s.is_broad_copy(b.instruction))]
            adjacent = all(b in broads or _reads_no_context(ctx, b, broads) for b in between)
            last = index  # the broad COPYs go below the whole run of install-only RUNs
            while (
                last + 1 < len(steps)
                and _install_only(ctx, steps[last + 1])
                and not _splits(ctx, steps[last + 1])
            ):
                last += 1
            above = list(steps[:at])
            yield _finding(ctx, broads, steps[index], install, steps[last], adjacent, above)
            break


def _above(ctx: RuleContext, steps: Sequence[Step], at: int) -> list[Step]:
    """The steps above the broad COPY in the image: those of the stages it is built FROM, then
    its own stage's."""
    bases = s.stage_chain(ctx.model.stages[steps[at].stage])[:-1]
    return [*(st for stage in bases for st in stage.steps), *steps[:at]]


def _split_above(ctx: RuleContext, above: Sequence[Step], install: Command) -> bool:
    """`uv sync` after `COPY . .` with `uv sync --no-install-project` above it: the split this
    rule's fix writes (and uv's, Poetry's and pnpm's documented layout), nothing left to move."""
    eco = _split_installer(install)
    if eco is None:
        return False
    for step in above:
        for cmd in s.commands(ctx, step.instruction):
            if eco.is_dependency_install(cmd) and (
                _split_installer(cmd) is None or eco.split_repeats_install(cmd)
            ):
                return True
    return False


def _output_cached(step: Step, install: Command) -> bool:
    """A compile (`cargo build`) whose output folder is a cache mount of its RUN: what it
    compiled survives in the mount, so a source edit does not compile the dependencies again."""
    state = step.state
    flags = [f.value for f in step.instruction.flags_named("mount") if f.value is not None]
    mounts = [m for m in (CacheMount.from_flag(v, state.workdir) for v in flags) if m is not None]
    if not mounts:
        return False
    for eco in installers_for(install):
        found = eco.build_outputs(install, s.cwd_of(step, install), state.home, state.variables)
        if any(m.covers(o) for o in found for m in mounts):
            return True
    return False


def _installed_above(ctx: RuleContext, above: Sequence[Step], step: Step, install: Command) -> bool:
    """An install the same installer already ran above the broad COPY, in the same folder and
    from the same manifests (`COPY Gemfile .`, `bundle install`, `COPY . .`, `bundle install`):
    the dependencies are in a layer above, and the later install only adds what the rest of the
    context changes (a lockfile, a gemspec). Not one that starts over (`npm ci` deletes
    node_modules first)."""
    eco = next((e for e in installers_for(install) if e.is_dependency_install(install)), None)
    if eco is None or eco.starts_over(install):
        return False
    mine = eco.dependency_install(install, step.state.variables, None, "")
    where = s.cwd_of(step, install)
    for st in above:
        for cmd in s.commands(ctx, st.instruction):
            if not eco.is_dependency_install(cmd) or s.cwd_of(st, cmd) != where:
                continue
            theirs = eco.dependency_install(cmd, st.state.variables, None, "")
            if mine is not None and theirs is not None and theirs.manifests == mine.manifests:
                return True
    return False


def _split_installer(cmd: Command) -> Installer | None:
    """The installer of a split install (`uv sync`, `pnpm install --offline`, `cargo build`:
    its dependency-only step goes above the copy while it stays below), else None."""
    eco = next((e for e in installers_for(cmd) if e.is_dependency_install(cmd)), None)
    if eco is not None and eco.split_repeats_install(cmd):
        return eco
    # Whether an install splits is in the command alone (`uv sync` without
    # `--no-install-project`), whatever the ENV.
    found = eco.dependency_install(cmd, {}, None, "") if eco is not None else None
    return eco if found is not None and found.before is not None else None


def _splits(ctx: RuleContext, step: Step) -> bool:
    """The step runs a split install: it stays below, so a run of moved installs stops there."""
    return any(_split_installer(c) is not None for c in s.commands(ctx, step.instruction))


def _install_only(ctx: RuleContext, step: Step) -> bool:
    return s.is_install_only(ctx, step.instruction, s.installs_dependencies)


def _finding(
    ctx: RuleContext,
    broads: list[Step],
    step: Step,
    install: Command,
    anchor: Step,
    adjacent: bool,
    above: list[Step],
) -> Finding:
    copy = broads[0].instruction
    _, dest = s.copy_parts(copy) or ((), ".")
    kept = _output_cache(ctx, broads[0], dest, step, install)
    if kept is not None:
        cache, fix = kept
        return RULE.finding(
            ctx.tree.span(install.start, install.end),
            fix=fix,
            fix_phrase="keep_output",
            command=install.text,
            copy=copy.text.splitlines()[0],
            line=copy.start_line,
            target=cache.mount.target,
            outputs="`, `".join(cache.outputs),
        )
    fix = None
    inputs: tuple[str, ...] = ()
    found = _inputs(ctx, broads[0], dest, _moved(ctx, step, install, anchor))
    if found is not None:
        inputs, manifests, known, before = found
        earlier = [st for st in above if _brought([st], manifests, either_way=True)]
        copies = [] if earlier else _copy_lines(ctx, copy, inputs, dest)
        # The manifests came in earlier: proven only when those COPYs bring every input.
        known = known and (not earlier or _brought(earlier, inputs))
        if before is None:
            edits = _edits(ctx, broads, step, install, anchor, copies)
        else:
            edits = _split_edits(ctx, broads, step, install, copies, before)
        if edits:
            fix = Fix(Safety.SAFE if known and adjacent else Safety.UNSAFE, edits)
    return RULE.finding(
        ctx.tree.span(install.start, install.end),
        command=install.text,
        copy=copy.text.splitlines()[0],
        line=copy.start_line,
        manifests=", ".join(f"`{p}`" for p in inputs) or RULE.text("manifests"),
        fix=fix,
    )


def _output_cache(
    ctx: RuleContext, broad: Step, dest: str, step: Step, install: Command
) -> tuple[OutputCache, Fix | None] | None:
    """A compile that keeps its output in a cache mount instead of moving (`cargo build`):
    the mount, `NAME=dir` in front of the build and the copy-out right after it. No fix
    when the user's uid is unknown, the build is not a plain `&&`/`;` step of the script, or
    the mount's flag would not read back; unsafe unless the ecosystem was proven on a real
    build and nothing after the build reads any other part of the output folder."""
    cwd = s.cwd_of(step, install)
    rel = posixpath.relpath(cwd, s.resolve(dest, broad.state.workdir))
    if rel.startswith(".."):
        return None
    project = "" if rel == "." else rel
    state = step.state
    uid_gid = None if state.is_root else state.uid_gid
    for eco in installers_for(install):
        cache = eco.output_cache(install, state.variables, ctx.context, project, cwd, uid_gid)
        if cache is None:
            continue
        usable = (state.is_root or uid_gid is not None) and cache.mount.writable
        plain = install.top_level and install.operator_after in (None, "&&", ";")
        if not usable or not plain:
            return cache, None
        flag = cache.mount.flag_text()
        edits = add_flags(ctx.tree, step.instruction, [flag], one_per_line=False) or []
        edits = insert_at(edits, install.start, cache.assignment + " ")
        edits.append(Edit.insert(install.end, " && " + cache.copy_out))
        proven = fix_proven(eco, install, state.variables, ctx.context, project)
        safe = proven and not _reads_other_output(ctx, step, install, cache.outputs)
        return cache, Fix(Safety.SAFE if safe else Safety.UNSAFE, edits)
    return None


# A path under a build's output folder, as a Dockerfile line may write it.
_OUTPUT_PATH = re.compile(r"""[^\s"'\[\],=]*target/[^\s"'\[\],]*""")


def _reads_other_output(
    ctx: RuleContext, step: Step, install: Command, outputs: tuple[str, ...]
) -> bool:
    """After the build (the rest of its RUN, the later steps of its stage, any COPY --from
    in the file), a path under `target/` other than the copied-out artifacts or a folder
    holding them: it would find the output folder empty once the build writes to a mount."""
    texts = [ctx.tree.text[install.end : step.instruction.end]]
    steps = ctx.model.stages[step.stage].steps
    texts += [st.instruction.text for st in steps[steps.index(step) + 1 :]]
    texts += [
        st.instruction.text
        for stage in ctx.model.stages
        for st in stage.steps
        if stage.index != step.stage and st.instruction.flags_named("from")
    ]
    for text in texts:
        for path in _OUTPUT_PATH.findall(text):
            tail = path[path.index("target/") :].rstrip("/")
            if not any(o == tail or o.startswith(tail + "/") for o in outputs):
                return True
    return False


def _reads_no_context(ctx: RuleContext, step: Step, broads: list[Step]) -> bool:
    """A step the broad COPYs may move below: it creates no step (LABEL, CMD...), only sets
    variables (ENV, ARG) the moved COPYs do not use, or is a RUN of apt commands alone (with at
    most cache mounts) that name no file: none of them reads what the COPYs bring."""
    instruction = step.instruction
    if instruction.name in _NEUTRAL:
        return True
    if instruction.name in ("ENV", "ARG"):
        return not any("$" in b.instruction.text for b in broads)
    return is_apt_only_run(ctx, step)


def _moved(
    ctx: RuleContext, step: Step, install: Command, anchor: Step
) -> list[tuple[Step, Command]]:
    """The installs that end up above the broad COPY: the whole install-only RUNs from `step`
    to `anchor`, or just `install` when it is split out of a RUN that does more."""
    if not _install_only(ctx, step):
        return [(step, install)]
    steps = ctx.model.stages[step.stage].steps
    run = steps[steps.index(step) : steps.index(anchor) + 1]
    return [
        (st, c) for st in run for c in s.commands(ctx, st.instruction) if s.installs_dependencies(c)
    ]


def _inputs(
    ctx: RuleContext, broad: Step, dest: str, moved: list[tuple[Step, Command]]
) -> tuple[tuple[str, ...], tuple[str, ...], bool, str | None] | None:
    """What the moved installs read from the context, their manifests, whether that is proven,
    and the dependency-only command when the install splits (`uv sync --no-install-project`);
    None when one installs outside what the broad COPY brings or reads the project itself."""
    paths: list[str] = []
    manifests: list[str] = []
    known = True
    befores: list[str] = []
    root = s.resolve(dest, broad.state.workdir)
    for st, command in moved:
        rel = posixpath.relpath(s.cwd_of(st, command), root)
        eco = next((e for e in installers_for(command) if e.is_dependency_install(command)), None)
        if rel.startswith("..") or eco is None:
            return None
        found = eco.dependency_install(
            command, st.state.variables, ctx.context, "" if rel == "." else rel
        )
        if found is None:
            return None
        paths += found.inputs
        manifests += found.manifests
        # Safe only when the context proves what the install reads and a real build proved
        # the layout for this ecosystem.
        project = "" if rel == "." else rel
        known = (
            known
            and found.proven
            and fix_proven(eco, command, st.state.variables, ctx.context, project)
        )
        befores += [found.before] if found.before is not None else []
    if befores and len(moved) > 1:
        return None  # a split install moves alone
    before = befores[0] if befores else None
    return tuple(dict.fromkeys(paths)), tuple(manifests), known, before


def _brought(copies: list[Step], inputs: tuple[str, ...], *, either_way: bool = False) -> bool:
    """Every input path matches a source of one of the COPYs (`package*.json` globs too);
    `either_way`: an input that is itself a pattern (`package*.json`) may match a source."""
    sources = [src for st in copies for src in (s.copy_parts(st.instruction) or ((), ""))[0]]
    patterns = [posixpath.normpath(src.removeprefix("./")) for src in sources]
    if not inputs or not patterns:
        return False
    return all(
        any(
            fnmatch.fnmatchcase(path.rstrip("/"), pattern)
            or (either_way and fnmatch.fnmatchcase(pattern, path.rstrip("/")))
            for pattern in patterns
        )
        for path in inputs
    )


def _copy_lines(
    ctx: RuleContext, copy: Instruction, inputs: tuple[str, ...], dest: str
) -> list[str]:
    """The COPY lines bringing the install's inputs, with the broad COPY's --chown/--chmod."""
    head = copy.keyword + "".join(" " + f.text for f in copy.flags if f.name in ("chown", "chmod"))
    base = dest if dest.endswith("/") else ("./" if dest == "." else dest + "/")
    return s.copy_lines(head, inputs, base, ctx.tree.newline)


def _edits(
    ctx: RuleContext,
    broads: list[Step],
    step: Step,
    install: Command,
    anchor: Step,
    copies: list[str],
) -> list[Edit]:
    """Whole install RUN: the broad COPYs move below it (and the install-only RUNs after it),
    the manifests (unless an earlier COPY brought them) take the first one's place.
    `cd x && npm ci && more`: the install part moves up instead (`cd x && more` stays)."""
    tree, run = ctx.tree, step.instruction
    cmds = s.commands(ctx, run)
    first_copy = broads[0].instruction
    if _install_only(ctx, step):
        start, end = s.block_start(tree, first_copy), s.block_end(tree, first_copy)
        keep = Edit(start, end, "".join(copies))
        if not copies:
            keep = s.delete_block(tree, first_copy)
        moved = [b.instruction for b in broads]
        rest = [s.delete_block(tree, b) for b in moved[1:]]
        return [keep, *rest, s.insert_after(tree, anchor.instruction, moved)]
    if len(broads) > 1:
        return []
    first = cmds.index(install)
    if any(c.program_name != "cd" for c in cmds[:first]) or install.operator_after != "&&":
        return []
    if not all(c.top_level for c in cmds[: first + 2]):
        return []
    flags = "".join(f.text + " " for f in run.flags)
    piece = tree.text[cmds[0].start : install.end]
    new_run = f"{run.keyword} {flags}{piece}{tree.newline}"
    # The `cd`s stay in front of what is left: they set the folder every later command of the
    # chain runs in (`cd web && yarn install && yarn build` leaves `cd web && yarn build`).
    return [
        s.insert_before(tree, first_copy, [*copies, new_run]),
        Edit(install.start, cmds[first + 1].start, ""),
    ]


def _split_edits(
    ctx: RuleContext,
    broads: list[Step],
    step: Step,
    install: Command,
    copies: list[str],
    before: str,
) -> list[Edit]:
    """A split install (`uv sync` -> `uv sync --no-install-project` above the copy): the
    manifests and a RUN of the dependency-only command (after the install's `cd`s) go above the
    broad COPY; everything else stays where it is."""
    tree, run = ctx.tree, step.instruction
    cmds = s.commands(ctx, run)
    first = cmds.index(install)
    if len(broads) > 1 or any(c.program_name != "cd" for c in cmds[:first]):
        return []
    if not all(c.top_level for c in cmds[: first + 1]):
        return []
    flags = "".join(f.text + " " for f in run.flags)
    cds = tree.text[cmds[0].start : install.start] if first else ""
    new_run = f"{run.keyword} {flags}{cds}{before}{tree.newline}"
    return [s.insert_before(tree, broads[0].instruction, [*copies, new_run])]
