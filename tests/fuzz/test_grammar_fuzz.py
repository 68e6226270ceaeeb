"""Grammar-generated Dockerfiles (tests/strategies/dockerfiles.py) through check and fix.

The same invariants as `benchmarks/fuzz.py`, at the profile's example count: no crash, no fix
dropped as a bug, fixed text that parses and round-trips, RUN scripts that still parse, and a
second fix that changes nothing. A file BuildKit's parser rejects must be an LW400 finding.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from layerwise.syntax import parse
from strategies.dockerfiles import dockerfiles
from strategies.invariants import violation


@given(dockerfiles(), st.booleans())
def test_check_and_fix_hold_their_invariants(text: str, unsafe: bool) -> None:
    assert violation(text, unsafe=unsafe) is None


@given(dockerfiles(junk=False))
def test_without_junk_the_grammar_gives_files_that_parse(text: str) -> None:
    # Keeps the strategy honest: without junk lines, every file it draws is one BuildKit reads,
    # so the rules and fixes above really run on them.
    assert str(parse(text)) == text
