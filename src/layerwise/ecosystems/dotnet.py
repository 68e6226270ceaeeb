""".NET: the download step (`dotnet restore`), the commands that restore implicitly, and the
NuGet global packages folder.

Facts from Microsoft's documentation (`dotnet restore`: packages go to the global packages
folder, `$NUGET_PACKAGES` or `--packages`, default `~/.nuget/packages`; it reads the project
or solution file, NuGet.config, Directory.Build.props/targets and Directory.Packages.props
(searched upward), global.json and packages.lock.json; `dotnet build|publish|test|pack|run`
restore implicitly unless `--no-restore`; `dotnet nuget locals all|global-packages --clear`
empties it), Docker's .NET guide (a cache mount on /root/.nuget/packages) and
buildkit-facts.md. The global packages folder is where builds read packages from, so every
later build must see the same mount (LW201 checks it).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from layerwise.ecosystems import _toolchain as tc
from layerwise.ecosystems.base import (
    CacheMount,
    DependencyInstall,
    LockfileForm,
    Pruning,
    cleans_as_a_whole,
    command_env,
    image_tag,
    never_needs_dev,
    never_repeats_install,
    never_starts_over,
    never_unproven,
    no_dev_form,
    no_output_cache,
    no_project_env,
    subcommand,
)
from layerwise.shell import Command, Word

if TYPE_CHECKING:
    from layerwise.context import BuildContext

NAME = "dotnet"
PROGRAMS = frozenset({"dotnet"})
MANIFESTS: tuple[str, ...] = ("*.csproj", "*.fsproj", "*.vbproj", "*.sln")
LOCKFILES: tuple[str, ...] = ("packages.lock.json",)
# No fix proven by a real build: nuget.org is out of reach here.
BUILD_PROVEN = False
VALUE_OPTIONS = frozenset(
    {"-c", "--configuration", "-o", "--output", "-r", "--runtime", "-f", "--framework", "-s",
     "--source", "-a", "--arch", "--os", "-v", "--verbosity", "--packages", "--configfile",
     "--version-suffix", "-p", "--property", "-l", "--logger", "--filter"}
)  # fmt: skip
RESTORING_VERBS = frozenset({"restore", "build", "publish", "test", "pack", "run"})
PROJECT_SUFFIXES = (".csproj", ".fsproj", ".vbproj")
CONFIG_FILES = ("NuGet.config", "nuget.config", "NuGet.Config", "Directory.Build.props",
                "Directory.Build.targets", "Directory.Packages.props", "global.json",
                "packages.lock.json")  # fmt: skip
# The config files that apply from a parent folder (packages.lock.json sits beside its project).
PARENT_FILES = CONFIG_FILES[:-1]


def verb(cmd: Command) -> Word | None:
    return subcommand(cmd, PROGRAMS, VALUE_OPTIONS)


def is_install(cmd: Command) -> bool:
    word = verb(cmd)
    return word is not None and word.text in RESTORING_VERBS and not cmd.has_option("--no-restore")


def is_dependency_install(cmd: Command) -> bool:
    word = verb(cmd)
    return word is not None and word.text == "restore"


def _sound(project: str) -> bool:
    """A project that imports nothing else from the context."""
    return "<ProjectReference" not in project and "<Import " not in project


def dependency_install(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> DependencyInstall | None:
    """The project file `restore` names or the one in its folder, with the config files beside
    it. None for a solution (its projects live elsewhere), several projects, or none found."""
    if not is_dependency_install(cmd):
        return None
    operands = cmd.operands(VALUE_OPTIONS)[1:]
    named = operands[0].text if operands else None
    if named is not None and (not named.endswith(PROJECT_SUFFIXES) or "/" in named):
        return None
    if context is None:
        return None if named is None else tc.project_files(None, project_dir, (named,))
    projects = [
        f.rsplit("/", 1)[-1]
        for f in context.files(project_dir, max_depth=0)
        if f.endswith(PROJECT_SUFFIXES)
    ]
    if named is None and len(projects) != 1:
        return None
    project = named or projects[0]
    found = tc.project_files(context, project_dir, (project,), CONFIG_FILES, sound=_sound)
    if found is None:
        return None
    # MSBuild and NuGet look in the parent folders too: the nearest Directory.Build.props,
    # Directory.Build.targets, Directory.Packages.props and global.json above the project
    # apply to it, and every NuGet.config above it is merged in. Those of the context are
    # copied with the project, unproven: a props file may import more of the context.
    above = [
        prefix + name
        for prefix in tc.folders_up(project_dir)[1:]
        for name in PARENT_FILES
        if context.exists(prefix + name)
    ]
    if above:
        return DependencyInstall((*found.inputs, *above), found.manifests, False)
    return found


def packages_folder(cmd: Command | None, home: str, env: Mapping[str, str]) -> str:
    option = cmd.option_value("--packages") if cmd is not None else None
    return option or tc.env_dir(env, "NUGET_PACKAGES", tc.under_home(home, ".nuget/packages"))


def cache_mounts(home: str, uid_gid: tuple[str, str] | None) -> tuple[CacheMount, ...]:
    return (CacheMount.for_user(packages_folder(None, home, {}), uid_gid),)


def install_caches(
    cmd: Command, home: str, uid_gid: tuple[str, str] | None, env: Mapping[str, str]
) -> tuple[CacheMount, ...]:
    if not is_install(cmd):
        return ()
    return (CacheMount.for_user(packages_folder(cmd, home, command_env(cmd, env)), uid_gid),)


def offline(cmd: Command, env: Mapping[str, str]) -> bool:
    """A build, publish, run or test with `--no-restore`: it takes the packages the restore put
    in the packages folder, and stops on a missing one (NETSDK1064)."""
    return verb(cmd) is not None and cmd.has_option("--no-restore")


def cache_defeats(cmd: Command) -> tuple[Word, ...]:
    return ()  # `--no-cache`/`--no-http-cache` skip the HTTP cache, not the packages folder


def mount_assignments(cmd: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    return ()


def cache_cleaning(cmd: Command, home: str = "/root") -> bool:
    """`dotnet nuget locals all|global-packages --clear`."""
    words = [w.text for w in cmd.operands(VALUE_OPTIONS)] if verb(cmd) is not None else []
    return (
        words[:2] == ["nuget", "locals"]
        and len(words) > 2
        and words[2] in ("all", "global-packages")
        and cmd.has_option("--clear", "-c")
    )


def cleaned_caches(cmd: Command, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`dotnet nuget locals ... --clear` empties the packages folder NUGET_PACKAGES names."""
    return (packages_folder(None, home, command_env(cmd, env)),) if cache_cleaning(cmd) else ()


