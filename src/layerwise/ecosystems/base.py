"""What every package-manager module offers, and the pieces they share.

An ecosystem is a module of data plus small functions (see `npm.py`); it meets the `Ecosystem`
protocol so rules can treat them alike (`for eco in ALL: if eco.is_install(cmd): ...`).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

_UNWRITABLE = re.compile(r"[\s,\"'\\`$]")


@dataclass(frozen=True, slots=True)
class CacheMount:
    """A `RUN --mount=type=cache` as layerwise writes it.

    BuildKit's defaults (buildkit-facts.md): id = the target path, sharing=shared, uid=gid=0.
    Fields left None are omitted from the flag so the default applies.
    """

    target: str
    id: str | None = None
    sharing: str | None = None
    uid: str | None = None
    gid: str | None = None
    # A compiler's cache of built objects (Go's GOCACHE), not of downloaded packages: without
    # it a build compiles everything again. Only words a finding; not part of the flag.
    compiled: bool = field(default=False, compare=False)

    @classmethod
    def for_user(
        cls, target: str, uid_gid: tuple[str, str] | None, *, compiled: bool = False
    ) -> CacheMount:
        """A mount on `target` owned by the user: uid/gid only when not root, so the tool can
        write to it (BuildKit creates the mount as 0:0 by default)."""
        if uid_gid is None or uid_gid == ("0", "0"):
            return cls(target, compiled=compiled)
        return cls(target, uid=uid_gid[0], gid=uid_gid[1], compiled=compiled)

    def at(self, target: str) -> CacheMount:
        """This mount on `target` instead (itself when it is there already)."""
        if target == self.target:
            return self
        return CacheMount(target, self.id, self.sharing, self.uid, self.gid, self.compiled)

    @property
    def writable(self) -> bool:
        """Whether `flag_text` reads back as this mount: no blank, quote, escape, `$` or `,`
        in a value (a home such as `ENV HOME="my app"` would split or change the flag)."""
        values = (self.target, self.id, self.sharing, self.uid, self.gid)
        return not any(v is not None and _UNWRITABLE.search(v) for v in values)

    def flag_text(self) -> str:
        """The flag as written in a Dockerfile: `--mount=type=cache,target=/root/.npm`."""
        parts = ["type=cache", f"target={self.target}"]
        for key in ("id", "sharing", "uid", "gid"):
            value = getattr(self, key)
            if value is not None:
                parts.append(f"{key}={value}")
        return "--mount=" + ",".join(parts)

    @classmethod
    def from_flag(cls, value: str, workdir: str = "/") -> CacheMount | None:
        """Read a `--mount` flag's value; None unless it is a cache mount with a target.

        A relative target is resolved against `workdir`, as BuildKit does.
        """
        return _cache_mount(value, workdir)

    def covers(self, path: str) -> bool:
        """True when `path` lies in this mount (the target itself or below it)."""
        return is_under(path, self.target)


# Remembered per (value, workdir): the mount rules read the same flags on every check, and the
# fix loop checks each file again after every pass. A CacheMount is frozen: sharing it is safe.
@functools.lru_cache(maxsize=4096)
def _cache_mount(value: str, workdir: str) -> CacheMount | None:
    options = parse_mount_options(value)
    if options.get("type") != "cache":
        return None
    target = options.get("target") or options.get("dst") or options.get("destination")
    if not target:
        return None
    return CacheMount(
        target=posixpath.normpath(posixpath.join(workdir, target)),
        id=options.get("id"),
        sharing=options.get("sharing"),
        uid=options.get("uid"),
        gid=options.get("gid"),
    )


def parse_mount_options(value: str) -> dict[str, str]:
    """`type=cache,target=/x,ro` -> {"type": "cache", "target": "/x", "ro": ""} (lower-case keys);
    see `layerwise.model.graph.mount_options`."""
    from layerwise.model.graph import mount_options

    return mount_options(value)


def is_under(path: str, root: str) -> bool:
    """`/var/lib/apt/lists/*` is under `/var/lib/apt`; `/var/lib/aptx` is not."""
    if path.startswith("/") and not is_normal(path):
        path = posixpath.normpath(path)
    root = root.rstrip("/") or "/"
    return path == root or path.startswith(root + "/") or root == "/"


def is_normal(path: str) -> bool:
    """`posixpath.normpath(path) == path` for an absolute `path`, told without normalising it:
    a path with no empty, `.` or `..` component and no trailing slash is already normal (most
    paths rules compare are; normpath costs a call into C and a new string each time)."""
    return "//" not in path and "/." not in path and (path == "/" or not path.endswith("/"))


def removed_paths(cmd: Command) -> tuple[Word, ...]:
    """The paths an `rm` command deletes (its operands), empty for any other command."""
    if cmd.program_name != "rm":
        return ()
    return cmd.operands()


# How a Dockerfile spells the user's home at the start of a path.
HOME_SPELLINGS = ("~", "$HOME", "${HOME}")


def deletes_inside(path: str, roots: Iterable[str]) -> bool:
    """An `rm` operand that is one of `roots` or a path inside one. Only an absolute path other
    than `/` counts: a relative one depends on the working directory."""
    return path.startswith("/") and path != "/" and any(is_under(path, r) for r in roots)


def fix_proven(
    eco: Ecosystem | Installer,
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project: str,
) -> bool:
    """Whether a real build proved the fixes for this use of the tool: the module's
    BUILD_PROVEN, narrowed by its `unproven(cmd, env, context, project)` for a flavour no build
    exercised (Yarn Berry beside classic yarn)."""
    return eco.BUILD_PROVEN and not eco.unproven(cmd, env, context, project)


def never_unproven(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> bool:
    """The answer of a tool with one flavour: BUILD_PROVEN speaks for every use of it."""
    return False


def cleans_nothing(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`cleaned_caches` of a tool with no cleaning command (an `rm` of its cache is found by
    its path)."""
    return ()


