"""Running the rules: inline suppressions and selection."""

from __future__ import annotations

import pytest

from layerwise.rules.base import Settings
from layerwise.rules.runner import check_tree, suppressions
from layerwise.syntax import parse

# `mkdir` cannot read GIT_SHA, so LW102 reports the ARG above it; `npm ci` might, so it stops there.
BODY = (
    "FROM node:20\nARG GIT_SHA\nRUN mkdir -p /app\nWORKDIR /app\nCOPY . .\n"
    "{comment}RUN npm ci\nRUN echo $GIT_SHA\n"
)


def codes(comment: str, select: tuple[str, ...] = ("LW101", "LW102", "LW201")) -> list[str]:
    tree = parse(BODY.format(comment=comment))
    return [f.code for f in check_tree(tree, settings=Settings(select=select))]


def test_without_comment_everything_is_reported() -> None:
    assert codes("") == ["LW102", "LW101", "LW201"]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# layerwise: ignore=LW101\n", ["LW102", "LW201"]),
        ("# layerwise: ignore=LW101, lw201\n", ["LW102"]),
        ("# layerwise: ignore=LW2\n", ["LW102", "LW101"]),
        ("# layerwise: ignore=all\n", ["LW102"]),
        (
            "# layerwise: ignore=LW101\n# why: the install reads the whole tree\n",
            ["LW102", "LW201"],
        ),
        ("#layerwise:ignore=LW101\n", ["LW102", "LW201"]),
    ],
)
def test_ignore_comment_silences_findings_in_the_next_instruction(
    comment: str, expected: list[str]
) -> None:
    assert codes(comment) == expected


def test_blank_line_breaks_the_suppression() -> None:
    assert codes("# layerwise: ignore=all\n\n") == ["LW102", "LW101", "LW201"]


def test_suppressions_are_listed_per_instruction() -> None:
    tree = parse(BODY.format(comment="# layerwise: ignore=LW101,LW2\n"))
    [(start, end, patterns)] = suppressions(tree)
    assert tree.text[start:end] == "RUN npm ci"
    assert patterns == frozenset({"LW101", "LW2"})


def test_findings_carry_the_path() -> None:
    tree = parse(BODY.format(comment=""), path="svc/Dockerfile")
    assert {f.path for f in check_tree(tree)} == {"svc/Dockerfile"}


# hadolint compatibility: DL3027 covers LW501, DL3014/DL3015 the two findings of LW503.
APT = "FROM debian:12\n{above}RUN apt install -y curl && apt-get install wget\nRUN apt update\n"
APT_CODES = ("LW501", "LW503")


def apt_findings(above: str, settings: Settings | None = None, after: str = "") -> list[str]:
    tree = parse(APT.format(above=above) + after)
    base = settings or Settings()
    chosen = Settings(
        select=APT_CODES,
        hadolint_ignore=base.hadolint_ignore,
        hadolint_pragmas=base.hadolint_pragmas,
    )
    shift = above.count("\n")  # lines as if `above` were not there
    return [f"{f.code}:{f.line - shift}:{f.facet}" for f in check_tree(tree, settings=chosen)]


NO_REC = "LW503:2:--no-install-recommends"
# `apt install -y curl` lacks only --no-install-recommends; `apt-get install wget` both flags
ALL_APT = ["LW501:2:", NO_REC, "LW503:2:-y", NO_REC, "LW501:3:"]


def test_without_pragma_both_rules_report() -> None:
    assert apt_findings("") == ALL_APT


@pytest.mark.parametrize(
    ("above", "silenced"),
    [
        ("# hadolint ignore=DL3027\n", ["LW501:2:"]),
        ("# hadolint ignore=DL3014\n", ["LW503:2:-y"]),
        ("# hadolint ignore=DL3015\n", [NO_REC]),
        ("# hadolint ignore=DL3014, DL3015,DL3027\n", ["LW501:2:", "LW503:2:-y", NO_REC]),
        ("#hadolint ignore=DL3027 # apt is fine here\n", ["LW501:2:"]),
        ("# reason: apt is fine\n# hadolint ignore=DL3027\n", ["LW501:2:"]),
        # codes hadolint has but that cover no layerwise rule, and ShellCheck's
        ("# hadolint ignore=DL3008,SC2086\n", []),
    ],
)
def test_hadolint_pragma_silences_the_overlapping_findings(above: str, silenced: list[str]) -> None:
    assert apt_findings(above) == [f for f in ALL_APT if f not in silenced]


