"""Every mistake in a configuration file: one located error with a hint where one helps."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.config.files import load
from layerwise.errors import LayerwiseError


def error(tmp_path: Path, name: str, text: str) -> tuple[str, str | None]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LayerwiseError) as caught:
        load(path)
    exc = caught.value
    return str(exc).replace(str(path), name), exc.hint


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (
            '# settings\nselct = ["LW1"]\n',
            'layerwise.toml:2:1: error: unknown key "selct"',
            'did you mean "select"?',
        ),
        ("select = []\n", 'layerwise.toml:1:1: error: "select" is empty',
         "leave it out to select every rule"),
        ('ignore = ["LW2"]\nbogus = 1\n', 'layerwise.toml:2:1: error: unknown key "bogus"', None),
        (
            'select = "LW1"\n',
            'layerwise.toml:1:1: error: "select" must be an array of rule codes, not a string',
            None,
        ),
        (
            'select = [1]\n',
            'layerwise.toml:1:1: error: "select" must be an array of rule codes, not an array '
            "with non-strings",
            None,
        ),
        (
            'select = [\n  "LW1",\n  "LW999",\n]\n',
            'layerwise.toml:3:3: error: `LW999` in "select" names no rule',
            "`layerwise rule --all` lists them",
        ),
        (
            "ignore = ['LW1', 'XX']\n",
            'layerwise.toml:1:18: error: `XX` in "ignore" names no rule',
            "`layerwise rule --all` lists them",
        ),
        (
            'target-engine = "docker-20.1"\n',
            'layerwise.toml:1:1: error: "target-engine" must be one of "docker-20.10", "modern", '
            'not "docker-20.1"',
            'did you mean "docker-20.10"?',
        ),
        (
            'platforms = "linux/amd64"\n',
            'layerwise.toml:1:1: error: "platforms" must be an array of platforms, not a string',
            None,
        ),
        (
            'platforms = ["linux/amd64", "linux arm64"]\n',
            'layerwise.toml:1:29: error: "linux arm64" in "platforms" is not a platform '
            "(os/arch[/variant])",
            None,
        ),
        (
            "language = 1\n",
            'layerwise.toml:1:1: error: "language" must be one of "en", "ko", not an integer',
            None,
        ),
        (
            'language = "de"\n',
            'layerwise.toml:1:1: error: "language" must be one of "en", "ko", not "de"',
            None,
        ),
        (
            "hadolint = 'no'\n",
            'layerwise.toml:1:1: error: "hadolint" must be true or false, not a string',
            None,
        ),
        ('context = ""\n', 'layerwise.toml:1:1: error: "context" must be a directory path, not an '
         "empty string", None),
        (
            "context = [1]\n",
            'layerwise.toml:1:1: error: "context" must be a directory path, not an array',
            None,
        ),
        (
            '[per-file-ignores]\n"a/*" = ["LW1"]\n"b/*" = ["LW77"]\n',
            'layerwise.toml:3:10: error: `LW77` in per-file-ignores."b/*" names no rule',
            "`layerwise rule --all` lists them",
        ),
        (
            'per-file-ignores = ["a"]\n',
            'layerwise.toml:1:1: error: "per-file-ignores" must be a table, not an array',
            None,
        ),
        (
            "[build-args]\nA = 'x'\nB = 2\n",
            'layerwise.toml:3:1: error: build arg "B" must be a string, not an integer',
            None,
        ),
        (
            'select = ["LW1"\n',
            "layerwise.toml:2:1: error: invalid TOML: unclosed array",
            None,
        ),
        # a key-like line inside a multi-line string is not a key
        ('context = """\nselct = 1\n"""\nselct = 2\n',
         'layerwise.toml:4:1: error: unknown key "selct"', 'did you mean "select"?'),
    ],
)  # fmt: skip
def test_top_level_file_errors(tmp_path: Path, text: str, message: str, hint: str | None) -> None:
    got, got_hint = error(tmp_path, "layerwise.toml", text)
    assert got.startswith(message), got
    assert got_hint == hint


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (
            '[project]\nname = "x"\n\n[tool.layerwise]\nselect = ["LW1"]\nselct = ["LW2"]\n',
            'pyproject.toml:6:1: error: unknown key "selct" in [tool.layerwise]',
            'did you mean "select"?',
        ),
        (
            '[tool]\nlayerwise.ignor = ["LW1"]\n',
            'pyproject.toml:2:11: error: unknown key "ignor" in [tool.layerwise]',
            'did you mean "ignore"?',
        ),
        (
            '[tool.layerwise]\nselect = ["LW1"]\n[tool.layerwise.per-file-ignores]\n"x" = "LW1"\n',
            'pyproject.toml:4:1: error: per-file-ignores."x" must be an array of rule codes, '
            "not a string",
            None,
        ),
        (
            '[tool]\nlayerwise = "on"\n',
            "pyproject.toml:2:1: error: [tool.layerwise] must be a table",
            None,
        ),
    ],
)
def test_pyproject_errors(tmp_path: Path, text: str, message: str, hint: str | None) -> None:
    got, got_hint = error(tmp_path, "pyproject.toml", text)
    assert got == message
    assert got_hint == hint


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "layerwise.toml"
    path.write_bytes(b"select = ['\xff']\n")
    with pytest.raises(LayerwiseError, match="cannot read configuration: not UTF-8"):
        load(path)


def test_a_valid_file_reads_every_option(tmp_path: Path) -> None:
    path = tmp_path / "layerwise.toml"
    path.write_text(
        'select = ["lw1", "LW5"]\nignore = ["LW104"]\ntarget-engine = "modern"\n'
        'language = "ko"\ncontext = ".."\nhadolint = false\n'
        'platforms = ["linux/amd64", "linux/arm64"]\n'
        '[per-file-ignores]\n"legacy/**" = ["LW5"]\n[build-args]\nNODE_ENV = "production"\n'
    )
    config = load(path)
    assert config is not None
    o = config.options
    assert (o.select, o.ignore, o.target_engine, o.language, o.context, o.hadolint) == (
        ("LW1", "LW5"), ("LW104",), "modern", "ko", "..", False
    )  # fmt: skip
    assert o.per_file_ignores == (("legacy/**", ("LW5",)),)
    assert o.build_args == {"NODE_ENV": "production"}
    assert o.platforms == ("linux/amd64", "linux/arm64")
    assert o.lines["language"] == 4
    assert o.lines["build-args"] == 10
