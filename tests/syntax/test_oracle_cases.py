"""Edge cases of BuildKit's parser, each checked against the official parser (the oracle)."""

from __future__ import annotations

import pytest

from layerwise.errors import LayerwiseError
from layerwise.syntax import parse

from .oracle import ours, theirs

CASES = [
    "RUN --mount type=cache echo\n",
    "RUN --mount=\"a b\" --x='c\\d' echo\n",
    "RUN -- echo\n",
    "RUN --a -- echo\n",
    "# syntax=x\n# escape=`\nRUN a `\nb\n",
    "# syntax=x\n# syntax=y\nRUN a\n",
    "\\\nRUN x\n",
    "RUN a\\\\\nRUN b\n",
    "RUN <<EOF\nx\nEOF\n",
    "ONBUILD RUN <<EOF\nx\nEOF\n",
    "ENV\n",
    "ENV a\n",
    'LABEL a="b c" d=e\n',
    "ARG a=1 b\n",
    'HEALTHCHECK --interval=5s CMD ["a"]\n',
    "HEALTHCHECK NONE\n",
    'RUN ["a", 1]\n',
    "MAINTAINER  foo  bar  \n",
    "EXPOSE 80  443\n",
    "",
    "# c\n",
    "ONBUILD\n",
    "ONBUILD ONBUILD RUN x\n",
    "onbuild --x=1 run --y=2 echo\n",
    "ENV a b\\ c\n",
    "RUN <<END_OF\nx\nEND_OF\n",
    "RUN <<\"EOF\" <<'E2'\nx\nEOF\ny\nE2\n",
    "RUN cat<<EOF\nx\nEOF\n",
    "RUN 3<<EOF\nx\nEOF\n",
    "RUN <<E$X\nx\nE\n",
    'RUN "<<EOF"\nx\nEOF\n',
    "RUN echo \\<<EOF\nx\nEOF\n",
    'RUN echo "unterminated <<EOF\nx\nEOF\n',
    "RUN <<EOF \\\n  && echo\nx\nEOF\n",
    "RUN <<-EOF\n\tx\n\tEOF\n",
    "RUN <<EOF\r\nx\r\nEOF\r\n",
    "RUN <<EOF\nx\nEOF",
    "RUN <<EOF\n",
    'RUN ["<<EOF"]\nx\n',
    "COPY <<EOF\nx\nEOF\n",
    "RUN <<'EO\"F'\nx\nEO\"F\n",
    "RUN <<E\\OF\nx\nEOF\n",
    'RUN <<"E O"\nx\nE O\n',
    "RUN --x=é y\n",
    "# foo=bar\n# escape=`\nRUN a `\nb\n",
    "\n# escape=`\nRUN a `\nb\n",
    "  # escape=`\nRUN a `\nb\n",
    "# escape=x\nRUN a\n",
    "FROM x\n\\\n",
    "FROM x\n\\",
    'FROM x\nRUN ["a"] x\n',
    "FROM x\nRUN [NaN]\n",
    'FROM x\nRUN ["\\ud800"]\n',
    "RUN a\rb\n",
    "RUN a\r\r\nRUN b\n\r\n",
    "\ufeff# escape=`\nRUN a `\nb\n",
    "RUN a \\\n# c\n\n  \nb\n",
    "RUN a \\ \t\nb\n",
    "RUN a \\\\\nb\n",
    "\\\n   \\\n",
    "R\\\nUN x\n",
    "FROM a\n  \\\n",
    "RUN a \\\n",
    "COPY a b\\\n",
    'RUN ["a", "b"] \\\n  ["c"]\n',
    "FROM x\nRUN echo $((1<<2))\n",
    "RUN <<EOF <<EOF\na\nEOF\nb\nEOF\n",
    'ADD <<"A"\n$x\nA\n',
    "RUN cat <<EOF | sh\necho\nEOF\n",
]


@pytest.mark.parametrize("text", CASES)
def test_edge_case_agrees_with_buildkit(text: str) -> None:
    assert ours(text) == theirs(text)


@pytest.mark.parametrize("text", CASES)
def test_edge_case_round_trips_or_raises(text: str) -> None:
    try:
        tree = parse(text)
    except LayerwiseError:
        return
    assert str(tree) == text


MORE = [
    "\\\nRUN x\n",  # a line holding only a continuation starts the instruction
    "FROM a\nADD\\\nCOPY x\n\\\n--x\n",
    "FROM a\nRUN --mount=type=cache,target=/x\\\n,id=y echo\n",  # a flag split by a continuation
    "FROM a\nRUN --x=\u00e9 --y=\u00e0b --z\u00a0w echo\n",  # BuildKit reads flags byte by byte
    "FROM a\nHEALTHCHECK --interval=1s CMD \u00a0echo\n",
    "FROM a\nCOPY --from=a -- --not-a-flag /x\n",
    "FROM a\nCOPY --chown='a b' --chmod=\"7\"55 x y\n",
    "FROM a\nENV a=1 \\\n  b=2 \\\n  # c\n  c=3\n",
    "FROM a\nARG A=\"x y\" B='z' C\n",
    "FROM a\nLABEL a b c\n",
    "FROM a\nEXPOSE 80\u00a0443 8080\n",
    "FROM a\nSTOPSIGNAL\n",
    "FROM a\nRUN <<EOF\n\tEOF\nEOF\n",
    "FROM a\nRUN <<-EOF\n\t\tEOF\n",
    "FROM a\nRUN <<EOF\nEOF \nEOF\n",
    "FROM a\nRUN echo '<<EOF'\n",
    "FROM a\nRUN echo ${X:-<<EOF}\n",
    'FROM a\nrun "<<EOF" <<E2\nx\nE2\n',
    "FROM a\nRUN <<E <<E\nx\nE\ny\nE\n",
]


@pytest.mark.parametrize("text", MORE)
def test_more_edge_cases_agree_with_buildkit(text: str) -> None:
    assert ours(text) == theirs(text)
    try:
        tree = parse(text)
    except LayerwiseError:
        return
    assert str(tree) == text
