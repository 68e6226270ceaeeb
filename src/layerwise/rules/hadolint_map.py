"""Which hadolint rules report the same problem as a layerwise rule, as data.

A hadolint ignore (`# hadolint ignore=DL3027` above an instruction, `# hadolint global
ignore=...`, `ignored:` in .hadolint.yaml) silences the layerwise findings listed for that code
here, so a file tuned for hadolint does not report the same accepted problem twice. Only real
overlaps are listed: the same pattern in the Dockerfile, not merely the same topic. Codes people
often expect here but that do not overlap are in `NOT_OVERLAPPING`, with the reason.
docs/hadolint.md is generated from this module (`markdown()`; a test keeps it in step).
"""

from __future__ import annotations

from dataclasses import dataclass

from layerwise.ecosystems.apt import NO_RECOMMENDS_FLAG
from layerwise.rules.base import Finding


@dataclass(frozen=True, slots=True)
class Overlap:
    """hadolint's `code` reports what layerwise's `rule` reports (only its `facet` findings when
    set: the one variant of the rule that matches hadolint's narrower rule)."""

    code: str
    hadolint_says: str  # hadolint's own one-line description of the rule
    rule: str
    facet: str = ""
    note: str = ""

    def covers(self, finding: Finding) -> bool:
        return finding.code == self.rule and (not self.facet or finding.facet == self.facet)


OVERLAPS: tuple[Overlap, ...] = (
    Overlap(
        "DL3009",
        "Delete the apt-get lists after installing something.",
        "LW504",
        note="Both accept a cache mount on the lists instead of deleting them.",
    ),
    Overlap(
        "DL3014",
        "Use the `-y` switch.",
        "LW503",
        facet="-y",
        note="hadolint checks `apt-get install`; LW503 also `apt install`.",
    ),
    Overlap(
        "DL3015",
        "Avoid additional packages by specifying `--no-install-recommends`.",
        "LW503",
        facet=NO_RECOMMENDS_FLAG,
        note="hadolint checks `apt-get install`; LW503 also `apt install`.",
    ),
    Overlap(
        "DL3025",
        "Use arguments JSON notation for CMD and ENTRYPOINT arguments.",
        "LW403",
        note="LW403 leaves a stage with its own `SHELL` alone; DL3025 does not.",
    ),
    Overlap(
        "DL3027",
        "Do not use `apt` as it is meant to be an end-user tool, use `apt-get` or `apt-cache` "
        "instead.",
        "LW501",
        note="Both report every `apt` command, whatever the verb.",
    ),
    Overlap(
        "DL3029",
        "Do not use --platform flag with FROM.",
        "LW802",
        note="DL3029 reports any `--platform` that names neither `BUILDPLATFORM` nor "
        "`TARGETPLATFORM`; LW802 only a constant one, and not in a stage named for it.",
    ),
)

# hadolint codes on a neighbouring topic that still report a different problem: ignoring them
# says nothing about the layerwise rule, so they silence nothing.
NOT_OVERLAPPING: dict[str, str] = {
    "DL1000": "An unparsable Dockerfile: LW400 reports the same, but no ignore silences it (a "
    "file never checked must not read as clean), so hadolint's ignore does not either.",
    "DL3005": "`apt-get dist-upgrade`: no layerwise rule reports upgrades as such.",
    "DL3008": "Unpinned apt package versions: no layerwise rule asks for pins.",
    "DL3016": "Unpinned npm packages (`npm install pkg`); LW104 reports a bare `npm install` "
    "next to a lockfile, a different pattern.",
    "DL3028": "Unpinned `gem install pkg`; LW107 reports a `bundle install` that may rewrite the "
    "Gemfile.lock copied beside it, a different command.",
    "DL3019": "`apk add` without `--no-cache`; LW204 reports the opposite, an install with no "
    "cache mount (its fix drops `--no-cache`).",
    "DL3032": "`yum clean all` missing; LW203 reports the opposite, a cleanup that empties a "
    "cache mount, and LW204 an install without one.",
    "DL3036": "`zypper clean` missing; LW203 reports the opposite, a cleanup that empties a "
    "cache mount, and LW204 an install without one.",
    "DL3040": "`dnf clean all` missing; LW203 reports the opposite, a cleanup that empties a "
    "cache mount, and LW204 an install without one.",
    "DL3042": "`pip install` without `--no-cache-dir`: no layerwise pip rule.",
    "DL3059": "Consecutive RUN instructions: no layerwise rule.",
    "DL3060": "`yarn cache clean` missing; LW203 reports the opposite, a cleanup that empties a "
    "cache mount.",
    "DL4006": "`SHELL` without `-o pipefail` before a pipe: no layerwise rule.",
}


def overlaps(code: str) -> tuple[Overlap, ...]:
    """The overlaps of one hadolint code (none for a code layerwise has no counterpart of)."""
    return tuple(o for o in OVERLAPS if o.code == code.upper())


def silenced(codes: frozenset[str] | set[str], finding: Finding) -> bool:
    """Whether ignoring these hadolint codes silences `finding`."""
    return any(o.covers(finding) for o in OVERLAPS if o.code in codes)


def markdown() -> str:
    """docs/hadolint.md: how hadolint ignores are honoured, and the table of overlaps."""
    rows = "\n".join(
        f"| {o.code} | {o.hadolint_says} | {o.rule}"
        f"{f' (`{o.facet}` only)' if o.facet else ''} | {o.note} |"
        for o in OVERLAPS
    )
    others = "\n".join(f"- {code}: {why}" for code, why in sorted(NOT_OVERLAPPING.items()))
    return f"""# hadolint compatibility

<!-- Generated from src/layerwise/rules/hadolint_map.py; tests/rules/test_hadolint_map.py
     checks it. Regenerate with LAYERWISE_UPDATE_SNAPSHOTS=1. -->

A Dockerfile tuned for [hadolint](https://github.com/hadolint/hadolint) often says which of its
rules it accepts breaking. Where a hadolint rule reports the same problem as a layerwise rule,
layerwise honours those ignores too, so an accepted problem is not reported twice:

- `# hadolint ignore=DL3027,DL3015` on the line directly above an instruction silences the
  matching layerwise findings inside that instruction (as in hadolint, the pragma must be the
  line right above; a trailing `# reason` is allowed).
- `# hadolint global ignore=DL3009` anywhere in the file silences them in the whole file.
- `ignored:` in hadolint's configuration file silences them in every file checked. layerwise
  finds that file the way hadolint does, first one wins: `.hadolint.yaml` / `.hadolint.yml` in
  the current directory, then `hadolint.yaml` / `hadolint.yml` in `$XDG_CONFIG_HOME` (default
  `~/.config`), then `~/.hadolint/hadolint.yaml`, `~/.hadolint/config.yaml` (or `.yml`), then
  `~/.hadolint.yaml` / `~/.hadolint.yml`. With `disable-ignore-pragma: true` there, the comments
  above are not honoured either.

`hadolint = false` in layerwise's configuration, or `--isolated`, turns all of this off.
Codes not in the table below (ShellCheck's `SC` codes included) silence nothing.

| hadolint | hadolint says | layerwise | note |
| --- | --- | --- | --- |
{rows}

Neighbouring hadolint rules that report a different problem, so they silence nothing:

{others}
"""
