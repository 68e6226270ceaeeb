"""A hypothesis strategy for whole Dockerfiles, drawn from a grammar of what real files hold.

`dockerfiles()` gives the text of one file: parser directives, comments and blank lines (also
inside continuations), every instruction with its flags in shell, exec and heredoc forms, ARG
and ENV with `${...}` modifiers, multi-stage builds with `COPY --from` and `RUN --mount`, the
package managers the rules know (apt, npm, pip, yarn, pnpm) with and without cache mounts,
USER and WORKDIR, odd keyword casing, CRLF, a BOM, no final newline, the backtick escape, and
now and then junk (unknown instructions, unterminated quotes and heredocs, template tags, and
characters deleted or inserted at random).

Most drawn files parse; some are meant not to, since a file BuildKit rejects must come out as
a finding and never as a crash. Used by the property tests and by benchmarks/fuzz.py.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Protocol, TypeVar, cast

from hypothesis import strategies as st

# The grammar draws only from these three kinds of strategy, each built once (building one
# per draw made drawing a file cost more than checking it), so `RandomDraw` can stand in for
# hypothesis's `draw` where millions of files are wanted and shrinking is not.
BOOLEANS = st.booleans()
_CHOICES: dict[int, tuple[object, ...]] = {id(BOOLEANS): (False, True)}
_RANGES: dict[int, tuple[int, int]] = {}
T = TypeVar("T")


class Draw(Protocol):
    """What the grammar functions draw with: hypothesis's `draw`, or a `RandomDraw`."""

    def __call__(self, strategy: st.SearchStrategy[T], /) -> T: ...


@cache
def _sampled(choices: tuple[str, ...]) -> st.SearchStrategy[str]:
    strategy = st.sampled_from(choices)
    _CHOICES[id(strategy)] = choices
    return strategy


@cache
def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    strategy = st.integers(low, high)
    _RANGES[id(strategy)] = (low, high)
    return strategy


def _some(draw: Draw, element: st.SearchStrategy[str], low: int, high: int) -> list[str]:
    return [draw(element) for _ in range(draw(_ints(low, high)))]


