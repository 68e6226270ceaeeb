"""LW701 secret-in-arg-or-env

## What it finds
An `ARG` or `ENV` whose name says it holds a credential, by BuildKit's own test
(SecretsUsedInArgOrEnv): one of the words `apikey`, `auth`, `credential(s)`, `key`, `password`,
`pword`, `passwd`, `secret`, `token` between underscores or at an end of the name (`NPM_TOKEN`,
`DB_PASSWORD`, `SECRET_KEY_BASE`), and not the word `public`. Also any `ARG` default or `ENV` value
shaped like a known credential: a GitHub, GitLab, npm, Slack or Stripe token, an AWS access key id,
a private key block, a URL with a password (`postgres://app:s3cret@db/app`). Left out, where
BuildKit reports them: names whose last word says the value points at a credential rather than
holds it (`NPM_TOKEN_URL`, `AUTH_HEADER_NAME`, `API_KEY_FILE`, `AWS_ACCESS_KEY_ID`,
`SSH_AUTH_SOCK`) and `GOOGLE_APPLICATION_CREDENTIALS` (a key file's path), public key material
(`GPG_KEY`, `PGP_KEY`, `*_FINGERPRINT`, as the official images set), switches about credentials
(`APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE`), an `ENV` set to nothing, and an `ARG` without a default
that a RUN of the stage receives through a secret mount of the same name
(`--mount=type=secret,id=NPM_TOKEN`, `env=NPM_TOKEN`).
## Why it matters
An `ENV` value is stored in the image config, readable by anyone who can pull the image. A
declared `ARG` is in the environment of every RUN below it, and its value is written into the
image history of those steps (`docker history` shows `|1 NPM_TOKEN=... /bin/sh -c npm ci`),
and into the build cache: a changed token also reruns every one of them. A global `ARG` (before
the first `FROM`) reaches a RUN only through a stage's own `ARG` of that name; without one no
image holds it, but `mode=max` provenance attestations record every `--build-arg` value and the
Dockerfile itself, default values included (checked on BuildKit 0.13 with `docker buildx
imagetools inspect`), and the finding says so. A secret mount gives
the RUN the value for that step only, is never stored in the image, and is not part of the cache
key.
## Example
    ARG NPM_TOKEN
    RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
Instead:
    RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
built with `docker build --secret id=npmrc,src=$HOME/.npmrc .`.
## References
- Docker docs: Build checks, SecretsUsedInArgOrEnv
- Docker docs: Build secrets (`RUN --mount=type=secret`)"""

from __future__ import annotations

import re
from collections.abc import Iterator

from layerwise.ecosystems.base import parse_mount_options
from layerwise.model import Step
from layerwise.model.from_lines import arg_items
from layerwise.rules.base import Finding, Rule, RuleContext, Severity
from layerwise.rules.texts import Phrase, Text

