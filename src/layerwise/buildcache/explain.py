"""The seed's questions about the build cache, answered for the builder at hand.

Every answer is put together from what was inspected (the builder's driver and nodes, the
daemon's data root and image store, containerd's root, daemon.json's builder.gc, the records
`buildx du` lists) and says so with the values it read; the BuildKit behaviour it relies on is
the facts page's (buildkit-facts.md: "Cache mounts", "Remote cache", "Multi-platform").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layerwise.buildcache.records import (
    KIND_TITLES,
    KIND_TITLES_KO,
    cache_mount_parts,
    kind,
    totals,
)
from layerwise.engine.cache_usage import CACHE_MOUNT, REGULAR, Record, format_size
from layerwise.engine.storage import Storage

# Engine 28.2 made the `docker` driver collect its build cache without a builder.gc section.
_GC_BY_DEFAULT = (28, 2)


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str


@dataclass(frozen=True, slots=True)
class Inspected:
    storage: Storage
    records: tuple[Record, ...]
    exports_registry_cache: bool  # the builder takes --cache-to type=registry (mode=max)


def answers(seen: Inspected, lang: str = "en") -> list[Answer]:
    ko = lang == "ko"
    return [
        _where(seen, ko),
        _mounts(seen, ko),
        _targets(seen, ko),
        _survives(seen, ko),
        _platforms(seen, ko),
        _remote(seen, ko),
        _prune(seen, ko),
    ]


def _t(ko: bool, en: str, kr: str) -> str:
    return kr if ko else en


def _places(s: Storage, ko: bool) -> str:
    parts = []
    for place in s.places:
        state = {True: "", False: _t(ko, " (not found)", " (없음)"), None: ""}[place.exists]
        what = {
            "buildkit": _t(ko, "BuildKit's state and metadata", "BuildKit 상태와 메타데이터"),
            "snapshots": _t(
                ko,
                "the layers' and cache mounts' files (containerd snapshots)",
                "레이어와 캐시 마운트의 파일(containerd 스냅숏)",
            ),
            "volume": _t(ko, "the builder's state volume", "빌더 상태 볼륨"),
        }[place.what]
        parts.append(f"{what}: {place.path}{state}")
    return "; ".join(parts)


def _where(seen: Inspected, ko: bool) -> Answer:
    s = seen.storage
    q = _t(ko, "Where is the build cache?", "빌드 캐시는 어디에 있나요?")
    store = _t(
        ko,
        f"the containerd image store (snapshotter {s.snapshotter})" if s.containerd_store
        else f"the classic image store ({s.snapshotter})",
        f"containerd 이미지 저장소(스냅숏터 {s.snapshotter})" if s.containerd_store
        else f"기존 이미지 저장소({s.snapshotter})",
    )  # fmt: skip
    where = _places(s, ko)
    if s.driver == "docker":
        text = _t(
            ko,
            f"Builder `{s.builder}` uses the `docker` driver: BuildKit runs inside the Docker "
            f"daemon {s.server_version} on host `{s.host}`, which keeps images in {store}. "
            f"The cache is on that host: {where}.",
            f"빌더 `{s.builder}`는 `docker` 드라이버입니다. BuildKit은 호스트 `{s.host}`의 Docker "
            f"데몬 {s.server_version} 안에서 돌고, 이 데몬은 이미지를 {store}에 둡니다. 캐시는 그 "
            f"호스트에 있습니다: {where}.",
        )
    elif s.driver == "docker-container":
        text = _t(
            ko,
            f"Builder `{s.builder}` uses the `docker-container` driver: BuildKit runs in the "
            f"container `{s.container}` on host `{s.host}`, its state in the volume "
            f"`{s.volume}` ({where}).",
            f"빌더 `{s.builder}`는 `docker-container` 드라이버입니다. BuildKit은 호스트 "
            f"`{s.host}`의 컨테이너 `{s.container}` 안에서 돌고, 상태는 볼륨 `{s.volume}`에 "
            f"있습니다({where}).",
        )
    else:
        text = _t(
            ko,
            f"Builder `{s.builder}` uses the `{s.driver}` driver: the cache is in the storage "
            f"of the BuildKit it runs on ({', '.join(s.nodes)}), not on this machine.",
            f"빌더 `{s.builder}`는 `{s.driver}` 드라이버입니다. 캐시는 그 BuildKit"
            f"({', '.join(s.nodes)})의 저장소에 있고 이 머신에는 없습니다.",
        )
    if not s.local:
        text += _t(
            ko,
            " The daemon is not on this machine: the paths are the daemon host's.",
            " 데몬이 이 머신에 있지 않으므로 경로는 데몬 호스트의 것입니다.",
        )
    return Answer(q, text)


def _mount_list(records: tuple[Record, ...]) -> list[tuple[str, int]]:
    out = []
    for record in records:
        parts = cache_mount_parts(record)
        if kind(record) == CACHE_MOUNT:
            name = (parts.shown_id or parts.target) if parts else record.id
            out.append((name, record.size))
    return out


def _mounts(seen: Inspected, ko: bool) -> Answer:
    q = _t(ko, "Where do cache mounts live, and what is in them now?",
           "캐시 마운트는 어디에 있고, 지금 무엇이 있나요?")  # fmt: skip
    mounts = _mount_list(seen.records)
    total = format_size(sum(size for _, size in mounts))
    listed = ", ".join(f"`{name}` {format_size(size)}" for name, size in mounts[:8])
    where = _t(ko, "in the same place as the layers", "레이어와 같은 곳")
    if mounts:
        now = _t(
            ko,
            f"This builder holds {len(mounts)} cache mount(s), {total}: {listed}.",
            f"이 빌더에는 캐시 마운트 {len(mounts)}개, {total}가 있습니다: {listed}.",
        )
    else:
        now = _t(
            ko, "This builder holds no cache mount now.", "이 빌더에는 지금 캐시 마운트가 없습니다."
        )
    return Answer(
        q,
        _t(
            ko,
            f"A cache mount is a record of the builder, {where}: never in the image, never in "
            f"the container ECS or Kubernetes runs. {now} See them with `layerwise cache du` "
            "or `docker buildx du --verbose --filter type=exec.cachemount`.",
            f"캐시 마운트는 빌더의 레코드로 {where}에 있습니다. 이미지에도, ECS나 Kubernetes가 "
            f"띄우는 컨테이너에도 들어가지 않습니다. {now} `layerwise cache du` 또는 "
            "`docker buildx du --verbose --filter type=exec.cachemount`로 봅니다.",
        ),
    )


def _targets(seen: Inspected, ko: bool) -> Answer:
    s = seen.storage
    q = _t(ko, "Is a target like /root/.npm a path in the Jenkins container?",
           "/root/.npm 같은 target은 Jenkins 컨테이너의 경로인가요?")  # fmt: skip
    targets = sorted({p.target for r in seen.records if (p := cache_mount_parts(r)) is not None})
    shown = ", ".join(f"`{t}`" for t in targets[:6]) or "`/root/.npm`"
    files = next((p.path for p in s.places if p.what in ("snapshots", "volume")), None)
    where = files or next((p.path for p in s.places), s.host)
    return Answer(
        q,
        _t(
            ko,
            f"No. Targets such as {shown} are paths inside the container of the build step "
            "(RUN runs as root there unless USER says otherwise); what they hold is kept by "
            f"the builder, here under {where} on `{s.host}`, and mounted there for each RUN "
            "that names the mount.",
            f"아니요. {shown} 같은 target은 빌드 단계 컨테이너 안의 경로입니다(USER가 없으면 RUN은 "
            f"root로 실행). 내용은 빌더가 보관하고, 여기서는 `{s.host}`의 {where} 아래에 있다가 그 "
            "마운트를 쓰는 RUN마다 그 경로에 붙습니다.",
        ),
    )


def _version(text: str) -> tuple[int, int] | None:
    m = re.match(r"v?(\d+)\.(\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _gc(s: Storage, ko: bool) -> str:
    if s.driver != "docker":
        return _t(
            ko,
            "Garbage collection follows that BuildKit's own policy (buildkitd.toml).",
            "가비지 컬렉션은 그 BuildKit의 정책(buildkitd.toml)을 따릅니다.",
        )
    if s.daemon_json is None:
        return _t(
            ko,
            "The daemon's daemon.json could not be read from here, so its builder.gc is unknown.",
            "여기서는 데몬의 daemon.json을 읽을 수 없어 builder.gc 설정을 알 수 없습니다.",
        )
    if s.gc is not None:
        settings = ", ".join(f"{k}={v}" for k, v in s.gc.items() if not isinstance(v, list))
        return _t(
            ko,
            f"{s.daemon_json} sets builder.gc ({settings}): the daemon collects by that policy.",
            f"{s.daemon_json}에 builder.gc({settings})가 있어 데몬이 그 정책대로 수집합니다.",
        )
    version = _version(s.server_version)
    if version is not None and version < _GC_BY_DEFAULT:
        return _t(
            ko,
            f"{s.daemon_json} has no builder.gc, and Engine {s.server_version} (before 28.2) "
            "collects the docker driver's cache only when it has: nothing is collected "
            "automatically, the cache grows until someone prunes.",
            f"{s.daemon_json}에 builder.gc가 없고, Engine {s.server_version}(28.2 이전)은 그 "
            "설정이 "
            "있을 때만 docker 드라이버의 캐시를 수집합니다. 자동으로 지워지지 않고 누군가 정리할 "
            "때까지 "
            "커집니다.",
        )
    return _t(
        ko,
        f"{s.daemon_json} has no builder.gc: Engine {s.server_version} collects by its default "
        "policy (about 10% of the disk kept).",
        f"{s.daemon_json}에 builder.gc가 없어 Engine {s.server_version}의 기본 정책(디스크의 약 "
        "10% 유지)으로 수집합니다.",
    )


def _survives(seen: Inspected, ko: bool) -> Answer:
    s = seen.storage
    q = _t(ko, "What survives an agent restart?", "에이전트를 다시 시작하면 무엇이 남나요?")
    if s.driver == "docker":
        text = _t(
            ko,
            f"Everything here belongs to the daemon on `{s.host}`, not to the Jenkins container "
            "or agent process that calls it: restarting or replacing those keeps the layers and "
            f"the cache mounts, and so does restarting dockerd (they are on disk under "
            f"{s.root_dir}). They are lost with the machine or its disk (an agent VM that "
            "starts empty), and by a prune.",
            f"여기의 모든 것은 `{s.host}`의 데몬 것이지, 그 데몬을 부르는 Jenkins 컨테이너나 "
            "에이전트 "
            "프로세스의 것이 아닙니다. 그것들을 다시 시작하거나 바꿔도 레이어와 캐시 마운트는 "
            "남고, dockerd를 "
            f"다시 시작해도 남습니다({s.root_dir} 아래 디스크에 있음). 머신이나 디스크가 "
            "바뀌면(빈 상태로 "
            "시작하는 에이전트 VM) 사라지고, 정리(prune)해도 사라집니다.",
        )
    elif s.driver == "docker-container":
        text = _t(
            ko,
            f"The cache lives in the volume `{s.volume}`: it survives restarting the container "
            f"`{s.container}`, `docker buildx stop` and a dockerd restart; `docker buildx rm` "
            "deletes it (unless --keep-state), and an agent that creates its builder anew on "
            "an empty machine starts with nothing.",
            f"캐시는 볼륨 `{s.volume}`에 있습니다. 컨테이너 `{s.container}` 재시작, "
            "`docker buildx stop`, dockerd 재시작에도 남고, `docker buildx rm`은 (--keep-state가 "
            "없으면) 지웁니다. 빈 머신에서 빌더를 새로 만드는 에이전트는 아무것도 없이 시작합니다.",
        )
    else:
        text = _t(
            ko,
            "The cache lives with the remote BuildKit: restarting this agent keeps it.",
            "캐시는 원격 BuildKit에 있으므로 이 에이전트를 다시 시작해도 남습니다.",
        )
    return Answer(q, f"{text} {_gc(s, ko)}")


def _platforms(seen: Inspected, ko: bool) -> Answer:
    s = seen.storage
    q = _t(ko, "Do arm64 and amd64 share the cache?", "arm64와 amd64가 캐시를 함께 쓰나요?")
    archs = {"x86_64": "amd64", "aarch64": "arm64"}
    native = archs.get(s.architecture, s.architecture)
    foreign = sorted({p.split("/")[1] for p in s.platforms if "/" in p} - {native})
    listed = ", ".join(s.platforms) or "?"
    emulated = (
        _t(
            ko,
            f" The host is {s.architecture}: {', '.join(foreign)} steps run under QEMU.",
            f" 호스트가 {s.architecture}이므로 {', '.join(foreign)} 단계는 QEMU로 돕니다.",
        )
        if foreign
        else ""
    )
    mounts = _mount_list(seen.records)
    return Answer(
        q,
        _t(
            ko,
            f"This builder builds for {listed}.{emulated} Layers are per platform (the platform "
            "is in every step's key), so one platform never reuses the other's; cache mounts "
            f"are not: each of the {len(mounts)} mount(s) here is shared by every platform "
            "unless its id names the platform (`id=npm-$TARGETPLATFORM`).",
            f"이 빌더는 {listed}로 빌드합니다.{emulated} 레이어는 플랫폼별이라(모든 단계의 키에 "
            "플랫폼이 "
            "들어감) 한 플랫폼이 다른 플랫폼의 것을 재사용하지 않습니다. 캐시 마운트는 "
            "다릅니다: 여기 있는 "
            f"{len(mounts)}개 마운트는 id에 플랫폼을 넣지 않으면(`id=npm-$TARGETPLATFORM`) 모든 "
            "플랫폼이 함께 씁니다.",
        ),
    )


def _remote(seen: Inspected, ko: bool) -> Answer:
    s = seen.storage
    q = _t(ko, "What can a new agent get back from a remote cache?",
           "새 에이전트가 원격 캐시에서 무엇을 되찾을 수 있나요?")  # fmt: skip
    if seen.exports_registry_cache:
        how = _t(
            ko,
            f"This builder (`{s.driver}` driver"
            + (", containerd image store" if s.containerd_store else "")
            + ") exports a registry cache with every step "
            "(`--cache-to type=registry,...,mode=max`), so an agent that starts empty can "
            "import the layers.",
            f"이 빌더(`{s.driver}` 드라이버"
            + (", containerd 이미지 저장소" if s.containerd_store else "")
            + ")는 모든 단계를 담은 레지스트리 캐시(`--cache-to type=registry,...,mode=max`)를 "
            "내보낼 수 있어, 빈 상태로 시작한 에이전트가 레이어를 가져올 수 있습니다.",
        )
    else:
        how = _t(
            ko,
            f"This builder (`{s.driver}` driver, classic image store) exports only inline "
            "cache (the final image's layers, min mode): use a docker-container builder or the "
            "containerd image store for a mode=max registry cache.",
            f"이 빌더(`{s.driver}` 드라이버, 기존 이미지 저장소)는 인라인 캐시(최종 이미지의 "
            "레이어, "
            "min 모드)만 내보냅니다. mode=max 레지스트리 캐시에는 docker-container 빌더나 "
            "containerd "
            "이미지 저장소가 필요합니다.",
        )
    size = format_size(sum(size for _, size in _mount_list(seen.records)))
    return Answer(
        q,
        how
        + _t(
            ko,
            f" Cache mounts ({size} here) never travel that way: on a new agent they start empty.",
            f" 캐시 마운트(여기 {size})는 그렇게 옮겨지지 않아 새 에이전트에서는 비어 있습니다.",
        ),
    )


def _prune(seen: Inspected, ko: bool) -> Answer:
    q = _t(ko, "Which prune removes what?", "어떤 정리 명령이 무엇을 지우나요?")
    titles = KIND_TITLES_KO if ko else KIND_TITLES
    rows = []
    for total in totals(seen.records):
        rows.append(
            f"{titles.get(total.kind, total.kind)}: {total.count}, {format_size(total.size)} "
            + _t(
                ko,
                f"({format_size(total.reclaimable)} not in use)",
                f"(사용 중이 아닌 것 {format_size(total.reclaimable)})",
            )
        )
    retyped = sum(1 for r in seen.records if r.type == REGULAR and kind(r) != REGULAR)
    note = ""
    if retyped:
        note = _t(
            ko,
            f" This builder stores {retyped} record(s) whose description shows a source as "
            "type `regular`: `type=regular` removes them, `type=source.local` does not.",
            f" 이 빌더는 설명으로는 소스인 레코드 {retyped}개를 `regular` 타입으로 저장합니다. "
            "`type=regular`는 이것을 지우고 `type=source.local`은 지우지 않습니다.",
        )
    return Answer(
        q,
        _t(
            ko,
            "Now: " + "; ".join(rows) + ". `docker buildx prune --filter type=exec.cachemount` "
            "removes only the cache mounts not in use (`layerwise cache prune --mounts`); "
            "`--filter type=regular` the layers (`--layers`); `--filter until=24h` whatever "
            "was not used for a day, never-used records included (`--older-than 24h`). Without "
            "`--all` a prune keeps records shared with images and frontend images. "
            "`docker system prune -a` also deletes images and stopped containers: not needed "
            "to clean the build cache." + note,
            "지금: " + "; ".join(rows) + ". `docker buildx prune --filter type=exec.cachemount`는 "
            "사용 중이 아닌 캐시 마운트만 지웁니다(`layerwise cache prune --mounts`). "
            "`--filter type=regular`는 레이어(`--layers`), `--filter until=24h`는 하루 동안 쓰이지 "
            "않은 것(한 번도 쓰이지 않은 것 포함, `--older-than 24h`)을 지웁니다. `--all`이 없으면 "
            "이미지와 공유된 레코드와 프런트엔드 이미지는 남습니다. `docker system prune -a`는 "
            "이미지와 "
            "멈춘 컨테이너까지 지우므로 빌드 캐시 정리에는 필요 없습니다." + note,
        ),
    )
