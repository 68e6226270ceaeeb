"""Jenkinsfiles (declarative or scripted): the `sh` steps' scripts, the environment, the agent.

Groovy is not parsed: a Jenkinsfile's build lines live in string literals after `sh`, and those
are read with Groovy's escapes (`\\\\`, `\\'`, `\\$`; a backslash before a line break joins
the lines) so the shell parser sees the script Jenkins hands to `sh`, with offsets into the file.
"""

from __future__ import annotations

import re

from layerwise.ci.model import Agent, Pipeline, Value
from layerwise.ci.positions import Lines
from layerwise.ci.shell_lines import ShellFindings, expressions_as_variables, read_shell
from layerwise.syntax.span import MappedText

# `sh '...'`, `sh(script: """...""", returnStdout: true)`, `sh label: 'x', script: '...'`.
_SH = re.compile(
    r"\bsh\s*\(?\s*(?:label\s*:\s*(?:'[^']*'|\"[^\"]*\")\s*,\s*)?(?:script\s*:\s*)?"
    r"(?P<quote>'''|\"\"\"|'|\")"
)
# `NAME = 'value'` at the start of a line or after `{` (an `environment { }` block).
_ENV = re.compile(
    r"(?:^|\{)[ \t]*(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(?P<q>['\"])"
    r"(?P<value>[^'\"\n]*)(?P=q)",
    re.M,
)
# Groovy's `${env.TAG}` inside a string: Groovy replaces it before the shell runs, and bash
# cannot parse a dot in a parameter name, so it is read as the shell variable `${env_TAG}`.
_GROOVY_EXPR = re.compile(r"\$\{[^}\n]*\}")
_WITH_ENV = re.compile(r"['\"](?P<all>DOCKER_BUILDKIT=(?P<value>[^'\"\s]*))['\"]")
_EPHEMERAL = re.compile(r"\bagent\s*\{\s*(?:docker|dockerfile|kubernetes)\b|\bpodTemplate\s*\(")
_PERSISTENT = re.compile(
    r"\bagent\s*\{\s*(?:node\s*\{\s*)?label\s*\(?\s*['\"](?:built-in|master)['\"]"
    r"|\bnode\s*\(\s*['\"](?:built-in|master)['\"]"
)
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "$": "$", "n": "\n", "t": "\t", "r": "\r"}


def read_jenkinsfile(path: str, text: str) -> Pipeline:
    lines = Lines(text)
    found = ShellFindings()
    env = {m["name"]: m["value"] for m in _ENV.finditer(text)}
    for match in _ENV.finditer(text):
        if match["name"] == "DOCKER_BUILDKIT":
            found.buildkit_settings.append(_env_value(match, lines))
    for match in _WITH_ENV.finditer(text):
        start, end = match.span("all")
        found.buildkit_settings.append(Value(match["all"], lines.span(start, end)))
    for match in _SH.finditer(text):
        if _commented(text, match.start()):
            continue
        script = _literal(text, match.end(), match["quote"])
        if script is not None:
            script = expressions_as_variables(script, _GROOVY_EXPR)
            read_shell(script, lines, found, env=dict(env))  # one shell per `sh`
    if _PERSISTENT.search(text):
        agent = Agent.PERSISTENT
    elif _EPHEMERAL.search(text):
        agent = Agent.EPHEMERAL
    else:
        agent = Agent.UNKNOWN
    return Pipeline(
        path=path,
        text=text,
        provider="jenkins",
        agent=agent,
        builds=tuple(found.builds),
        commands=tuple(found.commands),
        buildkit_settings=tuple(found.buildkit_settings),
        persistent_builder=agent is Agent.PERSISTENT,
        notes=tuple((lines.span(s, e), kind) for s, e, kind in found.notes),
    )


def _env_value(match: re.Match[str], lines: Lines) -> Value:
    start, end = match.span("name")[0], match.end()
    return Value(f"{match['name']}={match['value']}", lines.span(start, end))


def _commented(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return text[line_start:offset].lstrip().startswith(("//", "*"))


def _literal(text: str, start: int, quote: str) -> MappedText | None:
    """The content of the Groovy string literal that starts at `start` (after its opening
    quote), escapes decoded, each character mapped to its offset; None when unterminated."""
    chars: list[str] = []
    offsets: list[int] = []
    i = start
    while i < len(text):
        if text.startswith(quote, i):
            offsets.append(i)
            return MappedText("".join(chars), tuple(offsets))
        char = text[i]
        if char == "\n" and len(quote) == 1:
            return None
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "\n":  # Groovy joins the lines
                i += 2
                continue
            decoded = _ESCAPES.get(nxt)
            if decoded is not None:
                chars.append(decoded)
                offsets.append(i + 1)
                i += 2
                continue
        chars.append(char)
        offsets.append(i)
        i += 1
    return None
