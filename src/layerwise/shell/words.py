"""Shell words: what a word of a RUN command means after quote removal, when that is knowable.

A word is *static* when its value does not depend on the shell's state at run time (no parameter
expansion, command substitution, arithmetic, tilde or brace expansion). Globs stay static: the
value of `/var/lib/apt/lists/*` is the pattern itself, which is what rules compare against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from layerwise.frozen import quick_init

# Node types whose value is only known when the command runs.
_DYNAMIC = frozenset(
    {
        "simple_expansion",
        "expansion",
        "command_substitution",
        "process_substitution",
        "arithmetic_expansion",
        "brace_expression",
        "array",
    }
)

_DOUBLE_QUOTE_ESCAPES = re.compile(r'\\([\\"$`\n])')
_WORD_ESCAPES = re.compile(r"\\(.)", re.DOTALL)
_ANSI_C = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


@quick_init
@dataclass(frozen=True, slots=True)
class Word:
    """One word of a simple command.

    `text` is the value after quote removal when the word is static, else the word as written.
    `start`/`end` are file offsets (half-open) of the word as written.
    """

    text: str
    raw: str
    start: int
    end: int
    is_static: bool

    @property
    def is_option(self) -> bool:
        """`-x`, `--long`, `--long=value` (not `-` alone, which names stdin)."""
        return self.is_static and len(self.text) > 1 and self.text.startswith("-")


def static_value(nodes: list[Node], source: bytes) -> str | None:
    """The value of adjacent nodes forming one word, or None when it is only known at run time."""
    parts: list[str] = []
    for i, node in enumerate(nodes):
        if not node.is_named:
            text = _text(node, source)
            # tree-sitter-bash splits `$x` after a quote into `$` + `x`; a `$` followed by more
            # word is an expansion, a trailing one is a literal dollar.
            if text == "$" and i + 1 < len(nodes):
                return None
            parts.append(text)
            continue
        value = _node_value(node, source, first=i == 0)
        if value is None:
            return None
        parts.append(value)
    return "".join(parts)


def _text(node: Node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _node_value(node: Node, source: bytes, *, first: bool) -> str | None:
    kind = node.type
    if kind in _DYNAMIC:
        return None
    text = _text(node, source)
    if kind == "word":
        if first and text.startswith("~"):
            return None
        return _WORD_ESCAPES.sub(_unescape_word, text)
    if kind in ("number", "variable_name", "string_content", "heredoc_start"):
        return text
    if kind == "raw_string":
        return text[1:-1]
    if kind in ("string", "translated_string"):
        if any(c.is_named and c.type != "string_content" for c in node.children):
            return None
        body = text[2:-1] if kind == "translated_string" else text[1:-1]
        return _DOUBLE_QUOTE_ESCAPES.sub(_unescape_double, body)
    if kind == "ansi_c_string":
        return re.sub(r"\\(.)", _unescape_ansi_c, text[2:-1], flags=re.DOTALL)
    if kind == "concatenation":
        children = node.children
        if children and _text(children[0], source) == "{":
            return None  # brace expansion: `{a,b}` or `{1..3}`
        return static_value(children, source)
    if kind == "variable_assignment":
        return static_value(node.children, source)
    return None


def _unescape_word(match: re.Match[str]) -> str:
    return "" if match.group(1) == "\n" else match.group(1)


def _unescape_double(match: re.Match[str]) -> str:
    return "" if match.group(1) == "\n" else match.group(1)


def _unescape_ansi_c(match: re.Match[str]) -> str:
    char = match.group(1)
    return _ANSI_C.get(char, "\\" + char)
