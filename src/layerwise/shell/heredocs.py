"""Here-documents inside RUN scripts, which tree-sitter-bash parses poorly."""

from __future__ import annotations

from tree_sitter import Node, Parser, Tree


def without_heredocs(parser: Parser, tree: Tree, blanked: bytearray) -> Tree:
    """Re-parse with each here-document turned into a plain `< WORD` redirect and its body
    blanked (same byte length, newlines kept).

    tree-sitter-bash folds the rest of a `<<EOF` line into the heredoc node (`cat <<EOF | grep x;
    npm ci` even becomes one command), so the line is parsed again without it. Commands inside
    unquoted heredoc bodies (`$(...)`) are not reported.
    """
    # tree-sitter sees only the first of several heredocs on a line: repeat until none is left.
    for _ in range(8):
        redirects = heredoc_redirects(tree.root_node)
        if not redirects:
            break
        for redirect in redirects:
            for child in redirect.children:
                if not child.is_named and child.type.startswith("<<"):
                    width = child.end_byte - child.start_byte
                    blanked[child.start_byte : child.end_byte] = b"<" + b" " * (width - 1)
                elif child.type in ("heredoc_body", "heredoc_end"):
                    for i in range(child.start_byte, child.end_byte):
                        if blanked[i] != 0x0A:
                            blanked[i] = 0x20
        tree = parser.parse(bytes(blanked))
    return tree


def heredoc_redirects(root: Node) -> list[Node]:
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "heredoc_redirect":
            found.append(node)
        stack.extend(node.children)
    return found
