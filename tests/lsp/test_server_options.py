"""`layerwise lsp` with initializationOptions, and a save that re-reads the build context."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from . import helpers
from .test_server import BAD, actions, codes, open_document, published, span

pytestmark = pytest.mark.asyncio(loop_scope="module")

OPTIONS = {"lang": "ko", "select": ["LW1", "LW4"], "colour": "blue"}


# pytest-lsp's fixture() is not annotated.
@pytest_lsp.fixture(config=helpers.SERVER, scope="module")  # type: ignore[untyped-decorator]
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), initialization_options=OPTIONS
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_select_limits_the_rules_and_unknown_options_are_logged(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = helpers.write_project(tmp_path, "Dockerfile", BAD)
    assert codes(await open_document(client, uri, BAD)) == ["LW401"]
    logged = [m.message for m in client.log_messages if m.type == types.MessageType.Warning]
    assert "layerwise: initializationOptions: unknown option(s) ignored: colour" in logged


async def test_hover_in_the_chosen_language(client: LanguageClient, tmp_path: Path) -> None:
    uri = helpers.write_project(tmp_path, "Dockerfile", BAD)
    await open_document(client, uri, BAD)
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=span(BAD, "as", "utf-16").start,
        )
    )
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    assert "### LW401 `from-as-casing`" in result.contents.value
    assert "`AS` 키워드의 대소문자가" in result.contents.value


INSTALL = "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm install\n"
MANIFEST = {"name": "app", "dependencies": {"left-pad": "1.3.0"}}


async def test_saving_rechecks_with_the_build_context_on_disk(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = helpers.write_project(tmp_path, "Dockerfile", INSTALL)
    (tmp_path / "package.json").write_text(json.dumps(MANIFEST))
    assert codes(await open_document(client, uri, INSTALL)) == ["LW104"]
    at = span(INSTALL, "npm install", "utf-16")
    titles = [a.title for a in await actions(client, uri, at)]
    # The lockfile does not match package.json: `npm ci` would stop, so the fix is unsafe.
    assert "Fix (unsafe): `npm install` 대신 `npm ci` 사용" in titles  # lang: ko
    lock = {"lockfileVersion": 3, "packages": {"": {"dependencies": MANIFEST["dependencies"]}}}
    (tmp_path / "package-lock.json").write_text(json.dumps(lock))
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert codes(await published(client, uri, 1)) == ["LW104"]
    titles = [a.title for a in await actions(client, uri, at)]
    assert "Fix: `npm install` 대신 `npm ci` 사용" in titles
