"""`quick_init` makes the same objects as the `__init__` dataclass writes, and they stay frozen."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from dataclasses import dataclass, field
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