def cleans_as_a_whole(
    cmd: Command, home: str, env: Mapping[str, str]
) -> tuple[tuple[Word, tuple[str, ...]], ...]:
    """`cleaning_options` of a tool whose cleaning command empties its folders as a whole."""
    return ()


_REGISTRY_HOST = re.compile(r"[.:]|^localhost$")
DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io")


def image_tag(reference: str, repository: str) -> str | None:
    """The tag of image `reference` when it names `repository` (`latest` when it gives none),
    else None. A Docker Hub official image (`golang`) is matched as `golang`,
    `docker.io/library/golang` or a mirror's `.../library/golang`, not as
    `registry.example.com/golang` (a custom image as far as its name tells); one named with its
    registry (`mcr.microsoft.com/dotnet/sdk`) by that full name. A digest alone tells no tag."""
    name, digest, _ = reference.partition("@")
    path, colon, tag = name.rpartition(":")
    if not colon or "/" in tag:
        if digest:
            return None
        path, tag = name, "latest"
    parts = path.lower().split("/")
    if "/" in repository:
        return tag if "/".join(parts) == repository else None
    host = parts[0] if len(parts) > 1 and _REGISTRY_HOST.search(parts[0]) else None
    if host is not None:
        parts = parts[1:]
    if parts == [repository] and host in (None, *DOCKER_HUB):
        return tag
    # Another registry's image is a custom one unless it mirrors Docker Hub's library.
    return tag if parts[-2:] == ["library", repository] else None


