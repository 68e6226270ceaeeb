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

from hypothesis import strategies as st

from strategies.grammar import (
    BOOLEANS,
    PATHS,
    VARIABLES,
    Draw,
    cased,
    ints,
    sampled,
    some,
    word,
)
from strategies.shell_scripts import heredoc_run, script, shell_command

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
    "RUN -- npm ci",
    "RUN --mount=type=cache npm ci",
    "RUN --mount= apt-get update",
    "RUN --unknown-flag npm ci",
    "RUN --mount=type=cache,target=/root/.npm --mount=type=cache,target=/root/.npm npm i",
    "COPY --from= . .",
    "COPY --chown= . .",
    "USER node:",
    "WORKDIR relative/dir",
    "ENV HOME=",
    "ARG A B=1 C",
    "FROM scratch AS scratch",
    "FROM base AS base",
    "RUN npm ci \\ && npm run build",
    "RUN apt-get install -y \\",
)


def _simple(draw: Draw, keyword: str, bodies: tuple[str, ...]) -> str:
    return cased(draw, keyword) + " " + draw(sampled(bodies))


def _exec_form(draw: Draw, words: tuple[str, ...]) -> str:
    chosen = some(draw, sampled(words), 1, 4)
    sep = draw(sampled((", ", ",", " , ")))
    return "[" + sep.join(f'"{w}"' for w in chosen) + "]"


