"""A targeted prune: the `buildx prune` filters for what was asked, and the records they take.

The records are chosen as BuildKit's prune chooses them (see engine/cache_usage.py): none in
use, none shared with an image and no frontend or internal record (no `--all` here), the
record type when asked, and for an age only records not used within it (never used counts as
old). Ages come from `buildx du`, which rounds them ("2 hours ago"): a record near the limit
may fall on the other side when the prune runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from layerwise.engine.cache_usage import (
    CACHE_MOUNT,
    FRONTEND,
    INTERNAL,
    REGULAR,
    Record,
    parse_go_duration,
)
from layerwise.errors import LayerwiseError


@dataclass(frozen=True, slots=True)
class Selection:
    """What to prune: one record type (or any) and a minimum age, plus record ids to narrow
    it to (tests prune only what they made)."""

    type: str | None = None
    older_than: str | None = None  # a Go duration: "24h", "90m"
    ids: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, *, mounts: bool, layers: bool, older_than: str | None, ids: Iterable[str] = ()
    ) -> Selection:
        if mounts and layers:
            raise LayerwiseError(
                "--mounts and --layers together prune everything a prune can",
                hint="run them one after the other, or use `docker buildx prune` itself",
            )
        if not (mounts or layers or older_than):
            raise LayerwiseError(
                "say what to prune", hint="--mounts, --layers or --older-than DURATION"
            )
        if older_than is not None:
            parse_go_duration(older_than)  # a bad duration is the user's error, before buildx
        chosen = CACHE_MOUNT if mounts else REGULAR if layers else None
        return cls(chosen, older_than, tuple(ids))

    def filters(self) -> list[str]:
        """The `--filter` values for `buildx prune` (and `buildx du`, which reads the same)."""
        out = []
        if self.type is not None:
            out.append(f"type={self.type}")
        if self.older_than is not None:
            out.append(f"until={self.older_than}")
        return out

    def prune_runs(self) -> list[list[str]]:
        """One filter list per `buildx prune` run: buildx takes one value per filter key, so
        each id gets its own run."""
        if not self.ids:
            return [self.filters()]
        return [[*self.filters(), f"id={each}"] for each in self.ids]

    def takes(self, record: Record) -> bool:
        """The record a prune with these filters removes."""
        if not record.reclaimable or record.shared or record.type in (FRONTEND, INTERNAL):
            return False
        if self.ids and record.id not in self.ids:
            return False
        # buildx filters on the record type BuildKit stores; moby's builder stores `regular`
        # for some records the description shows to be sources, so the type decides here.
        if self.type is not None and record.type != self.type:
            return False
        if self.older_than is not None:
            age = record.last_used_seconds
            if age is not None and age < parse_go_duration(self.older_than):
                return False
        return True


def chosen(records: Iterable[Record], selection: Selection) -> list[Record]:
    """The records the prune would remove, largest first."""
    return sorted((r for r in records if selection.takes(r)), key=lambda r: -r.size)
