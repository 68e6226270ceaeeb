"""Bake files (docker-bake.hcl, docker-bake.json): each target read as one image build.

`docker buildx bake` (and docker/bake-action) takes its builds from these files rather than the
command line, so a pipeline that bakes keeps its cache settings here: `cache-from`, `cache-to`,
`platforms`, `no-cache`, `pull`, `args`, `dockerfile`, `context` and `target` per target, with
`inherits` merging other targets' attributes first (buildx's bake reference). Values are read
with python-hcl2 (JSON with the json module); where each one is written is found again in the
text, so findings point at it and fixes edit inside its quotes. A value holding `${...}` is an
HCL interpolation layerwise does not evaluate: not static, and not edited.

The agent a bake file runs on is the agent of the pipelines beside it that run bake.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from layerwise.ci.model import Agent, Build, Pipeline, Value
from layerwise.ci.positions import Lines
from layerwise.errors import LayerwiseError

# The files buildx's bake reads by default, in its order (compose files aside).
BAKE_FILES = (
    "docker-bake.json",
    "docker-bake.override.json",
    "docker-bake.hcl",
    "docker-bake.override.hcl",
)
_LISTS = ("cache-from", "cache-to", "platforms")
_SCALARS = ("dockerfile", "context", "target", "no-cache", "pull")
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def is_bake_file(name: str) -> bool:
    return name in BAKE_FILES or (
        name.startswith("docker-bake") and name.endswith((".hcl", ".json"))
    )


def read_bake(path: str, text: str, agent: Agent = Agent.UNKNOWN) -> Pipeline:
    """The targets bake builds as builds (`kind` "docker buildx bake"): those its groups name,
    or without groups every target no other target only serves as a base for."""
    data = _load(path, text)
    targets = _named_blocks(data.get("target"))
    groups = _named_blocks(data.get("group"))
    lines = Lines(text)
    builds = []
    for name in _built(targets, groups):
        merged = _merged(name, targets, ())
        block = _block(text, name, json_file=path.endswith(".json"))
        builds.append(_build(name, merged, text, block, lines))
    return Pipeline(path=path, text=text, provider="bake", agent=agent, builds=tuple(builds))


def _built(
    targets: Mapping[str, dict[str, Any]], groups: Mapping[str, dict[str, Any]]
) -> list[str]:
    if groups:
        out: list[str] = []
        unopened = dict(groups)  # a group named inside another opens once (no cycles)
        pending = [str(t) for g in groups.values() for t in (g.get("targets") or ())]
        while pending:
            name = pending.pop(0)
            if name in unopened and name not in targets:
                pending[:0] = [str(t) for t in unopened.pop(name).get("targets") or ()]
            elif name in targets and name not in out:
                out.append(name)
        return out
    bases = {str(p) for t in targets.values() for p in (t.get("inherits") or ())}
    return [name for name in targets if name not in bases]


def _load(path: str, text: str) -> dict[str, Any]:
    try:
        if path.endswith(".json"):
            data = json.loads(text)
        else:
            import hcl2  # loaded only for a bake file: most checks never need it

            options = hcl2.SerializationOptions(with_comments=False, strip_string_quotes=True)
            data = hcl2.loads(text, serialization_options=options)
    except Exception as exc:  # both parsers raise error types of their own
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LayerwiseError(f"not a bake file this tool can read: {first}", path=path) from None
    if not isinstance(data, dict) or "target" not in data:
        raise LayerwiseError("not a bake file: no targets", path=path)
    return data


def _named_blocks(raw: Any) -> dict[str, dict[str, Any]]:
    """`target`/`group` blocks by name. HCL gives a list of one-key dicts, one per block; JSON
    a mapping of name to attributes."""
    found: dict[str, dict[str, Any]] = {}
    blocks = raw if isinstance(raw, list) else [raw]
    for block in blocks:
        if isinstance(block, dict):
            for name, attrs in block.items():
                if isinstance(attrs, dict):
                    found[str(name).strip('"')] = {k: _unquote(v) for k, v in attrs.items()}
    return found


def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    return value


def _merged(
    name: str, targets: Mapping[str, dict[str, Any]], seen: tuple[str, ...]
) -> dict[str, Any]:
    """The target's attributes after `inherits` (each parent in order, then its own)."""
    own = targets.get(name, {})
    out: dict[str, Any] = {}
    if name in seen:
        return out
    for parent in own.get("inherits") or ():
        _merge(out, _merged(str(parent), targets, (*seen, name)))
    _merge(out, {k: v for k, v in own.items() if not k.startswith("__")})
    return out


