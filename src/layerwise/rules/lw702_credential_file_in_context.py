"""LW702 credential-file-in-context

## What it finds
A credential file of the build context that a COPY or ADD puts into the image: an environment
file (`.env`, `.env.production`; not `.env.example`, `.env.sample`, `.env.template`), an SSH
private key (`id_rsa`, `id_ed25519`...), a private key or keystore (`*.pem` and `*.key` holding
a `PRIVATE KEY` block, `*.p12`, `*.pfx`), an `.npmrc` with a literal `_authToken` or password
(not a `${NPM_TOKEN}` reference), `credentials.json`, `.aws/credentials`, `.netrc`,
`.git-credentials`, a `.pypirc` with a password, or a `.docker/config.json` with registry auth.
Only files that reach the builder count: `.dockerignore` may already leave them out. The file
is reported at the COPY that takes it: the first one that copies the whole context or a folder
holding it, or the one that names it.
## Why it matters
A file copied into a layer stays in the image, even when a later RUN deletes it: anyone who can
pull the image, or a registry cache exported with it, has the credential. Its content is also
part of the COPY's cache key, so rotating it reruns the COPY and every step below it. A secret
mount gives a RUN the file for that step only and is never stored (`RUN
--mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`, built with `--secret
id=npmrc,src=.npmrc`).
## Example
    FROM node:20
    WORKDIR /app
    COPY . .
    RUN npm ci
With an `id_rsa` in the context, the fix adds `id_rsa` to `.dockerignore` (creating it if there is
none).
## Fix safety
The fix adds the file's path to `.dockerignore`. It is safe for a file that only a copy of the
whole context takes and that no instruction names. It is unsafe for an environment file (the
application may read `.env` when it starts, as dotenv does), for a file a COPY of its folder takes
(`COPY tls/ /etc/ssl/private/`: the COPY is there for that folder's files), and for a file some
instruction names, by its name, a folder it is in (`cp -r deploy/. /root/.ssh/`) or a glob that
matches it (`chmod 600 *.key`): a later step may need it. It is unsafe too when other Dockerfiles
sit at the context root and the fix writes `.dockerignore` (not the Dockerfile's own
`<Dockerfile>.dockerignore`): they read the same file and were not checked. There is no fix for an
`.npmrc` when a RUN installs dependencies (npm reads it: it has to become a secret mount), for a
COPY that names the file itself (leaving the file out would break it: the COPY has to become a
secret mount), nor for a COPY of a folder that holds nothing else (it would copy an empty folder).
## References
- Docker docs: Build secrets (`RUN --mount=type=secret`)
- Docker docs: .dockerignore files"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator

from layerwise.context.ignore_file import ROOT_IGNORE, ignore_path
from layerwise.context.survey import Found
from layerwise.rules import _context_files as cf
from layerwise.rules.base import FileLines, Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.rules.texts import Phrase

RULE = Rule(
    code="LW702",
    name="credential-file-in-context",
    severity=Severity.WARNING,
    message="`{copy}` puts {kind} `{path}` into the image; pass it with `RUN "
    "--mount=type=secret` instead",
    fix_title="Add `{path}` to `{file}`",
    message_ko="`{copy}`가 {kind} `{path}`를 이미지에 넣습니다. 대신 `RUN --mount=type=secret`로 "
    "전달하세요",
    fix_title_ko="`{file}`에 `{path}` 추가",
    phrases={
        "dotenv": Phrase("the environment file", "환경 파일"),
        "ssh-key": Phrase("the SSH private key", "`ssh` 개인 키"),
        "private-key": Phrase("the private key", "개인 키"),
        "npm-token": Phrase("the npm token file", "npm 토큰 파일"),
        "cloud-credentials": Phrase("the cloud credentials file", "클라우드 자격 증명 파일"),
        "netrc": Phrase("the login file", "로그인 정보 파일"),
        "git-credentials": Phrase("the git credentials file", "`git` 자격 증명 파일"),
        "pypi-password": Phrase("the package index password file", "패키지 저장소 비밀번호 파일"),
        "registry-auth": Phrase("the registry login file", "레지스트리 로그인 파일"),
    },
    fix_safety=(Safety.SAFE, Safety.UNSAFE),
)
# A shell or COPY word with a wildcard (`*.key`, `/etc/ssl/private/id_*`).
_GLOB_WORD = re.compile(r"[^\s\"'=:;|&<>()]*[*?\[][^\s\"'=:;|&<>()]*")


def check(ctx: RuleContext) -> Iterator[Finding]:
    context = ctx.context
    found = cf.context_survey(ctx)
    if context is None or found is None or not found.credentials:
        return
    sources = [s for s in cf.context_sources(ctx) if not s.bind]  # a bind mount bakes nothing
    file = ignore_path(context)
    for cred in found.credentials:
        named = next((s for s in sources if s.path and _names_file(s, cred.path)), None)
        holder = next((s for s in sources if _holds(s, cred.path)), None)
        source = named or holder
        if source is None:
            continue
        fix = None
        if (
            named is None
            and not _needed_by_install(ctx, cred)
            and not cf.empties_a_copy(ctx, [cred.path])
        ):
            safety = _safety(ctx, cred, sources)
            fix = Fix(safety, [], files=[FileLines(file, (cred.path,))])
        copy = source.step.instruction
        yield RULE.finding(
            copy.span,
            copy=copy.text.splitlines()[0],
            kind=RULE.text(cred.kind),
            path=cred.path,
            file=file,
            fix=fix,
        )


def _names_file(source: cf.Source, path: str) -> bool:
    return source.path == path or (source.is_glob and cf.names_path(source, path))


def _holds(source: cf.Source, path: str) -> bool:
    """The source copies a folder the file is in (the whole context: "")."""
    return not source.is_glob and (source.path == "" or path.startswith(source.path + "/"))


def _needed_by_install(ctx: RuleContext, cred: Found) -> bool:
    """npm reads the project's `.npmrc` at install: left out, the install loses its registry
    login (and a manifest-first fix copies it by name), so it has to become a secret mount."""
    return cred.kind == "npm-token" and cf.installs_dependencies(ctx)


def _safety(ctx: RuleContext, cred: Found, sources: list[cf.Source]) -> Safety:
    if cred.kind == "dotenv":
        return Safety.UNSAFE  # the application may read `.env` when it starts (dotenv)
    if _shared_ignore_file(ctx) and cf.other_dockerfiles(ctx):
        return Safety.UNSAFE  # they read the same `.dockerignore` and may COPY the file
    if any(s.path and _holds(s, cred.path) for s in sources):
        # A COPY of a folder that holds it (`COPY tls/ /etc/ssl/private/`) is there for that
        # folder's files: a later step may use the key (`RUN chmod 600 /etc/ssl/private/*.key`).
        return Safety.UNSAFE
    return Safety.UNSAFE if _named_somewhere(ctx, cred.path) else Safety.SAFE


def _shared_ignore_file(ctx: RuleContext) -> bool:
    """The fix writes the context's `.dockerignore`, which every Dockerfile built on the
    context reads; not a Dockerfile's own `<Dockerfile>.dockerignore`."""
    ignore = ctx.context.ignore_file if ctx.context is not None else None
    return ignore is None or ignore.name == ROOT_IGNORE


def _named_somewhere(ctx: RuleContext, path: str) -> bool:
    """Some instruction names the file, a folder it is in (`RUN cp -r deploy/. /root/.ssh`),
    or a glob that matches its name (`RUN chmod 600 *.key`): left out, that step may fail."""
    if any(cf.mentions_word(ctx, part) for part in path.split("/")):
        return True
    name = cf.basename(path)
    for ins in ctx.tree.instructions:
        if ins.name in ("FROM", "LABEL"):
            continue
        for word in _GLOB_WORD.findall(ins.text):
            tail = word.rstrip("/").rsplit("/", 1)[-1]
            # A bare `*` (`rm -rf /var/lib/apt/lists/*`) picks nothing out: it needs no key.
            if tail.strip("*?") and fnmatch.fnmatchcase(name, tail):
                return True
    return False
