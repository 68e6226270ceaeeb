"""npm facts and command recognition."""

from __future__ import annotations

import pytest

from layerwise.ecosystems import npm
from layerwise.ecosystems.base import CacheMount
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    commands = parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands
    return commands[-1]


@pytest.mark.parametrize(
    ("text", "install", "ci", "bare"),
    [
        ("npm ci", True, True, False),
        ("npm clean-install --omit=dev", True, True, False),
        ("npm install", True, False, True),
        ("npm i", True, False, True),
        ("npm add", True, False, True),
        ("npm --prefix /app install --no-audit", True, False, True),
        ("npm -w pkg install", True, False, True),
        ("npm install --omit dev", True, False, True),
        ("npm install left-pad", True, False, False),
        ("npm i -g npm@10", True, False, False),
        ("npm install -g", True, False, False),
        ("sudo -E npm install", True, False, True),
        ("NODE_ENV=production npm ci", True, True, False),
        ("npm run build", False, False, False),
        ("npm prune --omit=dev", False, False, False),
        ("yarn install", False, False, False),
        ("echo npm install", False, False, False),
        ("npm $VERB", False, False, False),
    ],
)
def test_install_recognition(text: str, install: bool, ci: bool, bare: bool) -> None:
    c = cmd(text)
    assert npm.is_install(c) is install
    assert npm.is_ci(c) is ci
    assert npm.starts_over(c) is ci
    assert npm.is_bare_install(c) is bare


def test_verb_is_the_word_to_edit() -> None:
    text = "npm --prefix /app install --no-audit"
    word = npm.verb(cmd(text))
    assert word is not None
    assert text[word.start : word.end] == "install"


def test_added_packages() -> None:
    assert [w.text for w in npm.added_packages(cmd("npm i -D typescript @types/node"))] == [
        "typescript",
        "@types/node",
    ]
    assert npm.added_packages(cmd("npm ci")) == ()


def test_cache_dir_follows_home_and_config() -> None:
    assert npm.cache_dir("/root") == "/root/.npm"
    assert npm.cache_dir("/home/node/") == "/home/node/.npm"
    assert npm.cache_dir("/root", {"npm_config_cache": "/cache/npm"}) == "/cache/npm"


def test_cache_mount_for_root_and_for_node_user() -> None:
    assert npm.cache_mount("/root").flag_text() == "--mount=type=cache,target=/root/.npm"
    assert npm.cache_mount("/root", ("0", "0")) == CacheMount("/root/.npm")
    node = npm.cache_mount("/home/node", ("1000", "1000"))
    assert node.flag_text() == "--mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000"
    assert npm.cache_mounts("/home/node", ("1000", "1000")) == (node,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("npm ci --production", [("--production", "--omit=dev")]),
        ("npm install --only=prod", [("--only=prod", "--omit=dev")]),
        ("npm install --only=production", [("--only=production", "--omit=dev")]),
        ("npm install --only prod", [("--only prod", "--omit=dev")]),
        ("npm prune --production", [("--production", "--omit=dev")]),
        ("npm install --also=dev", [("--also=dev", "--include=dev")]),
        ("npm ci --omit=dev", []),
        ("yarn install --production", []),
    ],
)
def test_deprecated_flags(text: str, expected: list[tuple[str, str]]) -> None:
    found = npm.deprecated_flags(cmd(text))
    assert [(text[f.start : f.end], f.replacement) for f in found] == expected


@pytest.mark.parametrize(
    ("text", "omits"),
    [
        ("npm ci --omit=dev", True),
        ("npm ci --omit dev", True),
        ("npm ci --production", True),
        ("npm ci --only=prod", True),
        ("NODE_ENV=production npm ci", True),
        ("npm ci", False),
        ("npm ci --omit=optional", False),
    ],
)
def test_omits_dev(text: str, omits: bool) -> None:
    assert npm.omits_dev(cmd(text)) is omits


def test_omits_dev_from_stage_env() -> None:
    assert npm.omits_dev(cmd("npm ci"), {"NODE_ENV": "production"})


@pytest.mark.parametrize(
    ("text", "cleaning"),
    [
        ("npm cache clean --force", True),
        ("npm cache clear", True),
        ("npm cache rm", True),
        ("npm cache verify", False),
        ("rm -rf /root/.npm", True),
        ("rm -rf ~/.npm/_cacache", True),
        ("rm -rf /root/.npmrc", False),
        ("rm -rf /tmp/*", False),
        ("npm ci", False),
    ],
)
def test_cache_cleaning(text: str, cleaning: bool) -> None:
    assert npm.cache_cleaning(cmd(text)) is cleaning


def test_cache_cleaning_follows_the_users_home() -> None:
    assert npm.cache_cleaning(cmd("rm -rf /home/node/.npm"), home="/home/node")
    assert not npm.cache_cleaning(cmd("rm -rf /home/node/.npm"), home="/root")


def test_prune() -> None:
    assert npm.is_prune(cmd(npm.PRUNE_DEV_COMMAND))
    assert not npm.deprecated_flags(cmd(npm.PRUNE_DEV_COMMAND))


@pytest.mark.parametrize(
    "text",
    [
        "prisma generate",
        "npx prisma generate",
        "npx --yes prisma generate --schema=./prisma/schema.prisma",
        "npm exec prisma generate",
        "npm exec -- prisma generate",
        "./node_modules/.bin/prisma generate",
    ],
)
def test_codegen_direct(text: str) -> None:
    assert npm.codegen(cmd(text)) == "prisma generate"


def test_codegen_through_scripts() -> None:
    scripts = {
        "generate": "prisma generate",
        "build": "npm run generate && nest build",
        "start": "node dist/main",
        "loop": "npm run loop",
    }
    assert npm.codegen(cmd("npm run generate"), scripts) == "prisma generate"
    assert npm.codegen(cmd("npm run build"), scripts) == "prisma generate"
    assert npm.codegen(cmd("npm start"), scripts) is None
    assert npm.codegen(cmd("npm run loop"), scripts) is None
    assert npm.codegen(cmd("npm run generate")) is None  # scripts unknown
    assert npm.codegen(cmd("npx prisma migrate deploy")) is None


def test_run_script_name() -> None:
    assert npm.run_script_name(cmd("npm run-script build -- --watch")) == "build"
    assert npm.run_script_name(cmd("npm test")) == "test"
    assert npm.run_script_name(cmd("npm ci")) is None


@pytest.mark.parametrize(
    ("spec", "name"),
    [("pnpm", "pnpm"), ("yarn@1", "yarn"), ("@nestjs/cli@10.1", "@nestjs/cli"), ("@a/b", "@a/b")],
)
def test_package_name(spec: str, name: str) -> None:
    assert npm.package_name(spec) == name


@pytest.mark.parametrize(
    ("text", "tools"),
    [
        ("npm install -g pnpm", True),
        ("npm i -g yarn@1 corepack", True),
        ("npm i --global npm@10", True),
        ("npm i -g @nestjs/cli", False),
        ("npm i -g pnpm typescript", False),
        ("npm i -g $TOOL", False),
        ("npm i pnpm", False),  # a project dependency, not a global tool
        ("npm install -g", False),
    ],
)
def test_installs_only_self_contained_tools(text: str, tools: bool) -> None:
    assert npm.installs_only_self_contained_tools(cmd(text)) is tools