cleaning_options = cleans_as_a_whole


# Lockfile-honouring installs (LW107), from NuGet's documentation ("Locking dependencies",
# errors NU1004/NU1005): a packages.lock.json next to the project turns the lock file on, and
# restore then follows it, but re-evaluates and rewrites it when the project's dependencies
# changed; in locked mode (`dotnet restore --locked-mode`, .NET SDK 2.1.500 and later, or the
# MSBuild property RestoreLockedMode=true) restore fails with NU1004 instead. The lock records
# target frameworks and runtime identifiers: a restore with `-r linux-x64` against a lock
# written without it fails in locked mode too. `--force-evaluate` (RestoreForceEvaluate)
# re-evaluates on purpose.
LOCKED_MODE = "--locked-mode"
LOCK_PROPERTY = "RestoreLockedMode"
# Files that may set MSBuild properties for a project: the project file and the Directory.*
# files NuGet's restore reads from the project folder up.
_PROPERTY_FILES = ("Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props")
_PROPERTY = re.compile(r"(?i)\bRestore(LockedMode|ForceEvaluate)\s*=\s*true\b")
SOLUTION_SUFFIXES = (".sln", ".slnx", ".slnf")


def lockfile_of(cmd: Command) -> str | None:
    """packages.lock.json beside the project `dotnet restore` restores: the one it names (a
    project file or its folder), else the one where it runs. None for a solution (each project
    has its own lock) or when locked mode or re-evaluation is asked for."""
    word = verb(cmd)
    if word is None or word.text != "restore" or cmd.has_option(LOCKED_MODE, "--force-evaluate"):
        return None
    if any(_PROPERTY.search(w.text) for w in cmd.args):
        return None
    operands = cmd.operands(VALUE_OPTIONS)[1:]
    if not operands:
        return LOCKFILES[0]
    named = operands[0].text
    if not operands[0].is_static or named.endswith(SOLUTION_SUFFIXES) or named.startswith("/"):
        return None
    folder = posixpath.dirname(named) if named.endswith(PROJECT_SUFFIXES) else named.rstrip("/")
    return posixpath.join(folder, LOCKFILES[0]) if folder else LOCKFILES[0]


