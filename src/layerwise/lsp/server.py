"""`layerwise lsp`: the language server, wiring pygls to the analysis, actions and hover.

Documents are synced in full and checked on open, change and save; diagnostics are published
for the version checked, and code actions and hover answer from that analysis while it is
current (a newer version is checked first). Checking never takes the server down: a parse error
is a diagnostic, an unexpected exception is logged and shown as one diagnostic.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from layerwise import __version__
from layerwise.lsp.actions import KINDS, Request, code_actions
from layerwise.lsp.analysis import Analysis, analyze
from layerwise.lsp.diagnostics import bug_diagnostic, diagnostics
from layerwise.lsp.hover import hover
from layerwise.lsp.options import ServerOptions
from layerwise.lsp.positions import UTF16, LineTable

log = logging.getLogger(__name__)


class LayerwiseServer(LanguageServer):
    """The server's state: the editor's options and the last analysis of each document."""

    def __init__(self) -> None:
        super().__init__(
            "layerwise", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.options = ServerOptions()
        self.analyses: dict[str, Analysis] = {}

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding or UTF16
        return str(getattr(encoding, "value", encoding))

    def log(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def analysis(self, uri: str) -> Analysis:
        """The analysis of the document's current version, checked now if it is not cached."""
        document = self.workspace.get_text_document(uri)
        cached = self.analyses.get(uri)
        if cached is not None and (cached.version, cached.text) == (
            document.version,
            document.source,
        ):
            return cached
        fs_path = to_fs_path(uri) if uri.startswith("file:") else None
        path = Path(fs_path) if fs_path else None
        settings = self.options.settings_for(path)
        result = analyze(document.source, path=path, settings=settings, version=document.version)
        self.analyses[uri] = result
        return result

    def publish(self, uri: str) -> None:
        """Check the document and publish its diagnostics."""
        try:
            analysis = self.analysis(uri)
        except Exception as exc:  # a rule bug must not end the editing session
            self.analyses.pop(uri, None)
            self.log(f"layerwise: checking {uri} failed:\n{traceback.format_exc()}")
            document = self.workspace.get_text_document(uri)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    version=document.version,
                    diagnostics=[bug_diagnostic(f"{type(exc).__name__}: {exc}")],
                )
            )
            return
        table = LineTable(analysis.text, self.encoding)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                version=analysis.version,
                diagnostics=diagnostics(analysis, table, self.options),
            )
        )

    def takes_document_changes(self) -> bool:
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace is not None else None
        return bool(edit is not None and edit.document_changes)


def create_server() -> LayerwiseServer:
    server = LayerwiseServer()

    @server.feature(types.INITIALIZE)
    def _initialize(ls: LayerwiseServer, params: types.InitializeParams) -> None:
        ls.options = ServerOptions.parse(params.initialization_options)

    @server.feature(types.INITIALIZED)
    def _initialized(ls: LayerwiseServer, params: types.InitializedParams) -> None:
        for warning in ls.options.warnings:
            ls.log(f"layerwise: initializationOptions: {warning}")

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def _did_open(ls: LayerwiseServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def _did_change(ls: LayerwiseServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def _did_save(ls: LayerwiseServer, params: types.DidSaveTextDocumentParams) -> None:
        # The text is unchanged, but files in the build context may have changed on disk.
        ls.analyses.pop(params.text_document.uri, None)
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def _did_close(ls: LayerwiseServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.analyses.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=list(KINDS))
    )
    def _code_action(
        ls: LayerwiseServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        analysis = ls.analysis(uri)
        table = LineTable(analysis.text, ls.encoding)
        request = Request(
            uri=uri,
            start=table.offset(params.range.start),
            end=table.offset(params.range.end),
            only=params.context.only,
            document_changes=ls.takes_document_changes(),
        )
        return code_actions(analysis, table, request, ls.options) or None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def _hover(ls: LayerwiseServer, params: types.HoverParams) -> types.Hover | None:
        analysis = ls.analysis(params.text_document.uri)
        table = LineTable(analysis.text, ls.encoding)
        return hover(analysis, table, table.offset(params.position))

    return server


def serve() -> None:
    """Serve over stdin/stdout until the client says exit. Logs go to stderr: stdout carries
    the protocol and nothing else."""
    logging.basicConfig(level=logging.WARNING, format="layerwise lsp: %(name)s: %(message)s")
    create_server().start_io()
