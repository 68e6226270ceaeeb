"""layerwise.model: what a Dockerfile means to BuildKit.

Stages and their build graph, ARG/ENV scoping and expansion, and the WORKDIR, USER, SHELL and
variables each instruction runs with. `build_model(parse(text))` is the entry point:

    model = build_model(tree, build_args={"NODE_VERSION": "22"})
    model.stages                      # Stage: index, name, base, base_stage, platform, steps,
                                      #   depends_on, external_copies, to_json()
    model.needed_stages("build")      # what `--target build` makes BuildKit build, in order
    for step in model.steps:          # Step: instruction, stage, state (before its effect)
        step.state.workdir, step.state.user, step.state.home, step.state.uid_gid
        step.state.expand("$APP/x")   # BuildKit's expansion with the step's variables
        step.expanded_value()         # the arguments as BuildKit uses them
    model.diagnostics                 # what BuildKit refuses (LW4xx findings), read past
                                      #   kind, text (key, BuildKit's English), fields
    model.problems_for(target)        # the errors a build of that target meets
    model.warnings                    # build-check style warnings (duplicate stage names...)
"""

from layerwise.model.arguments import EXPANDED_INSTRUCTIONS
from layerwise.model.build import build_model
from layerwise.model.expand import (
    LEGACY_MODIFIERS,
    Expansion,
    ExpansionError,
    escape_literal,
    expand,
    expand_word,
)
from layerwise.model.from_lines import AUTOMATIC_ARGS
from layerwise.model.nodes import Diagnostic, Model, Stage, Step
from layerwise.model.refusals import DiagnosticKind
from layerwise.model.state import DEFAULT_SHELL, State

__all__ = [
    "AUTOMATIC_ARGS",
    "DEFAULT_SHELL",
    "EXPANDED_INSTRUCTIONS",
    "LEGACY_MODIFIERS",
    "Diagnostic",
    "DiagnosticKind",
    "Expansion",
    "ExpansionError",
    "Model",
    "Stage",
    "State",
    "Step",
    "build_model",
    "escape_literal",
    "expand",
    "expand_word",
]
