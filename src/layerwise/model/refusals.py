"""What BuildKit refuses to build, in its own words: the texts of `Model.diagnostics`.

Each `Diagnostic` names one of these texts (a key and BuildKit's English template) and the
fields that fill it; `Diagnostic.message` is what `docker build` prints, and the LW4xx rules
say the same text in Korean by its key. Sources read: moby/buildkit
frontend/dockerfile/instructions/parse.go, dockerfile2llb/convert.go, shell/lex.go and
distribution/reference.
"""

from __future__ import annotations

from enum import StrEnum

from layerwise.errors import ErrorText


class DiagnosticKind(StrEnum):
    """What BuildKit refuses, by the LW4xx rule that reports it (the value is the rule name)."""

    MALFORMED_FROM = "malformed-from"
    INSTRUCTION_BEFORE_FROM = "instruction-before-from"
    INVALID_BASE_IMAGE_REFERENCE = "invalid-base-image-reference"
    INVALID_VARIABLE_SUBSTITUTION = "invalid-variable-substitution"
    INVALID_STAGE_REFERENCE = "invalid-stage-reference"
    UNKNOWN_INSTRUCTION = "unknown-instruction"
    COPY_WITHOUT_DESTINATION = "copy-without-destination"


# -- FROM lines (parseFrom, parseBuildStageName) ----------------------------------------------
FROM_ARGUMENTS = ErrorText("from-arguments", "FROM requires either one or three arguments")
STAGE_NAME = ErrorText(
    "stage-name",
    "invalid name for build stage: {name!r}, name can't start with a number or contain symbols",
)
EMPTY_PLATFORM = ErrorText("empty-platform", "empty platform value from expression {expression}")

# -- instructions outside a stage (Parse, CurrentStage) ---------------------------------------
NO_BUILD_STAGE = ErrorText("no-build-stage", "no build stage in current context")
NO_STAGES = ErrorText("no-stages", "dockerfile contains no stages to build")

# -- base image names: blank, or no image reference (ParseNormalizedNamed) ---------------------
_STAGE = "failed to parse stage name {base!r}: "
BLANK_BASE = ErrorText("blank-base", "base name ({base}) should not be blank")
REFERENCE_FORMAT = ErrorText("reference-format", _STAGE + "invalid reference format")
REFERENCE_LOWERCASE = ErrorText(
    "reference-lowercase", _STAGE + "invalid reference format: repository name must be lowercase"
)
REFERENCE_HEX = ErrorText(
    "reference-hex",
    _STAGE + "invalid repository name ({base}), cannot specify 64-byte hexadecimal strings",
)
REFERENCE_LENGTH = ErrorText(
    "reference-length", _STAGE + "repository name must not be more than 255 characters"
)

# -- word expansion (shell/lex.go); `word` is the word as written -----------------------------
_WORD = "failed to process {word!r}: "
UNMATCHED = ErrorText(
    "unmatched", _WORD + "unexpected end of statement while looking for matching {stop}"
)
UNMATCHED_SINGLE_QUOTE = ErrorText(
    "unmatched-single-quote",
    _WORD + "unexpected end of statement while looking for matching single-quote",
)
UNMATCHED_DOUBLE_QUOTE = ErrorText(
    "unmatched-double-quote",
    _WORD + "unexpected end of statement while looking for matching double-quote",
)
MISSING_BRACE = ErrorText("missing-brace", _WORD + "syntax error: missing '}}'")
MISSING_SLASH = ErrorText("missing-slash", _WORD + "syntax error: missing '/' in ${{}}")
BAD_SUBSTITUTION = ErrorText("bad-substitution", _WORD + "syntax error: bad substitution")
UNSUPPORTED_MODIFIER = ErrorText(
    "unsupported-modifier", _WORD + "unsupported modifier ({modifier}) in substitution"
)
INVALID_PATTERN = ErrorText(
    "invalid-pattern",
    _WORD + "invalid pattern ({pattern}) in substitution: invalid escape '\\{escaped}'",
)
# `${NAME?message}` and `${NAME:?message}`: BuildKit prints the file's own message (`reason`),
# or its default one; the English is the same whether NAME was unset or empty.
UNSET_WITH_REASON = ErrorText("unset-with-reason", _WORD + "{name}: {reason}")
EMPTY_WITH_REASON = ErrorText("empty-with-reason", _WORD + "{name}: {reason}")
UNSET = ErrorText("unset", _WORD + "{name}: is not allowed to be unset")
EMPTY = ErrorText("empty", _WORD + "{name}: is not allowed to be empty")

# -- the build graph (toCommand, detectRunMount, validateCircularDependency) -------------------
STAGE_INDEX = ErrorText("stage-index", "invalid stage index {index}")
COPY_FROM_LATER = ErrorText(
    "copy-from-later",
    "cannot copy from stage {source!r}, it needs to be defined before current stage {current!r}",
)
MOUNT_FROM_LATER = ErrorText(
    "mount-from-later",
    "cannot mount from stage {source!r} to {current!r}, stage needs to be defined before "
    "current command",
)
CIRCULAR = ErrorText("circular", "circular dependency detected on stage: {name}")

# -- ParseInstruction --------------------------------------------------------------------------
UNKNOWN_INSTRUCTION = ErrorText("unknown-instruction", "unknown instruction: {keyword}")
ONE_ARGUMENT = ErrorText(
    "one-argument", "{keyword} requires at least two arguments, but only one was provided"
)

REFUSALS: dict[DiagnosticKind, tuple[ErrorText, ...]] = {
    DiagnosticKind.MALFORMED_FROM: (FROM_ARGUMENTS, STAGE_NAME, EMPTY_PLATFORM),
    DiagnosticKind.INSTRUCTION_BEFORE_FROM: (NO_BUILD_STAGE, NO_STAGES),
    DiagnosticKind.INVALID_BASE_IMAGE_REFERENCE: (
        BLANK_BASE,
        REFERENCE_FORMAT,
        REFERENCE_LOWERCASE,
        REFERENCE_HEX,
        REFERENCE_LENGTH,
    ),
    DiagnosticKind.INVALID_VARIABLE_SUBSTITUTION: (
        UNMATCHED,
        UNMATCHED_SINGLE_QUOTE,
        UNMATCHED_DOUBLE_QUOTE,
        MISSING_BRACE,
        MISSING_SLASH,
        BAD_SUBSTITUTION,
        UNSUPPORTED_MODIFIER,
        INVALID_PATTERN,
        UNSET_WITH_REASON,
        EMPTY_WITH_REASON,
        UNSET,
        EMPTY,
    ),
    DiagnosticKind.INVALID_STAGE_REFERENCE: (
        STAGE_INDEX,
        COPY_FROM_LATER,
        MOUNT_FROM_LATER,
        CIRCULAR,
    ),
    DiagnosticKind.UNKNOWN_INSTRUCTION: (UNKNOWN_INSTRUCTION,),
    DiagnosticKind.COPY_WITHOUT_DESTINATION: (ONE_ARGUMENT,),
}
