"""Image reference syntax, as BuildKit checks a FROM base that names no stage.

BuildKit parses every base image with distribution/reference's ParseNormalizedNamed before it
builds anything (whatever the target), so `FROM Alpine` fails the whole build: "failed to
parse stage name "Alpine": invalid reference format: repository name must be lowercase".
The grammar below is distribution/reference's (regexp.go, normalize.go).
"""

from __future__ import annotations

import re
from functools import lru_cache

from layerwise.errors import ErrorText
from layerwise.model import refusals

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"({_NAME})(?::{_TAG})?(?:@{_DIGEST})?\Z")
_HEX64 = re.compile(r"[a-f0-9]{64}\Z")
_NAME_MAX = 255


@lru_cache(maxsize=1024)  # a monorepo repeats the same few base images
def reference_error(reference: str) -> ErrorText | None:
    """Why BuildKit cannot parse `reference` as an image name (a text whose `base` field is
    the reference), or None when it can."""
    if _HEX64.match(reference):
        return refusals.REFERENCE_HEX
    slash = reference.find("/")
    first = reference[:slash]
    if slash == -1 or (
        not any(c in first for c in ".:") and first != "localhost" and first.lower() == first
    ):
        remainder = reference
    else:
        remainder = reference[slash + 1 :]
    remote = re.split(r"[:@]", remainder, maxsplit=1)[0]
    if remote.lower() != remote:
        return refusals.REFERENCE_LOWERCASE
    m = _REFERENCE.match(reference)
    if m is None:
        return refusals.REFERENCE_FORMAT
    if len(m.group(1)) > _NAME_MAX:
        return refusals.REFERENCE_LENGTH
    return None
