"""`quick_init`: frozen dataclasses that are quick to make.

The `__init__` a frozen dataclass gets stores each field with `object.__setattr__(self, name,
value)` (its own `__setattr__` refuses): a general call that finds the attribute on the type
again for every field of every object. The parser, the shell walker and the model make some
hundred thousand small frozen objects for a scan of a thousand Dockerfiles, and those calls were
about 6% of the run. `quick_init` gives a frozen dataclass with slots an `__init__` that stores
each field through its slot's descriptor instead: the same parameters and defaults, the same
default factories, `init=False` fields and `__post_init__`; the instances stay frozen.

It also makes them quick to pickle (workers send their findings back that way): an instance
pickles as a call of its class with its `__init__` fields, where dataclass's own way walks
`dataclasses.fields()` for every object in Python. A field outside `__init__` is worked out
again by `__init__` (a default, a factory, `__post_init__`), as it was the first time.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

T = TypeVar("T")

_MISSING = dataclasses.MISSING


def quick_init(cls: type[T]) -> type[T]:
    """Replace the `__init__` that `@dataclass(frozen=True, slots=True)` wrote for `cls`
    (apply it above that decorator). Anything it does not reproduce is refused: a class that
    is not a frozen dataclass with slots, an `__init__` of the class's own, keyword-only
    fields, `InitVar`s."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or not params.init or "__slots__" not in vars(cls):
        raise TypeError(f"{cls.__name__}: quick_init needs @dataclass(frozen=True, slots=True)")
    if (
        getattr(cls.__init__, "__code__", None) is None
        or cls.__init__.__code__.co_filename != "<string>"
    ):
        # dataclass leaves an __init__ the class wrote itself in place (its code is in a file).
        raise TypeError(f"{cls.__name__}: quick_init replaces only the __init__ dataclass wrote")
    every = getattr(cls, "__dataclass_fields__")  # noqa: B009 (mypy knows no such attribute)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if len(fields) != len(every) or any(f.kw_only for f in fields):
        raise TypeError(f"{cls.__name__}: quick_init takes no InitVar or keyword-only field")
    names: dict[str, Any] = {"_MISSING": _MISSING}
    params_src: list[str] = []
    body: list[str] = []
    for f in fields:
        names[f"_set_{f.name}"] = _slot(cls, f.name).__set__
        value = f.name
        if f.default is not _MISSING:
            names[f"_default_{f.name}"] = f.default
            value = f"_default_{f.name}"
        elif f.default_factory is not _MISSING:
            names[f"_factory_{f.name}"] = f.default_factory
            value = f"_factory_{f.name}()"
        if f.init:
            if f.default is not _MISSING:
                params_src.append(f"{f.name}=_default_{f.name}")
            elif f.default_factory is not _MISSING:
                params_src.append(f"{f.name}=_MISSING")
                body.append(f" if {f.name} is _MISSING: {f.name} = _factory_{f.name}()")
            else:
                params_src.append(f.name)
            body.append(f" _set_{f.name}(self, {f.name})")
        elif value != f.name:  # init=False with a default: set it, as dataclass does
            body.append(f" _set_{f.name}(self, {value})")
    if hasattr(cls, "__post_init__"):
        body.append(" self.__post_init__()")
    source = f"def __init__(self, {', '.join(params_src)}):\n" + "\n".join(body or [" pass"])
    exec(source, names)  # as dataclasses itself writes __init__
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    cls.__reduce__ = _reducer([f.name for f in fields if f.init])  # type: ignore[method-assign]
    return cls


def _reducer(names: list[str]) -> Any:
    """A `__reduce__` that rebuilds an instance by calling its class with `names`' values."""
    if len(names) > 1:
        values = operator.attrgetter(*names)  # a tuple of the values, in C

        def __reduce__(self: object) -> tuple[type, tuple[Any, ...]]:
            return type(self), values(self)

    else:

        def __reduce__(self: object) -> tuple[type, tuple[Any, ...]]:
            return type(self), tuple(getattr(self, name) for name in names)

    return __reduce__


def _slot(cls: type, name: str) -> Any:
    """The member descriptor of slot `name` (on `cls` or a base class)."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise TypeError(f"{cls.__name__}: no slot {name!r}")
