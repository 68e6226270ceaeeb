"""The registry's shortcut: asking only the ecosystems a command's program names answers as
asking every one of them."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from layerwise import ecosystems
from layerwise.ecosystems import (
    ALL,
    COMPILERS,
    INSTALLERS,
    SYSTEM,
    Compiler,
    Ecosystem,
    Installer,
    SystemPackages,
    cleaners_for,
    installers_for,
    npm,
    pip,
    uv,
)
from layerwise.errors import LayerwiseError
from layerwise.shell import Command, parse_script, parse_text
from layerwise.syntax import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Forms a program-name index could get wrong: wrappers, paths, versioned names, modules.
TRICKY = [
    "python -m pip install flask",
    "python3 -m pip install -r requirements.txt",
    "python3.12 -mpip install x",
    "pip3.11 install --no-cache-dir x",
    "/usr/local/bin/pip install x",
    "sudo -E apt-get install -y curl",
    "env PIP_NO_CACHE_DIR=1 pip install x",
    "env -i UV_NO_CACHE=1 uv sync",
    "PIP_CACHE_DIR=/c pip install x",
    "gosu node npm ci",
    "nice -n 5 yarn install",
    "npx prisma generate",
    "npm exec prisma generate",
    "corepack yarn install",
    "corepack pnpm install",
    "corepack enable",
    "yarnpkg",
    "yarn",
    "bundle",
    "./gradlew build",
    "./mvnw -B dependency:go-offline",
    "mvn dependency:purge-local-repository",
    "composer.phar install",
    "go clean -modcache",
    "dotnet nuget locals all --clear",
    "uv cache clean",
    "poetry cache clear pypi --all",
    "pipenv --clear",
    "pip cache purge",
    "python -m pip cache purge",
    "npm cache clean --force",
    "yarn cache clean",
    "pnpm store prune",
    "apt-get clean",
    "rm -rf /root/.cache/pip /root/.npm ~/.cache/uv /var/lib/apt/lists/*",
    "rm -rf $HOME/.cache/pypoetry ~/.cache/yarn /usr/local/share/.cache/yarn",
    "rm -rf /root/.local/share/pnpm/store /go/pkg/mod /root/.m2",
    "$PIP install x",
    "X=1",
]


def _commands() -> list[Command]:
    found = [c for text in TRICKY for c in parse_text(text).commands]
    paths = sorted((FIXTURES / "rules").glob("*/*.Dockerfile"))
    paths += sorted((FIXTURES / "corpus").glob("*.Dockerfile"))
    for path in paths:
        try:
            tree = parse(path.read_text(encoding="utf-8"))
        except (LayerwiseError, UnicodeDecodeError):
            continue
        for instruction in tree.instructions:
            source = instruction.shell_source() if instruction.name == "RUN" else None
            if source is not None:
                found.extend(parse_script(source).commands)
    return found


COMMANDS = _commands()
HOMES = ("/root", "/home/app", "/")


def test_the_commands_cover_every_installer() -> None:
    """The comparison below means something only if each installer says yes somewhere."""
    for eco in INSTALLERS:
        assert any(eco.is_install(c) for c in COMMANDS), eco.NAME
    for module in ALL:
        if module.NAME not in ("cargo", "gradle", "bundler"):  # these never clean a cache
            assert any(module.cache_cleaning(c, "/root") for c in COMMANDS), module.NAME


@pytest.mark.parametrize("eco", INSTALLERS, ids=lambda e: e.NAME)
def test_an_installer_left_out_answers_no(eco: ecosystems.Installer) -> None:
    env = {"UV_LINK_MODE": "", "XDG_CACHE_HOME": "/x"}
    for cmd in COMMANDS:
        if eco in installers_for(cmd):
            continue
        assert not eco.is_install(cmd), cmd.text
        assert eco.verb(cmd) is None, cmd.text
        assert not eco.is_dependency_install(cmd), cmd.text
        assert eco.dependency_install(cmd, {}, None, "") is None, cmd.text
        assert not eco.cache_defeats(cmd), cmd.text
        assert not eco.starts_over(cmd), cmd.text
        assert not eco.split_repeats_install(cmd), cmd.text
        for env_ in ({}, env):
            assert not eco.mount_assignments(cmd, env_), cmd.text
            for home in HOMES:
                assert not eco.build_outputs(cmd, "/src", home, env_), cmd.text
                assert not eco.install_caches(cmd, home, None, env_), cmd.text
                assert not eco.install_caches(cmd, home, ("1000", "1000"), env_), cmd.text


def _members(protocol: type) -> set[str]:
    """A protocol's members: its annotated attributes and its methods."""
    methods = {n for n, v in vars(protocol).items() if callable(v) and not n.startswith("_")}
    return set(protocol.__annotations__) | methods


