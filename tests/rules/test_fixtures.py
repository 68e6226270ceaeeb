"""One driver for every rule fixture folder: tests/fixtures/rules/<CODE>/<case>.Dockerfile.

For each case, with only rule CODE enabled:
- findings equal `<case>.findings` (a text snapshot; an empty file for a silent case);
- the safe fix equals `<case>.fixed`, safe + unsafe fixes equal `<case>.unsafe.fixed` (a snapshot
  is required whenever the fix changes the text, and must not exist when it changes nothing);
- fixed text re-parses and round-trips, no fix is dropped as a bug, fixing twice changes nothing;
- CRLF and BOM variants of the input give the same findings (same line/col), and the CRLF fix
  equals the LF fix with CRLF line endings.
The build context is `<case>.context/` when present, else `<case>.tree` (a listing of the files
to make, for what git cannot hold, like a `.git` folder: one path per line, `path = text` for a
file with content, `\n` for a newline in it), else `context/` in the code folder, else none.
A fix that adds lines to context files (a new `.dockerignore`) has them in `<case>.files.fixed`
(and `<case>.files.unsafe.fixed` when the unsafe fixes differ), each file as `--- path` and its
text; the second fix runs on the context seen through them.
`<case>.toml`, when present, holds settings in the configuration file's keys (`platforms`,
`target-engine`, ...) for that case.
Snapshots are rewritten only with LAYERWISE_UPDATE_SNAPSHOTS=1 (then review the diff).

Every case runs under both target engines (`Settings.target_engine`). `.fixed` and `.unsafe.fixed`
are the default engine's output (modern); `<case>.docker-20.10.fixed` and
`<case>.docker-20.10.unsafe.fixed` hold Docker 20.10's output, and exist exactly when it differs
from the modern one (a missing or needless variant fails, like any snapshot). The findings are
the same under both engines, and Docker 20.10's output adds no syntax its frontend lacks.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from layerwise.config.options import read_options
from layerwise.fix import fix_text
from layerwise.rules.base import Finding, Safety, Settings
from layerwise.rules.registry import get
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

if TYPE_CHECKING:
    from layerwise.context import BuildContext

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
UPDATE = os.environ.get("LAYERWISE_UPDATE_SNAPSHOTS") == "1"
LEGACY = "docker-20.10"  # the target engine whose output is a variant snapshot


def _cases() -> list[object]:
    out: list[object] = []
    if not FIXTURES.is_dir():
        return out
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for case in sorted(folder.glob("*.Dockerfile")):
            out.append(pytest.param(folder.name, case, id=f"{folder.name}/{case.stem}"))
    return out


CASES = _cases()


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


_TREES: dict[Path, Path] = {}


def _made_tree(listing: Path) -> Path:
    """The directory `<case>.tree` describes, made once per run."""
    if listing not in _TREES:
        root = Path(tempfile.mkdtemp(prefix="lw-tree-"))
        atexit.register(shutil.rmtree, root, True)
        for line in read(listing).splitlines():
            if not line.strip():
                continue
            rel, _, text = line.partition(" = ")
            path = root / rel.strip()
            if rel.endswith("/"):
                path.mkdir(parents=True, exist_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.replace("\\n", "\n"), encoding="utf-8")
        _TREES[listing] = root
    return _TREES[listing]


def context_for(case: Path) -> BuildContext | None:
    own = case.with_name(case.stem + ".context")
    listing = case.with_name(case.stem + ".tree")
    shared = case.parent / "context"
    if own.is_dir():
        root = own
    elif listing.is_file():
        root = _made_tree(listing)
    elif shared.is_dir():
        root = shared
    else:
        return None
    from layerwise.context import BuildContext

    return BuildContext.open(root)


def seen_through(ctx: BuildContext | None, files: Mapping[str, str]) -> BuildContext | None:
    """The context once the fix's files are written (what a second fix sees)."""
    from layerwise.context.ignore_file import ignore_path, with_ignore_text

    if ctx is None or ignore_path(ctx) not in files:
        return ctx
    return with_ignore_text(ctx, files[ignore_path(ctx)])


def render_files(files: Mapping[str, str]) -> str | None:
    if not files:
        return None
    return "".join(f"--- {path}\n{files[path]}" for path in sorted(files))


