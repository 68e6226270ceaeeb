"""Which instruction arguments BuildKit expands, and their expanded form.

From moby/buildkit frontend/dockerfile/instructions/commands.go (the `Expand` methods) and
dockerfile2llb/convert.go (dispatchExpose): FROM (with the global ARGs only), ADD and COPY
(sources, destination, --chown, --chmod; ADD --checksum), ENV and LABEL (keys and values),
EXPOSE (split into words after expansion), STOPSIGNAL, USER, VOLUME, WORKDIR, ARG defaults,
and RUN --mount options (Dockerfile syntax 1.3+; Docker 20.10's built-in frontend keeps them
literal). Never expanded: RUN, CMD, ENTRYPOINT, HEALTHCHECK, SHELL (the shell sees `$VAR`),
ONBUILD (its instruction is expanded when a child build runs it), MAINTAINER, and COPY --from.
"""

from __future__ import annotations

from collections.abc import Mapping

from layerwise.model.expand import ExpansionError, expand, expand_word

EXPANDED_INSTRUCTIONS = frozenset(
    {"ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
)
EXPANDED_FLAGS: dict[str, frozenset[str]] = {
    "ADD": frozenset({"chown", "chmod", "checksum"}),
    "COPY": frozenset({"chown", "chmod"}),
    "RUN": frozenset({"mount"}),
}


def _one(word: str, variables: Mapping[str, str], escape: str) -> str:
    try:
        return expand(word, variables, escape=escape)
    except ExpansionError:
        return word  # BuildKit would stop here; the model records such errors as problems


def expand_value(
    name: str, value: tuple[str, ...], variables: Mapping[str, str], escape: str
) -> tuple[str, ...]:
    """An instruction's `value` as BuildKit uses it; unchanged for instructions it leaves alone.

    A word that fails to expand is kept as written.
    """
    if name not in EXPANDED_INSTRUCTIONS:
        return value
    if name == "EXPOSE":
        words: list[str] = []
        for word in value:
            try:
                words.extend(expand_word(word, variables, escape=escape, split=True).words)
            except ExpansionError:
                words.append(word)
        return tuple(words)
    return tuple(_one(word, variables, escape) for word in value)


def expand_flag(
    name: str, flag: str, text: str | None, variables: Mapping[str, str], escape: str
) -> str | None:
    """A flag value as BuildKit uses it (expanded only where BuildKit expands it)."""
    if text is None or flag not in EXPANDED_FLAGS.get(name, frozenset()):
        return text
    return _one(text, variables, escape)
