"""`layerwise lsp` end to end: a real LSP client (pytest-lsp) drives the server over stdio.

Each test runs against the capabilities of three real editors, which negotiate the three
position encodings: VS Code (UTF-16, versioned document edits), Neovim 0.11 (UTF-8, plain
`changes`) and Emacs 29 (UTF-32).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from . import helpers
from .helpers import apply, position, text_edits, write_project

pytestmark = pytest.mark.asyncio(loop_scope="module")

CLIENTS = {"visual-studio-code": "utf-16", "neovim@v0.11.0": "utf-8", "emacs": "utf-32"}
DOCS_URL = "https://example.org/rules/{code}.md"
ENCODING: dict[int, str] = {}

BAD = """\
FROM node:20 as app
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]
"""
SAFE_FIXED = BAD.replace(" as ", " AS ").replace(
    "RUN npm ci", "RUN --mount=type=cache,target=/root/.npm npm ci"
)


# pytest-lsp's fixture() is not annotated.
@pytest_lsp.fixture(config=helpers.SERVER, scope="module", params=list(CLIENTS))  # type: ignore[untyped-decorator]
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest) -> AsyncIterator[None]:
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        initialization_options={"rulesDocsUrl": DOCS_URL},
    )
    result = await lsp_client.initialize_session(params)
    assert result.capabilities.position_encoding == CLIENTS[request.param]
    ENCODING[id(lsp_client)] = CLIENTS[request.param]
    yield
    await lsp_client.shutdown_session()


def encoding(client: LanguageClient) -> str:
    return ENCODING[id(client)]


async def published(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The diagnostics the server publishes for this document version."""
    while True:
        params = await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 60
        )
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)


