"""layerwise.model: what a Dockerfile means to BuildKit.

Stages and their build graph, ARG/ENV scoping and expansion, and the WORKDIR, USER, SHELL and
variables each instruction runs with. `build_model(parse(text))` is the entry point.
"""

from layerwise.model.arguments import EXPANDED_INSTRUCTIONS
from layerwise.model.build import AUTOMATIC_ARGS, build_model
from layerwise.model.expand import (
    LEGACY_MODIFIERS,
    Expansion,
    ExpansionError,
    escape_literal,
    expand,
    expand_word,
)
from layerwise.model.nodes import Model, Problem, Stage, Step
from layerwise.model.state import DEFAULT_SHELL, State

__all__ = [
    "AUTOMATIC_ARGS",
    "DEFAULT_SHELL",
    "EXPANDED_INSTRUCTIONS",
    "LEGACY_MODIFIERS",
    "Expansion",
    "ExpansionError",
    "Model",
    "Problem",
    "Stage",
    "State",
    "Step",
    "build_model",
    "escape_literal",
    "expand",
    "expand_word",
]
