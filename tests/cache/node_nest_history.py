"""A git history of 21 real-shaped commits on a copy of the node-nest fixture, for `replay`.

    python tests/cache/node_nest_history.py DEST      # DEST must not exist

The history is deterministic (fixed author, committer and dates): the same script gives the
same commit ids. The app is node-nest with `Dockerfile.before` as `Dockerfile`, committed as
the root commit; each later commit is one change a team makes, listed in COMMITS with its kind.

Dependency bumps tighten a range to the version the lockfile already holds (`rxjs` ^7.8.1 ->
^7.8.2, `@types/node` ^20.0.0 -> ^20.19.43), in package.json and in the lockfile's root entry,
as `npm install rxjs@^7.8.2` writes them when 7.8.2 is installed: both files change, `npm ci`
accepts the pair (the lock's root entry matches package.json) and needs nothing it cannot
resolve offline from the lock. A field npm ignores would change package.json alone, which no
real bump does; a new version would need the registry to regenerate the lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "apps" / "node-nest"
# What the repository takes from the fixture (its other Dockerfiles and notes stay out).
TAKEN = (
    ".dockerignore",
    "README.md",
    "config",
    "package-lock.json",
    "package.json",
    "prisma",
    "src",
    "tsconfig.build.json",
    "tsconfig.json",
)
START = 1_780_000_000  # the root commit's time; each commit is an hour later


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    """Replace the one occurrence of `old` in `path` (a fixture drift fails loudly)."""

    def apply(root: Path) -> None:
        target = root / path
        text = target.read_text()
        if text.count(old) != 1:
            raise AssertionError(f"{path}: expected one `{old}`, found {text.count(old)}")
        target.write_text(text.replace(old, new))

    return apply


def write(path: str, text: str, mode: int = 0o644) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        target.chmod(mode)

    return apply


def delete(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


def chmod(path: str, mode: int) -> Callable[[Path], None]:
    return lambda root: (root / path).chmod(mode)


@dataclass(frozen=True)
class Commit:
    kind: str  # src, dep, config, docs, dockerfile, dockerignore
    subject: str
    edits: tuple[Callable[[Path], None], ...]


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
        "docs",
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


def _git(root: Path, *args: str, when: int) -> None:
    stamp = f"@{when} +0000"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "fixture",
        "GIT_AUTHOR_EMAIL": "fixture@layerwise",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": "fixture",
        "GIT_COMMITTER_EMAIL": "fixture@layerwise",
        "GIT_COMMITTER_DATE": stamp,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def make_history(
    dest: Path, commits: tuple[Commit, ...] = COMMITS, dockerfile: str | None = None
) -> list[str]:
    """Create the repository at `dest` (which must not exist); returns the commits' kinds,
    root commit first (`root`). `dockerfile` replaces Dockerfile.before as the root commit's
    Dockerfile."""
    dest.mkdir(parents=True)
    for name in TAKEN:
        source = APP / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    shutil.copy2(APP / "Dockerfile.before", dest / "Dockerfile")
    if dockerfile is not None:
        (dest / "Dockerfile").write_text(dockerfile)
    for path in dest.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    _git(dest, "init", "-q", "-b", "main", when=START)
    _git(dest, "config", "core.fileMode", "true", when=START)
    _git(dest, "add", "-A", when=START)
    _git(dest, "commit", "-q", "-m", "import node-nest", when=START)
    for n, commit in enumerate(commits, start=1):
        for edit in commit.edits:
            edit(dest)
        _git(dest, "add", "-A", when=START + 3600 * n)
        _git(dest, "commit", "-q", "-m", commit.subject, when=START + 3600 * n)
    return ["root", *(commit.kind for commit in commits)]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: node_nest_history.py DEST")
    make_history(Path(sys.argv[1]))
