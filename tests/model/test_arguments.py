"""Which arguments BuildKit expands, through Step.expanded_value / expanded_flag."""

from __future__ import annotations

from layerwise.model import Step, build_model
from layerwise.syntax import parse

TEXT = """\
FROM alpine
ARG APP=/srv/app U=node PORTS="80 443"
ENV PORT=8080
COPY --chown=$U:$U --from=$U package.json "$APP/"
ADD --chmod=755 --checksum=${SUM:-none} run.sh $APP/
EXPOSE $PORT/tcp $PORTS
VOLUME ["$APP/data"]
LABEL version=$PORT
STOPSIGNAL ${SIG:-SIGTERM}
RUN --mount=type=cache,target=$APP/.cache echo $APP
CMD ["echo", "$APP"]
ONBUILD COPY $APP /x
WORKDIR ${APP:?}
"""


def steps() -> dict[str, Step]:
    return {s.name: s for s in build_model(parse(TEXT)).final_stage.steps}


def test_expanded_instructions() -> None:
    s = steps()
    assert s["COPY"].expanded_value() == ("package.json", "/srv/app/")
    assert s["ADD"].expanded_value() == ("run.sh", "/srv/app/")
    assert s["EXPOSE"].expanded_value() == ("8080/tcp", "80", "443")
    assert s["VOLUME"].expanded_value() == ("/srv/app/data",)
    assert s["LABEL"].expanded_value() == ("version", "8080")
    assert s["STOPSIGNAL"].expanded_value() == ("SIGTERM",)
    assert s["WORKDIR"].expanded_value() == ("/srv/app",)


def test_shell_instructions_and_onbuild_are_not_expanded() -> None:
    s = steps()
    assert s["RUN"].expanded_value() == ("echo $APP",)
    assert s["CMD"].expanded_value() == ("echo", "$APP")
    assert s["ONBUILD"].expanded_value() == s["ONBUILD"].instruction.value


def test_expanded_flags() -> None:
    s = steps()
    assert s["COPY"].expanded_flag("chown") == "node:node"
    assert s["COPY"].expanded_flag("from") == "$U"  # COPY --from is never expanded
    assert s["ADD"].expanded_flag("chmod") == "755"
    assert s["ADD"].expanded_flag("checksum") == "none"
    assert s["RUN"].expanded_flag("mount") == "type=cache,target=/srv/app/.cache"
    assert s["RUN"].expanded_flag("network") is None


def test_a_word_that_fails_to_expand_is_kept() -> None:
    step = build_model(parse("FROM alpine\nCOPY ${NOPE:?x} /a\n")).final_stage.steps[0]
    assert step.expanded_value() == ("${NOPE:?x}", "/a")
