"""initializationOptions: accepted values, and bad ones dropped with a warning."""

from __future__ import annotations

from pathlib import Path

from layerwise.lsp.options import ServerOptions
from layerwise.rules.base import Settings


def test_no_options_are_the_defaults() -> None:
    assert ServerOptions.parse(None) == ServerOptions()
    assert ServerOptions().settings_for(None) == Settings()
    assert Settings().target_engine == "modern"


def test_every_option_reaches_the_settings() -> None:
    options = ServerOptions.parse(
        {
            "lang": "ko",
            "select": ["lw1", "LW201"],
            "ignore": "LW203, LW5",
            "targetEngine": "docker-20.10",
            "platforms": ["linux/amd64", " linux/arm64"],
        }
    )
    assert options.warnings == ()
    assert options.settings_for(Path("/x/Dockerfile")) == Settings(
        select=("LW1", "LW201"),
        ignore=("LW203", "LW5"),
        lang="ko",
        target_engine="docker-20.10",
        platforms=("linux/amd64", "linux/arm64"),
    )
    assert ServerOptions.parse({"platforms": "linux/amd64,linux/arm64"}).platforms == (
        "linux/amd64",
        "linux/arm64",
    )


def test_bad_values_are_dropped_with_a_warning() -> None:
    options = ServerOptions.parse(
        {
            "lang": "fr",
            "select": [1],
            "platforms": ["linux/amd64/v2/x"],
            "rulesDocsUrl": "https://x/",
            "colour": "blue",
        }
    )
    assert options == ServerOptions()
    assert options.warnings == (
        "lang: expected one of en, ko; ignored",
        "select: expected a list of rule codes; ignored",
        "platforms: 'linux/amd64/v2/x' is not a platform; ignored",
        "rulesDocsUrl: expected a string with `{code}`; ignored",
        "unknown option(s) ignored: colour",
    )
    assert ServerOptions.parse([1]).warnings == ("initializationOptions is not an object; ignored",)


def test_rule_docs_href(tmp_path: Path) -> None:
    (tmp_path / "LW101.md").write_text("# LW101\n")
    options = ServerOptions()
    assert options.rule_docs_href("LW101", tmp_path) == (tmp_path / "LW101.md").as_uri()
    assert options.rule_docs_href("LW102", tmp_path) is None
    custom = ServerOptions.parse({"rulesDocsUrl": "https://example.org/r/{code}.html"})
    assert custom.rule_docs_href("LW102", tmp_path) == "https://example.org/r/LW102.html"
