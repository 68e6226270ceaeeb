"""apk, dnf (with yum and microdnf) and zypper: which commands download packages, where each
caches, and what turns keeping packages on or off."""

from __future__ import annotations

import pytest

from layerwise import ecosystems
from layerwise.ecosystems import apk, dnf, zypper
from layerwise.shell import Command, parse_text


def cmd(text: str) -> Command:
    return parse_text(text).commands[-1]


def targets(found: object) -> list[str]:
    assert isinstance(found, tuple)
    return [m.target for m in found]


def test_system_managers_are_ecosystems_with_unproven_fixes() -> None:
    assert set(ecosystems.SYSTEM) == {apk, dnf, zypper}
    assert set(ecosystems.SYSTEM) <= set(ecosystems.ALL)
    assert not any(eco.BUILD_PROVEN for eco in ecosystems.SYSTEM)
    # One way to keep packages each: a setup command in front, or an option of the install.
    assert all((eco.SETUP is None) != (eco.KEEP_OPTION is None) for eco in ecosystems.SYSTEM)


@pytest.mark.parametrize(
    ("text", "install"),
    [
        ("apk add curl", True),
        ("apk add --no-cache curl", True),
        ("apk --no-cache add curl", True),
        ("apk -X http://mirror/edge/testing add foo", True),
        ("apk add -t .build gcc", True),
        ("apk upgrade --available", True),
        ("apk fix openssl", True),
        ("apk cache download curl", True),
        ("apk cache sync", True),
        ("apk del curl", False),
        ("apk update", False),
        ("apk info -vv", False),
        ("apk cache clean", False),
        ("echo apk add curl", False),
    ],
)
def test_apk_install(text: str, install: bool) -> None:
    assert apk.is_install(cmd(text)) is install
    assert targets(apk.install_mounts(cmd(text))) == (["/var/cache/apk"] if install else [])


def test_apk_no_cache_defeats_installs_only() -> None:
    assert [w.text for w in apk.cache_defeats(cmd("apk add --no-cache curl"))] == ["--no-cache"]
    assert apk.cache_defeats(cmd("apk del --no-cache curl")) == ()
    assert apk.cache_defeats(cmd("apk add curl")) == ()


@pytest.mark.parametrize(
    ("text", "on", "moves"),
    [
        ("ln -s /var/cache/apk /etc/apk/cache", True, False),
        ("ln -sfn /var/cache/apk/ /etc/apk/cache", True, False),
        ("ln --symbolic /var/cache/apk /etc/apk/cache/", True, False),
        ("ln /var/cache/apk /etc/apk/cache", False, False),  # not a link apk follows
        ("ln -s /srv/apk /etc/apk/cache", False, True),
        ("mkdir -p /etc/apk/cache", False, True),  # a real folder: the cache is in the image
        ("mkdir -p /var/cache/apk", False, False),
        ("apk --cache-dir /tmp/apk add curl", False, True),
        ("apk --root /sysroot add busybox", False, True),
        ("apk add curl", False, False),
    ],
)
def test_apk_link_and_moved_cache(text: str, on: bool, moves: bool) -> None:
    assert apk.turns_cache_on(cmd(text)) is on
    assert apk.moves_cache(cmd(text)) is moves


@pytest.mark.parametrize(
    ("script", "option"),
    [
        ("apk add curl", "--update-cache"),
        ("apk update && apk add curl", None),
        ("apk -U upgrade && apk add curl", None),
        ("apk add -U curl", None),
        ("apk --update add curl", None),
        ("apk add --update-cache curl", None),
        ("apk info && apk add curl", "--update-cache"),
    ],
)
def test_apk_refresh_after_the_mount(script: str, option: str | None) -> None:
    commands = parse_text(script).commands
    assert apk.refresh_option(commands[-1], commands[:-1]) == option


@pytest.mark.parametrize(
    ("text", "cleans"),
    [
        ("apk cache purge", True),
        ("apk cache clean --purge", True),
        ("apk --purge cache sync", True),
        ("apk cache clean", False),  # keeps what an index still lists
        ("apk del --purge curl", False),
        ("mytool cache purge", False),
    ],
)
def test_apk_cache_cleaning(text: str, cleans: bool) -> None:
    assert apk.cache_cleaning(cmd(text)) is cleans


@pytest.mark.parametrize(
    ("text", "mounted"),
    [
        ("dnf install -y gcc", ["/var/cache/dnf", "/var/cache/libdnf5"]),
        ("dnf -y install gcc", ["/var/cache/dnf", "/var/cache/libdnf5"]),
        ("dnf --setopt tsflags=nodocs install gcc", ["/var/cache/dnf", "/var/cache/libdnf5"]),
        ("dnf -y group install 'Development Tools'", ["/var/cache/dnf", "/var/cache/libdnf5"]),
        ("dnf module install -y nodejs:20", ["/var/cache/dnf", "/var/cache/libdnf5"]),
        ("dnf upgrade --refresh", ["/var/cache/dnf", "/var/cache/libdnf5"]),
        ("dnf5 install -y git", ["/var/cache/libdnf5"]),
        ("dnf-3 install -y git", ["/var/cache/dnf"]),
        ("yum -y install jq", ["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"]),
        ("microdnf install -y jq", ["/var/cache/yum"]),
        ("sudo dnf install -y git", ["/var/cache/dnf", "/var/cache/libdnf5"]),
        ("dnf remove -y vim", []),
        ("dnf makecache", []),
        ("dnf download bash", []),  # into the working folder, not the cache
        ("dnf group list", []),
        ("dnf --installroot=/sysroot install bash", []),
        ("dnf --setopt=cachedir=/tmp/dnf install bash", []),
    ],
)
def test_dnf_install_mounts(text: str, mounted: list[str]) -> None:
    assert targets(dnf.install_mounts(cmd(text))) == mounted
    assert all(m.sharing == "locked" for m in dnf.install_mounts(cmd(text)))