class Ecosystem(Protocol):
    """The part every ecosystem module provides. Modules add their own specifics next to it."""

    NAME: str
    PROGRAMS: frozenset[str]
    MANIFESTS: tuple[str, ...]
    LOCKFILES: tuple[str, ...]
    # A real build on BuildKit proved the fixes written for this ecosystem (tests/apps,
    # tests/fixtures/buildable). False keeps every fix for it unsafe, whatever else holds.
    BUILD_PROVEN: bool

    def is_install(self, cmd: Command) -> bool:
        """The command downloads and installs packages (the step a cache mount speeds up)."""
        ...

    def cache_mounts(self, home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
        """The cache mounts an install needs when run as a user with this home and uid/gid."""
        ...

    def cache_cleaning(self, cmd: Command, home: str = "/root") -> bool:
        """The command empties the cache a cache mount keeps (pointless, or harmful, with one)."""
        ...

    def cleaned_caches(self, cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
        """The directories the tool's own cleaning command `cmd` (`pip cache purge`, not an
        `rm`, which names its paths) empties: where its options, `VAR=x` prefixes and the
        stage's `env` put its cache, else the defaults for this home. A cleaning elsewhere
        leaves a mount on the default alone. () for any other command."""
        ...

    def cleaning_options(
        self, cmd: Command, home: str, env: Mapping[str, str]
    ) -> tuple[tuple[Word, tuple[str, ...]], ...]:
        """For a cleaning command whose options each empty folders of their own (`go clean
        -cache -modcache`), every such option word with the folders it empties (within
        `cleaned_caches`); () when the command empties its folders as a whole. Dropping the
        options that empty a mount keeps the others' work, when the tool still does only that
        without them (`go clean -cache`; `go clean` alone would clean the package)."""
        ...

    def unproven(
        self, cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
    ) -> bool:
        """This use of the tool is of a flavour no real build exercised (Yarn Berry beside
        classic yarn), so its fixes stay unsafe whatever BUILD_PROVEN says (`fix_proven`)."""
        ...


@dataclass(frozen=True, slots=True)
class DependencyInstall:
    """What an install of a project's dependencies reads from the build context, for a fix that
    copies those files first and installs above `COPY . .` (LW101).

    `inputs`: context paths (directories end with `/`), relative to the context root.
    `manifests`: the inputs an earlier COPY must bring to count as "manifests copied first".
    `proven`: the context shows the list complete and the install above the copy does what it
    did below it. `before`: the dependency-only command to run above the copy while the
    original install stays below it (`uv sync --no-install-project`); None when the install
    itself moves.
    """

    inputs: tuple[str, ...]
    manifests: tuple[str, ...]
    proven: bool
    before: str | None = None


@dataclass(frozen=True, slots=True)
class OutputCache:
    """A compile's output folder kept in a cache mount (LW101): the build writes there through
    `assignment` (`CARGO_TARGET_DIR=/tmp/cargo-target`) and `copy_out`, run right after it in
    the same RUN, puts the artifacts where the build wrote them before, so the image keeps
    them. `outputs`: those artifacts, as paths from where the build runs."""

    mount: CacheMount
    assignment: str
    copy_out: str
    outputs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    """The files an install run in a context folder reads: `paths` (the required ones, then the
    optional ones the context has) and `texts` (each required file's text; "" for a directory
    the context has; None when missing or when there is no context)."""

    prefix: str
    paths: tuple[str, ...]
    texts: tuple[str | None, ...]

    @property
    def complete(self) -> bool:
        """The context has every required file."""
        return all(t is not None for t in self.texts)

    def install(self, proven: bool, before: str | None = None) -> DependencyInstall:
        """The install reading these files, the first one standing for its manifests."""
        return DependencyInstall(self.paths, self.paths[:1], proven, before)


def project_files(
    context: BuildContext | None,
    project_dir: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> ProjectFiles:
    """The `required` files of context folder `project_dir` ("" for the root) and those of
    `optional` the context has (names of directories end with `/`)."""
    prefix = f"{project_dir}/" if project_dir else ""
    if context is None:
        return ProjectFiles(prefix, tuple(prefix + n for n in required), (None,) * len(required))
    present = [n for n in optional if context.exists(prefix + n.rstrip("/"))]
    texts = tuple(
        context.read_text(prefix + n)
        if not n.endswith("/")
        else ""
        if context.is_dir(prefix + n)
        else None
        for n in required
    )
    return ProjectFiles(prefix, tuple(prefix + n for n in (*required, *present)), texts)


@dataclass(frozen=True, slots=True)
class LockfileForm:
    """How an install that may rewrite its lockfile is made to install what the lockfile pins
    instead (LW107): `text` goes after `word` (an option, `--frozen-lockfile`), in front of it
    (a setting, `BUNDLE_FROZEN=true`) or in its place (`install` for `composer update`).

    `word` None: no edit is known to do it (the command runs under `sudo`...). `proven`: the
    build context shows the lockfile agrees with the manifests, so the stricter install cannot
    stop where the original went on.
    """

    word: Word | None
    text: str
    place: str = "after"  # "after", "before" or "replace"
    proven: bool = False


@dataclass(frozen=True, slots=True)
class DevForm:
    """How an install of a project's dependencies is made to leave the development ones out of
    the image (LW301): `text` goes after `words[0]` (an option, `--only main`), in front of it
    (a setting for that command), in its place (`workspaces focus --production` for Berry's
    `install`), or "env": an `ENV text` line above the RUN (a setting the image must keep at
    run time, `BUNDLE_WITHOUT=development:test`); "remove" drops `words` (Pipenv's `--dev`, pip's
    `-r requirements-dev.txt`). No `words`: the install brings them in, but no edit is known to
    leave them out (the flavour is unknown, a setting comes from ENV...). `shown` is how the
    fix title names the change when it is not `text` (the words removed)."""

    words: tuple[Word, ...]
    text: str
    place: str = "after"  # "after", "before", "replace", "env" or "remove"
    shown: str = ""


@dataclass(frozen=True, slots=True)
class Pruning:
    """How a stage holding a full install of a project's dependencies gets to what a production
    install leaves (LW304): it runs `command` (`pnpm prune --prod`, or the production install
    itself, which removes what it leaves out), and a later stage copies `folder` (relative to
    where the install ran: `node_modules`, `.venv`, `vendor`)."""

    folder: str
    command: str


# Test runners, linters, type checkers and task runners that projects list as development
# dependencies: a later step that runs one needs them in the image.
DEV_TOOLS = frozenset(
    {"pytest", "py.test", "tox", "nox", "mypy", "ruff", "flake8", "pylint", "black", "isort",
     "coverage", "bandit", "pyright", "rspec", "rubocop", "rake", "phpunit", "phpstan", "psalm",
     "pint", "php-cs-fixer", "pest", "behat"}
)  # fmt: skip
_PYTHON = re.compile(r"python(\d+(\.\d+)*)?")


def runs_dev_tool(cmd: Command) -> bool:
    """`pytest`, `python -m mypy`, `vendor/bin/phpunit`, `bin/rspec`: a tool from DEV_TOOLS."""
    name = cmd.program_name
    if name in DEV_TOOLS:
        return True
    args = cmd.args
    if name is not None and _PYTHON.fullmatch(name) and len(args) >= 2 and args[0].text == "-m":
        return args[1].text in DEV_TOOLS
    word = cmd.program_word
    return word is not None and "vendor/bin/" in word.text


# The variables the ci-info package reads to decide it runs in CI (Yarn Berry and pnpm use
# it to default to a frozen lockfile); `CI=false` turns it off. Vendor-specific ones left out.
CI_VARIABLES = ("CI", "CONTINUOUS_INTEGRATION", "BUILD_ID", "BUILD_NUMBER", "RUN_ID",
                "CI_APP_ID", "CI_BUILD_ID", "CI_BUILD_NUMBER", "CI_NAME")  # fmt: skip
_TRUTHY = frozenset({"1", "true", "yes", "on", "y", "t"})


def is_ci(env: Mapping[str, str]) -> bool:
    """The environment makes ci-info report CI (as Yarn Berry and pnpm see it)."""
    if env.get("CI", "").lower() == "false":
        return False
    return any(env.get(name) for name in CI_VARIABLES)


def env_flag(env: Mapping[str, str], *names: str) -> bool:
    """One of the variables is set to a true value (`1`, `true`, `yes`, `on`)."""
    return any(env.get(name, "").strip().lower() in _TRUTHY for name in names)


class Installer(Protocol):
    """An ecosystem whose installs the dependency-layer rules handle (LW101, LW201, LW203).

    Each member answers for its own commands and says nothing (False, None, ()) for others.
    """

    NAME: str
    PROGRAMS: frozenset[str]  # as in `Ecosystem`
    MANIFESTS: tuple[str, ...]  # as in `Ecosystem`
    LOCKFILES: tuple[str, ...]  # as in `Ecosystem`
    BUILD_PROVEN: bool  # as in `Ecosystem`

    def is_install(self, cmd: Command) -> bool:
        """The command downloads and installs packages (the step a cache mount speeds up)."""
        ...

    def verb(self, cmd: Command) -> Word | None:
        """The tool's subcommand word (`install` in `pip install x`), None for other commands."""
        ...

    def is_dependency_install(self, cmd: Command) -> bool:
        """The command installs what the project's manifests list (`npm ci`,
        `pip install -r requirements.txt`, `uv sync`), not named packages nor the project's
        own sources (`pip install .`): the step a manifest-first COPY keeps cached."""
        ...

    def dependency_install(
        self,
        cmd: Command,
        env: Mapping[str, str],
        context: BuildContext | None,
        project_dir: str,
    ) -> DependencyInstall | None:
        """What `cmd`, run in context folder `project_dir` ("" for the root) with `env` (what
        the RUN sees: the stage's ARG and ENV values, `State.variables`), reads; None when it
        is not a dependency install or reads the project's own sources or other files of the
        context the variables name (no fix can move it)."""
        ...

    def install_caches(
        self,
        cmd: Command,
        home: str,
        uid_gid: tuple[str, str] | None,
        env: Mapping[str, str],
    ) -> tuple[CacheMount, ...]:
        """The cache mounts that keep what `cmd` downloads, for this user and ENV (the command's
        own options and `VAR=x` prefixes included); () when `cmd` is no install of this tool."""
        ...

    def project_env(
        self, context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
    ) -> dict[str, str]:
        """Settings the project in context folder `project_dir` gives the tool about its cache,
        as the environment variables that set them (the stage's ENV wins over them); a file
        counts only where `in_image(path)` (relative to where the command runs) says the
        image has it. {} for a tool whose cache no project file moves."""
        ...

    def cache_defeats(self, cmd: Command) -> tuple[Word, ...]:
        """Words of `cmd` that switch its cache off (`--no-cache-dir`, `PIP_NO_CACHE_DIR=1`):
        with a cache mount they only throw its use away, so the mount's fix removes them."""
        ...

    def mount_assignments(self, cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
        """`NAME=value` words the command needs in front of it once its cache is a mount
        (uv: `UV_LINK_MODE=copy`, the cache and the target are on different file systems)."""
        ...

    def lockfile_of(self, cmd: Command) -> str | None:
        """The lockfile an install of the project's dependencies reads, as a path from where
        the command runs (`yarn.lock`; `src/App/packages.lock.json` for `dotnet restore
        src/App/App.csproj`), when the install may rewrite it instead of installing what it
        pins; None for other commands, installs held to it already (`yarn --immutable`,
        `uv sync --locked`, `pipenv sync`) and ones that chose otherwise on purpose."""
        ...

    def lockfile_form(
        self,
        cmd: Command,
        env: Mapping[str, str],
        context: BuildContext | None,
        project_dir: str,
        earlier: Sequence[Command],
    ) -> LockfileForm | None:
        """How `cmd` (of which `lockfile_of` named the lockfile) is made to install exactly
        what the lockfile pins, for the project in context folder `project_dir`; None when the
        environment, the project's settings or an `earlier` command (`bundle config set frozen
        true`) already hold it to the lockfile."""
        ...

    # Folders an install writes where it runs (`node_modules`, `.venv`, `vendor`): a later
    # `rm` of one throws the development dependencies away anyway.
    DEV_OUTPUTS: tuple[str, ...]

    def dev_form(
        self,
        cmd: Command,
        env: Mapping[str, str],
        context: BuildContext | None,
        project_dir: str,
        earlier: Sequence[Command],
    ) -> DevForm | None:
        """How `cmd`, an install of the project in context folder `project_dir` that brings
        its development dependencies into the image, is made to leave them out; None when it
        is no such install, already leaves them out (its options, ENV, `earlier` commands, the
        project's settings), or the project (when the context shows it) declares none."""
        ...

    def pruning(
        self, cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
    ) -> Pruning | None:
        """How a stage holding a full install of the project in context folder `project_dir`
        gets what the production install `cmd` leaves, and the folder to copy from it; None
        when the packages land outside the project (site-packages, GEM_HOME), where settings
        decide, or no command is known to do it."""
        ...

    def needs_dev(self, cmd: Command) -> bool:
        """The command runs something the development dependencies may provide (`poetry run`,
        `bundle exec`, a package.json script): leaving them out would break it."""
        ...

    def starts_over(self, cmd: Command) -> bool:
        """The install deletes what an earlier install of the project left before it installs
        (`npm ci` removes node_modules), so the same install run above the broad COPY saves it
        nothing (LW101)."""
        ...

    def split_repeats_install(self, cmd: Command) -> bool:
        """The install's dependency-only step (LW101) is the install itself run on placeholder
        sources (`cargo build`), so the same install above the broad COPY is that step."""
        ...

    def build_outputs(
        self, cmd: Command, cwd: str, home: str, env: Mapping[str, str]
    ) -> tuple[str, ...]:
        """As in `Compiler`: absolute paths where `cmd`, run in `cwd`, writes what it builds
        (LW101: a cache mount holding them keeps a compile's work across source edits); ()
        for a command that builds no artifact, and for every command of a tool that builds none.
        """
        ...

    def output_cache(
        self,
        cmd: Command,
        env: Mapping[str, str],
        context: BuildContext | None,
        project_dir: str,
        cwd: str,
        uid_gid: tuple[str, str] | None,
    ) -> OutputCache | None:
        """How a compile that redoes its dependencies after every source edit (`cargo build`)
        keeps its output folder in a cache mount, for the project in context folder
        `project_dir` built in `cwd` with the stage's `env`; None for other commands and when
        the artifacts to copy out are not known."""
        ...

    def unproven(
        self, cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
    ) -> bool:
        """As in `Ecosystem`: a flavour no real build exercised (`fix_proven`)."""
        ...

    def offline(self, cmd: Command, env: Mapping[str, str]) -> bool:
        """The install reads packages only from the tool's cache in the image, never the
        network (`npm ci --offline`, with the command's own `VAR=x` prefixes and `env`): no
        mount for it (`install_caches` gives none), and a mount on an earlier install of the
        tool keeps that cache out of the image, where this one looks (LW201)."""
        ...


# Answers of an ecosystem with nothing to say about an `Installer` member: no lockfile form, no
# development dependencies and no project-wide environment (the compiled languages: what their
# build leaves behind is the toolchain, LW305), no install that starts over, no split that
# repeats the install, no build output (the interpreted languages). Such a module binds the
# member to one of these (`lockfile_form = no_lockfile_form`), so the "nothing to say" answer
# has one definition.
def no_lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    return None


def no_dev_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> DevForm | None:
    return None


def never_needs_dev(cmd: Command) -> bool:
    return False


def no_project_env(
    context: BuildContext, project_dir: str, in_image: Callable[[str], bool]
) -> dict[str, str]:
    return {}


def never_starts_over(cmd: Command) -> bool:
    return False


def never_offline(cmd: Command, env: Mapping[str, str]) -> bool:
    return False


def never_repeats_install(cmd: Command) -> bool:
    return False


def no_output_cache(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    cwd: str,
    uid_gid: tuple[str, str] | None,
) -> OutputCache | None:
    return None


def no_build_outputs(cmd: Command, cwd: str, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def command_env(cmd: Command, env: Mapping[str, str] | None) -> dict[str, str]:
    """The environment a command sees: the stage's ARG and ENV values (`State.variables`, as
    BuildKit hands them to a RUN) with its own `NAME=value` prefixes on
    top (`PIP_CACHE_DIR=/c pip install`, `env X=1 uv sync`)."""
    out = dict(env or {})
    for word in (*cmd.assignments, *cmd.wrappers):
        name, eq, value = word.text.partition("=")
        if eq and name.replace("_", "").isalnum() and not name[:1].isdigit():
            out[name] = value
    return out


def names_config_file(
    cmd: Command,
    env: Mapping[str, str] | None,
    options: tuple[str, ...] = (),
    variables: tuple[str, ...] = (),
) -> bool:
    """The command (one of `options`) or its environment (one of `variables`, from ENV, ARG or a
    prefix) names a configuration file the install reads: it may come only with the broad
    COPY, and a moved install would run without it or fail. `/dev/null` does not count: it
    is how pip is told to read no configuration at all."""
    seen = command_env(cmd, env)
    given = [cmd.option_value(*options) if options else None, *(seen.get(n) for n in variables)]
    return any(value and value != "/dev/null" for value in given)


def env_words(cmd: Command, names: frozenset[str]) -> tuple[Word, ...]:
    """The `NAME=value` prefix words of `cmd` that set one of `names`."""
    return tuple(w for w in cmd.assignments if w.text.partition("=")[0] in names)


def subcommand(
    cmd: Command, programs: frozenset[str], value_options: frozenset[str]
) -> Word | None:
    """The subcommand word of a tool (`ci` in `npm --prefix /app ci`): the first operand that is
    neither an option nor an option's value; None for another program or a bare invocation."""
    if cmd.program_name not in programs:
        return None
    operands = cmd.operands(value_options)
    return operands[0] if operands else None


def static_text(word: Word | None) -> str | None:
    """The word's text when it is known before the shell runs (no expansions), else None."""
    return word.text if word is not None and word.is_static else None


class SystemPackages(Protocol):
    """A distribution's package manager whose installs the system cache-mount rule handles
    (LW204): apk, dnf (with yum and microdnf), zypper. apt has rules of its own (LW202, LW5xx).

    Each keeps downloaded packages in a cache directory only when told to (a link, a setting, a
    per-repository flag); the fix mounts that directory and tells it.
    """

    NAME: str
    PROGRAMS: frozenset[str]
    BUILD_PROVEN: bool  # as in `Ecosystem`
    # A command that turns keeping packages on for every later run of the manager, put in
    # front of the RUN (it stays in the image); None when an option of the install does it.
    SETUP: str | None
    # The install's own option that keeps its packages; None when `SETUP` does it.
    KEEP_OPTION: str | None
    # Mount targets that hold the cache and turn it on by being there (apk: /etc/apk/cache).
    ENABLING_MOUNTS: tuple[str, ...]

    def verb(self, cmd: Command) -> Word | None:
        """The manager's subcommand word (`add` in `apk add curl`), None for other commands."""
        ...

    def is_install(self, cmd: Command) -> bool:
        """The command downloads packages (the step a cache mount speeds up)."""
        ...

    def install_mounts(self, cmd: Command) -> tuple[CacheMount, ...]:
        """The cache mounts that keep what the install downloads; () for other commands."""
        ...

    def cache_defeats(self, cmd: Command) -> tuple[Word, ...]:
        """Words of the install that keep the cache unused (`--no-cache`)."""
        ...

    def turns_cache_on(self, cmd: Command) -> bool:
        """Run before an install, the command makes the manager keep packages from then on."""
        ...

    def keeps_packages(self, cmd: Command) -> bool:
        """The install's own options keep what it downloads."""
        ...

    def moves_cache(self, cmd: Command) -> bool:
        """The command puts the cache somewhere else (its own option, or a setting it writes):
        the usual mount would miss it."""
        ...

    def refresh_option(self, cmd: Command, earlier: Sequence[Command]) -> str | None:
        """An option the install needs once its cache is a mount that may hold stale or no
        package indexes (apk: `--update-cache`, unless `earlier` commands refreshed them)."""
        ...


class Compiler(Protocol):
    """A compiled language's toolchain (Go, Cargo, Maven, Gradle, .NET): the image it builds
    on, where a build writes its artifacts, and the image that runs them without it (LW305)."""

    NAME: str
    PROGRAMS: frozenset[str]
    BUILD_PROVEN: bool  # as in `Ecosystem`
    # Programs the runtime image provides to start the artifact (`java -jar app.jar`,
    # `dotnet App.dll`); empty when the artifact is the program itself.
    LAUNCHERS: frozenset[str]
    # The artifact needs the files beside it (a .NET publish folder): its folder is copied.
    COPY_FOLDER: bool

    def verb(self, cmd: Command) -> Word | None:
        """The tool's subcommand word (`build` in `go build`), None for other commands."""
        ...

    def is_toolchain_image(self, image: str) -> bool:
        """`image` is one of the toolchain's own (`golang:1.22`, `maven:3.9-eclipse-temurin-17`)."""
        ...

    def build_outputs(
        self, cmd: Command, cwd: str, home: str, env: Mapping[str, str]
    ) -> tuple[str, ...]:
        """Absolute paths (files or folders) where `cmd`, run in `cwd`, writes what it builds;
        () for a command that builds no artifact (or writes it where no one can tell)."""
        ...

    def runtime_image(self, image: str, build: Command, env: Mapping[str, str]) -> str | None:
        """The image that runs what `build` made on toolchain image `image` without the
        toolchain; None when no runtime is known to fit (an unknown variant, a libc that may
        differ)."""
        ...

    def offline(self, cmd: Command, env: Mapping[str, str]) -> bool:
        """`cmd` runs the tool without the network (`cargo build --offline`, `mvn -o`,
        `GOPROXY=off`, `dotnet publish --no-restore`): it takes every package from the tool's
        cache and stops on one the cache lacks. `env`: the stage's ARG and ENV values."""
        ...
