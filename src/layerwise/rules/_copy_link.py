"""Where a fix may write `COPY --link` (target engine "modern"), and why only there.

With `--link` a COPY is built on an empty directory and its layer laid over the stage, so its
cache key and its layer no longer depend on the steps below it: a rebuilt base image or an
earlier step that changed leaves the copy cached and its layer (same digest) already pushed,
and a remote cache brings it back into a new builder (Dockerfile reference, "Benefits of using
--link"). Docker 20.10's built-in frontend does not know the flag.

It is not always the same image. Per the reference and moby/buildkit#3602, #4964,
docker/buildx#1855: the layer holds the destination's parent directories too, created 0755 and
owned by root (by the `--chown` user with that flag), and they replace the metadata of the
directories already there; a symlink on the destination path is not followed; a destination
directory that exists takes the copied directory's mode. So a fix links a copy only when none of
that can show:
- no `--chown` or `--chmod` on the copy, and the destination does not exist yet;
- its parent is the WORKDIR, made by a WORKDIR instruction of the stage chain run as root (a
  0755 root directory, as the link's would be), directly inside `/` or a directory that is root's
  with mode 0755 in every base image (/usr/src, /usr/local, /opt, /srv), and not one of the base
  image's own directories (/tmp, /root, /home...);
- between that WORKDIR and the copy, nothing that could change that directory or create the
  destination: instructions without a step, ENV/ARG, RUNs of apt commands alone, and COPYs into
  other places below the WORKDIR.
A custom base image that already ships that WORKDIR with another owner or mode is the case this
cannot see: the fix is unsafe for other reasons, and the rule docs say so.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection

from layerwise.model import Step
from layerwise.model.state import resolve_workdir
from layerwise.rules._apt_lists import is_apt_only_run
from layerwise.rules._support import NO_STEP, resolve, stage_chain
from layerwise.rules.base import RuleContext

MODERN = "modern"
# Directories that are root's with mode 0755 in Debian, Ubuntu, Alpine and RHEL-family bases.
_ROOT_PARENTS = frozenset({"/", "/usr/src", "/usr/local", "/opt", "/srv"})
# Top-level directories of a base image (FHS): a WORKDIR there does not make a new directory.
_IMAGE_DIRS = frozenset(
    {"/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media",
     "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var"}
)  # fmt: skip
# Steps that change neither a directory's metadata nor what is at the destination.
_NEUTRAL = NO_STEP | {"ENV", "ARG"}


def link_flag(ctx: RuleContext, at: Step, dest: str, moved: Collection[Step] = ()) -> str:
    """`"--link "` when a flag-less `COPY --from=<stage> <dir> <dest>` written in place of `at`
    (or just before it) makes the same image with `--link` as without; else "". `dest` is
    absolute; `moved`: steps between that the fix takes away (not counted)."""
    if ctx.settings.target_engine != MODERN:
        return ""
    workdir = posixpath.dirname(dest)
    parent = posixpath.dirname(workdir)
    if parent not in _ROOT_PARENTS or workdir in _IMAGE_DIRS or at.state.workdir != workdir:
        return ""
    steps = [st for stage in stage_chain(ctx.model.stages[at.stage]) for st in stage.steps]
    made = next((i for i, st in enumerate(steps) if _makes(st, workdir)), None)
    if made is None or not steps[made].state.is_root:
        return ""
    between = steps[made + 1 : steps.index(at)]
    ok = all(st in moved or _leaves_alone(ctx, st, workdir, dest) for st in between)
    return "--link " if ok else ""


def _makes(step: Step, workdir: str) -> bool:
    ins = step.instruction
    if ins.name != "WORKDIR" or not ins.value:
        return False
    return resolve_workdir(step.state.workdir, step.expanded_value()[0]) == workdir


def _leaves_alone(ctx: RuleContext, step: Step, workdir: str, dest: str) -> bool:
    ins = step.instruction
    if ins.name in _NEUTRAL or is_apt_only_run(ctx, step):
        return True
    if ins.name == "WORKDIR":
        return _makes(step, workdir)  # the same directory again: made already
    if ins.name not in ("COPY", "ADD") or len(ins.value) < 2 or ins.heredocs:
        return False
    into = resolve(step.state.expand(ins.value[-1]), step.state.workdir)
    inside = into.startswith(workdir.rstrip("/") + "/")
    overlaps = into == dest or into.startswith(dest + "/")
    return inside and not overlaps