RULE = Rule(
    code="LW701",
    name="secret-in-arg-or-env",
    severity=Severity.WARNING,
    message="`{decl}` {why}; pass it with `RUN --mount=type=secret,id={id}` instead",
    message_ko="`{decl}`: {why}. 대신 `RUN --mount=type=secret,id={id}`로 전달하세요",
    phrases={
        "arg": Phrase(
            "looks like a credential: a value passed with `--build-arg` is written into the "
            "image history of every RUN below it",
            "자격 증명으로 보이며, `--build-arg`로 넘긴 값은 아래의 모든 RUN의 이미지 기록에 "
            "남습니다",
        ),
        "env": Phrase(
            "looks like a credential: its value is stored in the image config",
            "자격 증명으로 보이며, 그 값은 이미지 설정에 저장됩니다",
        ),
        "value": Phrase(
            "holds a value shaped like a credential (`{shape}`), stored in the image",
            "자격 증명 형식의 값(`{shape}`)을 담고 있어 이미지에 저장됩니다",
        ),
        "global": Phrase(
            "looks like a credential: no stage declares it again, so no RUN sees it, but "
            "`mode=max` provenance records the value of every `--build-arg`",
            "자격 증명으로 보입니다. 다시 선언하는 스테이지가 없어 어떤 RUN도 보지 못하지만, "
            "`mode=max` 출처 증명은 모든 `--build-arg` 값을 기록합니다",
        ),
        "global_value": Phrase(
            "holds a value shaped like a credential (`{shape}`) in the Dockerfile itself, "
            "which `mode=max` provenance also records",
            "이 파일 자체에 자격 증명 형식의 값(`{shape}`)을 담고 있으며, `mode=max` 출처 "
            "증명도 그 파일을 기록합니다",
        ),
    },
)
# BuildKit's test (dockerfile2llb, getSecretsRegex): a token word at a name boundary.
_DENY = re.compile(
    r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)"
    r"(?:_|$)"
)
_ALLOW = re.compile(r"(?i)(?:_|^)(?:public)(?:_|$)")
# Ours on top: public key material, and a last word naming where a secret is, not the secret.
_PUBLIC = re.compile(r"(?i)(?:_|^)(?:gpg|pgp|pub|pubkey|fingerprint|known_hosts)(?:_|$)")
# A switch about credentials, not one: `APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE=1`.
_SWITCH = re.compile(r"(?i)(?:_|^)(?:dont|disable|disabled|skip|warn|insecure)(?:_|$)")
_REFERENCE_WORDS = frozenset(
    {"URL", "URI", "ENDPOINT", "HOST", "PORT", "FILE", "PATH", "DIR", "NAME", "ID", "TYPE"}
    | {"HEADER", "ALGORITHM", "ALG", "EXPIRY", "TTL", "LENGTH", "SIZE", "VERSION", "SERVER"}
    | {"REGION", "ISSUER", "AUDIENCE", "METHOD", "MODE", "ENABLED", "SOCK", "SOCKET"}
)
# Well-known names whose value is a path by definition (Google's client libraries read the key
# file GOOGLE_APPLICATION_CREDENTIALS names), whatever their last word.
_PATH_NAMES = frozenset({"GOOGLE_APPLICATION_CREDENTIALS"})
# Shapes of credentials, by their published prefixes.
_SHAPES = (
    (re.compile(r"\bgh[opsur]_[A-Za-z0-9]{30,}"), "ghp_..."),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"), "github_pat_..."),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), "glpat-..."),
    (re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), "npm_..."),
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "AKIA..."),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"), "xoxb-..."),
    (re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}"), "sk_live_..."),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "-----BEGIN PRIVATE KEY-----"),
    (re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@$]+:[^/\s@$]+@"), "scheme://user:password@host"),
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for ins in ctx.tree.instructions:
        if ins.name not in ("ARG", "ENV"):
            continue
        step = ctx.model.step_for(ins)  # None for an ARG before the first FROM
        for name, value in _pairs(ins.name, ins.value):
            why = _why(ctx, step, ins.name, name, value)
            if why is not None:
                yield RULE.finding(ins.span, decl=f"{ins.name} {name}", why=why, id=name)


def _pairs(kind: str, words: tuple[str, ...]) -> Iterator[tuple[str, str | None]]:
    """(name, value) of each variable an ARG (`A`, `B=1`) or ENV (`K V` pairs) sets."""
    if kind == "ENV":
        for i in range(0, len(words) - 1, 2):
            yield words[i], words[i + 1]
        return
    for word in words:
        name, eq, value = word.partition("=")
        yield name, value if eq else None


def looks_secret(name: str) -> bool:
    """BuildKit's SecretsUsedInArgOrEnv test on a variable name, without its false alarms."""
    if (
        not _DENY.search(name)
        or _ALLOW.search(name)
        or _PUBLIC.search(name)
        or _SWITCH.search(name)
    ):
        return False
    if name.upper() in _PATH_NAMES:
        return False
    return name.rsplit("_", 1)[-1].upper() not in _REFERENCE_WORDS


def credential_shape(value: str) -> str | None:
    """The shape of a credential `value` holds (`ghp_...`), or None."""
    for pattern, shape in _SHAPES:
        if pattern.search(value):
            return shape
    return None


def _why(
    ctx: RuleContext, step: Step | None, kind: str, name: str, value: str | None
) -> Text | None:
    # A global ARG (before the first FROM, so no step) reaches a RUN only through a stage's own
    # `ARG NAME`; without one its value is in no image, only in what records the build.
    unseen = step is None and not _declared_in_a_stage(ctx, name)
    shape = credential_shape(_unquoted(value)) if value else None
    if shape is not None:
        return RULE.text("global_value" if unseen else "value", shape=shape)
    if not looks_secret(name):
        return None
    if kind == "ENV":
        return RULE.text("env") if _unquoted(value or "") else None
    if value is None and _received_as_secret(ctx, step, name):
        return None
    return RULE.text("global" if unseen else "arg")


def _declared_in_a_stage(ctx: RuleContext, name: str) -> bool:
    return any(
        key == name
        for stage in ctx.model.stages
        for st in stage.steps
        if st.instruction.name == "ARG"
        for key, _ in arg_items(st.instruction)
    )


def _unquoted(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _received_as_secret(ctx: RuleContext, step: Step | None, name: str) -> bool:
    """A RUN of the ARG's stage (of any stage, for a global ARG) mounts a secret whose id or
    env is the ARG's name: the ARG is only a declaration the build does not fill."""
    runs = ctx.model.steps if step is None else ctx.model.stages[step.stage].steps
    for run in runs:
        for flag in run.instruction.flags_named("mount"):
            options = parse_mount_options(flag.value or "")
            if options.get("type") == "secret" and name in (options.get("id"), options.get("env")):
                return True
    return False