REGISTRIES = [(INSTALLERS, Installer), (ALL, Ecosystem), (SYSTEM, SystemPackages)]
REGISTRIES += [(COMPILERS, Compiler)]


@pytest.mark.parametrize(
    ("modules", "protocol"), REGISTRIES, ids=[p.__name__ for _, p in REGISTRIES]
)
def test_every_module_has_every_member_of_its_protocol(
    modules: tuple[ModuleType, ...], protocol: type
) -> None:
    """Rules call each member without asking whether a module has it (no `getattr`): one that
    has nothing to say binds the shared answer of base.py."""
    for module in modules:
        for name in _members(protocol):
            assert hasattr(module, name), f"{module.__name__} lacks {protocol.__name__}.{name}"
            if callable(vars(protocol).get(name)):
                assert callable(getattr(module, name)), f"{module.__name__}.{name}"


def test_the_protocols_name_the_members_rules_call() -> None:
    assert {"starts_over", "split_repeats_install", "build_outputs", "unproven"} <= _members(
        Installer
    )
    assert "unproven" in _members(Ecosystem)


def test_only_npm_ci_starts_over() -> None:
    """An install above the broad COPY keeps the dependencies unless the later one starts over
    (LW101): npm's clean install alone deletes what the earlier one left."""
    assert any(npm.starts_over(c) for c in COMMANDS)
    for c in COMMANDS:
        for eco in INSTALLERS:
            assert eco.starts_over(c) is (eco is npm and npm.is_ci(c)), (eco.NAME, c.text)


@pytest.mark.parametrize("eco", ALL, ids=lambda e: e.NAME)
def test_an_ecosystem_left_out_cleans_no_cache(eco: ecosystems.Ecosystem) -> None:
    for cmd in COMMANDS:
        if eco not in cleaners_for(cmd):
            assert not any(eco.cache_cleaning(cmd, home) for home in HOMES), cmd.text


@pytest.mark.parametrize("eco", ALL, ids=lambda e: e.NAME)
def test_only_an_own_cleaning_names_cleaned_caches(eco: Ecosystem) -> None:
    """`cleaned_caches` names places for the commands `cache_cleaning` finds, `rm` aside (it
    names its paths), and for each module that has a cleaning command somewhere."""
    named = False
    for cmd in COMMANDS:
        for home in HOMES:
            if eco.cleaned_caches(cmd, home, {}):
                named = True
                assert eco.cache_cleaning(cmd, home), (eco.NAME, cmd.text)
                assert cmd.program_name != "rm", (eco.NAME, cmd.text)
    assert named or eco.NAME in ("cargo", "gradle", "bundler")


def test_the_order_is_the_registrys() -> None:
    for cmd in COMMANDS:
        chosen = installers_for(cmd)
        assert list(chosen) == [e for e in INSTALLERS if e in chosen]
        cleaners = cleaners_for(cmd)
        assert list(cleaners) == [e for e in ALL if e in cleaners]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("python3 -m pip install x", (pip,)),
        ("sudo uv sync", (uv,)),
        ("make", ()),
        ("$PIP install x", ()),
    ],
)
def test_installers_for(text: str, expected: tuple[object, ...]) -> None:
    assert installers_for(parse_text(text).commands[-1]) == expected