# What buildx's Target.Merge adds to rather than replaces: cache-from lists (the inherited
# entries first, repeats dropped) and the args map (key by key). The rest, cache-to and
# platforms included, the later target replaces: checked with `docker buildx bake --print`
# (tests/ci/test_bake_engine.py).
_APPENDED = ("cache-from",)
_MAPPED = ("args",)


def _merge(out: dict[str, Any], later: Mapping[str, Any]) -> None:
    for key, value in later.items():
        if key in _APPENDED and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key in _MAPPED and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value


@dataclass(frozen=True, slots=True)
class _Block:
    start: int
    end: int


def _block(text: str, name: str, *, json_file: bool) -> _Block | None:
    """Where the target's own attributes are written (its braces)."""
    head = (
        re.compile(rf'"{re.escape(name)}"\s*:\s*\{{')
        if json_file
        else re.compile(rf'(?m)^\s*target\s+"{re.escape(name)}"\s*\{{')
    )
    match = head.search(text)
    if match is None:
        return None
    depth, i = 1, match.end()
    while i < len(text) and depth:
        char = text[i]
        if char == '"':
            string = _STRING.match(text, i)
            i = string.end() if string else i + 1
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        i += 1
    return _Block(match.end(), i - 1)


def _build(
    name: str, attrs: Mapping[str, Any], text: str, block: _Block | None, lines: Lines
) -> Build:
    where = block.start if block is not None else 0
    values = {key: tuple(_values(key, attrs, text, block, lines)) for key in (*_LISTS, *_SCALARS)}
    args = attrs.get("args") or {}
    build_args = tuple(
        Value(f"{k}={v}", lines.span(where, where), editable=False)
        for k, v in (args.items() if isinstance(args, dict) else ())
    )
    one = {key: (values[key][0] if values[key] else None) for key in _SCALARS}
    flags = {key: v for key in ("no-cache", "pull") if (v := one[key]) and v.text == "true"}
    return Build(
        "docker buildx bake",
        lines.span(where, block.end if block is not None else where),
        f'target "{name}"',
        cache_from=values["cache-from"],
        cache_to=values["cache-to"],
        platforms=values["platforms"],
        dockerfile=one["dockerfile"],
        context=one["context"],
        target=one["target"],
        no_cache=flags.get("no-cache"),
        pull=flags.get("pull"),
        build_args=build_args,
        job=name,
    )


def _values(
    key: str, attrs: Mapping[str, Any], text: str, block: _Block | None, lines: Lines
) -> Iterator[Value]:
    """The attribute's values with where each is written in the target's own block; one
    inherited from another target points at this block and is not edited here."""
    given = attrs.get(key)
    if given is None:
        return
    items = [given] if not isinstance(given, list) else given
    written = _written(key, text, block)
    for item in items:
        shown = "true" if item is True else "false" if item is False else str(item)
        static = "${" not in shown
        # Merged lists hold inherited entries too: a value is this block's when written here.
        own = next((w for w in written if w[2] == shown), None)
        if own is not None:
            written.remove(own)
            start, end, _ = own
            yield Value(shown, lines.span(start, end), static=static, editable=static)
        else:
            at = block.start if block is not None else 0
            yield Value(shown, lines.span(at, at), static=static, editable=False)


def _written(key: str, text: str, block: _Block | None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each value written for `key` in the block: inside the quotes of a
    string, or the bare word of a boolean."""
    if block is None:
        return []
    body = text[block.start : block.end]
    name = re.compile(rf'(?m)(?:^|[{{,\s])(?:"{re.escape(key)}"\s*:|{re.escape(key)}\s*=)\s*')
    match = name.search(body)
    if match is None:
        return []
    i = block.start + match.end()
    if text.startswith(("true", "false"), i):
        word = "true" if text.startswith("true", i) else "false"
        return [(i, i + len(word), word)]
    if text[i : i + 1] == '"':
        string = _STRING.match(text, i)
        return [(i + 1, string.end() - 1, string.group(1))] if string else []
    if text[i : i + 1] != "[":
        return []
    out = []
    i += 1
    while i < block.end:
        char = text[i]
        if char == "]":
            break
        if char == '"':
            string = _STRING.match(text, i)
            if string is None:
                break
            out.append((i + 1, string.end() - 1, string.group(1)))
            i = string.end()
            continue
        i += 1
    return out
