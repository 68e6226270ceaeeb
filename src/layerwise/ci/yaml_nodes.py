"""YAML pipelines as PyYAML's node graph: every scalar keeps where it is written, so a value read
from `run:` or an action input maps back to the file, character by character."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from layerwise.ci.model import Value
from layerwise.ci.positions import Lines, aligned
from layerwise.errors import LayerwiseError
from layerwise.syntax.span import MappedText


def compose(path: str, text: str) -> Node | None:
    """The file's node graph (None when empty); a YAML error is a user error at its line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else path
        raise LayerwiseError(f"{where}: error: not valid YAML ({exc})") from None


def get(node: Node | None, key: str) -> Node | None:
    """The value of `key` in a mapping node (None when absent or not a mapping)."""
    if not isinstance(node, MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return cast(Node, v)
    return None


def items(node: Node | None) -> Iterator[tuple[str, Node]]:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode):
                yield str(k.value), v


def scalar(node: Node | None) -> str | None:
    return str(node.value) if isinstance(node, ScalarNode) else None


def mapped(node: ScalarNode, text: str) -> MappedText:
    """The scalar's value with each character's offset in the file."""
    return aligned(str(node.value), text, node.start_mark.index, node.end_mark.index)


def scripts(node: Node | None) -> Iterator[ScalarNode]:
    """The shell lines of a `script:`-like key: a string, or a list of them (nested lists too,
    as GitLab's `!reference` expansions leave them)."""
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, SequenceNode):
        for child in node.value:
            yield from scripts(child)


def value(node: ScalarNode, text: str, lines: Lines) -> Value:
    source = mapped(node, text)
    start, end = source.file_range(0, len(source.text))
    return Value(source.text, lines.span(start, end))


def line_values(node: ScalarNode, text: str, lines: Lines) -> tuple[Value, ...]:
    """One value per non-empty line (or comma item) of a list input like `cache-from: |`."""
    source = mapped(node, text)
    out: list[Value] = []
    pos = 0
    for line in source.text.split("\n"):
        stripped = line.strip()
        if stripped:
            begin = pos + line.index(stripped)
            start, end = source.file_range(begin, begin + len(stripped))
            out.append(Value(stripped, lines.span(start, end)))
        pos += len(line) + 1
    return tuple(out)


def env_of(node: Node | None) -> dict[str, tuple[str, ScalarNode]]:
    """`env:`/`variables:` as name -> (value, the value's node); GitLab's `{value: x}` form too."""
    out: dict[str, tuple[str, ScalarNode]] = {}
    for name, child in items(node):
        if isinstance(child, MappingNode):
            child = get(child, "value") or child
        if isinstance(child, ScalarNode):
            out[name] = (str(child.value), child)
    return out
