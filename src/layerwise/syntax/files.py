"""`parse_file(path)`: read a Dockerfile's bytes and report unreadable input with its location."""

from __future__ import annotations

import os

from layerwise.errors import LayerwiseError
from layerwise.syntax.nodes import Dockerfile
from layerwise.syntax.parser import parse


def _line_col(data: bytes, index: int) -> tuple[int, int]:
    """1-based line and code-point column of byte `index`."""
    line_start = data.rfind(b"\n", 0, index) + 1
    col = len(data[line_start:index].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, index) + 1, col


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text (a BOM is kept as U+FEFF); LayerwiseError when it is not a text file."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as file:  # noqa: PTH123 (a Path is slower, for the same call)
            data = file.read()
    except FileNotFoundError:
        raise LayerwiseError("no such file", path=name) from None
    except IsADirectoryError:
        raise LayerwiseError("is a directory, not a Dockerfile", path=name) from None
    except OSError as exc:
        raise LayerwiseError(f"cannot read file: {exc.strerror or exc}", path=name) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise LayerwiseError("binary file (NUL byte)", path=name, line=line, col=col)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        raise LayerwiseError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", path=name, line=line, col=col
        ) from None


def parse_file(path: str | os.PathLike[str]) -> Dockerfile:
    """Read and parse a Dockerfile; see `parse`. The tree's `path` is `path` as given."""
    return parse(read_text(path), path=os.fspath(path))
