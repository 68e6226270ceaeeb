"""The text a shell receives for a shell-form RUN/CMD/ENTRYPOINT, mapped back to file offsets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layerwise.syntax.span import MappedText

if TYPE_CHECKING:
    from layerwise.syntax.nodes import Instruction

SHELL_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT"})


def shell_source(instruction: Instruction) -> MappedText | None:
    """See `Instruction.shell_source`."""
    node = instruction.sub if instruction.sub is not None else instruction
    if node.name not in SHELL_KEYWORDS or node.is_json:
        return None
    command = node.logical  # built on each access: read once
    if command is None:
        return None
    heredocs = instruction.heredocs
    if not heredocs:
        return command
    source = instruction.source
    if _heredoc_alone(instruction, command.text):
        # `RUN <<EOF` alone: BuildKit runs the heredoc content as the script.
        span = heredocs[0].content_span
        return _identity(source, span.start, span.end)
    # `RUN cmd <<EOF`: the shell reads the command line, then the here-document lines.
    # The newline before the first body line stands for the end of the command line.
    start = heredocs[0].content_span.start - 1
    tail = _identity(source, start, heredocs[-1].span.end)
    text = command.text + tail.text
    offsets = command.offsets[:-1] + tail.offsets
    return MappedText(text, offsets)


def is_script_heredoc(instruction: Instruction) -> bool:
    """`RUN <<EOF` alone: its one here-document is the whole command, and BuildKit runs the
    content as the script without expanding it (the shell does, at run time). Any other
    here-document of a RUN (`RUN cat <<EOF > f`, `RUN bash <<EOF`) goes to the shell with the
    command line, and the shell reads it as input: it expands an unquoted one's variables."""
    node = instruction.sub if instruction.sub is not None else instruction
    command = node.logical
    return command is not None and _heredoc_alone(instruction, command.text)


def _heredoc_alone(instruction: Instruction, command: str) -> bool:
    heredocs = instruction.heredocs
    if len(heredocs) != 1:
        return False
    marker = heredocs[0].marker_span
    return command == instruction.source[marker.start : marker.end]


def _identity(source: str, start: int, end: int) -> MappedText:
    return MappedText(source[start:end], tuple(range(start, end + 1)))
