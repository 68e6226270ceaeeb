"""`cleaned_caches`: a tool's own cleaning command empties the cache where its options, `VAR=x`
prefixes and the stage's ENV put it, not always the default one (LW203 compares it with the
RUN's cache mounts)."""

from __future__ import annotations

from types import ModuleType

import pytest

from layerwise.ecosystems import apk, dnf, golang, npm, pip, pnpm, poetry, uv, yarn
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("eco", "text", "env", "expected"),
    [
        (pip, "pip cache purge", {}, ("/root/.cache/pip",)),
        (pip, "pip cache purge --cache-dir /opt/c", {}, ("/opt/c",)),
        (pip, "python3 -m pip cache remove '*' --cache-dir=/opt/c", {}, ("/opt/c",)),
        (pip, "PIP_CACHE_DIR=/opt/c pip cache purge", {}, ("/opt/c",)),
        (pip, "pip cache purge", {"PIP_CACHE_DIR": "/opt/c"}, ("/opt/c",)),
        (pip, "pip cache purge", {"XDG_CACHE_HOME": "/x"}, ("/x/pip",)),
        (pip, "pip cache dir", {}, ()),
        (pip, "rm -rf ~/.cache/pip", {}, ()),  # an `rm` names its own paths
        (npm, "npm cache clean --force", {}, ("/root/.npm",)),
        (npm, "npm cache clean --force", {"npm_config_cache": "/opt/n"}, ("/opt/n",)),
        (npm, "npm cache clean --force --cache /c", {"npm_config_cache": "/opt/n"}, ("/c",)),
        (yarn, "yarn cache clean", {}, ("/usr/local/share/.cache/yarn", "/root/.yarn/berry/cache")),
        (yarn, "yarn cache clean", {"YARN_CACHE_FOLDER": "/y"}, ("/y", "/root/.yarn/berry/cache")),
        (yarn, "yarn cache clean --cache-folder /c", {}, ("/c", "/root/.yarn/berry/cache")),
        (pnpm, "pnpm store prune --store-dir /s", {}, ("/s",)),
        (pnpm, "pnpm store prune", {"npm_config_store_dir": "/s"}, ("/s",)),
        (uv, "uv cache clean --cache-dir /u", {"UV_CACHE_DIR": "/v"}, ("/u",)),
        (uv, "UV_CACHE_DIR=/v uv cache prune", {}, ("/v",)),
        (poetry, "poetry cache clear --all pypi", {}, ("/root/.cache/pypoetry/cache",
                                                       "/root/.cache/pypoetry/artifacts")),
        (poetry, "poetry cache clear --all pypi", {"POETRY_CACHE_DIR": "/p",
                                                   "POETRY_VIRTUALENVS_IN_PROJECT": "1"}, ("/p",)),
        (golang, "go clean -modcache", {}, ("/go/pkg/mod", "/root/go/pkg/mod")),
        (golang, "go clean -modcache", {"GOMODCACHE": "/g"}, ("/g",)),
        (golang, "GOPATH=/gp go clean -modcache", {}, ("/gp/pkg/mod",)),
        # Not known here: given as written, so that no mount matches it.
        (golang, "GOMODCACHE=$DIR go clean -modcache", {}, ("$DIR",)),
        (apk, "apk cache purge", {}, ("/var/cache/apk",)),
        (apk, "apk --cache-dir /c cache purge", {}, ()),
        (dnf, "dnf --installroot /r clean all", {}, ()),
    ],
)  # fmt: skip
def test_cleaned_caches(
    eco: ModuleType, text: str, env: dict[str, str], expected: tuple[str, ...]
) -> None:
    assert eco.cleaned_caches(cmd(text), "/root", env) == expected
