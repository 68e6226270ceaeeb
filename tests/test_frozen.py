"""`quick_init` makes the same objects as the `__init__` dataclass writes, and they stay frozen."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import layerwise
from layerwise.frozen import quick_init


@dataclass(frozen=True, slots=True)
class Written:
    """Every kind of field quick_init reproduces, with the __init__ dataclass writes."""

    a: int
    b: str = "b"
    c: tuple[int, ...] = field(default_factory=tuple)
    d: list[int] = field(default_factory=list, compare=False)
    e: str = field(init=False, default="e")
    f: dict[str, int] = field(init=False, default_factory=dict, compare=False)
    g: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "g", f"{self.a}{self.b}")


@quick_init
@dataclass(frozen=True, slots=True)
class Quick:
    """`Written` again, with quick_init."""

    a: int
    b: str = "b"
    c: tuple[int, ...] = field(default_factory=tuple)
    d: list[int] = field(default_factory=list, compare=False)
    e: str = field(init=False, default="e")
    f: dict[str, int] = field(init=False, default_factory=dict, compare=False)
    g: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "g", f"{self.a}{self.b}")


def values(obj: object) -> tuple[Any, ...]:
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((1, "x"), {}), ((1,), {"c": (2,)}), ((), {"a": 3, "d": [4], "b": "y"})],
)
def test_the_same_objects_as_dataclass_makes(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    assert values(Quick(*args, **kwargs)) == values(Written(*args, **kwargs))


def test_the_same_parameters() -> None:
    written = inspect.signature(Written).parameters
    quick = inspect.signature(Quick).parameters
    assert list(quick) == list(written) == ["a", "b", "c", "d"]
    assert quick["a"].default is inspect.Parameter.empty
    assert quick["b"].default == "b"


def test_a_default_factory_runs_for_each_object() -> None:
    first, second = Quick(1), Quick(1)
    assert first.d == [] and first.d is not second.d and first.f is not second.f


def test_wrong_arguments_fail_as_they_do_without_it() -> None:
    bad: tuple[Any, ...]
    for bad in ((), (1, "b", (), [], "extra")):
        with pytest.raises(TypeError):
            Written(*bad)
        with pytest.raises(TypeError):
            Quick(*bad)


def test_still_frozen_replaceable_picklable() -> None:
    quick = Quick(1, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.a = 2  # type: ignore[misc]
    assert values(dataclasses.replace(quick, b="z")) == values(Written(1, "z"))
    assert pickle.loads(pickle.dumps(quick)) == quick
    assert hash(quick) == hash(Quick(1, "x", d=[9]))  # `d` and `f` are out of eq and hash


def test_what_it_cannot_reproduce_is_refused() -> None:
    @dataclass(slots=True)
    class Mutable:
        a: int

    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(frozen=True, slots=True, kw_only=True)
    class KeywordOnly:
        a: int

    @dataclass(frozen=True, slots=True)
    class OwnInit:
        a: tuple[int, ...]

        def __init__(self, a: list[int]) -> None:
            object.__setattr__(self, "a", tuple(a))

    for cls in (Mutable, NoSlots, KeywordOnly, OwnInit):
        with pytest.raises(TypeError):
            quick_init(cls)


def _quick_classes() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(layerwise.__path__, "layerwise."):
        if ".lsp" in info.name or ".engine" in info.name or ".bench" in info.name:
            continue  # optional dependencies; none of their classes uses quick_init
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            init = getattr(value, "__init__", None)
            code = getattr(init, "__code__", None)
            mine = isinstance(value, type) and value.__module__ == info.name
            if mine and code is not None and any(n.startswith("_set_") for n in code.co_names):
                found.append(value)
    return found


QUICK = _quick_classes()


def test_the_hot_classes_use_it() -> None:
    names = {cls.__name__ for cls in QUICK}
    assert {"Word", "Command", "Instruction", "Span", "Finding", "Step", "State"} <= names


@pytest.mark.parametrize("cls", QUICK, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_each_takes_its_init_fields_in_order(cls: type) -> None:
    fields = [f for f in dataclasses.fields(cls) if f.init]
    parameters = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in parameters] == [f.name for f in fields]
    for p, f in zip(parameters, fields, strict=True):
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default
        elif f.default_factory is dataclasses.MISSING:
            assert p.default is inspect.Parameter.empty


def test_a_check_s_objects_pickle_back_to_equal_ones(tmp_path: Path) -> None:
    """Workers send findings back pickled: every quick_init class (and Fix), as a check makes
    them, comes back with the same field values."""
    from layerwise.context import BuildContext
    from layerwise.model import build_model, expand_word
    from layerwise.rules.base import Fix, RuleContext
    from layerwise.rules.runner import check_tree
    from layerwise.shell import parse as shell_parse
    from layerwise.syntax import parse

    text = (
        "# syntax=docker/dockerfile:1\n"
        "FROM debian:bookworm AS base\n"
        "# a comment\n\n"
        "ENV A=1 B\\ C=2\n"
        "RUN --mount=type=cache,target=/root/.npm apt-get update && \\\n"
        "    apt-get install -y curl\n"
        "COPY <<EOF /etc/x\nhello\nEOF\n"
        "FROM base\nRUN cd /app && npm install\n"
    )
    tree = parse(text, path="Dockerfile")
    model = build_model(tree)
    ctx = RuleContext(model=model, tree=tree)
    scripts = [ctx.script(i) for i in tree.instructions if i.name == "RUN"]
    # A build context with clutter: LW601's fix adds lines to a new .dockerignore (FileLines).
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.c").write_text("int main;\n")
    broad = parse("FROM debian:bookworm\nCOPY . /src\n", path="Dockerfile")
    findings = check_tree(tree) + check_tree(broad, context=BuildContext.open(tmp_path))
    assert findings and any(f.fix is not None for f in findings)
    expansion = expand_word("${A:-x}", {})
    seen: dict[type, object] = {}
    visited: set[int] = set()

    def visit(obj: object) -> None:
        if id(obj) in visited:
            return
        visited.add(id(obj))
        if isinstance(obj, list | tuple):
            for item in obj:
                visit(item)
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            seen.setdefault(type(obj), obj)
            for f in dataclasses.fields(obj):
                visit(getattr(obj, f.name))

    visit([tree.instructions, tree.directives, model.steps, model.stages, scripts, findings])
    visit(expansion)
    assert set(QUICK) - set(seen) <= {shell_parse._Ctx}  # the walker's, never leaves it
    assert Fix in seen
    for obj in seen.values():
        back = pickle.loads(pickle.dumps(obj))
        assert type(back) is type(obj)
        assert repr(back) == repr(obj)  # Step and Stage compare by identity: their reprs here
        if type(obj).__dataclass_params__.eq:  # type: ignore[attr-defined]
            assert back == obj
