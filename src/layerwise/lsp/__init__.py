"""layerwise.lsp: the editor server (`layerwise lsp`), a thin consumer of the rules and fixes.

Diagnostics per finding (and one per parse error), quick fixes (safe, unsafe, an ignore
comment), "fix all safe" as `source.fixAll.layerwise`, and the rule's documentation on hover.
"""

from layerwise.lsp.server import LayerwiseServer, create_server, serve

__all__ = ["LayerwiseServer", "create_server", "serve"]
