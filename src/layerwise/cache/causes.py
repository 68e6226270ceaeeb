"""Why a step missed, in words (English and Korean), one phrase per kind of cause."""

from __future__ import annotations

from layerwise.rules.texts import Phrase

COPIED = Phrase("copied", "복사")
BIND_MOUNTED = Phrase("bind-mounted", "바인드 마운트")

PARENT_MISSED = Phrase("parent step at line {line} missed", "앞 단계(줄 {line})가 캐시를 놓침")
LINK_REUSED = Phrase(
    "{cause}; the `--link` copy itself is reused, only its merge runs",
    "{cause}; `--link` 복사 자체는 재사용되고 병합만 실행됨",
)
BASE_STAGE_MISSED = Phrase(
    "base stage `{stage}` rebuilt (line {line} missed)",
    "기반 스테이지 `{stage}`가 다시 빌드됨(줄 {line} 미스)",
)
BASE_IMAGE_CHANGED = Phrase(
    "base image `{image}` changed (FROM at line {line})",
    "기반 이미지 `{image}`가 바뀜(줄 {line}의 FROM)",
)
FROM_CHANGED = Phrase("FROM changed (line {line})", "FROM이 바뀜(줄 {line})")
NEW_STEP = Phrase(
    "step not in the previous build (line {line})", "이전 빌드에 없던 단계(줄 {line})"
)
INSTRUCTION_CHANGED = Phrase("instruction changed (line {line})", "명령이 바뀜(줄 {line})")
ARG_CHANGED = Phrase(
    "ARG {name} changed (declared at line {line})", "ARG {name} 값이 바뀜(줄 {line}에서 선언)"
)
ENV_CHANGED = Phrase("ENV {name} changed (line {line})", "ENV {name} 값이 바뀜(줄 {line})")
WORKDIR_CHANGED = Phrase("WORKDIR changed (now `{path}`)", "WORKDIR가 바뀜(이제 `{path}`)")
USER_CHANGED = Phrase("USER changed (now `{user}`)", "USER가 바뀜(이제 `{user}`)")
MOUNT_CHANGED = Phrase(
    "`--mount` options changed (line {line})", "`--mount` 옵션이 바뀜(줄 {line})"
)
FLAG_CHANGED = Phrase("`--{flag}` changed (line {line})", "`--{flag}`가 바뀜(줄 {line})")
FILE_CHANGED = Phrase(
    "`{path}` changed ({how} at line {line})", "`{path}`가 바뀜(줄 {line}에서 {how})"
)
FILE_ADDED = Phrase(
    "`{path}` added ({how} at line {line})", "`{path}`가 추가됨(줄 {line}에서 {how})"
)
FILE_DELETED = Phrase(
    "`{path}` deleted ({how} at line {line})", "`{path}`가 삭제됨(줄 {line}에서 {how})"
)
FILE_MODE = Phrase(
    "`{path}` mode changed ({how} at line {line})", "`{path}`의 모드가 바뀜(줄 {line}에서 {how})"
)
STAGE_RAN_AGAIN = Phrase(
    "stage `{stage}` rebuilt: RUN at line {line} ran again, its output may differ",
    "스테이지 `{stage}`가 다시 빌드됨: 줄 {line}의 RUN이 다시 실행되어 결과가 다를 수 있음",
)
STAGE_DIFFERS = Phrase(
    "stage `{stage}` rebuilt and its `{path}` differs (line {line})",
    "스테이지 `{stage}`가 다시 빌드되었고 `{path}`가 달라짐(줄 {line})",
)
STAGE_BASE = Phrase(
    "stage `{stage}`'s base image changed (line {line})",
    "스테이지 `{stage}`의 기반 이미지가 바뀜(줄 {line})",
)
IMAGE_CHANGED = Phrase(
    "image `{image}` changed ({how} at line {line})", "이미지 `{image}`가 바뀜(줄 {line}에서 {how})"
)
FILE_INCLUDED = Phrase(
    "`{path}` no longer excluded by .dockerignore ({how} at line {line})",
    "`{path}`가 더 이상 .dockerignore로 제외되지 않음(줄 {line}에서 {how})",
)
FILE_EXCLUDED = Phrase(
    "`{path}` now excluded by .dockerignore ({how} at line {line})",
    "`{path}`가 이제 .dockerignore로 제외됨(줄 {line}에서 {how})",
)
FILE_PHRASES = {
    "included": FILE_INCLUDED,
    "excluded": FILE_EXCLUDED,
    "changed": FILE_CHANGED,
    "added": FILE_ADDED,
    "deleted": FILE_DELETED,
    "mode": FILE_MODE,
}
