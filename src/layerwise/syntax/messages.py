"""The errors BuildKit's Dockerfile parser stops at, in its own words.

Sources read: moby/buildkit frontend/dockerfile/parser (parser.go, line_parsers.go). Each text
has a key, so that a finding (LW400) can say it in another language; `str()` of the error is
the one-line `path:line:col: error: ...` a user sees on exit 2, as before.
"""

from __future__ import annotations

from layerwise.errors import ErrorText, KeyedError

UNTERMINATED_HEREDOC = ErrorText("unterminated-heredoc", "unterminated heredoc")
LINE_TOO_LONG = ErrorText(
    "line-too-long", "dockerfile line greater than max allowed size of {limit}"
)
DUPLICATE_DIRECTIVE = ErrorText(
    "duplicate-directive", "only one {directive} parser directive can be used"
)
INVALID_ESCAPE = ErrorText(
    "invalid-escape", "invalid escape token '{token}' does not match ` or \\"
)
TWO_ARGUMENTS = ErrorText("two-arguments", "{keyword} must have two arguments")
MISSING_EQUALS = ErrorText(
    "missing-equals", "Syntax error - can't find = in {word!r}. Must be of the form: name=value"
)
JSON_NOT_STRINGS = ErrorText(
    "json-not-strings", "when using JSON array syntax, arrays must be comprised of strings only"
)
NO_INSTRUCTIONS = ErrorText("no-instructions", "file with no instructions")

SYNTAX_ERRORS = (
    UNTERMINATED_HEREDOC,
    LINE_TOO_LONG,
    DUPLICATE_DIRECTIVE,
    INVALID_ESCAPE,
    TWO_ARGUMENTS,
    MISSING_EQUALS,
    JSON_NOT_STRINGS,
    NO_INSTRUCTIONS,
)


class DockerfileSyntaxError(KeyedError):
    """Text BuildKit's parser rejects: the whole file fails (LW400). Raised without a location
    inside a line's parse, and located by the parser."""
