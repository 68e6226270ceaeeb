"""parse_file and parse errors: one located LayerwiseError, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.errors import LayerwiseError
from layerwise.syntax import parse, parse_file


def _error(path: Path) -> LayerwiseError:
    with pytest.raises(LayerwiseError) as info:
        parse_file(path)
    return info.value


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "Dockerfile")
    assert str(err) == f"{tmp_path / 'Dockerfile'}: error: no such file"


def test_directory(tmp_path: Path) -> None:
    assert "is a directory" in str(_error(tmp_path))


def test_binary_file_points_at_the_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM a\nRUN x\x00y\n")
    err = _error(path)
    assert (err.line, err.col) == (2, 6)
    assert "binary" in err.message


def test_invalid_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes("FROM a\nRUN écho ".encode() + b"\xff\n")
    err = _error(path)
    assert (err.line, err.col) == (2, 10)
    assert str(err).startswith(f"{path}:2:10: error: invalid UTF-8")


def test_unterminated_heredoc_points_at_its_marker(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM a\nRUN cat <<EOF\nhello\n")
    err = _error(path)
    assert (err.path, err.line, err.col, err.message) == (str(path), 2, 9, "unterminated heredoc")


def test_bom_is_kept_and_takes_no_column(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"\xef\xbb\xbfFROM a\r\nRUN b\r\n")
    tree = parse_file(path)
    assert tree.bom == "\ufeff"
    assert tree.newline == "\r\n"
    assert str(tree).encode("utf-8") == path.read_bytes()
    assert tree.instructions[0].span.start_col == 1
    assert tree.path == str(path)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "file with no instructions", 1),
        ("# only a comment\n\n", "file with no instructions", 2),
        ("# escape=x\nFROM a\n", "invalid escape token 'x' does not match ` or \\", 1),
        ("# syntax=a\n# syntax=b\nFROM a\n", "only one syntax parser directive can be used", 2),
        ("FROM a\nENV ONLYKEY\n", "ENV must have two arguments", 2),
        ("FROM a\nLABEL a=b c\n", "Syntax error - can't find = in 'c'.", 2),
        ("FROM a\nCMD [1]\n", "when using JSON array syntax, arrays must be", 2),
        ("FROM a\nRUN <<EOF\n", "unterminated heredoc", 2),
    ],
)
def test_buildkit_errors(text: str, message: str, line: int) -> None:
    with pytest.raises(LayerwiseError) as info:
        parse(text, path="Dockerfile")
    assert info.value.message.startswith(message)
    assert info.value.line == line
    assert str(info.value).startswith(f"Dockerfile:{line}:")


def test_overlong_line_is_refused_like_buildkit() -> None:
    with pytest.raises(LayerwiseError, match="greater than max allowed size"):
        parse("FROM a\nRUN " + "x" * 70000 + "\n")
