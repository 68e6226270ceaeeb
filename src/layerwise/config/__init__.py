"""Configuration: layerwise's own files (`.layerwise.toml`, `layerwise.toml`, `pyproject.toml`
`[tool.layerwise]`), hadolint's ignores, and how they combine with the command line into the
`Settings` of each checked file."""

from layerwise.config.files import CONFIG_NAMES, ConfigFile, ConfigFinder
from layerwise.config.resolve import Overrides, Resolved, Resolver

__all__ = ["CONFIG_NAMES", "ConfigFile", "ConfigFinder", "Overrides", "Resolved", "Resolver"]