def lockfile_form(
    cmd: Command,
    env: Mapping[str, str],
    context: BuildContext | None,
    project_dir: str,
    earlier: Sequence[Command],
) -> LockfileForm | None:
    """`--locked-mode` after `restore`; None when ENV sets RestoreLockedMode (MSBuild reads
    environment variables as properties) or a project or Directory.* file of the context
    mentions it (layerwise does not evaluate MSBuild conditions)."""
    seen = command_env(cmd, env)
    if any(k.lower() == LOCK_PROPERTY.lower() and v.lower() == "true" for k, v in seen.items()):
        return None
    if context is not None:
        parts = project_dir.split("/") if project_dir else []
        folders = ["/".join(parts[:i]) for i in range(len(parts), -1, -1)]
        files = [f for f in context.files(project_dir, max_depth=0) if f.endswith(PROJECT_SUFFIXES)]
        files += [f"{d}/{n}" if d else n for d in folders for n in _PROPERTY_FILES]
        if any(LOCK_PROPERTY.lower() in (context.read_text(f) or "").lower() for f in files):
            return None
    return LockfileForm(verb(cmd), LOCKED_MODE)


DEV_OUTPUTS: tuple[str, ...] = ()


# None: .NET restores what the project file references, with no development group; what a build
# leaves in the image is the SDK (LW305).
dev_form = no_dev_form
needs_dev = never_needs_dev
project_env = no_project_env
# Not starting over: the next run reuses the module, package or build caches it finds.
starts_over = never_starts_over
split_repeats_install = never_repeats_install
output_cache = no_output_cache
unproven = never_unproven


# The toolchain out of the final image (LW305): the SDK gives way to the ASP.NET Core runtime
# image of the same tag (it holds the .NET runtime too, for console apps as well); an SDK tag
# with a full SDK version (`8.0.204`) maps to its `major.minor`.
TOOLCHAIN_IMAGE = "mcr.microsoft.com/dotnet/sdk"
RUNTIME_IMAGE = "mcr.microsoft.com/dotnet/aspnet"
LAUNCHERS = frozenset({"dotnet"})
COPY_FOLDER = True
_SDK_VERSION = re.compile(r"^(\d+\.\d+)\.\d+")


def is_toolchain_image(image: str) -> bool:
    return image_tag(image, TOOLCHAIN_IMAGE) is not None


def build_outputs(cmd: Command, cwd: str, home: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`dotnet publish` (or `build`) with `-o DIR`: DIR; without it, `bin/` of the project."""
    word = verb(cmd)
    if word is None or word.text not in ("publish", "build"):
        return ()
    out = cmd.option_value("-o", "--output") or "bin"
    return (tc.resolve(out, cwd),) if "$" not in out else ()


def runtime_image(image: str, build: Command, env: Mapping[str, str]) -> str | None:
    tag = image_tag(image, TOOLCHAIN_IMAGE)
    if tag is None or "$" in tag or tag == "latest":
        return None
    version = _SDK_VERSION.sub(lambda m: m.group(1), tag)
    return f"{RUNTIME_IMAGE}:{version}"


def pruning(
    cmd: Command, env: Mapping[str, str], context: BuildContext | None, project_dir: str
) -> Pruning | None:
    """None: the install lands outside the project, or where settings decide."""
    return None
