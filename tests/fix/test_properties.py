"""Properties of `check --fix` on generated Dockerfiles built from the patterns the rules know.

Whatever the order of the pieces: fixing drops no fix as a bug, the result parses with the
official BuildKit parser, a second fix changes nothing, and every comment line survives.
"""

from __future__ import annotations

import os

import dockerfile
from hypothesis import given
from hypothesis import strategies as st

from layerwise.fix import fix_text
from layerwise.rules.base import Settings

PIECES = (
    "WORKDIR /app",
    "WORKDIR /usr/src/app",
    "COPY . .",
    "COPY --chown=node:node . .",
    "COPY package*.json ./",
    "RUN npm ci",
    "RUN npm install",
    "RUN npm ci && npm run build",
    "RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev",
    "RUN npm run build",
    "RUN npx prisma generate",
    "RUN npm prune --production",
    "ARG GIT_SHA",
    "ARG BUILD_DATE=unknown",
    "ENV VERSION=$GIT_SHA",
    'RUN echo "$GIT_SHA" > /sha',
    "RUN apt update && apt install -y curl",
    "RUN apt-get update\nRUN apt-get install -y git",
    "RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\\n"
    "    && rm -rf /var/lib/apt/lists/*",
    "USER node",
    "ENV NODE_ENV production",
    "# a comment",
    "# layerwise: ignore=LW101",
    "",
)
FINAL = (
    "COPY --from=build /app/node_modules ./node_modules",
    "COPY --from=build /usr/src/app/node_modules/.prisma/ ./node_modules/.prisma/",
    "COPY --from=build /app/dist ./dist",
    "RUN npm ci",
    'CMD ["node", "dist/main.js"]',
    "CMD node dist/main.js",
)

bodies = st.lists(st.sampled_from(PIECES), max_size=10, unique=True)  # one `COPY . .` each


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    first = draw(bodies)
    lines = ["FROM node:20 as build", *first]
    if draw(st.booleans()):
        lines += ["", "FROM node:20-slim", *draw(bodies), *draw(st.lists(st.sampled_from(FINAL)))]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines).replace("\n", newline) + newline


# Every rule together by default; LAYERWISE_PROPERTY_SELECT=LW101,LW3 narrows it down.
SELECT = os.environ.get("LAYERWISE_PROPERTY_SELECT", "LW")
SETTINGS = Settings(select=tuple(SELECT.split(",")))


@given(dockerfiles(), st.booleans())
def test_fix_is_sound_and_idempotent(text: str, unsafe: bool) -> None:
    result = fix_text(text, path="Dockerfile", unsafe=unsafe, settings=SETTINGS)
    assert result.bugs == ()
    dockerfile.parse_string(result.text)
    again = fix_text(result.text, path="Dockerfile", unsafe=unsafe, settings=SETTINGS)
    assert again.text == result.text
    fixed_lines = result.text.splitlines()
    for line in text.splitlines():
        if line.startswith("#"):
            assert line in fixed_lines