def render_findings(findings: list[Finding], name: str) -> str:
    """The snapshot text of a list of findings (the format of style-by-example.md)."""
    blocks = []
    for f in findings:
        tag = ""
        if f.fix is not None:
            tag = " [fix]" if f.fix.safety is Safety.SAFE else " [unsafe fix]"
        lines = [f"{f.code} {f.severity}{tag} {f.message}", f"  --> {name}:{f.line}:{f.col}"]
        if f.fix is not None:
            lines.append(f"  fix: {f.fix.title}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def check_snapshot(path: Path, actual: str | None) -> None:
    """Compare `actual` with the snapshot at `path`; None means no snapshot may exist."""
    if UPDATE:
        if actual is None:
            path.unlink(missing_ok=True)
        else:
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(actual)
        return
    if actual is None:
        assert not path.exists(), f"{path.name} exists but the fix changes nothing"
        return
    assert path.exists(), f"missing snapshot {path.name} (run with LAYERWISE_UPDATE_SNAPSHOTS=1)"
    assert read(path) == actual


def settings_for(code: str, case: Path, *, lang: str = "en") -> Settings:
    """Only rule `code`, with the case's own settings from `<case>.toml` when it has one."""
    own = case.with_suffix(".toml")
    if not own.is_file():
        return Settings(select=(code,), lang=lang)
    text = read(own)
    options = read_options(tomllib.loads(text), path=own.name, text=text)
    settings = Settings(
        select=(code,),
        lang=lang,
        platforms=options.platforms or (),
        build_args=dict(options.build_args),
    )
    if options.target_engine is None:
        return settings
    return dataclasses.replace(settings, target_engine=options.target_engine)


def engine_pinned(case: Path) -> bool:
    """The case's own settings name a target engine: it is not run under the other one."""
    own = case.with_suffix(".toml")
    return own.is_file() and "target-engine" in tomllib.loads(read(own))


def on_legacy_engine(code: str, case: Path) -> Settings:
    return dataclasses.replace(settings_for(code, case), target_engine=LEGACY)


def _require_registered(code: str) -> None:
    """A folder for a rule not in the registry fails, and its snapshots are never touched."""
    assert get(code) is not None, f"rule {code} is not registered in layerwise.rules.registry"


def _findings(text: str, code: str, case: Path) -> list[Finding]:
    _require_registered(code)
    tree = parse(text, path=case.name)
    return check_tree(tree, context=context_for(case), settings=settings_for(code, case))


@pytest.mark.parametrize(("code", "case"), CASES)
def test_findings_snapshot(code: str, case: Path) -> None:
    findings = _findings(read(case), code, case)
    assert all(f.code == code for f in findings)
    check_snapshot(case.with_suffix(".findings"), render_findings(findings, case.name))
    if engine_pinned(case):
        return
    tree = parse(read(case), path=case.name)
    legacy = on_legacy_engine(code, case)
    on_legacy = check_tree(tree, context=context_for(case), settings=legacy)
    assert render_findings(on_legacy, case.name) == render_findings(findings, case.name)


@pytest.mark.parametrize(("code", "case"), CASES)
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_snapshot_and_fixed_point(code: str, case: Path, unsafe: bool) -> None:
    _require_registered(code)
    text = read(case)
    settings = settings_for(code, case)
    ctx = context_for(case)
    result = fix_text(text, path=case.name, context=ctx, settings=settings, unsafe=unsafe)
    assert result.bugs == ()
    assert str(parse(result.text)) == result.text
    after = seen_through(ctx, result.files)
    again = fix_text(result.text, path=case.name, context=after, settings=settings, unsafe=unsafe)
    assert again.text == result.text, "a second fix changed the text"
    assert not again.files, "a second fix changed a context file"
    files = render_files(result.files)
    if unsafe:
        safe = fix_text(text, path=case.name, context=ctx, settings=settings)
        expected = result.text if result.text != safe.text else None
        check_snapshot(case.with_suffix(".unsafe.fixed"), expected)
        safe_files = render_files(safe.files)
        check_snapshot(
            case.with_suffix(".files.unsafe.fixed"), files if files != safe_files else None
        )
    else:
        check_snapshot(
            case.with_suffix(".fixed"), result.text if result.text != result.original else None
        )
        check_snapshot(case.with_suffix(".files.fixed"), files)


@pytest.mark.parametrize(("code", "case"), CASES)
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_docker_20_10_variant(code: str, case: Path, unsafe: bool) -> None:
    """Docker 20.10's fix: a snapshot of its own only where it differs from the modern one,
    a fixed point, and no COPY --link or heredoc that the input did not have."""
    _require_registered(code)
    if engine_pinned(case):
        pytest.skip("the case names its target engine")
    text, ctx = read(case), context_for(case)
    legacy = on_legacy_engine(code, case)
    modern = fix_text(
        text, path=case.name, context=ctx, settings=settings_for(code, case), unsafe=unsafe
    )
    result = fix_text(text, path=case.name, context=ctx, settings=legacy, unsafe=unsafe)
    assert result.bugs == ()
    again = fix_text(result.text, path=case.name, context=ctx, settings=legacy, unsafe=unsafe)
    assert again.text == result.text, "a second fix changed the text"
    assert _modern_syntax(result.text) <= _modern_syntax(text)
    kind = ".unsafe.fixed" if unsafe else ".fixed"
    variant = case.with_suffix(f".{LEGACY}{kind}")
    check_snapshot(variant, result.text if result.text != modern.text else None)


def _modern_syntax(text: str) -> tuple[int, int]:
    """(COPY/ADD --link flags, heredocs): what Docker 20.10's built-in frontend rejects."""
    instructions = parse(text).instructions
    links = sum(1 for ins in instructions if ins.flag("link") is not None)
    return links, sum(len(ins.heredocs) for ins in instructions)


def _positions(findings: list[Finding]) -> list[tuple[str, str, int, int]]:
    return [(f.code, f.message, f.line, f.col) for f in findings]


@pytest.mark.parametrize(("code", "case"), CASES)
def test_crlf_and_bom_variants(code: str, case: Path) -> None:
    text = read(case).replace("\r\n", "\n")
    expected = _positions(_findings(text, code, case))
    crlf = text.replace("\n", "\r\n")
    assert _positions(_findings(crlf, code, case)) == expected
    assert _positions(_findings("\ufeff" + text, code, case)) == expected
    settings = settings_for(code, case)
    ctx = context_for(case)
    lf_fixed = fix_text(text, path=case.name, context=ctx, settings=settings, unsafe=True).text
    crlf_fixed = fix_text(crlf, path=case.name, context=ctx, settings=settings, unsafe=True).text
    assert crlf_fixed == lf_fixed.replace("\n", "\r\n")


_DIRECTIVE = re.compile(r"#\s*[A-Za-z]+\s*=")


def _backtick(text: str) -> str | None:
    """The file with `# escape=`` and backtick continuations, when that is all backslashes do
    and the file starts with no directive of its own (a comment line is fine)."""
    if "\\" in text.replace("\\\n", "") or _DIRECTIVE.match(text):
        return None
    return "# escape=`\n" + text.replace("\\\n", "`\n")


@pytest.mark.parametrize(("code", "case"), CASES)
def test_backtick_escape_variant(code: str, case: Path) -> None:
    text = read(case)
    variant = _backtick(text)
    if variant is None:
        pytest.skip("the file uses backslashes other than line continuations, or a directive")
    # One line lower (the directive); messages may cite line numbers, so compare positions.
    shifted = [(c, line + 1, col) for c, _, line, col in _positions(_findings(text, code, case))]
    assert [(c, line, col) for c, _, line, col in _positions(_findings(variant, code, case))] == (
        shifted
    )
    settings = settings_for(code, case)
    ctx = context_for(case)
    fixed = fix_text(text, path=case.name, context=ctx, settings=settings, unsafe=True).text
    fixed_variant = fix_text(variant, path=case.name, context=ctx, settings=settings, unsafe=True)
    assert fixed_variant.text == _backtick(fixed)


# Words a Korean text keeps in English on purpose (besides `code`): names and npm's own terms.
_KEPT_ENGLISH = {
    "RUN", "npm", "apt", "exec", "deprecated", "devDependencies", "pruned", "QEMU", "Go",
}  # fmt: skip


@pytest.mark.parametrize(("code", "case"), CASES)
def test_korean_texts(code: str, case: Path) -> None:
    """In Korean, the same findings and fixes, with no English words outside `code` spans: a
    field built from English words in a rule's code must be one of its phrases."""
    english = _findings(read(case), code, case)
    tree = parse(read(case), path=case.name)
    settings = settings_for(code, case, lang="ko")
    korean = check_tree(tree, context=context_for(case), settings=settings)
    assert [_what(f) for f in korean] == [_what(f) for f in english]
    for f in korean:
        for text in (f.message, f.fix.title if f.fix is not None else ""):
            leaked = set(re.findall(r"[A-Za-z][A-Za-z-]*", re.sub(r"`[^`]*`", "", text)))
            assert not leaked - _KEPT_ENGLISH, (
                f"{code}: English {sorted(leaked - _KEPT_ENGLISH)} in the Korean text {text!r}"
            )


def _what(f: Finding) -> tuple[object, ...]:
    """A finding but for its words."""
    fix = None if f.fix is None else (f.fix.safety, f.fix.edits)
    return (f.code, f.span, fix)


def _snapshot_safeties(folder: Path) -> set[Safety]:
    text = "".join(read(p) for p in folder.glob("*.findings"))
    tags = {Safety.SAFE: " [fix] ", Safety.UNSAFE: " [unsafe fix] "}
    return {safety for safety, tag in tags.items() if tag in text}


@pytest.mark.parametrize("code", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_declared_fix_safety_matches_the_snapshots(code: str) -> None:
    """`Rule.fix_safety` (shown in the rules reference) is what the fixtures' fixes are."""
    registered = get(code)
    assert registered is not None
    declared = set(registered.rule.fix_safety)
    seen = _snapshot_safeties(FIXTURES / code)
    assert declared == seen, (
        f"{code}: fix_safety declares {sorted(declared)}, fixtures show {sorted(seen)}"
    )
