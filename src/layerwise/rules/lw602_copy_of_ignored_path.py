"""LW602 copy-of-ignored-path

## What it finds
A COPY or ADD from the build context whose source `.dockerignore` leaves out: a path it
excludes (by its own line or a parent folder's), a glob whose every match it excludes, or a
folder every file of which it excludes (CopyIgnoredFile); and the same for the source of a
RUN's bind mount of the context (`--mount=type=bind,source=dist`). A path that `.dockerignore`
excludes but a later `!` line re-includes part of is not reported.
## Why it matters
Files `.dockerignore` leaves out never reach the builder: a COPY naming one stops the build
with `"/dist": not found` (often after minutes of earlier steps), and a COPY of a folder whose
files are all left out copies an empty folder, so the image misses what the author meant to put
in it. Usually the `.dockerignore` line was written for a broad `COPY . .` and the explicit
COPY came later, or the other way round.
## Example
With `dist` in `.dockerignore`:
    FROM nginx:1.27
    COPY dist /usr/share/nginx/html
After the fix `.dockerignore` ends with `!dist`.
## Fix safety
The fix adds a `!` line for the source at the end of `.dockerignore`, which re-includes it
(the last matching line wins). It is unsafe: the line may have been meant, the COPY being the
mistake, and the files it lets in reach every `COPY . .` of the context too.
## References
- Docker docs: Build checks, CopyIgnoredFile
- Docker docs: .dockerignore files"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path

from layerwise.context.build_context import BuildContext
from layerwise.context.ignore_file import deciding_line, ignore_path, ignore_text
from layerwise.rules import _context_files as cf
from layerwise.rules.base import FileLines, Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.texts import Phrase, Text

RULE = Rule(
    code="LW602",
    name="copy-of-ignored-path",
    severity=Severity.ERROR,
    message="`{source}` {why}",
    fix_title="Add `!{path}` to `{file}`",
    message_ko="`{source}`: {why}",
    fix_title_ko="`{file}`에 `!{path}` 추가",
    phrases={
        "ignored": Phrase(
            "is left out by `{file}` line {line} (`{pattern}`): the build stops with `not found`",
            "`{file}` {line}번 줄(`{pattern}`)이 제외하므로 빌드가 `not found`로 멈춥니다",
        ),
        "glob": Phrase(
            "matches only files `{file}` leaves out (line {line}, `{pattern}`): nothing to copy",
            "`{file}`이(가) 제외하는 파일만 가리킵니다({line}번 줄, `{pattern}`): 복사할 것이 "
            "없습니다",
        ),
        "emptied": Phrase(
            "is a folder whose every file `{file}` leaves out: the COPY copies an empty folder",
            "`{file}`이(가) 안의 파일을 모두 제외하는 폴더라, 빈 폴더만 복사됩니다",
        ),
    },
    fix_safety=(Safety.UNSAFE,),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    context = ctx.context
    if context is None or context.ignore_file is None:
        return
    text = ignore_text(context)
    file = ignore_path(context)
    for source in cf.explicit_sources(ctx):
        why = _why(context, text, file, source)
        if why is None:
            continue
        fix = Fix(Safety.UNSAFE, [], files=[FileLines(file, (f"!{source.path}",))])
        yield RULE.finding(
            source.step.instruction.span,
            source=source.written,
            why=why,
            path=source.path,
            file=file,
            fix=fix,
        )


def _why(context: BuildContext, text: str, file: str, source: cf.Source) -> Text | None:
    if source.is_glob:
        # Go's filepath.Match lets `*` match a leading dot, as include_hidden does.
        matches = sorted(glob.glob(source.path, root_dir=context.root, include_hidden=True))  # noqa: PTH207
        if not matches or not all(context.is_ignored(m) for m in matches):
            return None
        decision = deciding_line(text, matches[0])
        if decision is None:
            return None
        return RULE.text("glob", file=file, line=decision.line, pattern=decision.pattern)
    path = source.path
    if context.is_ignored(path):
        decision = deciding_line(text, path)
        if decision is None or _reincluded_below(context, path):
            return None
        return RULE.text("ignored", file=file, line=decision.line, pattern=decision.pattern)
    full = context.root / path
    if full.is_dir() and _has_files(full) and next(context.files(path), None) is None:
        return RULE.text("emptied", file=file)
    return None


def _reincluded_below(context: BuildContext, path: str) -> bool:
    """A `!` line lets some file under the ignored folder `path` through (BuildKit then sends
    it, and the folder with it)."""
    if not context.matcher.has_exceptions:
        return False
    base = context.root / path
    if not base.is_dir():
        return False
    for found in base.rglob("*"):
        rel = found.relative_to(context.root).as_posix()
        if not found.is_dir() and not context.is_ignored(rel):
            return True
    return False


def _has_files(folder: Path) -> bool:
    return any(not p.is_dir() for p in folder.rglob("*"))
