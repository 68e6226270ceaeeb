"""layerwise.context: the build context as BuildKit sees it (.dockerignore applied), and what
package-manager installs in it need. Callers without a context pass None; helpers such as
`npm_copy_sources(None)` then give the safe defaults."""

from layerwise.context.build_context import BuildContext, join
from layerwise.context.dockerignore import IgnoreMatcher, read_patterns
from layerwise.context.npm_project import DEFAULT_COPY_SOURCES, NpmProject, npm_copy_sources

__all__ = [
    "DEFAULT_COPY_SOURCES",
    "BuildContext",
    "IgnoreMatcher",
    "NpmProject",
    "join",
    "npm_copy_sources",
    "read_patterns",
]
