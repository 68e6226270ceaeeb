"""pip facts and command recognition."""

from __future__ import annotations

import pytest

from layerwise import ecosystems
from layerwise.ecosystems import pip
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("text", "install"),
    [
        ("pip install flask", True),
        ("pip3 install -r requirements.txt", True),
        ("pip3.11 install --no-cache-dir -r requirements.txt", True),
        ("python -m pip install --upgrade pip", True),
        ("python3.12 -m pip install .", True),
        ("/usr/local/bin/pip install x", True),
        ("pip --disable-pip-version-check install x", True),
        ("pip -i https://mirror/simple install x", True),
        ("pip freeze", False),
        ("pip cache purge", False),
        ("python -m venv /venv", False),
        ("python setup.py install", False),
        ("pipx install black", False),
    ],
)
def test_is_install(text: str, install: bool) -> None:
    assert pip.is_install(cmd(text)) is install


def test_verb_offsets() -> None:
    text = "python -m pip install x"
    word = pip.verb(cmd(text))
    assert word is not None and text[word.start : word.end] == "install"


def test_requirement_files() -> None:
    assert pip.requirement_files(
        cmd("pip install -r requirements.txt --requirement=dev.txt -c constraints.txt -rb.txt")
    ) == ("requirements.txt", "dev.txt", "constraints.txt", "b.txt")
    assert pip.requirement_files(cmd("pip download -r r.txt")) == ()


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("pip install .", True),
        ("pip install -e .", True),
        ("pip install --editable=./lib", True),
        ("pip install ./dist/app.whl", True),
        ("pip install -r requirements.txt libs/mypkg", True),
        ("pip install -r requirements.txt", False),
        ("pip install flask==3.0", False),
    ],
)
def test_installs_local_source(text: str, local: bool) -> None:
    assert pip.installs_local_source(cmd(text)) is local


@pytest.mark.parametrize(
    ("target", "local"),
    [
        ("libs/mypkg", True),  # pip's `_looks_like_path`: a `/` makes it a path
        ("libs/mylib-1.0-py3-none-any.whl", True),
        ("mylib-1.0-py3-none-any.whl", True),  # an archive name is a file
        ("../shared", True),
        ("/src/lib", True),
        ("file:///src/lib", True),
        ("lib @ file:///src/lib", True),
        ('libs/mypkg ; python_version < "3.9"', True),
        ("flask==3.0", False),
        ("pkg[extra]==1.0", False),
        ('importlib-metadata==8.0; python_version < "3.10"', False),
        ("gunicorn==22.0 --hash=sha256:4a0b", False),
        ("git+https://github.com/pallets/click@8.1.7#egg=click", False),
        ("https://example.com/x-1.0-py3-none-any.whl", False),
        ("idna @ https://example.com/idna-3.7-py3-none-any.whl", False),
        ("pkg[extra] @ git+https://github.com/o/pkg", False),
    ],
)
def test_installs_from_context(target: str, local: bool) -> None:
    """A requirement naming a path, however spelled, is read from the build context; a URL or
    a project on an index is not."""
    assert pip.installs_from_context(target) is local


@pytest.mark.parametrize(
    ("text", "tools"),
    [
        ("pip install --upgrade pip", True),
        ("python3 -m pip install -U pip setuptools wheel", True),
        ("pip install 'pip<25' Wheel==0.45.1", True),
        ("pip install --upgrade pip pytest", False),
        ("pip install -U pip -r requirements.txt", False),
        ("pip install --upgrade $PIP_PACKAGE", False),
        ("pip install --upgrade", False),
        ("pip download pip", False),
    ],
)
def test_installs_only_self_contained_tools(text: str, tools: bool) -> None:
    assert pip.installs_only_self_contained_tools(cmd(text)) is tools
    assert bool(pip.install_caches(cmd(text), "/root", None, {})) is (
        pip.is_install(cmd(text)) and not tools
    )


def test_cache_dir_and_mount() -> None:
    assert pip.cache_dir("/root") == "/root/.cache/pip"
    assert pip.cache_dir("/root", {"PIP_CACHE_DIR": "/c"}) == "/c"
    assert pip.cache_dir("/root", {"XDG_CACHE_HOME": "/x/"}) == "/x/pip"
    assert pip.cache_mount("/root").flag_text() == "--mount=type=cache,target=/root/.cache/pip"
    assert pip.cache_mount("/home/app", ("1000", "1000")).flag_text() == (
        "--mount=type=cache,target=/home/app/.cache/pip,uid=1000,gid=1000"
    )


def test_no_cache_dir_flag_words() -> None:
    text = "pip install --no-cache-dir -r requirements.txt"
    (word,) = pip.cache_disabling_flags(cmd(text))
    assert text[word.start : word.end] == "--no-cache-dir"
    assert pip.cache_disabling_flags(cmd("pip install x")) == ()


@pytest.mark.parametrize(
    ("text", "cleaning"),
    [
        ("pip cache purge", True),
        ("python -m pip cache remove flask", True),
        ("pip cache list", False),
        ("rm -rf /root/.cache/pip", True),
        ("rm -rf /root/.cache", True),
        ("rm -rf ~/.cache/pip", True),
        ("rm -rf /tmp/*", False),
        ("pip install x", False),
    ],
)
def test_cache_cleaning(text: str, cleaning: bool) -> None:
    assert pip.cache_cleaning(cmd(text)) is cleaning


def test_registered() -> None:
    assert pip in ecosystems.ALL
    assert ecosystems.for_command(cmd("pip3 install x")) is pip


@pytest.mark.parametrize(
    ("values", "local"),
    [
        (["wheels"], True),
        (["/app/wheels"], True),  # may lie where the context is copied
        (["file:///app/wheels"], True),
        (["https://example.com/simple other/wheels"], True),  # PIP_FIND_LINKS: several
        (["https://example.com/wheels/", ""], False),
        ([], False),
    ],
)
def test_names_local_path(values: list[str], local: bool) -> None:
    assert pip.names_local_path(values) is local


@pytest.mark.parametrize(
    ("text", "env", "looks"),
    [
        ("pip install -r r.txt --find-links=wheels", {}, True),
        ("pip install -r r.txt -f /app/wheels", {}, True),
        ("pip install -r r.txt -fwheels", {}, True),
        ("PIP_FIND_LINKS=./wheels pip install -r r.txt", {}, True),
        ("pip install -r r.txt", {"PIP_CONSTRAINT": "/app/c.txt"}, True),
        ("pip install -r r.txt", {"PIP_REQUIREMENT": "more.txt"}, True),
        ("pip install -r r.txt -f https://example.com/wheels/", {}, False),
        ("pip install -r r.txt", {"PIP_INDEX_URL": "./not-a-location-setting"}, False),
    ],
)
def test_looks_in_context(text: str, env: dict[str, str], looks: bool) -> None:
    """`--find-links` and the PIP_* variables for it, constraints and requirements point the
    install at files of the context that only the broad COPY brings."""
    command = cmd(text)
    found = pip.looks_in_context(
        command, pip.pip_args(command) or (), env, pip.FIND_LINKS, pip.LOCAL_VARIABLES
    )
    assert found is looks