class RandomDraw:
    """A `draw` for the grammar functions backed by `random.Random`: the same files, without
    hypothesis's bookkeeping (or its shrinking), many times faster."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def __call__(self, strategy: st.SearchStrategy[T], /) -> T:
        key = id(strategy)
        choices = _CHOICES.get(key)
        if choices is not None:
            return cast(T, self.random.choice(choices))
        low, high = _RANGES[key]
        return cast(T, self.random.randint(low, high))


STAGE_NAMES = ("base", "deps", "build", "test", "runtime", "assets", "Builder", "final")
IMAGES = (
    "debian:bookworm",
    "debian:bookworm-slim",
    "ubuntu:24.04",
    "node:20",
    "node:22-alpine",
    "node:18-slim",
    "python:3.12-slim",
    "golang:1.22",
    "alpine:3.20",
    "nginx:1.27",
    "scratch",
    "gcr.io/distroless/static-debian12",
    "registry.example.com:5000/team/app:v1",
    "alpine@sha256:" + "a" * 64,
)
VARIABLES = ("NODE_VERSION", "APP", "GIT_SHA", "BUILD_DATE", "TARGETARCH", "HOME", "PATH", "X")
PATHS = ("/app", "/usr/src/app", "/srv", "app", ".", "/home/node/app", "$APP", "${HOME}/x")
USERS = ("node", "root", "1000", "1000:1000", "app:app", "$USER", "nobody")
SOURCES = (
    ".",
    "package.json",
    "package*.json",
    "package.json package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "requirements.txt",
    "pyproject.toml",
    "src/",
    "dist",
    "go.mod go.sum",
    "--parents a/b",
    '"with space.txt"',
    '["a", "b"]',
)
APT_PACKAGES = ("curl", "ca-certificates", "git", "build-essential", "python3", "tini")
JUNK_LINES = (
    "{{#BASE_IMAGE}}",
    "{% if debug %}",
    "<%= image %>",
    "FROM",
    "RUN",
    "COPY",
    "ENV A",
    "FROM a b c d",
    "ONBUILD ONBUILD RUN x",
    "COPPY . .",
    "RUN echo 'unterminated",
    'CMD ["unclosed"',
    "CMD [1, 2]",
    "HEALTHCHECK --interval=5s",
    "EXPOSE 80/tcp 443/udp",
    "ENV ${X:y}=1",
    "ARG =x",
    "FROM ${X:?unset}",
    "RUN <<EOF",
    "COPY <<EOF",
    "\\",
    "`",
    "RUN \\",
    "# escape=`",
    "FROM --platform= alpine",
    "ADD",
    "USER",
    "WORKDIR",
)


def _cased(draw: Draw, keyword: str) -> str:
    """The keyword mostly upper case, sometimes lower, title or mixed case."""
    style = draw(_sampled(("upper",) * 6 + ("lower", "title", "mixed")))
    if style == "lower":
        return keyword.lower()
    if style == "title":
        return keyword.title()
    if style == "mixed":
        flips = [draw(BOOLEANS) for _ in keyword]
        return "".join(c.lower() if f else c for c, f in zip(keyword, flips, strict=True))
    return keyword


def _variable(draw: Draw) -> str:
    name = draw(_sampled(VARIABLES))
    form = draw(
        _sampled(
            (
                "$N",
                "${N}",
                "${N:-d}",
                "${N-d}",
                "${N:+a}",
                "${N+a}",
                "${N#*/}",
                "${N##*/}",
                "${N%.*}",
                "${N%%-*}",
                "${N/a/b}",
                "${N//-/_}",
                "${N:?need N}",
                "${N:-$X}",
                "\\$N",
                "'$N'",
                '"$N"',
            )
        )
    )
    return form.replace("N", name)


def _word(draw: Draw, choices: tuple[str, ...]) -> str:
    if draw(_ints(0, 9)) == 0:
        return draw(_sampled(choices)) + _variable(draw)
    return draw(_sampled(choices))


def shell_command(draw: Draw) -> str:
    """One simple command of the kinds the rules look at."""
    kind = draw(_ints(0, 15))
    if kind == 0:
        return draw(_sampled(("apt-get update", "apt update", "apt-get -qq update")))
    if kind == 1:
        flags = _some(draw, _sampled(("-y", "--no-install-recommends", "-qq")), 0, 3)
        packages = _some(draw, _sampled(APT_PACKAGES), 1, 3)
        verb = draw(_sampled(("apt-get install", "apt install", "apt-get upgrade")))
        return " ".join((verb, *flags, *packages))
    if kind == 2:
        return draw(
            _sampled(
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
            _sampled(
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
            _sampled(
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
            _sampled(
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
        return "cd " + draw(_sampled(PATHS))
    if kind == 8:
        return draw(
            _sampled(
                (
                    "useradd -m app",
                    "groupadd -r app && useradd -r -g app app",
                    "adduser -D node",
                    "addgroup -S app",
                )
            )
        )
    if kind == 9:
        return "echo " + _word(draw, ('"hello"', "$GIT_SHA", "'x'", "done > /sha"))
    if kind == 10:
        return draw(_sampled(("go build ./...", "go mod download", "cargo build --release")))
    if kind == 11:
        return draw(_sampled(("if [ -f x ]; then echo y; fi", "for i in 1 2; do :; done")))
    if kind == 12:
        return draw(_sampled(("make", "true", "ls -la | wc -l", "sh -c 'npm ci'")))
    return draw(_sampled(("mkdir -p /app", "touch /x", "chmod +x run.sh", "apk add curl")))


_JOINERS = (" && ", " && ", " ; ", " || ", " | ", "; ")


def script(draw: Draw, escape: str = "\\", newline: str = "\n") -> str:
    """A shell-form RUN body: commands joined by operators, maybe over continuation lines,
    with comment and blank lines inside the continuation now and then."""
    commands = [shell_command(draw) for _ in range(draw(_ints(1, 5)))]
    out = commands[0]
    for command in commands[1:]:
        joiner = draw(_sampled(_JOINERS))
        if draw(BOOLEANS):  # a continuation
            inner = ""
            if draw(_ints(0, 5)) == 0:
                inner = draw(_sampled(("# a comment", "    # indented", "", "  ")))
                inner += newline
            indent = draw(_sampled(("    ", "\t", "  ", "")))
            space = draw(_sampled((" ", "", "  ")))
            out += joiner.rstrip() + space + escape + newline + inner + indent + command
        else:
            out += joiner + command
    return out


def _simple(draw: Draw, keyword: str, bodies: tuple[str, ...]) -> str:
    return _cased(draw, keyword) + " " + draw(_sampled(bodies))


def _exec_form(draw: Draw, words: tuple[str, ...]) -> str:
    chosen = _some(draw, _sampled(words), 1, 4)
    sep = draw(_sampled((", ", ",", " , ")))
    return "[" + sep.join(f'"{w}"' for w in chosen) + "]"


def _mount(draw: Draw) -> str:
    return draw(
        _sampled(
            (
                "type=cache,target=/root/.npm",
                "type=cache,target=/var/cache/apt,sharing=locked",
                "type=cache,target=/var/lib/apt,sharing=locked",
                "type=cache,id=pip,target=/root/.cache/pip",
                "type=bind,source=package.json,target=package.json",
                "type=secret,id=npmrc,target=/root/.npmrc",
                "type=bind,from=build,source=/app,target=/src",
                "type=cache,target=/home/node/.npm,uid=1000",
                "type=ssh",
                "type=tmpfs,target=/tmp",
                "type=cache,id=npm-$TARGETPLATFORM,target=/root/.npm",
            )
        )
    )


def heredoc_run(draw: Draw, newline: str) -> str:
    name = draw(_sampled(("EOF", "SCRIPT", "'EOF'", '"EOT"', "-EOF")))
    bare = name.strip("'\"-")
    lines = [shell_command(draw) for _ in range(draw(_ints(1, 3)))]
    indent = "\t" if name.startswith("-") and draw(BOOLEANS) else ""
    prefix = draw(_sampled(("", "bash ", "set -e; ")))
    body = newline.join(indent + line for line in lines)
    return f"{prefix}<<{name}{newline}{body}{newline}{indent}{bare}"


def instruction(
    draw: Draw, stages: tuple[str, ...] = (), escape: str = "\\", newline: str = "\n"
) -> str:
    """One instruction (without its newline); `stages` are the names defined above it."""
    kind = draw(_ints(0, 24))
    if kind <= 6:  # RUN, the most common and the richest
        flags = []
        for _ in range(draw(_ints(0, 2))):
            flags.append("--mount=" + _mount(draw))
        if draw(_ints(0, 9)) == 0:
            flags.append(
                draw(_sampled(("--network=none", "--network=host", "--security=insecure")))
            )
        form = draw(_ints(0, 9))
        if form == 0:
            body = _exec_form(draw, ("npm", "ci", "sh", "-c", "apt-get update", "echo hi"))
        elif form == 1:
            body = heredoc_run(draw, newline)
        else:
            body = script(draw, escape, newline)
        return " ".join((_cased(draw, "RUN"), *flags, body))
    if kind <= 9:  # COPY / ADD
        keyword = draw(_sampled(("COPY", "COPY", "ADD")))
        flags = []
        if keyword == "COPY" and stages and draw(BOOLEANS):
            ref = draw(_sampled((*stages, "0", "1", "9", "nginx:1.27", "-1")))
            flags.append(f"--from={ref}")
        copy_flags = ("--chown=node:node", "--chmod=755", "--link", "--chown=$USER")
        flags += _some(draw, _sampled(copy_flags), 0, 2)
        if draw(_ints(0, 12)) == 0:
            body = f"<<EOF /app/config{newline}key=value{newline}EOF"
        elif draw(_ints(0, 12)) == 0:
            body = _exec_form(draw, ("package.json", "./", "/app/"))
        else:
            body = _word(draw, SOURCES) + " " + _word(draw, ("./", ".", "/app/", "/app", "$APP/"))
        return " ".join((_cased(draw, keyword), *flags, body))
    if kind == 10:
        name = draw(_sampled(VARIABLES))
        if draw(BOOLEANS):
            return f"{_cased(draw, 'ARG')} {name}"
        return f"{_cased(draw, 'ARG')} {name}={_word(draw, ('1', 'unknown', '20', '', 'a'))}"
    if kind == 11:
        name = draw(_sampled(VARIABLES))
        value = _word(draw, ("production", "1", '"two words"', "/app/bin:$PATH", "''"))
        if draw(_ints(0, 3)) == 0:
            return f"{_cased(draw, 'ENV')} {name} {value}"  # the legacy form
        pairs = [f"{name}={value}"]
        if draw(BOOLEANS):
            pairs.append(f"{draw(_sampled(VARIABLES))}=x")
        sep = " " if draw(BOOLEANS) else f" {escape}{newline}    "
        return _cased(draw, "ENV") + " " + sep.join(pairs)
    if kind == 12:
        return f"{_cased(draw, 'WORKDIR')} {_word(draw, PATHS)}"
    if kind == 13:
        return f"{_cased(draw, 'USER')} {_word(draw, USERS)}"
    if kind == 14:
        keyword = draw(_sampled(("CMD", "ENTRYPOINT")))
        if draw(BOOLEANS):
            words = ("node", "dist/main.js", "npm", "start", "python", "app.py")
            return _cased(draw, keyword) + " " + _exec_form(draw, words)
        return _simple(draw, keyword, ("node dist/main.js", "npm start", "exec python app.py"))
    if kind == 15:
        return _simple(draw, "EXPOSE", ("80", "3000", "8080/tcp", "53/udp", "$PORT"))
    if kind == 16:
        return _simple(
            draw, "LABEL", ("a=b", "org.opencontainers.image.source=x", "k v", 'x="y z"')
        )
    if kind == 17:
        return _simple(
            draw,
            "HEALTHCHECK",
            ("NONE", "CMD curl -f http://localhost/", "--interval=30s CMD true", 'CMD ["true"]'),
        )
    if kind == 18:
        return f"{_cased(draw, 'SHELL')} {_exec_form(draw, ('/bin/bash', '-o', 'pipefail', '-c'))}"
    if kind == 19:
        return _simple(draw, "VOLUME", ("/data", '["/data"]', "/a /b"))
    if kind == 20:
        return _simple(draw, "STOPSIGNAL", ("SIGTERM", "9"))
    if kind == 21:
        inner = draw(_sampled(("RUN npm ci", "COPY . .", "RUN echo hi")))
        return f"{_cased(draw, 'ONBUILD')} {inner}"
    if kind == 22:
        return f"{_cased(draw, 'MAINTAINER')} someone@example.com"
    if kind == 23:
        return "# " + draw(
            _sampled(
                (
                    "layerwise: ignore=LW101",
                    "layerwise: ignore=all",
                    "a comment",
                    "hadolint ignore=DL3008",
                )
            )
        )
    return f"{_cased(draw, 'RUN')} {shell_command(draw)}"


def from_line(draw: Draw, stages: tuple[str, ...]) -> tuple[str, str | None]:
    """A FROM line and the stage name it defines."""
    base = draw(_sampled((*IMAGES, *stages))) if stages else draw(_sampled(IMAGES))
    if draw(_ints(0, 8)) == 0:
        base = draw(
            _sampled(
                (
                    "node:${NODE_VERSION}",
                    "${BASE}",
                    "golang:1.22-$TARGETOS",
                    "node:${NODE_VERSION:-20}-slim",
                )
            )
        )
    parts = [_cased(draw, "FROM")]
    if draw(_ints(0, 5)) == 0:
        parts.append(
            draw(
                _sampled(
                    (
                        "--platform=$BUILDPLATFORM",
                        "--platform=linux/amd64",
                        "--platform=$TARGETPLATFORM",
                    )
                )
            )
        )
    parts.append(base)
    name = None
    if draw(_ints(0, 3)) > 0:
        name = draw(_sampled(STAGE_NAMES))
        parts += [draw(_sampled(("AS", "as", "As"))), name]
    return " ".join(parts), name


def _trailing(draw: Draw, line: str) -> str:
    """Blanks after a line now and then (not after a heredoc's terminator: it would not end)."""
    if "\n" in line:
        return ""
    blanks: tuple[str, ...] = ("",) * 8 + (" ", "\t")
    return draw(_sampled(blanks))


def dockerfile(draw: Draw, junk: bool = True) -> str:
    """The text of one Dockerfile (see the module docstring). `junk=False`: no junk lines."""
    newline = draw(_sampled(("\n", "\n", "\n", "\r\n")))
    escape = "`" if draw(_ints(0, 12)) == 0 else "\\"
    lines: list[str] = []
    if draw(_ints(0, 5)) == 0:
        lines.append(
            draw(
                _sampled(
                    (
                        "# syntax=docker/dockerfile:1",
                        "#syntax=docker/dockerfile:1.7",
                        "# check=skip=JSONArgsRecommended",
                    )
                )
            )
        )
    if escape == "`":
        lines.append("# escape=`")
    for _ in range(draw(_ints(0, 2))):
        lines.append(f"ARG {draw(_sampled(VARIABLES))}" + draw(_sampled(("", "=20", "=x", "=$X"))))
    stages: tuple[str, ...] = ()
    for _ in range(draw(_ints(1, 4))):
        if len(lines) > 0 and draw(BOOLEANS):
            lines.append(draw(_sampled(("", "# stage", "  ", "\t# indented comment"))))
        text, name = from_line(draw, stages)
        lines.append(text)
        for _ in range(draw(_ints(0, 8))):
            if draw(_ints(0, 6)) == 0:
                lines.append(draw(_sampled(("", "# note", "   ", "#"))))
            lines.append(instruction(draw, stages, escape, newline))
        if name is not None:
            stages += (name.lower(),)
    if junk and draw(_ints(0, 6)) == 0:
        at = draw(_ints(0, len(lines)))
        lines.insert(at, draw(_sampled(JUNK_LINES)))
    text = newline.join(line + _trailing(draw, line) for line in lines)
    text += draw(_sampled((newline, newline, newline, "", newline + newline)))
    if junk and draw(_ints(0, 5)) == 0:
        text = _mutated(draw, text)
    if draw(_ints(0, 15)) == 0:
        text = "\ufeff" + text
    return text


# What a character-level mutation inserts: the characters the parsers treat specially.
MUTATIONS = ("\\", '"', "'", "$", "${", "}", "\n", "\r\n", " ", "\t", "#", "<<", "=", ",", "`", "[")


def _mutated(draw: Draw, text: str) -> str:
    """`text` with one to three characters deleted, or special ones inserted, at random."""
    for _ in range(draw(_ints(1, 3))):
        at = draw(_ints(0, len(text)))
        if draw(BOOLEANS) and at < len(text):
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + draw(_sampled(MUTATIONS)) + text[at:]
    return text


@st.composite
def dockerfiles(draw: st.DrawFn, junk: bool = True) -> str:
    """Dockerfile texts, as a hypothesis strategy (see `dockerfile`)."""
    return dockerfile(draw, junk)
