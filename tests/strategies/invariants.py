"""What must hold for any Dockerfile text, checked by the property tests and benchmarks/fuzz.py.

`violation(text, unsafe=...)` runs what `layerwise check` and `check --fix` run on a file's text
(without the disk) and returns None, or what went wrong:

- no exception, except the DockerfileSyntaxError of a file BuildKit's parser rejects, which must
  turn into one LW400 finding;
- no fix dropped as a layerwise bug (what the CLI exits 3 for);
- the fixed text parses and prints back byte for byte;
- its RUN scripts parse with the shell parser whenever the original's all did;
- fixing the fixed text again changes nothing.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from layerwise.errors import LayerwiseError
from layerwise.fix import fix_text
from layerwise.rules.base import Settings
from layerwise.rules.lw400_dockerfile_syntax_error import syntax_error
from layerwise.shell import parse_script
from layerwise.syntax import Dockerfile, DockerfileSyntaxError, parse

SETTINGS = Settings()


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken invariant: `kind` groups equal bugs, `detail` says what happened."""

    kind: str
    detail: str


def _crash(step: str, exc: BaseException) -> Violation:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
    return Violation(f"crash in {step}: {type(exc).__name__} at {where}", f"{exc!r}")


def _scripts_parse(tree: Dockerfile) -> bool:
    """Whether every shell-form RUN of the tree parses without a shell syntax error."""
    for instruction in tree.instructions:
        if instruction.name != "RUN":
            continue
        source = instruction.shell_source()
        if source is not None and parse_script(source).has_errors:
            return False
    return True


def violation(
    text: str, *, unsafe: bool = False, settings: Settings = SETTINGS
) -> Violation | None:
    """What breaks on `text`, or None (see the module docstring)."""
    try:
        tree = parse(text, path="Dockerfile")
    except DockerfileSyntaxError as exc:
        try:
            finding = syntax_error(exc, text)
        except Exception as inner:
            return _crash("LW400", inner)
        if finding.code != "LW400":
            return Violation("syntax error not reported as LW400", finding.code)
        return None
    except Exception as exc:
        return _crash("parse", exc)
    if str(tree) != text:
        return Violation("parse does not round-trip", repr(str(tree)))
    try:  # fix_text checks the text first: that is `layerwise check`
        result = fix_text(text, path="Dockerfile", settings=settings, unsafe=unsafe)
    except Exception as exc:
        return _crash("check/fix", exc)
    if result.bugs:
        return Violation("fix dropped as a bug (exit 3)", "; ".join(result.bugs))
    try:
        fixed = parse(result.text, path="Dockerfile")
    except LayerwiseError as exc:
        return Violation("fixed text does not parse", str(exc))
    if str(fixed) != result.text:
        return Violation("fixed text does not round-trip", repr(result.text))
    if not result.changed:
        return None  # fixing the same text again gives the same answer
    try:
        if _scripts_parse(tree) and not _scripts_parse(fixed):
            codes = ",".join(sorted({f.code for f in result.applied}))
            return Violation(f"fix broke a RUN script ({codes})", repr(result.text))
        again = fix_text(result.text, path="Dockerfile", settings=settings, unsafe=unsafe)
    except Exception as exc:
        return _crash("second fix", exc)
    if again.text != result.text:
        codes = ",".join(sorted({f.code for f in again.applied}))
        return Violation(f"second fix changed the text ({codes})", repr(again.text))
    return None
