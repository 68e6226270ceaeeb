"""A prediction side by side with what BuildKit printed: each verdict with its build step.

BuildKit names a step `[<platform> <stage> i/n] INSTRUCTION` (dockerfile2llb prefixCommand):
the stage name (or `stage-N`) only when the Dockerfile has more than one stage, the platform
only in a multi-platform build, and `i` counts the stage's FROM (when it is an image) and its
RUN, COPY, ADD and WORKDIR steps in order. A `COPY --link` is a copy and a merge
(`LINK COPY ...`) that the printer shows as one step, cached when both are (progressui
vertexGroup); a printer without progress groups would show the merge apart, left out here.
FROM lines are not steps of the model. So the model's steps of a stage,
in order, are the printed steps of that stage, in order, without those.
"""

from __future__ import annotations

from collections.abc import Sequence

from layerwise.cache.predict import Prediction, Verdict
from layerwise.engine.progress import BuildStep

_NOT_MODELLED = frozenset({"FROM", "LINK"})


def observed(
    prediction: Prediction,
    steps: Sequence[BuildStep],
    *,
    single_stage: bool,
    platform: str | None = None,
) -> list[tuple[Verdict, BuildStep | None]]:
    """Each verdict with the printed step it stands for (None when BuildKit printed none).

    `single_stage`: the Dockerfile has one stage, so BuildKit prints no stage names.
    `platform`: in a multi-platform build, the platform whose steps to take.

    BuildKit solves one vertex for identical operations on identical inputs and prints it once,
    under the first stage that asked for it: a stage that starts like another (the same base,
    then the same instructions) has no printed step of its own for that common start. Such a
    step is the same vertex as the other stage's step with the same number and instruction, and
    shares its CACHED or not.
    """
    mine = [
        step
        for step in sorted(steps, key=lambda s: (s.stage or "", s.index))
        if step.keyword not in _NOT_MODELLED and (platform is None or step.platform == platform)
    ]
    by_stage: dict[str | None, list[BuildStep]] = {}
    for step in mine:
        by_stage.setdefault(None if single_stage else step.stage, []).append(step)
    verdicts: dict[str | None, list[Verdict]] = {}
    for verdict in prediction.verdicts:
        verdicts.setdefault(None if single_stage else verdict.stage.ref, []).append(verdict)
    matched: dict[int, BuildStep | None] = {}
    for stage, own in verdicts.items():
        printed = by_stage.get(stage, [])
        if not printed or len(printed) == len(own):
            for position, verdict in enumerate(own):
                found = printed[position] if position < len(printed) else None
                matched[id(verdict)] = found or _twin(verdict, mine, None)
            continue
        # Numbers run up to the stage's last step: the missing ones are the shared start.
        last = printed[-1].index
        first = last - len(own) + 1
        numbered = {step.index: step for step in printed}
        for offset, verdict in enumerate(own):
            index = first + offset
            matched[id(verdict)] = numbered.get(index) or _twin(verdict, mine, index)
    return [(verdict, matched.get(id(verdict))) for verdict in prediction.verdicts]


def _twin(verdict: Verdict, steps: Sequence[BuildStep], index: int | None) -> BuildStep | None:
    """The printed step of another stage that is the same vertex as `verdict`'s step: the same
    number (when known) and the same instruction."""
    for step in steps:
        if step.keyword in _NOT_MODELLED or step.instruction != verdict.instruction:
            continue
        if index is None or step.index == index:
            return step
    return None
