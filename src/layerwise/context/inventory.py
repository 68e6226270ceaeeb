"""What a build context sends to the builder and what its ignore file leaves out, in numbers:
by top folder, by ignore-file line, the largest files, and what each COPY/ADD source selects.

One walk over the whole directory. Inside a folder the ignore file leaves out (and with no `!`
line that could let something back in) every file is left out by the same line, so the line is
looked up once for the folder, not for each of its files.
"""

from __future__ import annotations

import heapq
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from layerwise.context.build_context import BuildContext
from layerwise.context.dockerignore import IgnoreMatcher
from layerwise.context.ignore_file import Decision, deciding_line, ignore_text

ROOT_FILES = "."  # the top "folder" of the files at the context root
_GLOB = re.compile(r"[*?\[]")


@dataclass(slots=True)
class Tally:
    files: int = 0
    bytes: int = 0

    def add(self, size: int) -> None:
        self.files += 1
        self.bytes += size


@dataclass(frozen=True, slots=True)
class Selector:
    """A COPY/ADD source as a context path ("" for the whole context), with its line."""

    line: int
    path: str

    def selects(self, path: str) -> bool:
        if self.path == "":
            return True
        if _GLOB.search(self.path):
            return IgnoreMatcher([self.path]).is_ignored(path)
        return path == self.path or path.startswith(self.path + "/")


@dataclass(slots=True)
class Inventory:
    """The numbers of one context."""

    sent: Tally = field(default_factory=Tally)
    excluded: Tally = field(default_factory=Tally)
    top_sent: dict[str, Tally] = field(default_factory=dict)
    top_excluded: dict[str, Tally] = field(default_factory=dict)
    by_line: dict[tuple[int, str], Tally] = field(default_factory=dict)
    largest: list[tuple[int, str]] = field(default_factory=list)  # (bytes, path), largest first
    by_selector: dict[Selector, Tally] = field(default_factory=dict)
    top_selectors: dict[str, set[int]] = field(default_factory=dict)  # top -> COPY lines


def take_inventory(
    context: BuildContext, selectors: Sequence[Selector] = (), *, largest: int = 10
) -> Inventory:
    """Walk the context once; `selectors` are the COPY/ADD sources to count files for."""
    walker = _Walker(context, tuple(selectors), largest)
    walker.walk("", None)
    inv = walker.inventory
    inv.largest = sorted(walker.heap, reverse=True)
    return inv


class _Walker:
    def __init__(self, context: BuildContext, selectors: tuple[Selector, ...], keep: int):
        self.context = context
        self.matcher = context.matcher
        self.text = ignore_text(context)
        self.selectors = selectors
        self.keep = keep
        self.heap: list[tuple[int, str]] = []
        self.inventory = Inventory(by_selector={s: Tally() for s in selectors})
        # Without exceptions, everything under an excluded folder is excluded by one line.
        self.folder_decides = not self.matcher.has_exceptions

    def walk(self, directory: str, inherited: Decision | None) -> None:
        try:
            entries = list(os.scandir(self.context.root / directory))
        except OSError:
            return
        for entry in entries:
            rel = f"{directory}/{entry.name}" if directory else entry.name
            is_dir = entry.is_dir(follow_symlinks=False)
            decision = inherited
            if decision is None:
                decision = self._decision(rel)
            if is_dir:
                below = decision if decision is not None and self.folder_decides else None
                self.walk(rel, below)
                continue
            try:
                size = entry.stat(follow_symlinks=False).st_size
            except OSError:
                continue
            top = rel.split("/", 1)[0] if "/" in rel else ROOT_FILES
            if decision is not None:
                self.inventory.excluded.add(size)
                self.inventory.top_excluded.setdefault(top, Tally()).add(size)
                key = (decision.line, decision.pattern)
                self.inventory.by_line.setdefault(key, Tally()).add(size)
                continue
            self._sent(rel, top, size)

    def _decision(self, rel: str) -> Decision | None:
        if not self.matcher.patterns or not self.matcher.is_ignored(rel):
            return None
        return deciding_line(self.text, rel) or Decision(0, "")

    def _sent(self, rel: str, top: str, size: int) -> None:
        inv = self.inventory
        inv.sent.add(size)
        inv.top_sent.setdefault(top, Tally()).add(size)
        for selector in self.selectors:
            if selector.selects(rel):
                inv.by_selector[selector].add(size)
                inv.top_selectors.setdefault(top, set()).add(selector.line)
        if len(self.heap) < self.keep:
            heapq.heappush(self.heap, (size, rel))
        elif size > self.heap[0][0]:
            heapq.heapreplace(self.heap, (size, rel))