async def open_document(
    client: LanguageClient, uri: str, text: str, version: int = 1
) -> list[types.Diagnostic]:
    item = types.TextDocumentItem(uri=uri, language_id="dockerfile", version=version, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    return await published(client, uri, version)


async def change_document(
    client: LanguageClient, uri: str, text: str, version: int
) -> list[types.Diagnostic]:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await published(client, uri, version)


async def actions(
    client: LanguageClient,
    uri: str,
    at: types.Range,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=at,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    found = list(result or [])
    assert all(isinstance(a, types.CodeAction) for a in found)
    return [a for a in found if isinstance(a, types.CodeAction)]


def span(text: str, needle: str, enc: str, nth: int = 0) -> types.Range:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return types.Range(position(text, start, enc), position(text, start + len(needle), enc))


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def test_a_bad_dockerfile_gets_its_findings(client: LanguageClient, tmp_path: Path) -> None:
    uri = write_project(tmp_path, "Dockerfile", BAD)
    found = await open_document(client, uri, BAD)
    enc = encoding(client)
    assert codes(found) == ["LW201", "LW301", "LW401"]
    by_code = {str(d.code): d for d in found}
    assert by_code["LW401"].range == span(BAD, "as", enc)
    assert by_code["LW201"].range == span(BAD, "npm ci", enc)
    assert by_code["LW401"].message == "`as` and `FROM` keywords' casing do not match"
    assert by_code["LW201"].severity == types.DiagnosticSeverity.Warning
    for diag in found:
        assert diag.source == "layerwise"
        assert diag.code_description is not None
        assert diag.code_description.href == f"https://example.org/rules/{diag.code}.md"


async def test_diagnostics_follow_edits(client: LanguageClient, tmp_path: Path) -> None:
    uri = write_project(tmp_path, "Dockerfile", BAD)
    assert codes(await open_document(client, uri, BAD)) == ["LW201", "LW301", "LW401"]
    broad = BAD.replace("COPY package.json package-lock.json ./\n", "").replace("COPY . .\n", "")
    broad = broad.replace("RUN npm ci", "COPY . .\nRUN npm ci")
    assert codes(await change_document(client, uri, broad, 2)) == [
        "LW101",
        "LW201",
        "LW301",
        "LW401",
    ]
    clean = SAFE_FIXED.replace("npm ci", "npm ci --omit=dev")
    assert await change_document(client, uri, clean, 3) == []


async def test_safe_fix_edit_gives_the_fixed_line(client: LanguageClient, tmp_path: Path) -> None:
    uri = write_project(tmp_path, "Dockerfile", BAD)
    await open_document(client, uri, BAD)
    enc = encoding(client)
    offered = await actions(client, uri, span(BAD, "as", enc))
    titles = [a.title for a in offered]
    assert titles == [
        "Fix: Replace `as` with `AS`",
        "Ignore LW401 for this instruction",
        "Fix all safe layerwise findings",
    ]
    fix = offered[0]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred
    assert fix.diagnostics is not None
    assert [d.code for d in fix.diagnostics] == ["LW401"]
    fixed = apply(BAD, text_edits(fix.edit, uri), enc)
    assert fixed == BAD.replace(" as ", " AS ")
    assert "LW401" not in codes(await change_document(client, uri, fixed, 2))


async def test_unsafe_fix_is_marked_and_not_preferred(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = write_project(tmp_path, "Dockerfile", BAD)
    await open_document(client, uri, BAD)
    enc = encoding(client)
    offered = {a.title: a for a in await actions(client, uri, span(BAD, "npm ci", enc))}
    unsafe = offered["Fix (unsafe): Add `--omit=dev` to `npm ci`"]
    assert not unsafe.is_preferred
    assert offered["Fix: Add `--mount=type=cache,target=/root/.npm` to the RUN"].is_preferred
    assert apply(BAD, text_edits(unsafe.edit, uri), enc) == BAD.replace(
        "npm ci", "npm ci --omit=dev"
    )


async def test_ignore_comment_silences_the_finding(client: LanguageClient, tmp_path: Path) -> None:
    uri = write_project(tmp_path, "Dockerfile", BAD)
    await open_document(client, uri, BAD)
    enc = encoding(client)
    offered = {a.title: a for a in await actions(client, uri, span(BAD, "npm ci", enc))}
    ignore = offered["Ignore LW201 for this instruction"]
    fixed = apply(BAD, text_edits(ignore.edit, uri), enc)
    assert fixed == BAD.replace("RUN npm ci", "# layerwise: ignore=LW201\nRUN npm ci")
    assert codes(await change_document(client, uri, fixed, 2)) == ["LW301", "LW401"]


async def test_fix_all_applies_every_safe_fix(client: LanguageClient, tmp_path: Path) -> None:
    uri = write_project(tmp_path, "Dockerfile", BAD)
    await open_document(client, uri, BAD)
    enc = encoding(client)
    whole = types.Range(types.Position(0, 0), types.Position(0, 0))
    offered = await actions(client, uri, whole, only=[types.CodeActionKind.SourceFixAll])
    assert [(a.title, a.kind) for a in offered] == [
        ("Fix all safe layerwise findings", "source.fixAll.layerwise")
    ]
    fixed = apply(BAD, text_edits(offered[0].edit, uri), enc)
    assert fixed == SAFE_FIXED
    assert codes(await change_document(client, uri, fixed, 2)) == ["LW301"]
    assert await actions(client, uri, whole, only=["source.fixAll.layerwise"]) == []


async def test_hover_shows_the_rule_documentation(client: LanguageClient, tmp_path: Path) -> None:
    uri = write_project(tmp_path, "Dockerfile", BAD)
    await open_document(client, uri, BAD)
    enc = encoding(client)
    document = types.TextDocumentIdentifier(uri=uri)
    at = span(BAD, "as", enc)
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=document, position=at.start)
    )
    assert result is not None
    assert result.range == at
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    value = result.contents.value
    assert value.startswith("**`as` and `FROM` keywords' casing do not match**")
    assert "### LW401 `from-as-casing`" in value
    assert "## What it finds" in value
    assert "## Fix safety" in value
    elsewhere = await client.text_document_hover_async(
        types.HoverParams(text_document=document, position=types.Position(1, 1))
    )
    assert elsewhere is None


NON_ASCII = (
    "# 설명: build 😀\r\n"
    "FROM node:20 AS app\r\n"
    "WORKDIR /app\r\n"
    "COPY package.json package-lock.json ./\r\n"
    'RUN echo "héllo 😀 한국어" && npm ci --omit=dev\r\n'
    'LABEL note="ü" \\\r\n'
    '      more="😀😀" \r\n'
    "FROM node:20 as runtime\r\n"
)


async def test_positions_count_code_units_with_non_ascii_and_crlf(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = write_project(tmp_path, "Dockerfile", NON_ASCII)
    found = await open_document(client, uri, NON_ASCII)
    enc = encoding(client)
    by_code = {str(d.code): d for d in found}
    assert set(by_code) == {"LW201", "LW401"}
    assert by_code["LW201"].range == span(NON_ASCII, "npm ci --omit=dev", enc)
    assert by_code["LW201"].range.start.line == 4
    assert by_code["LW401"].range == span(NON_ASCII, "as", enc, nth=0)
    assert by_code["LW401"].range.start.line == 7
    # The quick fix's edit lands on the same characters the editor sees.
    offered = {a.title: a for a in await actions(client, uri, by_code["LW201"].range)}
    fixed = apply(
        NON_ASCII,
        text_edits(offered["Fix: Add `--mount=type=cache,target=/root/.npm` to the RUN"].edit, uri),
        enc,
    )
    assert fixed == NON_ASCII.replace("RUN echo", "RUN --mount=type=cache,target=/root/.npm echo")
    ignore = offered["Ignore LW201 for this instruction"]
    silenced = apply(NON_ASCII, text_edits(ignore.edit, uri), enc)
    assert silenced == NON_ASCII.replace("RUN echo", "# layerwise: ignore=LW201\r\nRUN echo")


async def test_a_parse_error_is_a_diagnostic_and_the_server_goes_on(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = "FROM node:20\nRUN npm ci\nCOPY --from= x\nRUN <<EOF\n"
    uri = write_project(tmp_path, "Dockerfile", text)
    found = await open_document(client, uri, text)
    assert len(found) == 1
    error = found[0]
    assert error.code == "parse-error"
    assert error.severity == types.DiagnosticSeverity.Error
    assert error.range.start.line == 3
    assert await actions(client, uri, error.range) == []
    hovered = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=error.range.start
        )
    )
    assert hovered is None
    assert codes(await change_document(client, uri, BAD, 2)) == ["LW201", "LW301", "LW401"]


async def test_an_unsaved_document_is_checked_without_a_context(client: LanguageClient) -> None:
    uri = "untitled:Untitled-1"
    assert codes(await open_document(client, uri, BAD)) == ["LW201", "LW301", "LW401"]


async def test_closing_clears_the_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    uri = write_project(tmp_path, "Dockerfile", BAD)
    await open_document(client, uri, BAD)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    while True:
        params = await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 60
        )
        if params.uri == uri:
            break
    assert list(params.diagnostics) == []
