"""Which configuration file applies to a directory: upward search, precedence, caching."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from layerwise.config import ConfigFinder
from layerwise.config.files import load
from layerwise.errors import LayerwiseError

WriteTree = Callable[[dict[str, str]], Path]
PYPROJECT = '[project]\nname = "x"\n\n[tool.layerwise]\nignore = ["LW101"]\n'


def test_closest_file_upward_wins(tmp_path: Path, write_tree: WriteTree) -> None:
    write_tree(
        {
            "repo/layerwise.toml": 'select = ["LW1"]\n',
            "repo/svc/a/.layerwise.toml": 'select = ["LW2"]\n',
            "repo/svc/a/deep/er/Dockerfile": "FROM scratch\n",
            "repo/svc/b/Dockerfile": "FROM scratch\n",
        },
    )
    finder = ConfigFinder()
    deep = finder.for_directory(tmp_path / "repo/svc/a/deep/er")
    assert deep is not None and deep.path == tmp_path / "repo/svc/a/.layerwise.toml"
    assert deep.options.select == ("LW2",)
    b = finder.for_directory(tmp_path / "repo/svc/b")
    assert b is not None and b.path == tmp_path / "repo/layerwise.toml"


def test_nothing_found_up_to_the_root(tmp_path: Path) -> None:
    (tmp_path / "a/b").mkdir(parents=True)
    assert ConfigFinder().for_directory(tmp_path / "a/b") is None


@pytest.mark.parametrize(
    ("present", "winner"),
    [
        ((".layerwise.toml", "layerwise.toml", "pyproject.toml"), ".layerwise.toml"),
        (("layerwise.toml", "pyproject.toml"), "layerwise.toml"),
        (("pyproject.toml",), "pyproject.toml"),
    ],
)
def test_precedence_in_one_directory(
    tmp_path: Path, write_tree: WriteTree, present: tuple[str, ...], winner: str
) -> None:
    texts = {".layerwise.toml": "", "layerwise.toml": "", "pyproject.toml": PYPROJECT}
    write_tree({name: texts[name] for name in present})
    config = ConfigFinder().for_directory(tmp_path)
    assert config is not None and config.path.name == winner


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path, write_tree: WriteTree) -> None:
    write_tree(
        {
            "layerwise.toml": 'ignore = ["LW2"]\n',
            "pkg/pyproject.toml": "[tool.ruff]\nline-length = 1\n",
        },
    )
    config = ConfigFinder().for_directory(tmp_path / "pkg")
    assert config is not None and config.path.name == "layerwise.toml"
    assert config.options.ignore == ("LW2",)


def test_pyproject_table_is_read(tmp_path: Path, write_tree: WriteTree) -> None:
    write_tree({"pyproject.toml": PYPROJECT})
    config = ConfigFinder().for_directory(tmp_path)
    assert config is not None
    assert config.table == ("tool", "layerwise")
    assert config.options.ignore == ("LW101",)
    assert config.label.endswith("pyproject.toml [tool.layerwise]")


def test_each_directory_and_file_is_read_once(
    tmp_path: Path, write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree({"layerwise.toml": "", "a/b/x": "", "a/c/x": ""})
    reads: list[Path] = []
    import layerwise.config.files as files

    real = files.load

    def counting(path: Path, *, explicit: bool = False) -> object:
        reads.append(path)
        return real(path, explicit=explicit)

    monkeypatch.setattr(files, "load", counting)
    finder = ConfigFinder()
    for sub in ("a/b", "a/c", "a/b", "a", ""):
        config = finder.for_directory(tmp_path / sub)
        assert config is not None and config.path == tmp_path / "layerwise.toml"
    assert reads == [tmp_path / "layerwise.toml"]


def test_explicit_pyproject_without_table_is_an_error(
    tmp_path: Path, write_tree: WriteTree
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n')
    assert load(path) is None
    with pytest.raises(LayerwiseError, match=r"no \[tool.layerwise\] table"):
        load(path, explicit=True)