@pytest.mark.parametrize(
    "above",
    [
        "# hadolint ignore=DL3027\n\n",  # a blank line in between
        "# hadolint ignore=DL3027\n# the next line is the pragma's, not this one\n",
        "# Hadolint ignore=DL3027\n",  # hadolint's words are case-sensitive
        "# hadolint ignore=dl3027\n",  # and so are its codes
        "# hadolint ignore DL3027\n",
        "# hadolint: ignore=DL3027\n",
        "# hadolint ignore=DL3027 and more\n",
    ],
)
def test_not_a_hadolint_pragma_right_above(above: str) -> None:
    assert apt_findings(above) == ALL_APT


def test_global_pragma_applies_to_the_whole_file_wherever_it_is() -> None:
    after = "# hadolint global ignore=DL3027\n"
    assert apt_findings("", after=after) == [NO_REC, "LW503:2:-y", NO_REC]
    tree = parse("# hadolint global ignore=DL3014\n" + APT.format(above=""))
    facets = [f.facet for f in check_tree(tree, settings=Settings(select=("LW503",)))]
    assert facets == ["--no-install-recommends", "--no-install-recommends"]


def test_a_global_pragma_is_not_a_line_pragma() -> None:
    # `global` applies everywhere; a plain pragma applies to the next instruction only
    assert apt_findings("# hadolint ignore=DL3027\n")[-1] == "LW501:3:"


def test_hadolint_config_ignores_apply_everywhere() -> None:
    settings = Settings(hadolint_ignore=("DL3027", "DL3015"))
    assert apt_findings("", settings) == ["LW503:2:-y"]
    assert apt_findings("", Settings(hadolint_ignore=("DL3008",))) == ALL_APT


def test_pragmas_off_when_hadolint_config_disables_them() -> None:
    off = Settings(hadolint_pragmas=False)
    assert apt_findings("# hadolint ignore=DL3027\n", off) == ALL_APT
    assert apt_findings("", off, after="# hadolint global ignore=DL3027\n") == ALL_APT
    # layerwise's own comments still count
    assert apt_findings("# layerwise: ignore=LW501\n", off) == ALL_APT[1:]


def test_hadolint_pragma_next_to_a_layerwise_one() -> None:
    above = "# layerwise: ignore=LW503\n# hadolint ignore=DL3027\n"
    assert apt_findings(above) == ["LW501:3:"]


def test_suppressions_list_hadolint_codes_only_when_asked() -> None:
    tree = parse(APT.format(above="# hadolint ignore=DL3027\n"))
    [(_, _, patterns)] = suppressions(tree)
    assert patterns == frozenset({"DL3027"})
    assert suppressions(tree, hadolint=False) == []


def test_with_path_is_replace_of_path_alone() -> None:
    """The runner's quick copy keeps every other field: a field added to Finding later and
    left out of `with_path` fails here."""
    import dataclasses

    tree = parse(BODY.format(comment=""))
    for finding in check_tree(tree):
        moved = finding.with_path("elsewhere/Dockerfile")
        assert moved == dataclasses.replace(finding, path="elsewhere/Dockerfile")
        for f in dataclasses.fields(finding):
            if f.name != "path":
                assert getattr(moved, f.name) is getattr(finding, f.name), f.name


def test_scripts_parsed_before_the_check_give_the_same_findings() -> None:
    """The fix loop hands the check the scripts it parsed already; the rules then read those."""
    from layerwise.fix.loop import broken_scripts
    from layerwise.shell import Script

    text = BODY.format(comment="") + "RUN apt-get update\nRUN apt-get install -y curl\n"
    tree = parse(text)
    scripts: dict[int, Script | None] = {}
    assert broken_scripts(tree, scripts) == 0
    assert len(scripts) == sum(1 for i in tree.instructions if i.name == "RUN")
    shared = check_tree(tree, scripts=scripts)
    assert shared == check_tree(parse(text))
