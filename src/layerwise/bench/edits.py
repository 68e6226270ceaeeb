"""The edits a bench makes: which file, and new content that changes bytes but not meaning.

A source-only edit appends a comment line in the file's own comment syntax; a dependency edit
without a user command appends a comment to the manifest, or, for JSON (no comments), one more
trailing newline: no package manager resolves anything differently, so the lockfile stays valid
while BuildKit sees new content. Each edit carries a fresh token so that two runs never produce
the same bytes (a repeated edit would hit a cache entry of an earlier repetition).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

# Line-comment syntax by file suffix (or whole name). Block syntaxes are (open, close).
_LINE_COMMENTS: dict[str, str] = {
    **dict.fromkeys(
        (
            ".ts",
            ".tsx",
            ".mts",
            ".cts",
            ".js",
            ".jsx",
            ".mjs",
            ".cjs",
            ".go",
            ".rs",
            ".java",
            ".kt",
            ".kts",
            ".scala",
            ".c",
            ".h",
            ".cc",
            ".cpp",
            ".hpp",
            ".cs",
            ".swift",
            ".dart",
            ".php",
            ".groovy",
            ".gradle",
            ".proto",
            ".prisma",
            ".mod",
            ".jsonc",
        ),
        "//",
    ),
    **dict.fromkeys(
        (
            ".py",
            ".pyi",
            ".rb",
            ".sh",
            ".bash",
            ".pl",
            ".r",
            ".yaml",
            ".yml",
            ".toml",
            ".cfg",
            ".ini",
            ".conf",
            ".txt",
            ".properties",
            ".ex",
            ".exs",
            ".tf",
            ".mk",
            ".in",
            ".env",
            ".gitignore",
            ".dockerignore",
            ".npmrc",
        ),
        "#",
    ),
    **dict.fromkeys((".sql", ".lua", ".hs", ".elm"), "--"),
    **dict.fromkeys(("Makefile", "Gemfile", "Pipfile", "Rakefile", "Procfile"), "#"),
}
_BLOCK_COMMENTS: dict[str, tuple[str, str]] = {
    **dict.fromkeys((".css", ".scss", ".less"), ("/*", "*/")),
    **dict.fromkeys((".html", ".htm", ".xml", ".svg", ".vue", ".md", ".csproj"), ("<!--", "-->")),
}
# Files whose content may not take a comment but tolerate an extra trailing newline.
_WHITESPACE_ONLY = frozenset({".json", ".lock"})


def _suffix(rel: str) -> str:
    name = posixpath.basename(rel)
    if name in _LINE_COMMENTS:
        return name
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def can_edit(rel: str) -> bool:
    """True when `append_marker` knows a meaning-preserving edit for this file."""
    suffix = _suffix(rel)
    return suffix in _LINE_COMMENTS or suffix in _BLOCK_COMMENTS or suffix in _WHITESPACE_ONLY


def has_comment_syntax(rel: str) -> bool:
    """True when the edit is a real comment (not just whitespace)."""
    suffix = _suffix(rel)
    return suffix in _LINE_COMMENTS or suffix in _BLOCK_COMMENTS


@dataclass(frozen=True, slots=True)
class Edit:
    """What a bench did to one file, for the report."""

    path: str  # relative to the context, `/`-separated
    how: str  # one line a person reads: "appended a `//` comment line"


def append_marker(rel: str, content: bytes, token: str) -> tuple[bytes, Edit]:
    """`content` with a harmless line appended, and what was done.

    The file's own newline (CRLF or LF) is kept; a missing final newline is added first so the
    marker is a line of its own. JSON gets one more trailing newline instead of a comment.
    """
    newline = b"\r\n" if b"\r\n" in content else b"\n"
    body = content if not content or content.endswith(b"\n") else content + newline
    suffix = _suffix(rel)
    if suffix in _LINE_COMMENTS:
        marker = _LINE_COMMENTS[suffix]
        text = f"{marker} layerwise bench {token}".encode()
        return body + text + newline, Edit(rel, f"appended a `{marker}` comment line")
    if suffix in _BLOCK_COMMENTS:
        start, end = _BLOCK_COMMENTS[suffix]
        text = f"{start} layerwise bench {token} {end}".encode()
        return body + text + newline, Edit(rel, f"appended a `{start} {end}` comment line")
    if suffix in _WHITESPACE_ONLY:
        # JSON allows only whitespace after the value: spell the token in spaces and tabs so
        # each edit still gives new bytes.
        return body + whitespace_token(token) + newline, Edit(
            rel, "appended a whitespace-only line (JSON takes no comments; same data)"
        )
    raise ValueError(f"no harmless edit known for {rel}")


def whitespace_token(token: str) -> bytes:
    """`token` (any text) as a line of spaces and tabs, one per bit: distinct tokens differ."""
    bits = "".join(f"{byte:08b}" for byte in token.encode())
    return bits.replace("0", " ").replace("1", "\t").encode()
