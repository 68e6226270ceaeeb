"""Hypothesis strategies: Dockerfiles from a grammar of every construct BuildKit's parser knows."""

from __future__ import annotations

from hypothesis import strategies as st

KEYWORDS = (
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
    "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "BOGUS",
)  # fmt: skip
FLAG_NAMES = ("mount", "from", "chown", "chmod", "link", "platform", "network", "security")
_WORD_CHARS = "abcxyzABC019_-./:=,$@{}'\"\\`#<>&|;é"
_SPACES = st.sampled_from([" ", "  ", "\t", " \t"])


def casing(keyword: str) -> st.SearchStrategy[str]:
    return st.sampled_from([keyword, keyword.lower(), keyword.capitalize()])


words = st.text(alphabet=_WORD_CHARS, min_size=1, max_size=8)
plain_words = st.text(alphabet="abcxyz019_-./:", min_size=1, max_size=8)


@st.composite
def flag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(FLAG_NAMES))
    if draw(st.booleans()):
        return f"--{name}"
    value = draw(
        st.one_of(
            plain_words,
            st.just("type=cache,target=/root/.npm"),
            st.just("type=cache,target=/var/cache/apt,sharing=locked"),
            st.builds(lambda w: f'"{w} x"', plain_words),
        )
    )
    return f"--{name}={value}"


@st.composite
def json_array(draw: st.DrawFn) -> str:
    items = draw(st.lists(words.map(lambda w: w.replace("\\", "").replace('"', "")), max_size=3))
    body = ", ".join(f'"{i}"' for i in items)
    return draw(st.sampled_from([f"[{body}]", f"[ {body} ]", f"[{body}", f"[{body}] extra"]))


@st.composite
def heredoc_marker(draw: st.DrawFn) -> tuple[str, str, bool]:
    name = draw(st.sampled_from(["EOF", "END", "E2", "SCRIPT", "eof"]))
    chomp = draw(st.booleans())
    quote = draw(st.sampled_from(["", '"', "'"]))
    return f"<<{'-' if chomp else ''}{quote}{name}{quote}", name, chomp


@st.composite
def instruction(draw: st.DrawFn, escape: str, nl: str) -> str:
    keyword = draw(st.sampled_from(KEYWORDS))
    head = draw(casing(keyword))
    if keyword == "ONBUILD":
        inner = draw(st.sampled_from(["RUN", "COPY", "ENV", "CMD"]))
        head += draw(_SPACES) + draw(casing(inner))
        keyword = inner
    parts: list[str] = [head]
    if keyword in ("RUN", "COPY", "ADD", "FROM", "HEALTHCHECK") and draw(st.booleans()):
        parts += draw(st.lists(flag(), min_size=1, max_size=3))
    bodies: list[str] = []
    markers: list[tuple[str, str, bool]] = []
    form = draw(st.sampled_from(["shell", "json", "heredoc", "kv", "empty"]))
    if form == "json":
        bodies.append(draw(json_array()))
    elif form == "heredoc" and keyword in ("RUN", "COPY", "ADD"):
        markers = draw(st.lists(heredoc_marker(), min_size=1, max_size=2))
        bodies += [m[0] for m in markers]
        bodies += draw(st.lists(plain_words, max_size=2))
    elif form == "kv":
        bodies += draw(st.lists(st.builds(lambda k, v: f"{k}={v}", plain_words, words), max_size=3))
    elif form == "shell":
        bodies += draw(st.lists(words, min_size=1, max_size=5))
    tokens = parts + bodies
    out = [tokens[0]]
    for token in tokens[1:]:
        sep = draw(_SPACES)
        if draw(st.integers(0, 5)) == 0:  # a line continuation, maybe with inner trivia
            trivias = ["", f"# note{nl}", f"{nl}", f"  # c {escape}{nl}", f"  {nl}"]
            trivia = draw(st.sampled_from(trivias))
            before, after = draw(st.sampled_from(["", " "])), draw(st.sampled_from(["", " "]))
            sep = f"{before}{escape}{after}{nl}{trivia}  "
        out.append(sep + token)
    line = "".join(out) + draw(st.sampled_from(["", " ", "\t"]))
    text = draw(st.sampled_from(["", "  ", "\t"])) + line + nl
    for _, name, chomp in markers:
        for body_line in draw(st.lists(words, max_size=2)):
            text += ("\t" if chomp else "") + body_line + nl
        text += ("\t" if chomp and draw(st.booleans()) else "") + name + nl
    return text


@st.composite
def dockerfile_text(draw: st.DrawFn) -> str:
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    escape = draw(st.sampled_from(["\\", "`"]))
    head = draw(st.sampled_from(["", "\ufeff"]))
    directives = []
    if escape == "`":
        directives.append(f"# escape=`{nl}")
    if draw(st.booleans()):
        directives.append(f"# syntax=docker/dockerfile:1{nl}")
    head += "".join(draw(st.permutations(directives)))
    chunks = [f"FROM {draw(plain_words)}{nl}"]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            chunks.append(f"# {draw(words)}{nl}")
        elif kind == 1:
            chunks.append(draw(st.sampled_from([nl, f"   {nl}", f"\t{nl}"])))
        else:
            chunks.append(draw(instruction(escape, nl)))
    text = head + "".join(chunks)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text
