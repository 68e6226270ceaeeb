"""Build commands out of the shell a pipeline runs (`sh '...'`, `run:`, `script:`).

The script goes through layerwise's shell parser (tree-sitter-bash), so continuations, quoting
and `&&` chains are the shell's; offsets map back into the pipeline file. A word that is exactly
`$VAR` or `${VAR}` of a variable the file assigns (in the script or the pipeline's environment)
stands for that value's words, as the shell would split it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from layerwise.ci.model import Build, ShellCommand, Value
from layerwise.ci.positions import Lines
from layerwise.shell import Command, Word, parse_script
from layerwise.syntax.span import MappedText

# docker's global options that take a value (`docker --context x buildx build`).
_DOCKER_GLOBAL_VALUES = frozenset({"--context", "-c", "--config", "-H", "--host", "--log-level"})
# `docker buildx`'s own options before the subcommand.
_BUILDX_GLOBAL_VALUES = frozenset({"--builder"})
# Options of `docker build` / `docker buildx build` that take the next word as their value.
_BUILD_VALUES = frozenset(
    {
        "--cache-from",
        "--cache-to",
        "--platform",
        "-f",
        "--file",
        "--target",
        "-t",
        "--tag",
        "--build-arg",
        "-o",
        "--output",
        "--progress",
        "--builder",
        "--label",
        "--secret",
        "--ssh",
        "--iidfile",
        "--metadata-file",
        "--network",
        "--add-host",
        "--shm-size",
        "--ulimit",
        "--build-context",
        "--attest",
        "--sbom",
        "--provenance",
        "--annotation",
        "--allow",
        "--call",
        "--no-cache-filter",
        "--cgroup-parent",
        "--cpu-shares",
        "-m",
        "--memory",
    }
)
_INNER_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_.]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_ASSIGNMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>\"[^\"]*\"|'[^']*'|[^\s;&|]*)\s*$"
)
_SIMPLE_VAR = re.compile(r"^\$(?:\{([A-Za-z_][A-Za-z0-9_.]*)\}|([A-Za-z_][A-Za-z0-9_]*))$")


@dataclass(slots=True)
class ShellFindings:
    """What one or more shell snippets of a pipeline hold."""

    builds: list[Build] = field(default_factory=list)
    commands: list[ShellCommand] = field(default_factory=list)
    buildkit_settings: list[Value] = field(default_factory=list)
    notes: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Arg:
    text: str
    start: int
    end: int
    static: bool
    editable: bool = True


def read_shell(
    source: MappedText,
    lines: Lines,
    into: ShellFindings,
    *,
    job: str = "",
    env: Mapping[str, str] | None = None,
) -> None:
    """Add the builds, prunes and DOCKER_BUILDKIT settings of one script to `into`. `env` is
    the variables the shell starts with; assignments are added to it when it is a dict, so
    the scripts of one shell session (GitLab's script items) see each other's."""
    variables = env if isinstance(env, dict) else dict(env or {})
    _assignment_lines(source, lines, variables, into)
    for command in parse_script(source).commands:
        for assignment in command.assignments:
            name, _, value = assignment.text.partition("=")
            if name == "DOCKER_BUILDKIT":
                into.buildkit_settings.append(_value(assignment.text, assignment, lines))
            if command.program_name is None and assignment.is_static:
                variables[name] = value
        if command.program_name == "export":
            _exported(command, variables, into, lines)
        if command.program_name != "docker":
            continue
        args = _expanded(command, variables)
        _docker(command, args, lines, into, job)


def expressions_as_variables(source: MappedText, pattern: re.Pattern[str]) -> MappedText:
    """`source` with each CI template expression (Groovy's `${env.TAG}`, GitHub's
    `${{ github.sha }}`) turned into a shell variable of the same length (`${env_TAG}`,
    `${__github_sha__}`): the CI system replaces them before the shell runs, and bash cannot
    parse them, which would swallow the words after them. The offsets still hold."""

    def plain(match: re.Match[str]) -> str:
        return "${" + re.sub(r"[^A-Za-z0-9_]", "_", match.group(0)[2:-1]) + "}"

    return MappedText(pattern.sub(plain, source.text), source.offsets)


def _assignment_lines(
    source: MappedText, lines: Lines, variables: dict[str, str], into: ShellFindings
) -> None:
    """Lines that only assign (`CACHE="--cache-from ..."`): the shell parser keeps commands
    only, so these are read here, before the commands that use them."""
    pos = 0
    for line in source.text.split("\n"):
        match = _ASSIGNMENT.match(line)
        if match is not None:
            name, value = match["name"], match["value"]
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            variables[name] = value
            if name == "DOCKER_BUILDKIT":
                start, end = source.file_range(pos + match.start("name"), pos + len(line.rstrip()))
                into.buildkit_settings.append(Value(f"{name}={value}", lines.span(start, end)))
        pos += len(line) + 1


def _value(text: str, word: Word, lines: Lines) -> Value:
    return Value(text, lines.span(word.start, word.end), word.is_static)


def _exported(
    command: Command, variables: dict[str, str], into: ShellFindings, lines: Lines
) -> None:
    for word in command.args:
        name, eq, value = word.text.partition("=")
        if not eq:
            continue
        if word.is_static:
            variables[name] = value
        if name == "DOCKER_BUILDKIT":
            into.buildkit_settings.append(Value(word.text, lines.span(word.start, word.end)))


def _expanded(command: Command, variables: Mapping[str, str]) -> list[_Arg]:
    out: list[_Arg] = []
    for word in command.args:
        match = _SIMPLE_VAR.match(word.raw)
        name = (match.group(1) or match.group(2)) if match else None
        if name is not None and _plain(name) in variables:
            for part in variables[_plain(name)].split():
                out.append(_Arg(part, word.start, word.end, True, editable=False))
        elif not word.is_static:
            text = _INNER_VAR.sub(lambda m: _known(m, variables), word.text)
            out.append(_Arg(_unquoted(text), word.start, word.end, "$" not in text))
        else:
            out.append(_Arg(word.text, word.start, word.end, True))
    return out


def _known(match: re.Match[str], variables: Mapping[str, str]) -> str:
    name = _plain(match.group(1) or match.group(2))
    return variables.get(name, match.group(0))


def _plain(name: str) -> str:
    """`env.TAG` (Groovy), or `env_TAG` as the Jenkins reader hands it over: `TAG`."""
    return name.removeprefix("env.").removeprefix("env_")


def _unquoted(text: str) -> str:
    """A dynamic word's text with its double quotes dropped (`"$REF:cache"`): what is left is
    compared, never run."""
    return text.replace('"', "")


def _docker(
    command: Command, args: list[_Arg], lines: Lines, into: ShellFindings, job: str
) -> None:
    i = 0
    while i < len(args) and args[i].text.startswith("-"):
        i += 2 if args[i].text in _DOCKER_GLOBAL_VALUES else 1
    words = [a.text for a in args[i:]]
    span = lines.span(command.start, command.end)
    if words[:1] == ["buildx"]:
        j = i + 1
        while j < len(args) and args[j].text.startswith("-"):
            j += 2 if args[j].text in _BUILDX_GLOBAL_VALUES else 1
        sub = [a.text for a in args[j:]]
        if sub[:1] in (["build"], ["b"]):
            into.builds.append(_build("docker buildx build", command, args[j + 1 :], lines, job))
        elif sub[:1] == ["bake"]:
            into.notes.append((command.start, command.end, "bake"))
            into.builds.append(Build("bake", span, command.text, job=job))
        elif sub[:1] == ["prune"]:
            into.commands.append(ShellCommand(("buildx", *sub), span, command.text, job))
        return
    if words[:1] == ["build"] or words[:2] == ["image", "build"]:
        skip = 1 if words[:1] == ["build"] else 2
        into.builds.append(_build("docker build", command, args[i + skip :], lines, job))
    elif words[:2] in (["builder", "prune"], ["system", "prune"], ["image", "prune"]):
        into.commands.append(ShellCommand(tuple(words), span, command.text, job))


def _build(kind: str, command: Command, args: list[_Arg], lines: Lines, job: str) -> Build:
    values: dict[str, list[Value]] = {}
    flags: dict[str, Value] = {}
    context: Value | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.text.partition("=")
        if arg.text.startswith("-") and len(arg.text) > 1:
            if name in _BUILD_VALUES:
                if eq:
                    span = lines.span(arg.start, arg.end)
                    values.setdefault(name, []).append(
                        Value(inline, span, arg.static, arg.editable)
                    )
                elif i + 1 < len(args):
                    nxt = args[i + 1]
                    span = lines.span(nxt.start, nxt.end)
                    values.setdefault(name, []).append(
                        Value(nxt.text, span, nxt.static, nxt.editable)
                    )
                    i += 1
            else:
                flags[name] = Value(
                    arg.text, lines.span(arg.start, arg.end), arg.static, arg.editable
                )
        elif context is None:
            context = Value(arg.text, lines.span(arg.start, arg.end), arg.static)
        i += 1

    def first(*names: str) -> Value | None:
        found = [v for n in names for v in values.get(n, [])]
        return found[-1] if found else None

    return Build(
        kind=kind,
        span=lines.span(command.start, command.end),
        text=command.text,
        cache_from=tuple(values.get("--cache-from", [])),
        cache_to=tuple(values.get("--cache-to", [])),
        platforms=tuple(values.get("--platform", [])),
        push=flags.get("--push"),
        dockerfile=first("-f", "--file"),
        context=context,
        target=first("--target"),
        no_cache=flags.get("--no-cache"),
        pull=flags.get("--pull"),
        build_args=tuple(values.get("--build-arg", [])),
        insert_at=command.end,
        job=job,
    )
