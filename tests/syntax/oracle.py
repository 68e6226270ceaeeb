"""The official BuildKit parser (PyPI `dockerfile`, BuildKit v0.12) as a test oracle."""

from __future__ import annotations

from typing import Any

import dockerfile

from layerwise.errors import LayerwiseError
from layerwise.syntax import Instruction, parse

Row = tuple[Any, ...]


class OracleSkip(Exception):
    """The oracle cannot say: its Python wrapper failed to decode what BuildKit produced."""


def _flag_as_oracle(flag_text: str) -> str:
    # BuildKit reads flags byte by byte and re-encodes each byte as a code point, so a non-ASCII
    # flag comes back as mojibake; compare like with like.
    return flag_text.encode("utf-8", "surrogateescape").decode("latin-1")


def ours(text: str) -> list[Row] | None:
    """Our rows, or None when we raise LayerwiseError."""
    try:
        tree = parse(text)
    except LayerwiseError:
        return None
    return [row(i) for i in tree.instructions]


def row(ins: Instruction) -> Row:
    logical_flags = tuple(_flag_as_oracle(_logical_flag(ins, k)) for k in range(len(ins.flags)))
    # The wrapper reports heredocs from ONBUILD's inner node, which never holds them.
    heredocs = () if ins.sub is not None else tuple((h.name, h.content) for h in ins.heredocs)
    return (
        ins.logical_keyword or None,
        (ins.sub.logical_keyword or None) if ins.sub is not None else None,
        ins.is_json,
        ins.start_line,
        ins.end_line,
        logical_flags,
        ins.value,
        heredocs,
    )


def _logical_flag(ins: Instruction, k: int) -> str:
    flag = ins.flags[k]
    return "--" + flag.name + ("" if flag.value is None else "=" + flag.value)


def theirs(text: str) -> list[Row] | None:
    """The oracle's rows, or None when it rejects the text."""
    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return None
    except UnicodeDecodeError as exc:
        raise OracleSkip(str(exc)) from exc
    return [
        (
            c.cmd,
            c.sub_cmd,
            c.json,
            c.start_line,
            c.end_line,
            tuple(c.flags),
            tuple(c.value),
            tuple((h.name, h.content) for h in c.heredocs),
        )
        for c in commands
    ]
