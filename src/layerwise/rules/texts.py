"""Finding text in the languages layerwise speaks, kept apart from the language of a run.

A rule writes each of its texts as `str.format` templates in English and Korean, and never knows
which language a run asked for: `Rule.finding` keeps the templates and their fields, and the
runner renders them for `Settings.lang`. A field that is words rather than code, a path or a
number is itself a `Text` (a `Phrase` of the rule filled in) or a `Listing`, rendered in the same
language as the message around it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from layerwise.errors import LayerwiseError
from layerwise.frozen import quick_init

LANGS = ("en", "ko")
ENV_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order, minus its LANGUAGE list

_AND = {"en": " and ", "ko": " 및 "}


@quick_init
@dataclass(frozen=True, slots=True)
class Phrase:
    """One text in English and Korean; both templates take the same fields."""

    en: str
    ko: str = ""  # empty: not translated yet (a test names every such text)

    def template(self, lang: str) -> str:
        return self.ko if lang == "ko" and self.ko else self.en

    def __call__(self, **fields: object) -> Text:
        return Text(self, fields)


@quick_init
@dataclass(frozen=True, slots=True)
class Text:
    """A phrase with its fields, not yet in any language."""

    phrase: Phrase
    fields: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        fields = self.fields
        template = self.phrase.template(lang)
        # Most fields are code, paths and numbers: format with them as they are, and render
        # the texts and listings among them only when there are any (every finding's message
        # and fix title are rendered, some nested several levels deep).
        for value in fields.values():
            if isinstance(value, _RENDERED):
                break
        else:
            return template.format_map(fields)
        return template.format_map(
            {k: v.render(lang) if isinstance(v, _RENDERED) else v for k, v in fields.items()}
        )


@dataclass(frozen=True, slots=True)
class Listing:
    """Items listed as each language lists them (`a, b and c`; `a, b 및 c`), or joined by `sep`
    in every language. An `inner` list sits inside an item of another list: Korean joins it
    with commas only, so that the one `및` belongs to the outer list."""

    items: tuple[object, ...]
    sep: str | None = None
    inner: bool = False

    def __init__(self, items: Sequence[object], sep: str | None = None, inner: bool = False):
        object.__setattr__(self, "items", tuple(items))
        object.__setattr__(self, "sep", sep)
        object.__setattr__(self, "inner", inner)

    def render(self, lang: str) -> str:
        words = [
            item.render(lang) if isinstance(item, _RENDERED) else str(item) for item in self.items
        ]
        if self.sep is not None or len(words) < 2:
            return (self.sep or "").join(words)
        last = ", " if self.inner and lang == "ko" else _AND.get(lang, _AND["en"])
        return ", ".join(words[:-1]) + last + words[-1]


_RENDERED = (Text, Listing)


def render(value: object, lang: str) -> object:
    """A field's value in `lang`: texts and listings rendered, code and numbers as they are."""
    return value.render(lang) if isinstance(value, _RENDERED) else value


def placeholders(template: str) -> set[str]:
    """The field names a `str.format` template uses: `{line}` and `{line:>3}` give `line`."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def parse_lang(value: str) -> str | None:
    """The language of a locale or language name we have texts for: `ko_KR.UTF-8`, `ko` and
    `ko_KR` give "ko"; `C`, `POSIX` and other languages give None."""
    base = value.strip().split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return base if base in LANGS else None


def env_lang(environ: Mapping[str, str]) -> str:
    """The language of the environment's locale, as gettext picks it: the first of LC_ALL,
    LC_MESSAGES and LANG that is set decides (`LC_ALL=C` means English whatever LANG says)."""
    for var in ENV_VARS:
        value = environ.get(var, "")
        if value:
            return parse_lang(value) or "en"
    return "en"


def choose_lang(option: str | None, environ: Mapping[str, str]) -> str:
    """`--lang` when given (an unknown language is a user error), else the environment's."""
    if option is None:
        return env_lang(environ)
    lang = parse_lang(option)
    if lang is None:
        raise LayerwiseError(
            f"unknown language `{option}` for --lang", hint=f"available: {', '.join(LANGS)}"
        )
    return lang