@pytest.mark.parametrize(
    ("text", "defeats", "keeps"),
    [
        ("dnf install -y gcc", [], False),
        ("dnf --setopt=keepcache=1 install -y gcc", [], True),
        ("dnf install -y --setopt=keepcache=True gcc", [], True),
        ("dnf install -y --setopt=keepcache=0 gcc", ["--setopt=keepcache=0"], False),
        ("yum --setopt keepcache=False install jq", ["--setopt", "keepcache=False"], False),
        ("dnf remove --setopt=keepcache=0 vim", [], False),
    ],
)
def test_dnf_keepcache_on_the_command(text: str, defeats: list[str], keeps: bool) -> None:
    assert [w.text for w in dnf.cache_defeats(cmd(text))] == defeats
    assert dnf.keeps_packages(cmd(text)) is keeps


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("echo 'keepcache=True' >> /etc/dnf/dnf.conf", True),
        ("echo keepcache=1 >> /etc/yum.conf", True),
        ("sed -i 's/keepcache=0/keepcache=1/' /etc/yum.conf", True),
        ("echo keepcache=0 >> /etc/dnf/dnf.conf", False),
        ("dnf config-manager --save --setopt=keepcache=True", True),
        ("dnf5 config-manager setopt keepcache=1", True),
        ("dnf config-manager --setopt=keepcache=True", False),  # not saved
        ("dnf --setopt=keepcache=1 install -y gcc", False),  # that install alone
    ],
)
def test_dnf_keepcache_written(text: str, on: bool) -> None:
    assert dnf.turns_cache_on(cmd(text)) is on


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        ("echo cachedir=/srv/dnf >> /etc/dnf/dnf.conf", True),
        ("dnf -c /etc/other.conf install x", True),
        ("dnf --setopt=system_cachedir=/srv/dnf install x", True),
        ("dnf install x", False),
        ("echo keepcache=1 >> /etc/dnf/dnf.conf", False),
    ],
)
def test_dnf_moved_cache(text: str, moves: bool) -> None:
    assert dnf.moves_cache(cmd(text)) is moves


@pytest.mark.parametrize(
    ("text", "cleans"),
    [
        ("dnf clean all", True),
        ("yum clean packages", True),
        ("microdnf clean all", True),
        ("dnf clean metadata dbcache", True),
        ("dnf clean expire-cache", False),  # only marks the metadata old
        ("dnf install clean", False),
    ],
)
def test_dnf_cache_cleaning(text: str, cleans: bool) -> None:
    assert dnf.cache_cleaning(cmd(text)) is cleans


@pytest.mark.parametrize(
    ("text", "install"),
    [
        ("zypper install -y curl", True),
        ("zypper -n in curl", True),
        ("zypper --non-interactive --gpg-auto-import-keys in curl", True),
        ("zypper -s 11 in curl", True),
        ("zypper dup", True),
        ("zypper download curl", False),  # the cache holds its output
        ("zypper refresh", False),
        ("zypper lr -u", False),
        ("zypper rm curl", False),
    ],
)
def test_zypper_install(text: str, install: bool) -> None:
    assert zypper.is_install(cmd(text)) is install
    assert targets(zypper.install_mounts(cmd(text))) == (["/var/cache/zypp"] if install else [])


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("zypper mr -kt", True),
        ("zypper modifyrepo --keep-packages --all", True),
        ("zypper mr -ka", True),
        ("zypper mr -k repo-oss", False),  # one repository
        ("zypper ar -k https://example.org/repo extra", False),
        ("sed -i 's/keeppackages=0/keeppackages=1/' /etc/zypp/repos.d/repo-oss.repo", True),
        ("zypper -n in curl", False),
    ],
)
def test_zypper_keep_packages(text: str, on: bool) -> None:
    assert zypper.turns_cache_on(cmd(text)) is on


@pytest.mark.parametrize(
    ("text", "moves", "cleans"),
    [
        ("zypper --pkg-cache-dir /srv/rpms in curl", True, False),
        ("zypper -C /srv/zypp in curl", True, False),
        ("zypper --root /sysroot in bash", True, False),
        ("zypper clean", False, True),
        ("zypper cc -a", False, True),
        ("zypper in curl", False, False),
    ],
)
def test_zypper_moved_cache_and_cleaning(text: str, moves: bool, cleans: bool) -> None:
    assert zypper.moves_cache(cmd(text)) is moves
    assert zypper.cache_cleaning(cmd(text)) is cleans
