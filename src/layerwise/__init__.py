"""layerwise: find what makes container builds slow under BuildKit, fix it, prove the gain."""

from layerwise.syntax import parse, parse_file

__all__ = ["__version__", "parse", "parse_file"]


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata costs every `layerwise check` ~25 ms otherwise.
    if name == "__version__":
        from importlib.metadata import version

        return version("layerwise")
    raise AttributeError(f"module 'layerwise' has no attribute {name!r}")
