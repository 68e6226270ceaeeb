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
    """
    queues: dict[str | None, list[BuildStep]] = {}
    for step in sorted(steps, key=lambda s: (s.stage or "", s.index)):
        if step.keyword in _NOT_MODELLED:
            continue
        if platform is not None and step.platform != platform:
            continue
        queues.setdefault(None if single_stage else step.stage, []).append(step)
    out: list[tuple[Verdict, BuildStep | None]] = []
    for verdict in prediction.verdicts:
        queue = queues.get(None if single_stage else verdict.stage.ref, [])
        out.append((verdict, queue.pop(0) if queue else None))
    return out
