"""Test-side LSP helpers, written apart from the server's code so they can catch its mistakes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lsprotocol import types
from pytest_lsp import ClientServerConfig

# The server as an editor starts it: through the CLI, over stdio.
SERVER = ClientServerConfig(
    server_command=[
        sys.executable,
        "-c",
        "import sys; from layerwise.cli.app import main; sys.exit(main(['lsp', '--stdio']))",
    ]
)

UNIT_BYTES = {"utf-8": 1, "utf-16": 2, "utf-32": 4}


def _codec(encoding: str) -> str:
    return {"utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(encoding, encoding)


def character(line_text: str, encoding: str) -> int:
    """The LSP character of the end of `line_text` (the text before it on its line)."""
    return len(line_text.encode(_codec(encoding))) // UNIT_BYTES[encoding]


def position(text: str, offset: int, encoding: str) -> types.Position:
    before = text[:offset]
    lines = re.split(r"\r\n|\r|\n", before)
    return types.Position(len(lines) - 1, character(lines[-1], encoding))


def offset(text: str, pos: types.Position, encoding: str) -> int:
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    start = starts[pos.line]
    i = start
    while character(text[start:i], encoding) < pos.character:
        i += 1
    assert character(text[start:i], encoding) == pos.character, "position inside a character"
    return i


def apply(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = [
        (offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
        for e in edits
    ]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def text_edits(edit: types.WorkspaceEdit | None, uri: str) -> list[types.TextEdit]:
    """The edits of one document, from `changes` or `documentChanges`."""
    assert edit is not None
    if edit.document_changes is not None:
        out: list[types.TextEdit] = []
        for change in edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            assert change.text_document.uri == uri
            out.extend(e for e in change.edits if isinstance(e, types.TextEdit))
        return out
    assert edit.changes is not None
    return list(edit.changes[uri])


def write_project(root: Path, name: str, text: str) -> str:
    """A Dockerfile in a small npm project (lockfile included); its file: URI."""
    (root / "package.json").write_text('{"name": "app"}\n')
    (root / "package-lock.json").write_text("{}\n")
    path = root / name
    path.write_bytes(text.encode())
    return path.as_uri()