def _mount(draw: Draw) -> str:
    return draw(
        sampled(
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


def instruction(
    draw: Draw, stages: tuple[str, ...] = (), escape: str = "\\", newline: str = "\n"
) -> str:
    """One instruction (without its newline); `stages` are the names defined above it."""
    kind = draw(ints(0, 24))
    if kind <= 6:  # RUN, the most common and the richest
        flags = []
        for _ in range(draw(ints(0, 2))):
            flags.append("--mount=" + _mount(draw))
        if draw(ints(0, 9)) == 0:
            flags.append(draw(sampled(("--network=none", "--network=host", "--security=insecure"))))
        form = draw(ints(0, 9))
        if form == 0:
            body = _exec_form(draw, ("npm", "ci", "sh", "-c", "apt-get update", "echo hi"))
        elif form == 1:
            body = heredoc_run(draw, newline)
        else:
            body = script(draw, escape, newline)
        return " ".join((cased(draw, "RUN"), *flags, body))
    if kind <= 9:  # COPY / ADD
        keyword = draw(sampled(("COPY", "COPY", "ADD")))
        flags = []
        if keyword == "COPY" and stages and draw(BOOLEANS):
            ref = draw(sampled((*stages, "0", "1", "9", "nginx:1.27", "-1")))
            flags.append(f"--from={ref}")
        copy_flags = ("--chown=node:node", "--chmod=755", "--link", "--chown=$USER")
        flags += some(draw, sampled(copy_flags), 0, 2)
        if draw(ints(0, 12)) == 0:
            body = f"<<EOF /app/config{newline}key=value{newline}EOF"
        elif draw(ints(0, 12)) == 0:
            body = _exec_form(draw, ("package.json", "./", "/app/"))
        else:
            body = word(draw, SOURCES) + " " + word(draw, ("./", ".", "/app/", "/app", "$APP/"))
        return " ".join((cased(draw, keyword), *flags, body))
    if kind == 10:
        name = draw(sampled(VARIABLES))
        if draw(BOOLEANS):
            return f"{cased(draw, 'ARG')} {name}"
        return f"{cased(draw, 'ARG')} {name}={word(draw, ('1', 'unknown', '20', '', 'a'))}"
    if kind == 11:
        name = draw(sampled(VARIABLES))
        value = word(draw, ("production", "1", '"two words"', "/app/bin:$PATH", "''"))
        if draw(ints(0, 3)) == 0:
            return f"{cased(draw, 'ENV')} {name} {value}"  # the legacy form
        pairs = [f"{name}={value}"]
        if draw(BOOLEANS):
            pairs.append(f"{draw(sampled(VARIABLES))}=x")
        sep = " " if draw(BOOLEANS) else f" {escape}{newline}    "
        return cased(draw, "ENV") + " " + sep.join(pairs)
    if kind == 12:
        return f"{cased(draw, 'WORKDIR')} {word(draw, PATHS)}"
    if kind == 13:
        return f"{cased(draw, 'USER')} {word(draw, USERS)}"
    if kind == 14:
        keyword = draw(sampled(("CMD", "ENTRYPOINT")))
        if draw(BOOLEANS):
            words = ("node", "dist/main.js", "npm", "start", "python", "app.py")
            return cased(draw, keyword) + " " + _exec_form(draw, words)
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
        return f"{cased(draw, 'SHELL')} {_exec_form(draw, ('/bin/bash', '-o', 'pipefail', '-c'))}"
    if kind == 19:
        return _simple(draw, "VOLUME", ("/data", '["/data"]', "/a /b"))
    if kind == 20:
        return _simple(draw, "STOPSIGNAL", ("SIGTERM", "9"))
    if kind == 21:
        inner = draw(sampled(("RUN npm ci", "COPY . .", "RUN echo hi")))
        return f"{cased(draw, 'ONBUILD')} {inner}"
    if kind == 22:
        return f"{cased(draw, 'MAINTAINER')} someone@example.com"
    if kind == 23:
        return "# " + draw(
            sampled(
                (
                    "layerwise: ignore=LW101",
                    "layerwise: ignore=all",
                    "a comment",
                    "hadolint ignore=DL3008",
                )
            )
        )
    return f"{cased(draw, 'RUN')} {shell_command(draw)}"


def from_line(draw: Draw, stages: tuple[str, ...]) -> tuple[str, str | None]:
    """A FROM line and the stage name it defines."""
    base = draw(sampled((*IMAGES, *stages))) if stages else draw(sampled(IMAGES))
    if draw(ints(0, 8)) == 0:
        base = draw(
            sampled(
                (
                    "node:${NODE_VERSION}",
                    "${BASE}",
                    "golang:1.22-$TARGETOS",
                    "node:${NODE_VERSION:-20}-slim",
                )
            )
        )
    parts = [cased(draw, "FROM")]
    if draw(ints(0, 5)) == 0:
        parts.append(
            draw(
                sampled(
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
    if draw(ints(0, 3)) > 0:
        name = draw(sampled(STAGE_NAMES))
        parts += [draw(sampled(("AS", "as", "As"))), name]
    return " ".join(parts), name


def _trailing(draw: Draw, line: str) -> str:
    """Blanks after a line now and then (not after a heredoc's terminator: it would not end)."""
    if "\n" in line:
        return ""
    blanks: tuple[str, ...] = ("",) * 8 + (" ", "\t")
    return draw(sampled(blanks))


def dockerfile(draw: Draw, junk: bool = True) -> str:
    """The text of one Dockerfile (see the module docstring). `junk=False`: no junk lines."""
    newline = draw(sampled(("\n", "\n", "\n", "\r\n")))
    escape = "`" if draw(ints(0, 12)) == 0 else "\\"
    lines: list[str] = []
    if draw(ints(0, 5)) == 0:
        lines.append(
            draw(
                sampled(
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
    for _ in range(draw(ints(0, 2))):
        lines.append(f"ARG {draw(sampled(VARIABLES))}" + draw(sampled(("", "=20", "=x", "=$X"))))
    stages: tuple[str, ...] = ()
    for _ in range(draw(ints(1, 4))):
        if len(lines) > 0 and draw(BOOLEANS):
            lines.append(draw(sampled(("", "# stage", "  ", "\t# indented comment"))))
        text, name = from_line(draw, stages)
        lines.append(text)
        for _ in range(draw(ints(0, 8))):
            if draw(ints(0, 6)) == 0:
                lines.append(draw(sampled(("", "# note", "   ", "#"))))
            lines.append(instruction(draw, stages, escape, newline))
        if name is not None:
            stages += (name.lower(),)
    if junk and draw(ints(0, 6)) == 0:
        at = draw(ints(0, len(lines)))
        lines.insert(at, draw(sampled(JUNK_LINES)))
    text = newline.join(line + _trailing(draw, line) for line in lines)
    text += draw(sampled((newline, newline, newline, "", newline + newline)))
    if junk and draw(ints(0, 5)) == 0:
        text = _mutated(draw, text)
    if draw(ints(0, 15)) == 0:
        text = "\ufeff" + text
    return text


# What a character-level mutation inserts: the characters the parsers treat specially.
MUTATIONS = ("\\", '"', "'", "$", "${", "}", "\n", "\r\n", " ", "\t", "#", "<<", "=", ",", "`", "[")


def _mutated(draw: Draw, text: str) -> str:
    """`text` with one to three characters deleted, or special ones inserted, at random."""
    for _ in range(draw(ints(1, 3))):
        at = draw(ints(0, len(text)))
        if draw(BOOLEANS) and at < len(text):
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + draw(sampled(MUTATIONS)) + text[at:]
    return text


@st.composite
def dockerfiles(draw: st.DrawFn, junk: bool = True) -> str:
    """Dockerfile texts, as a hypothesis strategy (see `dockerfile`)."""
    return dockerfile(draw, junk)
