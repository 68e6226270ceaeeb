"""layerwise: find what makes container builds slow under BuildKit, fix it, prove the gain."""

from importlib.metadata import version as _version

from layerwise.syntax import parse, parse_file

__version__ = _version("layerwise")

__all__ = ["__version__", "parse", "parse_file"]
