r"""LW409 unknown-instruction

## What it finds
A line whose first word is no Dockerfile instruction: a template tag (`{{#BASE_IMAGE}}`,
`{% if debug %}`), a misspelt keyword (`COPPY`), or a shell command that lost the `RUN` or the
line continuation in front of it.

## Why it matters
BuildKit's parser accepts any word as a keyword, but the frontend then stops with "unknown
instruction" before it builds anything. A command that lost its continuation backslash shows up
here too. layerwise leaves the line out and checks the rest.

## Example
    RUN apt-get update && \
        apt-get install -y curl
        rm -rf /var/lib/apt/lists/*
The third line is an instruction of its own, `rm`: the line above it lacks ` && \`.

## References
- Dockerfile reference: Format
- moby/buildkit frontend/dockerfile/instructions/parse.go (ParseInstruction)"""

from __future__ import annotations

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import refusal_rule

RULE, check = refusal_rule(
    code="LW409",
    name="unknown-instruction",
    kind=DiagnosticKind.UNKNOWN_INSTRUCTION,
    summary="a line whose first word is no Dockerfile instruction",
    summary_ko="첫 단어가 Dockerfile 명령어가 아닌 줄",
    korean={
        "unknown-instruction": "알 수 없는 명령어: `{keyword}`",
    },
)
