"""What each record of the builder's cache is, from its type and BuildKit's description.

BuildKit names records when it makes them: `mount / from exec <args>` for a RUN's result,
`cached mount <target> from exec <args>` for a cache mount (solver/llbsolver/mounts),
`local source for <name>` for a build context or Dockerfile sent by the client,
`git snapshot for <url>` and `http url <url>` for remote sources, `[<platform> <stage> i/n]
<instruction>` for a COPY/ADD/WORKDIR step's file operation, `imported <digest>` for a layer
pulled from an image or an imported cache. moby's builder (the `docker` driver) types some of
them `regular` where BuildKit's own daemon would say `source.local`, so the description decides
when the type does not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from layerwise.engine.cache_usage import (
    CACHE_MOUNT,
    FRONTEND,
    GIT_CHECKOUT,
    INTERNAL,
    LOCAL_SOURCE,
    REGULAR,
    Record,
)

HTTP_SOURCE = "source.http"
# The kinds in the order `cache du` lists them, with what each holds.
KINDS = (REGULAR, CACHE_MOUNT, LOCAL_SOURCE, GIT_CHECKOUT, HTTP_SOURCE, FRONTEND, INTERNAL)
KIND_TITLES = {
    REGULAR: "layers (step results, image and imported layers)",
    CACHE_MOUNT: "cache mounts (RUN --mount=type=cache)",
    LOCAL_SOURCE: "local sources (build contexts and Dockerfiles sent by the client)",
    GIT_CHECKOUT: "git checkouts",
    HTTP_SOURCE: "downloads (ADD <url>)",
    FRONTEND: "frontend images (# syntax=)",
    INTERNAL: "BuildKit's internal records",
}
KIND_TITLES_KO = {
    REGULAR: "레이어(단계 결과, 이미지와 가져온 레이어)",
    CACHE_MOUNT: "캐시 마운트(RUN --mount=type=cache)",
    LOCAL_SOURCE: "로컬 소스(클라이언트가 보낸 빌드 컨텍스트와 Dockerfile)",
    GIT_CHECKOUT: "git 체크아웃",
    HTTP_SOURCE: "다운로드(ADD <url>)",
    FRONTEND: "프런트엔드 이미지(# syntax=)",
    INTERNAL: "BuildKit 내부 레코드",
}

RUN_RESULT = "mount / from exec "
CACHED_MOUNT = "cached mount "
_FROM_EXEC = " from exec "
_WITH_ID = re.compile(r' with id ("(?:[^"\\]|\\.)*")$')


def kind(record: Record) -> str:
    """The record's kind: its type, or, for a `regular` one, what its description says."""
    if record.type != REGULAR:
        return record.type
    text = record.description
    if text.startswith(CACHED_MOUNT) and _FROM_EXEC in text:
        return CACHE_MOUNT
    if text.startswith("local source for "):
        return LOCAL_SOURCE
    if text.startswith("git snapshot for "):
        return GIT_CHECKOUT
    if text.startswith("http url "):
        return HTTP_SOURCE
    return REGULAR


@dataclass(frozen=True, slots=True)
class MountRecord:
    """What a cache mount record's description says: `cached mount <target> from exec
    <command> with id "<id>"` (the id part from BuildKit 0.13; older ones stop at the command).
    The id is the frontend's: `BUILDKIT_CACHE_MOUNT_NS` (empty by default), `/`, then the
    mount's `id=` or its target, so `target=/root/.npm` shows as `//root/.npm`."""

    target: str
    command: str
    id: str | None

    def is_of(self, written_id: str) -> bool:
        """The mount whose id (or target, when it has none) is `written_id` made this."""
        return self.id is None or self.id.endswith("/" + written_id)

    @property
    def shown_id(self) -> str | None:
        """The id as a Dockerfile writes it (the empty namespace's `/` removed)."""
        return None if self.id is None else self.id.removeprefix("/")


def cache_mount_parts(record: Record) -> MountRecord | None:
    """What a cache mount record says about its mount, else None."""
    text = record.description
    if not text.startswith(CACHED_MOUNT) or _FROM_EXEC not in text:
        return None
    target, _, command = text.removeprefix(CACHED_MOUNT).partition(_FROM_EXEC)
    m = _WITH_ID.search(command)
    if m is None:
        return MountRecord(target, command, None)
    try:  # Go's %q: JSON reads it for everything but rare control characters
        mount_id = str(json.loads(m.group(1)))
    except ValueError:
        mount_id = m.group(1)[1:-1]
    return MountRecord(target, command[: m.start()], mount_id)


def run_result_command(record: Record) -> str | None:
    """The command of a RUN whose result this record is (`mount / from exec <args>`)."""
    text = record.description
    return text.removeprefix(RUN_RESULT) if text.startswith(RUN_RESULT) else None


@dataclass(frozen=True, slots=True)
class KindTotal:
    kind: str
    count: int
    size: int
    reclaimable: int  # bytes a prune could free (records not in use)


def totals(records: Iterable[Record]) -> tuple[KindTotal, ...]:
    """Count and bytes per kind, in the order of KINDS (kinds with no record left out)."""
    sums: dict[str, list[int]] = {}
    for record in records:
        entry = sums.setdefault(kind(record), [0, 0, 0])
        entry[0] += 1
        entry[1] += record.size
        entry[2] += record.size if record.reclaimable else 0
    order = [k for k in KINDS if k in sums] + sorted(k for k in sums if k not in KINDS)
    return tuple(KindTotal(k, *sums[k]) for k in order)
