"""What the editor asked for: `initializationOptions`, turned into check settings per document.

    {"lang": "ko", "select": ["LW1", "LW2"], "ignore": ["LW203"],
     "targetEngine": "modern", "platforms": ["linux/amd64", "linux/arm64"],
     "rulesDocsUrl": "https://example.org/rules/{code}.md"}

Every key is optional. A value of the wrong shape is dropped with a warning (an editor setting
must never stop the server), and the default stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layerwise.model.platforms import platform_problem
from layerwise.rules.base import DEFAULT_TARGET_ENGINE, TARGET_ENGINES, Settings
from layerwise.rules.texts import LANGS

# docs/rules/<CODE>.md of a source checkout (src/layerwise/lsp/ is three levels below the root).
CHECKOUT_RULE_DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules"


@dataclass(frozen=True, slots=True)
class ServerOptions:
    lang: str = "en"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    target_engine: str = DEFAULT_TARGET_ENGINE
    platforms: tuple[str, ...] = ()
    rules_docs_url: str | None = None  # a template with `{code}`
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def parse(cls, raw: object) -> ServerOptions:
        """Options from the client's `initializationOptions` (None or a JSON object)."""
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            return cls(warnings=("initializationOptions is not an object; ignored",))
        warnings: list[str] = []
        values: dict[str, Any] = {}

        def choice(key: str, attr: str, allowed: tuple[str, ...]) -> None:
            if key in raw:
                if raw[key] in allowed:
                    values[attr] = raw[key]
                else:
                    warnings.append(f"{key}: expected one of {', '.join(allowed)}; ignored")

        def codes(key: str) -> None:
            value = raw.get(key)
            if value is None:
                return
            if isinstance(value, str):
                value = value.split(",")
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[key] = tuple(v.strip().upper() for v in value if v.strip())
            else:
                warnings.append(f"{key}: expected a list of rule codes; ignored")

        choice("lang", "lang", LANGS)
        choice("targetEngine", "target_engine", TARGET_ENGINES)
        codes("select")
        codes("ignore")
        platforms = raw.get("platforms")
        if platforms is not None:
            if isinstance(platforms, str):
                platforms = platforms.split(",")
            if not isinstance(platforms, list) or not all(isinstance(p, str) for p in platforms):
                warnings.append("platforms: expected a list of platforms; ignored")
            elif problems := [p for p in platforms if platform_problem(p.strip())]:
                warnings.append(f"platforms: {problems[0]!r} is not a platform; ignored")
            else:
                values["platforms"] = tuple(p.strip() for p in platforms if p.strip())
        url = raw.get("rulesDocsUrl")
        if url is not None:
            if isinstance(url, str) and "{code}" in url:
                values["rules_docs_url"] = url
            else:
                warnings.append("rulesDocsUrl: expected a string with `{code}`; ignored")
        known = {"lang", "targetEngine", "platforms", "select", "ignore", "rulesDocsUrl"}
        unknown = sorted(set(raw) - known)
        if unknown:
            warnings.append(f"unknown option(s) ignored: {', '.join(map(str, unknown))}")
        return cls(**values, warnings=tuple(warnings))

    def settings_for(self, path: Path | None) -> Settings:
        """The settings for one document: the editor's options only. `path` is where the
        configuration files `layerwise check` reads (config.Resolver) would come in, with the
        editor's options on top; the server does not read them yet."""
        del path
        return Settings(
            select=self.select,
            ignore=self.ignore,
            lang=self.lang,
            target_engine=self.target_engine,
            platforms=self.platforms,
        )

    def rule_docs_href(self, code: str, docs_dir: Path = CHECKOUT_RULE_DOCS) -> str | None:
        """Where a rule's page is: the configured URL, else `docs/rules/<CODE>.md` of a source
        checkout as a file: URI when that file exists, else nowhere."""
        if self.rules_docs_url is not None:
            return self.rules_docs_url.replace("{code}", code)
        page = docs_dir / f"{code}.md"
        return page.as_uri() if page.is_file() else None
