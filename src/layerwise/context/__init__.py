"""layerwise.context: the build context as BuildKit sees it (.dockerignore applied), and what
package-manager installs in it need. Callers without a context pass None; helpers such as
`npm_copy_sources(None)` then give the safe defaults."""

from typing import TYPE_CHECKING, Any

from layerwise.context.build_context import BuildContext, join
from layerwise.context.dockerignore import IgnoreMatcher, read_patterns

if TYPE_CHECKING:
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


_NPM = frozenset({"DEFAULT_COPY_SOURCES", "NpmProject", "npm_copy_sources"})


def __getattr__(name: str) -> Any:
    # npm_project loads every ecosystem module: only for callers that use it (`why` does not).
    if name in _NPM:
        from layerwise.context import npm_project

        return getattr(npm_project, name)
    raise AttributeError(f"module 'layerwise.context' has no attribute {name!r}")
