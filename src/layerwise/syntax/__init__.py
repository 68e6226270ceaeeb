"""layerwise.syntax: the lossless Dockerfile tree (see `parse` and `parse_file`)."""

from layerwise.syntax.files import parse_file
from layerwise.syntax.messages import DockerfileSyntaxError
from layerwise.syntax.nodes import (
    BlankLine,
    CommentLine,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    Trivia,
)
from layerwise.syntax.parser import parse
from layerwise.syntax.span import Edit, MappedText, Span, apply_edits, find_overlaps

__all__ = [
    "BlankLine",
    "CommentLine",
    "Directive",
    "Dockerfile",
    "DockerfileSyntaxError",
    "Edit",
    "Flag",
    "Heredoc",
    "Instruction",
    "MappedText",
    "Span",
    "Trivia",
    "apply_edits",
    "find_overlaps",
    "parse",
    "parse_file",
]
