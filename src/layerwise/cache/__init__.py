"""layerwise.cache: BuildKit's cache keys per step, and which steps a change rebuilds.

    before, after = FileState.of(b"{}"), FileState.of(b'{"a": 1}')
    change = Change.simple(text, files={"package.json": (before, after)})
    prediction = predict(change, target="build")
    for verdict in prediction.verdicts:   # every step of the stages the target needs, in order
        verdict.stage_label, verdict.line, verdict.cached, verdict.cause   # cause: a Text
    prediction.to_json()                  # {"steps": [{"stage", "line", "instruction", ...}]}

`keys` holds what each key covers (with the BuildKit sources it follows), `selection` which
files a COPY or bind mount reads, `change` the two builds being compared, `git` a change read
from a repository (`--since REF`, or between two commits), `observed` a prediction beside
BuildKit's printed steps, `replay` each of the last commits against its parent (or every
earlier one) with step costs from a bench, `replay_plot` its chart.
"""

from layerwise.cache.change import Build, Change, FileChange, FileState, blob_digest
from layerwise.cache.predict import Prediction, Verdict, predict

__all__ = [
    "Build",
    "Change",
    "FileChange",
    "FileState",
    "Prediction",
    "Verdict",
    "blob_digest",
    "predict",
]
