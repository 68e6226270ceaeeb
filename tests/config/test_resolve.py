"""Settings per checked file: config file, per-file-ignores, hadolint, command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from layerwise.config import Overrides, Resolver

WriteTree = Callable[[dict[str, str]], Path]

MONOREPO = {
    "pyproject.toml": (
        '[project]\nname = "mono"\n\n[tool.layerwise]\nignore = ["LW203"]\n'
        '[tool.layerwise.per-file-ignores]\n"legacy/**" = ["LW5"]\n"*.dev.Dockerfile" = ["LW4"]\n'
        '"services/*/Dockerfile" = ["LW1"]\n'
    ),
    "services/api/layerwise.toml": (
        'select = ["LW4", "LW5"]\nlanguage = "ko"\ntarget-engine = "docker-20.10"\ncontext = ".."\n'
        'platforms = ["linux/amd64", "linux/arm64"]\n'
        '[per-file-ignores]\n"Dockerfile" = ["LW403"]\n[build-args]\nA = "1"\n'
    ),
    "services/web/Dockerfile": "",
    "services/web/app.dev.Dockerfile": "",
    "services/api/Dockerfile": "",
    "services/api/tools/Dockerfile": "",
    "legacy/old/Dockerfile": "",
    "Dockerfile": "",
    ".hadolint.yaml": "ignored: [DL3027]\n",
}


@pytest.fixture
def mono(write_tree: WriteTree) -> Path:
    return write_tree(MONOREPO)


def resolver(
    root: Path,
    overrides: Overrides | None = None,
    *,
    config: Path | None = None,
    isolated: bool = False,
) -> Resolver:
    """A resolver working in `root`, with a home that holds no hadolint files."""
    env = {"HOME": str(root / "nohome")}
    return Resolver(overrides, config=config, isolated=isolated, cwd=root, env=env)


def ignores(r: Resolver, path: Path) -> tuple[str, ...]:
    return r.for_file(path).settings.ignore


def test_per_file_ignores_in_a_monorepo(mono: Path) -> None:
    r = resolver(mono)
    assert ignores(r, mono / "Dockerfile") == ("LW203",)
    assert ignores(r, mono / "legacy/old/Dockerfile") == ("LW203", "LW5")
    # `services/*/Dockerfile`: `*` stays within one directory
    assert ignores(r, mono / "services/web/Dockerfile") == ("LW203", "LW1")
    # a glob without `/` matches the file name anywhere below
    assert ignores(r, mono / "services/web/app.dev.Dockerfile") == ("LW203", "LW4")
    # services/api has its own file: the root's options do not reach it
    assert ignores(r, mono / "services/api/Dockerfile") == ("LW403",)
    assert ignores(r, mono / "services/api/tools/Dockerfile") == ("LW403",)  # name-only glob


def test_matched_patterns_are_reported(mono: Path) -> None:
    resolved = resolver(mono).for_file(mono / "legacy/old/Dockerfile")
    assert resolved.per_file_ignores == (("legacy/**", ("LW5",)),)
    assert resolved.origins["ignore"] == f"{mono / 'pyproject.toml'}:5 + per-file-ignores"


def test_options_of_the_closest_file(mono: Path) -> None:
    resolved = resolver(mono).for_file(mono / "services/api/Dockerfile")
    s = resolved.settings
    assert (s.select, s.lang, s.target_engine) == (("LW4", "LW5"), "ko", "docker-20.10")
    assert s.platforms == ("linux/amd64", "linux/arm64")
    assert dict(s.build_args) == {"A": "1"}
    assert resolved.context == mono / "services"  # relative to the config file's directory
    assert resolved.config is not None and resolved.config.path.name == "layerwise.toml"
    api = mono / "services/api/layerwise.toml"
    assert resolved.origins["language"] == f"{api}:2"
    assert resolved.origins["select"] == f"{api}:1"


def test_defaults_without_any_file(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("")
    resolved = resolver(tmp_path).for_file(tmp_path / "Dockerfile")
    s = resolved.settings
    assert (s.select, s.ignore, s.lang, s.target_engine) == ((), (), "en", "modern")
    assert (s.hadolint_ignore, s.hadolint_pragmas) == ((), True)
    assert resolved.context is None and resolved.config is None
    assert set(resolved.origins.values()) == {"default"}


def test_command_line_overrides_the_file(mono: Path) -> None:
    cli = Overrides(
        select=("LW1",),
        ignore=("LW101",),
        lang="en",
        target_engine="docker-20.10",
        platforms=("linux/arm64",),
        context=mono / "ctx",
        build_args={"A": "cli", "B": "2"},
    )
    resolved = resolver(mono, cli).for_file(mono / "services/api/Dockerfile")
    s = resolved.settings
    assert s.select == ("LW1",)  # replaces the file's select
    assert s.ignore == ("LW101", "LW403")  # ignores add up
    assert (s.lang, s.target_engine) == ("en", "docker-20.10")
    assert s.platforms == ("linux/arm64",)  # replaces the file's list
    assert resolved.origins["platforms"] == "command line"
    assert dict(s.build_args) == {"A": "cli", "B": "2"}
    assert resolved.context == mono / "ctx"
    assert resolved.origins["select"] == "command line"
    assert resolved.origins["ignore"] == "command line + per-file-ignores"


def test_isolated_reads_nothing(mono: Path) -> None:
    resolved = resolver(mono, isolated=True).for_file(mono / "legacy/old/Dockerfile")
    assert resolved.config is None and resolved.hadolint is None
    assert resolved.settings.ignore == ()
    assert resolved.settings.hadolint_pragmas is False


def test_explicit_config_applies_to_every_file(mono: Path, write_tree: WriteTree) -> None:
    write_tree(
        {
            "elsewhere/strict.toml": (
                'ignore = ["LW3"]\n[per-file-ignores]\n"**/Dockerfile" = ["LW4"]\n'
            )
        }
    )
    r = resolver(mono, config=mono / "elsewhere/strict.toml")
    for rel in ("Dockerfile", "services/api/Dockerfile"):
        resolved = r.for_file(mono / rel)
        assert resolved.config is not None and resolved.config.path.name == "strict.toml"
        # globs are relative to the config file's directory: `**/` does not reach ../
        assert resolved.settings.ignore == ("LW3",)
    (mono / "elsewhere/sub").mkdir()
    inside = r.for_file(mono / "elsewhere/sub/Dockerfile")
    assert inside.settings.ignore == ("LW3", "LW4")


def test_hadolint_ignores_come_from_the_working_directory(mono: Path) -> None:
    resolved = resolver(mono).for_file(mono / "services/api/Dockerfile")
    assert resolved.settings.hadolint_ignore == ("DL3027",)
    assert resolved.hadolint is not None and resolved.hadolint.path == mono / ".hadolint.yaml"
    elsewhere = resolver(mono / "legacy").for_file(mono / "services/api/Dockerfile")
    assert elsewhere.settings.hadolint_ignore == ()


def test_hadolint_false_turns_compatibility_off(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "layerwise.toml": "hadolint = false\n",
            ".hadolint.yaml": "ignored: [DL3027]\n",
            "Dockerfile": "",
        }
    )
    resolved = resolver(root).for_file(root / "Dockerfile")
    assert resolved.hadolint is None and not resolved.hadolint_compat
    assert (resolved.settings.hadolint_ignore, resolved.settings.hadolint_pragmas) == ((), False)


def test_disable_ignore_pragma(write_tree: WriteTree) -> None:
    root = write_tree({".hadolint.yaml": "disable-ignore-pragma: true\n", "Dockerfile": ""})
    settings = resolver(root).for_file(root / "Dockerfile").settings
    assert settings.hadolint_pragmas is False


def test_a_directory_resolves_without_per_file_ignores(mono: Path) -> None:
    resolved = resolver(mono).for_file(mono / "legacy", is_dir=True)
    assert resolved.settings.ignore == ("LW203",)
    assert resolved.per_file_ignores == ()
