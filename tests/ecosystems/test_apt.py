"""apt facts and command recognition."""

from __future__ import annotations

import pytest

from layerwise import ecosystems
from layerwise.ecosystems import apt, npm, pip, pipenv, pnpm, poetry, uv, yarn
from layerwise.ecosystems.base import CacheMount, is_under, parse_mount_options
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("text", "update", "install"),
    [
        ("apt-get update", True, False),
        ("apt-get -qq update", True, False),
        ("apt update", True, False),
        ("sudo apt-get update", True, False),
        ("apt-get install -y curl", False, True),
        ("apt-get -o Dpkg::Options::=--force-confold install -y curl", False, True),
        ("DEBIAN_FRONTEND=noninteractive apt-get install -y curl", False, True),
        ("/usr/bin/apt-get install curl", False, True),
        ("apt-get upgrade -y", False, False),
        ("apt-cache search x", False, False),
        ("echo apt-get install", False, False),
    ],
)
def test_update_and_install(text: str, update: bool, install: bool) -> None:
    c = cmd(text)
    assert apt.is_update(c) is update
    assert apt.is_install(c) is install


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("apt-get install -y curl", True),
        ("apt-get install -y ./tool.deb", True),  # its dependencies come from the lists
        ("apt install -y curl", True),
        ("apt-cache policy curl", True),
        ("apt-get -q $VERB curl", True),  # a verb known only at run time: assume it reads
        ("apt-get update", False),
        ("apt-get purge -y --auto-remove gcc", False),
        ("apt-get clean", False),
        ("dpkg -i tool.deb", False),
        ("echo apt-get install", False),
    ],
)
def test_reads_lists(text: str, reads: bool) -> None:
    assert apt.reads_lists(cmd(text)) is reads


def test_apt_cli_versus_apt_get() -> None:
    assert apt.is_apt_cli(cmd("apt install -y x"))
    assert not apt.is_apt_cli(cmd("apt-get install -y x"))
    assert apt.fetches_packages(cmd("apt-get dist-upgrade -y"))


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("apt-get install curl", ["-y", "--no-install-recommends"]),
        ("apt-get install -y curl", ["--no-install-recommends"]),
        ("apt-get install -yq --no-install-recommends curl", []),
        ("apt-get -qq install --no-install-recommends curl", []),
        ("apt-get install --yes --no-install-recommends curl", []),
        ("apt-get install --assume-yes -o APT::Install-Recommends=false curl", []),
        ("apt-get -o APT::Get::Assume-Yes=true --no-install-recommends install curl", []),
        ("apt-get -q install --no-install-recommends curl", ["-y"]),
        ("apt-get update", []),
    ],
)
def test_install_flags_missing(text: str, missing: list[str]) -> None:
    assert apt.install_flags_missing(cmd(text)) == missing


def test_cache_mounts_are_locked_pair() -> None:
    flags = [m.flag_text() for m in apt.cache_mounts("/home/node", ("1000", "1000"))]
    assert flags == [
        "--mount=type=cache,target=/var/cache/apt,sharing=locked",
        "--mount=type=cache,target=/var/lib/apt,sharing=locked",
    ]
    assert apt.cache_mounts("/root", None) == apt.CACHE_MOUNTS


@pytest.mark.parametrize(
    ("text", "lists", "cleaning"),
    [
        ("rm -rf /var/lib/apt/lists/*", ["/var/lib/apt/lists/*"], True),
        ("rm -rf /var/lib/apt/lists", ["/var/lib/apt/lists"], True),
        ("rm -rf /tmp/* /var/lib/apt/lists/*", ["/var/lib/apt/lists/*"], True),
        ("rm -rf /var/cache/apt/archives/*.deb", [], True),
        ("apt-get clean", [], True),
        ("apt-get autoclean", [], True),
        ("rm -rf /var/lib/aptitude", [], False),
        ("rm -rf /tmp/*", [], False),
        ("apt-get install -y x", [], False),
    ],
)
def test_lists_removal_and_cache_cleaning(text: str, lists: list[str], cleaning: bool) -> None:
    c = cmd(text)
    words = apt.lists_removal(c)
    assert [w.text for w in words] == lists
    assert all(text[w.start : w.end] == w.raw for w in words)
    assert apt.cache_cleaning(c) is cleaning


def test_docker_clean() -> None:
    assert apt.DOCKER_CLEAN == "/etc/apt/apt.conf.d/docker-clean"
    assert apt.removes_docker_clean(cmd("rm -f /etc/apt/apt.conf.d/docker-clean"))
    assert not apt.removes_docker_clean(cmd("cat /etc/apt/apt.conf.d/docker-clean"))
    first = parse_script(
        MappedText(apt.KEEP_CACHE_COMMAND, tuple(range(len(apt.KEEP_CACHE_COMMAND) + 1)))
    ).commands
    assert apt.removes_docker_clean(first[0])
    assert first[1].program == "echo"


def test_cache_mount_from_flag() -> None:
    mount = CacheMount.from_flag("type=cache,target=/var/cache/apt,sharing=locked")
    assert mount == CacheMount("/var/cache/apt", sharing="locked")
    assert CacheMount.from_flag("type=cache,target=.npm", workdir="/app") == CacheMount("/app/.npm")
    assert CacheMount.from_flag("type=bind,target=/x") is None
    assert CacheMount.from_flag("target=/x") is None  # bind is the default type
    assert mount is not None and mount.covers("/var/cache/apt/archives")
    assert not mount.covers("/var/cache/aptx")
    round_trip = CacheMount("/root/.npm", id="npm", sharing="locked", uid="1", gid="2")
    assert CacheMount.from_flag(round_trip.flag_text().removeprefix("--mount=")) == round_trip


def test_parse_mount_options_reads_csv() -> None:
    assert parse_mount_options('type=cache,"id=a,b",ro') == {
        "type": "cache",
        "id": "a,b",
        "ro": "",
    }


def test_is_under() -> None:
    assert is_under("/var/lib/apt/lists/*", "/var/lib/apt")
    assert is_under("/var/lib/apt/", "/var/lib/apt")
    assert not is_under("/var/lib/aptitude", "/var/lib/apt")


def test_registry_lists_every_module_and_finds_by_program() -> None:
    assert (npm, yarn, pnpm, pip, uv, poetry, pipenv, apt) == ecosystems.ALL[:8]
    assert ecosystems.for_command(cmd("go mod download")) is ecosystems.golang
    assert ecosystems.for_command(cmd("sudo apt-get install -y x")) is apt
    assert ecosystems.for_command(cmd("npm ci")) is npm
    assert ecosystems.for_command(cmd("make")) is None
    for eco in ecosystems.ALL:
        assert eco.NAME and eco.PROGRAMS
