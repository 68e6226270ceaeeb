"""Every rule module, listed explicitly (a test checks that none under rules/ is missing).

Adding a rule: write `rules/lwNNN_<name>.py` with `RULE` and `check`, then add its name to
`RULE_MODULES` below, in code order. Pipeline rules (LW9xx, `layerwise ci check`) live beside
the pipeline readers in `layerwise/ci/rules/` and are listed in `PIPELINE_RULE_MODULES`.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from importlib import import_module, resources
from types import ModuleType
from typing import cast

from layerwise.rules.base import Rule, RuleModule

DOC_HEADINGS = ("What it finds", "Why it matters", "Example", "References")
FIX_HEADING = "Fix safety"


# In code order. Imported lazily (in `_modules`) so `layerwise.rules.base` stays importable on
# its own and `layerwise rule` does not pay for rules it never runs.
RULE_MODULES = (
    "lw101_install_after_broad_copy",
    "lw102_cache_busting_arg",
    "lw103_codegen_after_build",
    "lw104_npm_install_with_lockfile",
    "lw105_npm_deprecated_production_flag",
    "lw106_stable_step_after_broad_copy",
    "lw107_install_ignores_lockfile",
    "lw201_npm_install_without_cache_mount",
    "lw202_apt_install_without_cache_mount",
    "lw203_cleanup_empties_cache_mount",
    "lw204_system_package_install_without_cache_mount",
    "lw301_dev_dependencies_in_final_image",
    "lw302_source_dependent_dependency_layer",
    "lw303_generated_code_after_build_output",
    "lw304_final_stage_reinstalls_dependencies",
    "lw305_toolchain_in_final_image",
    "lw400_dockerfile_syntax_error",
    "lw401_from_as_casing",
    "lw402_legacy_key_value_format",
    "lw403_shell_form_cmd",
    "lw404_malformed_from",
    "lw405_instruction_before_from",
    "lw406_invalid_base_image_reference",
    "lw407_invalid_variable_substitution",
    "lw408_invalid_stage_reference",
    "lw409_unknown_instruction",
    "lw410_copy_without_destination",
    "lw501_apt_in_script",
    "lw502_apt_update_alone",
    "lw503_apt_install_flags_missing",
    "lw504_apt_lists_left_in_layer",
    "lw601_missing_dockerignore",
    "lw602_copy_of_ignored_path",
    "lw701_secret_in_arg_or_env",
    "lw702_credential_file_in_context",
    "lw801_emulated_build_stage",
    "lw802_constant_from_platform",
    "lw803_redundant_target_platform",
    "lw804_undeclared_platform_arg",
    "lw805_cache_mount_platform_sharing",
)


# The rules of `layerwise ci check`: they read a pipeline file, not a Dockerfile (scope
# "pipeline"), so `check` never runs them. Listed here so that `layerwise rule`, the docs and
# SARIF show one catalogue.
PIPELINE_PACKAGE = "layerwise.ci.rules"
PIPELINE_RULE_MODULES = (
    "lw901_no_remote_cache_import",
    "lw902_cache_export_misses_stages",
    "lw903_cache_export_without_import",
    "lw904_ecr_cache_without_image_manifest",
    "lw905_cache_ref_shared_by_branches",
    "lw906_image_tag_as_cache",
    "lw907_no_cache_in_routine_build",
    "lw908_pull_with_unpinned_base",
    "lw909_builder_pruned_every_run",
    "lw910_buildkit_disabled",
    "lw911_cache_mount_on_empty_agent",
    "lw912_platform_dependency_stage_not_exported",
)


def _modules(package: str, names: tuple[str, ...]) -> tuple[ModuleType, ...]:
    return tuple(import_module(f"{package}.{name}") for name in names)


def section(doc: str, heading: str) -> str | None:
    """The text under `## heading` in a rule docstring, or None when the heading is absent."""
    match = re.search(rf"^##\s+{re.escape(heading)}\s*$(.*?)(?=^##\s|\Z)", doc, re.M | re.S)
    return match.group(1).strip() if match else None


def _first_sentence(text: str) -> str:
    """Up to the first `.`, `!` or `?` that ends a sentence outside `code` spans."""
    flat = " ".join(text.split())
    in_code = False
    for i, char in enumerate(flat):
        if char == "`":
            in_code = not in_code
        elif char in ".!?" and not in_code and (i + 1 == len(flat) or flat[i + 1] == " "):
            return flat[:i]
    return flat


@dataclasses.dataclass(frozen=True, slots=True)
class Registered:
    """A rule with its module: `check` is the module's function."""

    rule: Rule
    module: RuleModule
    module_name: str  # "lw101_install_after_broad_copy"
    package: str = "layerwise.rules"

    @property
    def code(self) -> str:
        return self.rule.code


