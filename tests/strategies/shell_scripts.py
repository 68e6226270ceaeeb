"""RUN scripts for the Dockerfile grammar: the commands the rules know (apt, npm, pip, yarn,
pnpm, user creation, cd) joined by shell operators, over continuation lines, and heredocs."""

from __future__ import annotations

from strategies.grammar import BOOLEANS, PATHS, Draw, ints, sampled, some, word

APT_PACKAGES = ("curl", "ca-certificates", "git", "build-essential", "python3", "tini")


def shell_command(draw: Draw) -> str:
    """One simple command of the kinds the rules look at."""
    kind = draw(ints(0, 15))
    if kind == 0:
        return draw(sampled(("apt-get update", "apt update", "apt-get -qq update")))
    if kind == 1:
        flags = some(draw, sampled(("-y", "--no-install-recommends", "-qq")), 0, 3)
        packages = some(draw, sampled(APT_PACKAGES), 1, 3)
        verb = draw(sampled(("apt-get install", "apt install", "apt-get upgrade")))
        return " ".join((verb, *flags, *packages))
    if kind == 2:
        return draw(
            sampled(
                (
                    "rm -rf /var/lib/apt/lists/*",
                    "apt-get clean",
                    "rm -rf /var/cache/apt/*",
                    "rm -rf /root/.npm",
                    "npm cache clean --force",
                    "rm -f /etc/apt/apt.conf.d/docker-clean",
                )
            )
        )
    if kind in (3, 4):
        return draw(
            sampled(
                (
                    "npm ci",
                    "npm install",
                    "npm i",
                    "npm ci --omit=dev",
                    "npm install --production",
                    "npm ci --only=production",
                    "npm run build",
                    "npm prune --production",
                    "npx prisma generate",
                    "npm install -g npm@10",
                    "npm test",
                )
            )
        )
    if kind == 5:
        return draw(
            sampled(
                (
                    "pip install -r requirements.txt",
                    "pip install --no-cache-dir .",
                    "pip3 install -U pip",
                    "python -m pip install poetry",
                    "uv sync --frozen",
                )
            )
        )
    if kind == 6:
        return draw(
            sampled(
                (
                    "yarn install --frozen-lockfile",
                    "yarn",
                    "yarn build",
                    "yarn install --immutable",
                    "pnpm install --frozen-lockfile",
                    "pnpm i",
                    "pnpm run build",
                    "corepack enable",
                )
            )
        )
    if kind == 7:
        return "cd " + draw(sampled(PATHS))
    if kind == 8:
        return draw(
            sampled(
                (
                    "useradd -m app",
                    "groupadd -r app && useradd -r -g app app",
                    "adduser -D node",
                    "addgroup -S app",
                )
            )
        )
    if kind == 9:
        return "echo " + word(draw, ('"hello"', "$GIT_SHA", "'x'", "done > /sha"))
    if kind == 10:
        return draw(sampled(("go build ./...", "go mod download", "cargo build --release")))
    if kind == 11:
        return draw(sampled(("if [ -f x ]; then echo y; fi", "for i in 1 2; do :; done")))
    if kind == 12:
        return draw(sampled(("make", "true", "ls -la | wc -l", "sh -c 'npm ci'")))
    return draw(sampled(("mkdir -p /app", "touch /x", "chmod +x run.sh", "apk add curl")))


_JOINERS = (" && ", " && ", " ; ", " || ", " | ", "; ")


def script(draw: Draw, escape: str = "\\", newline: str = "\n") -> str:
    """A shell-form RUN body: commands joined by operators, maybe over continuation lines,
    with comment and blank lines inside the continuation now and then."""
    commands = [shell_command(draw) for _ in range(draw(ints(1, 5)))]
    out = commands[0]
    for command in commands[1:]:
        joiner = draw(sampled(_JOINERS))
        if draw(BOOLEANS):  # a continuation
            inner = ""
            if draw(ints(0, 5)) == 0:
                inner = draw(sampled(("# a comment", "    # indented", "", "  ")))
                inner += newline
            indent = draw(sampled(("    ", "\t", "  ", "")))
            space = draw(sampled((" ", "", "  ")))
            out += joiner.rstrip() + space + escape + newline + inner + indent + command
        else:
            out += joiner + command
    return out


def heredoc_run(draw: Draw, newline: str) -> str:
    name = draw(sampled(("EOF", "SCRIPT", "'EOF'", '"EOT"', "-EOF")))
    bare = name.strip("'\"-")
    lines = [shell_command(draw) for _ in range(draw(ints(1, 3)))]
    indent = "\t" if name.startswith("-") and draw(BOOLEANS) else ""
    prefix = draw(sampled(("", "bash ", "set -e; ")))
    body = newline.join(indent + line for line in lines)
    return f"{prefix}<<{name}{newline}{body}{newline}{indent}{bare}"
