"""hadolint's configuration file: found in hadolint's order, its ignores read, errors located."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.config import hadolint
from layerwise.errors import LayerwiseError

# hadolint's order (Configfile.hs), as (path relative to a root holding cwd/ home/ xdg/)
ORDER = [
    "cwd/.hadolint.yaml",
    "cwd/.hadolint.yml",
    "xdg/hadolint.yaml",
    "xdg/hadolint.yml",
    "home/.hadolint/hadolint.yaml",
    "home/.hadolint/hadolint.yml",
    "home/.hadolint/config.yaml",
    "home/.hadolint/config.yml",
    "home/.hadolint.yaml",
    "home/.hadolint.yml",
]


def env(root: Path) -> dict[str, str]:
    return {"HOME": str(root / "home"), "XDG_CONFIG_HOME": str(root / "xdg")}


def test_candidates_follow_hadolints_order(tmp_path: Path) -> None:
    got = hadolint.candidates(tmp_path / "cwd", env(tmp_path))
    assert [p.relative_to(tmp_path).as_posix() for p in got] == ORDER


def test_xdg_defaults_to_dot_config_and_ignores_a_relative_value(tmp_path: Path) -> None:
    for xdg in ({}, {"XDG_CONFIG_HOME": "relative/dir"}):
        got = hadolint.candidates(tmp_path / "cwd", {"HOME": str(tmp_path / "home"), **xdg})
        assert got[2] == tmp_path / "home/.config/hadolint.yaml"


def test_without_home_only_the_working_directory(tmp_path: Path) -> None:
    assert len(hadolint.candidates(tmp_path, {})) == 2


@pytest.mark.parametrize("index", range(len(ORDER)))
def test_first_existing_file_wins(tmp_path: Path, index: int) -> None:
    for rel in ORDER[index:]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("ignored: []\n")
    assert hadolint.find(tmp_path / "cwd", env(tmp_path)) == tmp_path / ORDER[index]


def test_none_found(tmp_path: Path) -> None:
    assert hadolint.find(tmp_path, env(tmp_path)) is None


def load(tmp_path: Path, text: str) -> hadolint.HadolintConfig:
    path = tmp_path / ".hadolint.yaml"
    path.write_text(text)
    return hadolint.load(path)


def test_reads_ignored_and_disable_ignore_pragma(tmp_path: Path) -> None:
    text = (
        "failure-threshold: warning\nignored:\n  - DL3008\n  - dl3027\n  - SC2086\n"
        "trustedRegistries: [docker.io]\ndisable-ignore-pragma: true\n"
    )
    config = load(tmp_path, text)
    assert config.ignored == ("DL3008", "DL3027", "SC2086")
    assert config.disable_ignore_pragma is True


@pytest.mark.parametrize("text", ["", "# nothing\n", "ignored:\n", "ignored: []\n"])
def test_empty_means_no_ignores(tmp_path: Path, text: str) -> None:
    config = load(tmp_path, text)
    assert config.ignored == () and config.disable_ignore_pragma is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignored:\n  - DL3008\n - DL3009\n", ":3:2: error: invalid YAML: "),
        ("ignored: DL3008\n", ':1:10: error: "ignored" must be a list of rule codes'),
        ("ignored:\n  - [DL3008]\n", ':2:3: error: "ignored" must be a list of rule codes'),
        ("- DL3008\n", ":1:1: error: hadolint's configuration must be a mapping"),
        (
            "disable-ignore-pragma: 1\n",
            ':1:24: error: "disable-ignore-pragma" must be true or false',
        ),
    ],
)
def test_errors_are_located(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LayerwiseError) as caught:
        load(tmp_path, text)
    assert str(caught.value).startswith(f"{tmp_path / '.hadolint.yaml'}{message}")