@cache
def all_rules() -> tuple[Registered, ...]:
    """Every registered rule, in code order, with `doc` and `summary` filled from the docstring."""
    pipeline = _registered(PIPELINE_PACKAGE, PIPELINE_RULE_MODULES)
    return tuple(sorted((*dockerfile_rules(), *pipeline), key=lambda r: r.code))


@cache
def dockerfile_rules() -> tuple[Registered, ...]:
    """The rules `check` runs (the modules of RULE_MODULES), in code order, as `all_rules`
    gives them. `check` asks only for these: importing the pipeline rules (and the CI readers
    behind them) is part of every `check`'s start-up otherwise."""
    return _registered("layerwise.rules", RULE_MODULES)


def _registered(package_name: str, names: tuple[str, ...]) -> tuple[Registered, ...]:
    out: list[Registered] = []
    for module in _modules(package_name, names):
        rule_module = cast(RuleModule, module)
        doc = (module.__doc__ or "").strip()
        rule = rule_module.RULE
        package, name = module.__name__.rsplit(".", 1)
        summary = rule.summary or _first_sentence(section(doc, "What it finds") or "")
        summary_ko = rule.summary_ko or _first_sentence(
            section(_twin(package, name, "ko"), "What it finds") or ""
        )
        full = dataclasses.replace(rule, doc=doc, summary=summary, summary_ko=summary_ko)
        out.append(Registered(full, rule_module, name, package))
    return tuple(sorted(out, key=lambda r: r.code))


def translated_doc(registered: Registered, lang: str) -> str | None:
    """The rule's documentation in `lang` ("ko": `<module>.ko.md` beside the module), or None
    when there is no translation. English is the module docstring."""
    if lang == "en":
        return registered.rule.doc
    return _twin(registered.package, registered.module_name, lang) or None


def _twin(package: str, module_name: str, lang: str) -> str:
    twin = resources.files(package).joinpath(f"{module_name}.{lang}.md")
    return twin.read_text(encoding="utf-8").strip() if twin.is_file() else ""


def headings(doc: str) -> list[str]:
    """The `## ` headings of a rule document, in order."""
    return re.findall(r"^##\s+(.+?)\s*$", doc, re.M)


def get(code: str) -> Registered | None:
    """The rule with this code (case-insensitive), or None."""
    wanted = code.upper()
    found = _by_code(dockerfile_only=True).get(wanted)  # a report of `check`: no pipeline rule
    return found if found is not None else _by_code(dockerfile_only=False).get(wanted)


@cache
def _by_code(*, dockerfile_only: bool) -> dict[str, Registered]:
    return {r.code: r for r in (dockerfile_rules() if dockerfile_only else all_rules())}


def names_rule(pattern: str) -> bool:
    """Whether a code or prefix (`LW201`, `LW2`, case-insensitive) selects at least one rule."""
    wanted = pattern.upper()
    return bool(wanted) and any(
        r.code.startswith(wanted) for rules in (dockerfile_rules, all_rules) for r in rules()
    )
