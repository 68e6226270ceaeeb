"""pnpm facts and command recognition."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from layerwise import ecosystems
from layerwise.context import BuildContext
from layerwise.ecosystems import pnpm
from layerwise.ecosystems.base import DependencyInstall
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText

# The `make_context` fixture (conftest.py): a build context holding the given files.
ContextMaker = Callable[[dict[str, str]], BuildContext]


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("text", "install", "bare", "frozen"),
    [
        ("pnpm install", True, True, False),
        ("pnpm i --frozen-lockfile", True, True, True),
        ("pnpm --filter api install --prod --frozen-lockfile", True, True, True),
        ("pnpm fetch --prod", True, False, False),
        ("pnpm add zod", True, False, False),
        ("pnpm run build", False, False, False),
        ("pnpm store prune", False, False, False),
        ("npm install", False, False, False),
    ],
)
def test_install(text: str, install: bool, bare: bool, frozen: bool) -> None:
    c = cmd(text)
    assert pnpm.is_install(c) is install
    assert pnpm.is_bare_install(c) is bare
    assert pnpm.is_frozen(c) is frozen


def test_store_dir() -> None:
    assert pnpm.store_dir("/root") == "/root/.local/share/pnpm/store"
    assert pnpm.store_dir("/root", {"PNPM_HOME": "/pnpm"}) == "/pnpm/store"
    assert pnpm.store_dir("/root", {"XDG_DATA_HOME": "/xdg"}) == "/xdg/pnpm/store"
    assert pnpm.cache_mount("/home/node", ("1000", "1000")).flag_text() == (
        "--mount=type=cache,target=/home/node/.local/share/pnpm/store,uid=1000,gid=1000"
    )


@pytest.mark.parametrize(
    ("text", "cleaning"),
    [
        ("pnpm store prune", True),
        ("pnpm store path", False),
        ("rm -rf /root/.local/share/pnpm/store", True),
        ("rm -rf ~/.local/share/pnpm", True),
        ("rm -rf node_modules", False),
    ],
)
def test_cache_cleaning(text: str, cleaning: bool) -> None:
    assert pnpm.cache_cleaning(cmd(text)) is cleaning


def test_registered() -> None:
    assert pnpm in ecosystems.ALL
    assert ecosystems.for_command(cmd("pnpm i")) is pnpm


@pytest.mark.parametrize(
    ("text", "env", "targets"),
    [
        ("pnpm install", {}, ["/root/.local/share/pnpm/store"]),
        ("pnpm install", {"PNPM_HOME": "/pnpm"}, ["/pnpm/store"]),
        ("npm_config_store_dir=/s pnpm i", {"PNPM_HOME": "/pnpm"}, ["/s"]),
        ("pnpm install --store-dir /t", {}, ["/t"]),
        # The fetch/offline pair passes packages through the store: no mount on either alone.
        ("pnpm fetch --prod", {}, []),
        ("pnpm install --offline", {}, []),
        ("pnpm run build", {}, []),
    ],
)
def test_install_caches(text: str, env: dict[str, str], targets: list[str]) -> None:
    mounts = pnpm.install_caches(cmd(text), "/root", None, env)
    assert [m.target for m in mounts] == targets


@pytest.mark.parametrize(
    ("env", "targets"),
    [
        # The global virtual store: node_modules links into the store, so no mount.
        ({"npm_config_enable_global_virtual_store": "true"}, []),
        ({"npm_config_enable_global_virtual_store": "false"}, ["/root/.local/share/pnpm/store"]),
        # pnpm turns it off in CI.
        ({"npm_config_enable_global_virtual_store": "true", "CI": "1"},
         ["/root/.local/share/pnpm/store"]),
    ],
)  # fmt: skip
def test_global_virtual_store(env: dict[str, str], targets: list[str]) -> None:
    mounts = pnpm.install_caches(cmd("pnpm install"), "/root", None, env)
    assert [m.target for m in mounts] == targets


@pytest.mark.parametrize(
    ("files", "in_image", "on"),
    [
        ({"pnpm-workspace.yaml": "enableGlobalVirtualStore: true\n"}, True, True),
        ({"pnpm-workspace.yaml": "enableGlobalVirtualStore: false\n"}, True, False),
        ({".npmrc": "enable-global-virtual-store = true\n"}, True, True),
        ({".npmrc": "store-dir=/s\n"}, True, False),
        ({"pnpm-workspace.yaml": "packages: [\n"}, True, False),  # not YAML
        # A setting in a file the image lacks does not apply.
        ({"pnpm-workspace.yaml": "enableGlobalVirtualStore: true\n"}, False, False),
    ],
)
def test_project_env_global_virtual_store(
    make_context: ContextMaker, files: dict[str, str], in_image: bool, on: bool
) -> None:
    context = make_context({f"app/{k}": v for k, v in files.items()})
    env = pnpm.project_env(context, "app", lambda _: in_image)
    assert env == ({"npm_config_enable_global_virtual_store": "true"} if on else {})


def test_workspace_members_and_config(make_context: ContextMaker) -> None:
    context = make_context(
        {
            "package.json": "{}",
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
            "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - '!apps/skip'\n",
            ".pnpmfile.cjs": "",
            "patches/ms.patch": "",
            "apps/api/package.json": "{}",
            "apps/skip/package.json": "{}",
        },
    )
    found = pnpm.dependency_install(cmd("pnpm install --frozen-lockfile"), {}, context, "")
    assert found is not None and found.proven and found.before is None
    assert found.inputs == (
        "package.json",
        "pnpm-lock.yaml",
        "pnpm-workspace.yaml",
        "apps/api/package.json",
        ".pnpmfile.cjs",
        "patches/",
    )


@pytest.mark.parametrize(
    ("files", "proven"),
    [
        ({"pnpm-workspace.yaml": "packages: [\n"}, False),  # not YAML
        ({"pnpm-lock.yaml": None}, False),  # no lockfile
        ({"node_modules/x": ""}, False),  # laid over by `COPY . .`
        ({}, True),
    ],
)
def test_proven(make_context: ContextMaker, files: dict[str, str | None], proven: bool) -> None:
    base: dict[str, str | None] = {"package.json": "{}", "pnpm-lock.yaml": ""}
    merged = {k: v for k, v in {**base, **files}.items() if v is not None}
    found = pnpm.dependency_install(cmd("pnpm i"), {}, make_context(merged), "")
    assert found is not None and found.proven is proven


def test_fetch_and_offline(make_context: ContextMaker) -> None:
    context = make_context({"package.json": "{}", "pnpm-lock.yaml": "", ".npmrc": ""})
    fetch = pnpm.dependency_install(cmd("pnpm fetch"), {}, context, "")
    assert fetch == DependencyInstall(("pnpm-lock.yaml", ".npmrc"), ("pnpm-lock.yaml",), True)
    offline = pnpm.dependency_install(cmd("pnpm install --offline -P"), {}, context, "")
    assert offline is not None and not offline.proven
    assert offline.before == "pnpm fetch --prod"
    assert pnpm.dependency_install(cmd("pnpm add zod"), {}, context, "") is None
    assert pnpm.dependency_install(cmd("pnpm -C web install"), {}, context, "") is None


def test_installer() -> None:
    assert pnpm in ecosystems.INSTALLERS
