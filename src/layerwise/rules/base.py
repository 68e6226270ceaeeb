"""What every rule is made of: the rule's identity, its findings, their fixes, and what it sees.

A rule module exposes `RULE` (a `Rule`) and `check(ctx: RuleContext) -> Iterator[Finding]`.
A rule never prints, reads files or mutates anything: it returns findings with spans, and a fix
is the smallest set of text edits on the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from layerwise.frozen import quick_init
from layerwise.rules.texts import Phrase, Text
from layerwise.syntax.span import Edit, Span

if TYPE_CHECKING:
    from layerwise.context import BuildContext
    from layerwise.model import Model
    from layerwise.shell import Script
    from layerwise.syntax import Dockerfile, Instruction


class Severity(StrEnum):
    """How much a finding matters; `error` findings are the ones that break or bloat builds."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Safety(StrEnum):
    """SAFE fixes apply with `--fix`; UNSAFE ones (behaviour may change) need `--unsafe-fixes`."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@quick_init
@dataclass(frozen=True, slots=True)
class FileLines:
    """Lines a fix adds at the end of a file of the build context, creating the file when it is
    absent (a `.dockerignore` entry). `path` is relative to the context root; a line already in
    the file is not added twice, so fixes adding to one file compose."""

    path: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fix:
    """Text edits on the original file that remove one finding, applied all or none, and the
    lines it adds to other files of the build context (`files`, most fixes have none)."""

    safety: Safety
    edits: tuple[Edit, ...]
    title: str = ""
    files: tuple[FileLines, ...] = ()

    def __init__(
        self,
        safety: Safety,
        edits: Sequence[Edit],
        title: str = "",
        files: Sequence[FileLines] = (),
    ) -> None:
        object.__setattr__(self, "safety", safety)
        object.__setattr__(self, "edits", tuple(edits))
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "files", tuple(files))

    def __reduce__(
        self,
    ) -> tuple[type[Fix], tuple[Safety, tuple[Edit, ...], str, tuple[FileLines, ...]]]:
        # Quick to pickle (workers send fixes back), as layerwise.frozen.quick_init's classes.
        return Fix, (self.safety, self.edits, self.title, self.files)


@quick_init
@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place. `path` is filled in by the runner, not by the rule."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    path: str | None = None
    fix: Fix | None = None
    # The templates and fields behind `message` and the fix title, to render in another language.
    message_text: Text | None = field(default=None, compare=False, repr=False)
    fix_title_text: Text | None = field(default=None, compare=False, repr=False)

    def localized(self, lang: str) -> Finding:
        """This finding with its message and fix title in `lang` (English as written)."""
        if lang == "en" or self.message_text is None:
            return self
        fix = self.fix
        if fix is not None and self.fix_title_text is not None:
            fix = Fix(fix.safety, fix.edits, self.fix_title_text.render(lang), fix.files)
        return replace(self, message=self.message_text.render(lang), fix=fix)

    # Which variant of the rule's pattern, when one rule reports several (LW503: the missing
    # flag); lets another tool's narrower code (hadolint DL3014 for `-y`) silence just that one.
    facet: str = ""

    def with_path(self, path: str | None) -> Finding:
        """This finding in the file `path` (`dataclasses.replace` without its introspection:
        the runner calls this for every finding of every check)."""
        return Finding(
            self.code,
            self.name,
            self.severity,
            self.message,
            self.span,
            path,
            self.fix,
            self.message_text,
            self.fix_title_text,
            self.facet,
        )

    @property
    def line(self) -> int:
        return self.span.start_line

    @property
    def col(self) -> int:
        return self.span.start_col

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path or "", self.span.start, self.span.end, self.code)


T = TypeVar("T")

_CODE = re.compile(r"^LW[1-9]\d\d$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
STATUSES = ("preview", "stable", "deprecated", "removed")
SCOPES = ("dockerfile", "pipeline")


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity and texts.

    `message` and `fix_title` are `str.format` templates filled by `finding(**fields)`, and
    `*_ko` their Korean twins with the same fields; `phrases` are the rule's other words, passed
    as fields with `text(name, ...)`. `summary` is one sentence for listings and text reports;
    `doc` is the module docstring (What it finds / Why it matters / Example / Fix safety /
    References), set by the registry, and `summary_ko` (when empty) comes from its Korean twin.
    `fix_safety` lists the safeties its fixes can have, for the rules reference.
    """

    code: str
    name: str
    severity: Severity
    message: str
    fix_title: str | None = None
    status: str = "preview"
    summary: str = ""  # empty: the registry takes the first sentence of "What it finds"
    # False for a rule that reads only the tree or `model.diagnostics`: it also runs on a file
    # with no FROM at all, where a model has no stages (and no `final_stage`).
    needs_stages: bool = True
    # "dockerfile": run by `check` on a Dockerfile; "pipeline": run by `ci check` on a CI file.
    scope: str = "dockerfile"
    doc: str = field(default="", compare=False)
    message_ko: str = ""
    fix_title_ko: str | None = None
    summary_ko: str = ""
    phrases: Mapping[str, Phrase] = field(default_factory=dict, compare=False)
    fix_safety: tuple[Safety, ...] = ()

    def __post_init__(self) -> None:
        if not _CODE.match(self.code):
            raise ValueError(f"bad rule code {self.code!r}")
        if not _NAME.match(self.name):
            raise ValueError(f"rule name must be kebab-case: {self.name!r}")
        if self.status not in STATUSES:
            raise ValueError(f"bad rule status {self.status!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"bad rule scope {self.scope!r}")

    @property
    def family(self) -> str:
        """`LW1` for LW1xx (layer order), `LW2` for cache mounts, ..."""
        return self.code[:3]

    @property
    def fixable(self) -> bool:
        return self.fix_title is not None

    def text(self, phrase: str, **fields: Any) -> Text:
        """The rule's phrase `phrase` with its fields, to pass as a field of a finding."""
        return self.phrases[phrase](**fields)

    def summary_in(self, lang: str) -> str:
        return self.summary_ko if lang == "ko" and self.summary_ko else self.summary

    def finding(
        self,
        span: Span,
        *,
        fix: Fix | None = None,
        facet: str = "",
        fix_phrase: str = "",
        **fields: Any,
    ) -> Finding:
        """A finding at `span` with the message (and fix title) filled from `fields`, in
        English; `Finding.localized` renders it in another language. `fix_phrase` names the
        phrase that titles a fix of another kind than `fix_title` says."""
        message = Phrase(self.message, self.message_ko)(**fields)
        title = None
        if fix is not None and not fix.title and self.fix_title is not None:
            phrase = self.phrases[fix_phrase] if fix_phrase else None
            title = (phrase or Phrase(self.fix_title, self.fix_title_ko or ""))(**fields)
            fix = Fix(fix.safety, fix.edits, title.render("en"), fix.files)
        return Finding(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message.render("en"),
            span=span,
            fix=fix,
            message_text=message,
            fix_title_text=title,
            facet=facet,
        )


# What `Settings.target_engine` may be; the default is modern.
TARGET_ENGINES = ("docker-20.10", "modern")
DEFAULT_TARGET_ENGINE = "modern"


@dataclass(frozen=True, slots=True)
class Settings:
    """What a check run was asked for; one frozen object passed down from the CLI."""

    select: tuple[str, ...] = ()  # codes or prefixes ("LW2"); empty = every rule
    ignore: tuple[str, ...] = ()
    build_args: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None
    lang: str = "en"  # language of finding messages and fix titles: "en" or "ko"
    # What fixes may write: "modern" (Docker 23+: COPY --link where it helps caching) or
    # "docker-20.10" (BuildKit 0.8's built-in frontend: no heredocs, no COPY --link).
    target_engine: str = DEFAULT_TARGET_ENGINE
    # The platforms the build targets (`--platform linux/amd64,linux/arm64`); empty: not said.
    # Two or more make the multi-platform rules (LW801, LW805) apply whatever the file shows.
    platforms: tuple[str, ...] = ()
    # hadolint compatibility: DL codes ignored for the whole run (.hadolint.yaml `ignored:`),
    # and whether `# hadolint ignore=` comments count (off: `disable-ignore-pragma`).
    hadolint_ignore: tuple[str, ...] = ()
    hadolint_pragmas: bool = True

    def enabled(self, code: str) -> bool:
        def matches(patterns: tuple[str, ...]) -> bool:
            return any(code.startswith(p.upper()) for p in patterns)

        return (not self.select or matches(self.select)) and not matches(self.ignore)


@dataclass(slots=True)
class RuleContext:
    """What a rule sees: the semantic model, the tree, the build context (None when unknown)."""

    model: Model
    tree: Dockerfile
    context: BuildContext | None = None
    settings: Settings = field(default_factory=Settings)
    _scripts: dict[int, Script | None] = field(default_factory=dict)
    _memo: dict[Hashable, Any] = field(default_factory=dict)

    @property
    def path(self) -> str | None:
        return self.tree.path

    def script(self, instruction: Instruction) -> Script | None:
        """The parsed shell script of a shell-form RUN (None for JSON form), parsed once."""
        return script_of(instruction, self._scripts)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per `key` for this check: a fact several rules derive from the same
        model. Key by the helper function (and `id()` of a node of this model: the context
        keeps the model, so no id is reused while it lives); the value must not be mutated."""
        try:
            known: T = self._memo[key]  # a stored Any: no `cast` call on this hot path
            return known
        except KeyError:
            value = self._memo[key] = compute()
            return value


def script_of(instruction: Instruction, known: dict[int, Script | None]) -> Script | None:
    """The parsed shell script of a shell-form RUN, CMD or ENTRYPOINT (None for JSON form),
    remembered in `known` by the instruction's id: the fix loop and the rules of one check
    share it, so each script of a tree is looked up once (`known` must live no longer than
    the tree, or an id could be reused)."""
    key = id(instruction)
    try:
        return known[key]
    except KeyError:
        # Imported late: rules that never read a script do not load tree-sitter.
        from layerwise.shell import parse_script

        source = instruction.shell_source()
        script = known[key] = None if source is None else parse_script(source)
        return script


class RuleModule(Protocol):
    """The shape of a module under layerwise/rules/ named lwNNN_*.py."""

    RULE: Rule

    def check(self, ctx: RuleContext) -> Iterator[Finding]: ...
