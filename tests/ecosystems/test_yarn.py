"""Yarn (classic and Berry) facts, command recognition, and yarn as an Installer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from layerwise import ecosystems
from layerwise.context import BuildContext
from layerwise.ecosystems import npm, yarn
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText

# The `make_context` fixture (conftest.py): a build context holding the given files.
ContextMaker = Callable[[dict[str, str]], BuildContext]


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("text", "install", "bare", "frozen"),
    [
        ("yarn", True, True, False),
        ("yarn install --frozen-lockfile", True, True, True),
        ("yarn --frozen-lockfile --production", True, True, True),
        ("yarn install --immutable", True, True, True),
        ("yarn --cwd web install", True, True, False),
        ("yarn add left-pad", True, False, False),
        ("yarn build", False, False, False),
        ("yarn cache clean", False, False, False),
        ("npm install", False, False, False),
    ],
)
def test_install(text: str, install: bool, bare: bool, frozen: bool) -> None:
    c = cmd(text)
    assert yarn.is_install(c) is install
    assert yarn.is_bare_install(c) is bare
    assert yarn.is_frozen(c) is frozen


def test_root_cache_is_under_usr_local_share() -> None:
    assert yarn.cache_dir("/root") == "/usr/local/share/.cache/yarn"
    assert yarn.cache_dir("/home/node") == "/home/node/.cache/yarn"
    assert yarn.cache_dir("/root", {"YARN_CACHE_FOLDER": "/cache/yarn"}) == "/cache/yarn"
    assert yarn.cache_mount("/root").flag_text() == (
        "--mount=type=cache,target=/usr/local/share/.cache/yarn"
    )
    assert yarn.cache_mount("/home/node", ("1000", "1000")).flag_text() == (
        "--mount=type=cache,target=/home/node/.cache/yarn,uid=1000,gid=1000"
    )


def test_production_is_not_an_npm_deprecation_for_yarn() -> None:
    assert npm.deprecated_flags(cmd("yarn install --production")) == ()


@pytest.mark.parametrize(
    ("text", "cleaning"),
    [
        ("yarn cache clean", True),
        ("yarn cache list", False),
        ("rm -rf /usr/local/share/.cache/yarn", True),
        ("rm -rf ~/.cache/yarn", True),
        ("rm -rf /tmp/x", False),
    ],
)
def test_cache_cleaning(text: str, cleaning: bool) -> None:
    assert yarn.cache_cleaning(cmd(text)) is cleaning


def test_registered() -> None:
    assert yarn in ecosystems.ALL
    assert ecosystems.for_command(cmd("yarn install")) is yarn


@pytest.mark.parametrize("text", ["yarn --version", "yarn -v", "yarn --help"])
def test_bare_options_that_do_not_install(text: str) -> None:
    assert not yarn.is_install(cmd(text))


@pytest.mark.parametrize(
    ("text", "env", "targets"),
    [
        ("yarn install", {}, ["/usr/local/share/.cache/yarn"]),
        ("yarn install --cache-folder /c", {}, ["/c"]),
        ("YARN_CACHE_FOLDER=/y yarn", {}, ["/y"]),
        # Berry with Plug'n'Play (the default linker): the image runs from the cache, no mount.
        ("yarn install --immutable", {}, []),
        ("yarn install --immutable", {"YARN_NODE_LINKER": "node-modules"}, []),
        (
            "yarn install --immutable",
            {"YARN_NODE_LINKER": "node-modules", "YARN_ENABLE_GLOBAL_CACHE": "true"},
            ["/root/.yarn/berry/cache"],
        ),
        (
            "yarn install",
            {
                "YARN_NODE_LINKER": "node-modules",
                "YARN_ENABLE_GLOBAL_CACHE": "false",
                "YARN_CACHE_FOLDER": "/b",
            },
            ["/b"],
        ),
        ("yarn build", {}, []),
    ],
)
def test_install_caches(text: str, env: dict[str, str], targets: list[str]) -> None:
    mounts = yarn.install_caches(cmd(text), "/root", None, env)
    assert [m.target for m in mounts] == targets


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"package.json": '{"packageManager": "yarn@1.22.22"}'}, "classic"),
        ({"package.json": '{"packageManager": "yarn@4.5.3"}'}, "berry"),
        ({"package.json": "{}", ".yarnrc.yml": ""}, "berry"),
        ({"package.json": "{}", "yarn.lock": "__metadata:\n  version: 8\n"}, "berry"),
        ({"package.json": "{}", "yarn.lock": "# yarn lockfile v1\n"}, "classic"),
        ({"package.json": "{}"}, None),
    ],
)
def test_flavour(make_context: ContextMaker, files: dict[str, str], expected: str | None) -> None:
    assert yarn.flavour(make_context(files), "") == expected


def test_dependency_install_follows_yarn_path(make_context: ContextMaker) -> None:
    context = make_context(
        {
            "package.json": "{}",
            "yarn.lock": "__metadata:\n",
            ".yarnrc.yml": "yarnPath: tools/yarn.cjs\n",
            "tools/yarn.cjs": "",
            "tools/other.js": "",
        },
    )
    found = yarn.dependency_install(cmd("yarn install --immutable"), {}, context, "")
    assert found is not None and found.proven
    assert found.inputs == ("package.json", "yarn.lock", ".yarnrc.yml", "tools/yarn.cjs")


@pytest.mark.parametrize(
    ("yarnrc", "inputs", "proven"),
    [
        # Classic's offline mirror, relative to the .yarnrc: the install reads its tarballs.
        ('yarn-offline-mirror "./offline"\n', ("offline/",), True),
        ("yarn-offline-mirror offline\n", ("offline/",), True),
        ('yarn-offline-mirror "/opt/mirror"\n', (), False),  # outside the context
        ("yarn-offline-mirror-pruning true\n", (), True),  # another key
    ],
)
def test_dependency_install_follows_offline_mirror(
    make_context: ContextMaker, yarnrc: str, inputs: tuple[str, ...], proven: bool
) -> None:
    context = make_context(
        {
            "web/package.json": "{}",
            "web/yarn.lock": "# yarn lockfile v1\n",
            "web/.yarnrc": yarnrc,
            "web/offline/ms-2.1.3.tgz": "",
        },
    )
    found = yarn.dependency_install(cmd("yarn install --offline"), {}, context, "web")
    assert found is not None and found.proven is proven
    rc = ("web/package.json", "web/yarn.lock", "web/.yarnrc")
    assert found.inputs == rc + tuple(f"web/{p}" for p in inputs)


@pytest.mark.parametrize(
    ("files", "proven"),
    [
        ({".yarnrc.yml": "yarnPath: /opt/yarn.cjs\n"}, False),  # outside the context
        ({".yarnrc.yml": "yarnPath: [\n"}, False),  # not YAML
        ({".pnp.cjs": ""}, False),  # laid over by `COPY . .`
        ({"../yarn.lock": ""}, False),  # a parent folder's project
        ({}, True),
    ],
)
def test_dependency_install_proven(
    make_context: ContextMaker, files: dict[str, str], proven: bool
) -> None:
    base = {"app/package.json": "{}", "app/yarn.lock": "# yarn lockfile v1\n"}
    context = make_context(
        {**base, **{f"app/{k}".replace("app/../", ""): v for k, v in files.items()}}
    )
    found = yarn.dependency_install(cmd("yarn"), {}, context, "app")
    assert found is not None and found.proven is proven
    assert yarn.dependency_install(cmd("yarn --cwd app"), {}, context, "") is None


def test_installer() -> None:
    assert yarn in ecosystems.INSTALLERS
