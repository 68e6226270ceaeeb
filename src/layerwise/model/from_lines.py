"""The FROM-line half of the model builder: global ARGs, stage names, base names, platforms.

Sources read: moby/buildkit frontend/dockerfile/instructions/parse.go (parseFrom,
parseBuildStageName) and dockerfile2llb/convert.go (the meta ARGs, the base name lookup).
Everything BuildKit refuses here is recorded (`refuse`) rather than raised, and the builder
goes on with the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from layerwise.errors import ErrorText, LayerwiseError
from layerwise.model import refusals
from layerwise.model.expand import ExpansionError, expand, expand_word
from layerwise.model.nodes import Diagnostic
from layerwise.model.reference import reference_error
from layerwise.model.refusals import DiagnosticKind

if TYPE_CHECKING:
    from layerwise.syntax.nodes import Dockerfile, Instruction

# ARGs BuildKit defines in the global scope (usable in FROM without a declaration). Their real
# values depend on the builder and --platform; we keep them symbolic (`$BUILDPLATFORM`) unless a
# build arg overrides them, so `--platform=$BUILDPLATFORM` stays recognisable.
AUTOMATIC_ARGS = (
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
)
RESERVED_STAGE_NAMES = frozenset({"context", "scratch"})
_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*\Z")


class FromLines:
    """State and reporting shared by the whole walk, and the reading of FROM lines."""

    def __init__(self, tree: Dockerfile, build_args: dict[str, str]) -> None:
        self.tree = tree
        self.build_args = build_args
        self.escape = tree.escape
        self.diagnostics: list[Diagnostic] = []
        self.warnings: list[LayerwiseError] = []
        self.meta_env: dict[str, str] = {
            name: build_args.get(name, f"${name}") for name in AUTOMATIC_ARGS
        }
        self.global_args: dict[str, str | None] = {}
        # FROM instructions (by id) whose base is not checked as a reference (already
        # reported), and those whose base depends on an ARG a --build-arg may set.
        self.unchecked: set[int] = set()
        self.needs_build_arg: set[int] = set()

    # -- errors ------------------------------------------------------------------------------

    def error(self, message: str, instruction: Instruction) -> LayerwiseError:
        span = instruction.span
        return LayerwiseError(
            message, path=self.tree.path, line=span.start_line, col=span.start_col
        )

    def refuse(
        self,
        kind: DiagnosticKind,
        text: ErrorText,
        instruction: Instruction,
        stage: int | None = None,
        /,
        **fields: object,
    ) -> None:
        """Record what BuildKit would stop at; the caller carries on with a best reading."""
        self.diagnostics.append(Diagnostic(kind, text, fields, instruction, stage))

    def expansion_failed(
        self,
        exc: ExpansionError,
        args: Mapping[str, str | None],
        instruction: Instruction,
        stage: int | None = None,
    ) -> None:
        """A `${NAME:?}` on a declared ARG without a value needs a --build-arg: a warning."""
        if exc.required is not None and exc.required in args and args[exc.required] is None:
            self.unresolved(exc.message, instruction)
            return
        kind = DiagnosticKind.INVALID_VARIABLE_SUBSTITUTION
        self.refuse(kind, exc.text, instruction, stage, **exc.fields)

    def global_arg(self, instruction: Instruction) -> None:
        for key, default in arg_items(instruction):
            if key in self.build_args:
                value: str | None = self.build_args[key]
            elif default is not None:
                try:
                    value = expand(default, self.meta_env, escape=self.escape)
                except ExpansionError as exc:
                    self.expansion_failed(exc, self.global_args, instruction)
                    value = default  # an unexpandable word stays as written
            else:
                value = None
            self.global_args[key] = value
            if value is not None:
                self.meta_env[key] = value

    def stage_names(
        self, groups: list[tuple[Instruction, list[Instruction]]], stage_names: list[str | None]
    ) -> dict[str, int]:
        """Stage name -> index, for COPY --from / RUN --mount lookups (the last one wins)."""
        names: dict[str, int] = {}
        for index, ((instruction, _), name) in enumerate(zip(groups, stage_names, strict=True)):
            if name is None:
                continue
            if name in RESERVED_STAGE_NAMES:
                self.warnings.append(
                    self.error(f"stage name {name!r} is reserved (ReservedStageName)", instruction)
                )
            if name in names:
                self.warnings.append(
                    self.error(f"duplicate stage name {name!r} (DuplicateStageName)", instruction)
                )
            names[name] = index
        return names

    def from_name(self, instruction: Instruction) -> str | None:
        """The stage name (lower-cased); a malformed one is reported and kept as written, so
        that COPY --from and FROM lines naming it still find the stage."""
        value = instruction.value
        if len(value) == 3 and value[1].lower() == "as":
            name = value[2].lower()
            if not _STAGE_NAME.match(name):
                kind = DiagnosticKind.MALFORMED_FROM
                self.refuse(kind, refusals.STAGE_NAME, instruction, name=value[2])
            return name
        if len(value) != 1:
            self.refuse(DiagnosticKind.MALFORMED_FROM, refusals.FROM_ARGUMENTS, instruction)
        return None

    def from_word(
        self, word: str, instruction: Instruction
    ) -> tuple[str, frozenset[str], bool] | None:
        """Expand a FROM word: (text, automatic ARGs left symbolic, depends on unset ARGs);
        None when it cannot be expanded (reported)."""
        try:
            result = expand_word(word, self.meta_env, escape=self.escape)
        except ExpansionError as exc:
            self.expansion_failed(exc, self.global_args, instruction)
            return None
        for name in sorted(result.missing - self.global_args.keys()):
            # BuildKit's UndefinedArgInFrom check: a global ARG declared without a value is fine.
            self.warnings.append(
                self.error(
                    f"FROM argument {name!r} is not declared (UndefinedArgInFrom)", instruction
                )
            )
        symbolic = frozenset(name for name in result.used if self.meta_env.get(name) == f"${name}")
        return result.text, symbolic, bool(result.missing)

    def unresolved(self, message: str, instruction: Instruction) -> None:
        """BuildKit fails on this without the right --build-arg; a linter should not."""
        self.warnings.append(self.error(f"{message} unless a --build-arg sets it", instruction))

    def base_name(self, instruction: Instruction) -> tuple[str, frozenset[str]]:
        """The FROM base after expansion with the global ARGs, and the automatic ARGs it
        keeps symbolic. A base that cannot be expanded, or is blank, stays as written."""
        raw = instruction.value[0] if instruction.value else ""
        expanded = self.from_word(raw, instruction)
        if expanded is None:
            self.unchecked.add(id(instruction))  # reported; its name is not checked as well
            return raw, frozenset()
        base, symbolic, unresolved = expanded
        if not base:
            text, kind = refusals.BLANK_BASE, DiagnosticKind.INVALID_BASE_IMAGE_REFERENCE
            if unresolved:
                self.unresolved(text.format({"base": raw}), instruction)
            else:
                self.refuse(kind, text, instruction, base=raw)
            self.unchecked.add(id(instruction))
            return raw, symbolic
        if unresolved:
            self.needs_build_arg.add(id(instruction))
        return base, symbolic

    def check_reference(self, base: str, instruction: Instruction) -> None:
        """BuildKit parses a base that names no stage as an image reference first of all."""
        if id(instruction) in self.unchecked:
            return
        problem = reference_error(base)
        if problem is None:
            return
        if id(instruction) in self.needs_build_arg:
            self.unresolved(problem.format({"base": base}), instruction)
        else:
            kind = DiagnosticKind.INVALID_BASE_IMAGE_REFERENCE
            self.refuse(kind, problem, instruction, base=base)

    def platform(self, instruction: Instruction) -> tuple[str | None, frozenset[str]]:
        """The expanded `--platform` (None without one) and the automatic ARGs it names."""
        flag = instruction.flag("platform")
        if flag is None or flag.value is None:
            return None, frozenset()
        expanded = self.from_word(flag.value, instruction)
        if expanded is None:
            return flag.value, frozenset()
        platform, platform_vars, unresolved = expanded
        if not platform:
            text = refusals.EMPTY_PLATFORM
            if unresolved:
                self.unresolved(text.format({"expression": flag.value}), instruction)
            else:
                self.refuse(DiagnosticKind.MALFORMED_FROM, text, instruction, expression=flag.value)
            return flag.value, platform_vars
        return platform, platform_vars


def arg_items(instruction: Instruction) -> list[tuple[str, str | None]]:
    """`ARG A=1 B` -> [("A", "1"), ("B", None)]; the default is raw, expanded later."""
    items: list[tuple[str, str | None]] = []
    for word in instruction.value:
        key, sep, default = word.partition("=")
        items.append((key, default if sep else None))
    return items
