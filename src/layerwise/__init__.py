"""layerwise: find what makes container builds slow under BuildKit, fix it, prove the gain."""

from importlib.metadata import version as _version

__version__ = _version("layerwise")

__all__ = ["__version__"]
