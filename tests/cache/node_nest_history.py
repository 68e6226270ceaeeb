"""A git history of 21 real-shaped commits on a copy of the node-nest fixture, for `replay`.

    python tests/cache/histories.py node-nest DEST      # DEST must not exist

Made by histories.py (deterministic: the same commit ids everywhere). The app is node-nest with
`Dockerfile.before` as `Dockerfile`, committed as the root commit; each later commit is one
change a team makes, listed in COMMITS with its kind.

Dependency bumps tighten a range to the version the lockfile already holds (`rxjs` ^7.8.1 ->
^7.8.2, `@types/node` ^20.0.0 -> ^20.19.43), in package.json and in the lockfile's root entry,
as `npm install rxjs@^7.8.2` writes them when 7.8.2 is installed: both files change, `npm ci`
accepts the pair (the lock's root entry matches package.json) and needs nothing it cannot
resolve offline from the lock. A field npm ignores would change package.json alone, which no
real bump does; a new version would need the registry to regenerate the lock.
"""

from __future__ import annotations

from pathlib import Path

from .histories import AppHistory, Commit, chmod, delete, replace, write
from .histories import make_history as make_app_history

__all__ = ["APP", "COMMITS", "HISTORY", "Commit", "chmod", "make_history", "replace"]

CONTROLLER = "src/app.controller.ts"
SERVICE = "src/app.service.ts"

COMMITS = (
    Commit(
        "src",
        "controller: a version route",
        (
            replace(
                CONTROLLER,
                "  @Get('health')",
                "  @Get('version')\n  version(): { version: string } {\n"
                "    return { version: '1.0.0' };\n  }\n\n  @Get('health')",
            ),
        ),
    ),
    Commit(
        "config",
        "config: a friendlier greeting",
        (replace("config/default.json", "hello from layerwise", "hi from layerwise"),),
    ),
    Commit(
        "src",
        "service: trim the greeting",
        (replace(SERVICE, "return this.config.greeting;", "return this.config.greeting.trim();"),),
    ),
    Commit(
        "dep",
        "deps: rxjs ^7.8.2",
        (
            replace("package.json", '"rxjs": "^7.8.1"', '"rxjs": "^7.8.2"'),
            replace("package-lock.json", '"rxjs": "^7.8.1"', '"rxjs": "^7.8.2"'),
        ),
    ),
    Commit(
        "ignored",
        "readme: how to run",
        (replace("README.md", "## Deviations", "Run: `npm ci && npm start`.\n\n## Deviations"),),
    ),
    Commit(
        "src",
        "main: log the port",
        (
            write(
                "src/banner.ts",
                "export const banner = (port: number): string =>\n"
                "  `node-nest listening on ${port}`;\n",
            ),
        ),
    ),
    Commit(
        "config",
        "config: development greeting",
        (replace("config/development.json", "(development)", "(dev)"),),
    ),
    Commit(
        "dockerfile",
        "dockerfile: dumb-init without recommends",
        (
            replace(
                "Dockerfile",
                "apt install -y dumb-init",
                "apt install -y --no-install-recommends dumb-init",
            ),
        ),
    ),
    Commit(
        "src",
        "controller: health reports uptime",
        (
            replace(
                CONTROLLER,
                "return { status: 'ok' };",
                "return { status: `ok ${process.uptime()}` };",
            ),
        ),
    ),
    Commit(
        "dockerignore",
        "dockerignore: send the README (the image documents itself)",
        (replace(".dockerignore", "README.md\n", ""),),
    ),
    Commit(
        "docs",
        "readme: routes",
        (replace("README.md", "Routes: ", "Routes (see src/app.controller.ts): "),),
    ),
    Commit(
        "dep",
        "deps: @types/node ^20.19.43",
        (
            replace("package.json", '"@types/node": "^20.0.0"', '"@types/node": "^20.19.43"'),
            replace("package-lock.json", '"@types/node": "^20.0.0"', '"@types/node": "^20.19.43"'),
        ),
    ),
    Commit(
        "config",
        "tsconfig: drop comments from the output",
        (
            replace(
                "tsconfig.json",
                '"sourceMap": false,',
                '"sourceMap": false,\n    "removeComments": true,',
            ),
        ),
    ),
    Commit(
        "src",
        "service: greeting falls back",
        (
            replace(
                SERVICE, "this.config.greeting.trim();", "(this.config.greeting ?? 'hello').trim();"
            ),
        ),
    ),
    Commit(
        "config",
        "prisma: document the schema",
        (replace("prisma/schema.prisma", "generator client {", "// Models.\ngenerator client {"),),
    ),
    Commit("src", "main: drop the unused banner", (delete("src/banner.ts"),)),
    Commit(
        "config",
        "config: production settings",
        (write("config/production.json", '{\n  "greeting": "hello"\n}\n'),),
    ),
    Commit(
        "src",
        "scripts: a start script",
        (write("scripts/start.sh", "#!/bin/sh\nexec node dist/src/main.js\n"),),
    ),
    Commit("src", "scripts: make start.sh executable", (chmod("scripts/start.sh", 0o755),)),
    Commit(
        "src",
        "controller: models sorted",
        (replace(CONTROLLER, "this.service.models() }", "this.service.models().sort() }"),),
    ),
)


HISTORY = AppHistory("node-nest", COMMITS, install="npm ci")
APP = HISTORY.folder


def make_history(
    dest: Path, commits: tuple[Commit, ...] = COMMITS, dockerfile: str | None = None
) -> list[str]:
    """The node-nest history at `dest` (see histories.make_history)."""
    return make_app_history(HISTORY, dest, commits, dockerfile)
