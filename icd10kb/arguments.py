"""Checking the plain arguments of public functions: text, bytes, flags and counts.

Every public function refuses an argument of the wrong type or size with an
:class:`~icd10kb.errors.InvalidArgumentError` naming it, before any work;
these helpers say so in one line each. A ``str`` subclass is turned into a
plain ``str`` first, so that a subclass with a hostile ``__eq__`` or
``__hash__`` never reaches a dictionary. The limits are listed in
``docs/limits.md``.
"""

from __future__ import annotations

from .errors import InvalidArgumentError

__all__ = [
    "MAX_TEXT",
    "check_bool",
    "check_bytes",
    "check_choice",
    "check_int",
    "check_items",
    "check_stream",
    "check_text",
]

#: The longest text argument accepted where no tighter limit is documented.
MAX_TEXT = 10_000


def check_text(value: object, what: str, limit: int = MAX_TEXT) -> str:
    """*value* as a plain ``str`` of at most *limit* characters, else :class:`InvalidArgumentError`.

    Examples
    --------
    >>> check_text("L94", "code")
    'L94'
    >>> check_text(None, "code")
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidArgumentError: None is not a valid code: expected text, got NoneType
    """
    what = _what(what)
    limit = check_int(limit, "limit")
    if not isinstance(value, str):
        raise InvalidArgumentError(value, f"expected text, got {type(value).__name__}", what)
    text = str.__getitem__(value, slice(None))  # a plain str, whatever a subclass overrides
    if len(text) > limit:
        raise InvalidArgumentError(text, f"longer than {limit:,} characters", what)
    return text


def check_bytes(value: object, what: str) -> bytes:
    """*value* as ``bytes`` (bytes, bytearray or memoryview), else :class:`InvalidArgumentError`.

    Examples
    --------
    >>> check_bytes(bytearray(b"x"), "data")
    b'x'
    """
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidArgumentError(value, f"expected bytes, got {type(value).__name__}", _what(what))
    return bytes(value)


def check_bool(value: object, what: str) -> bool:
    """*value* if it is True or False (not 0, 1, None or "no"), else :class:`InvalidArgumentError`.

    Examples
    --------
    >>> check_bool(True, "flag")
    True
    """
    if type(value) is not bool:
        what = _what(what)
        raise InvalidArgumentError(value, f"{what} is True or False", what)
    return value


def check_int(value: object, what: str, low: int = 0, high: int | None = None) -> int:
    """*value* if it is a whole number (not a bool) from *low* to *high*, else :class:`InvalidArgumentError`.

    Examples
    --------
    >>> check_int(3, "limit")
    3
    """
    if type(low) is not int or (high is not None and type(high) is not int):
        raise InvalidArgumentError((low, high), "the bounds are whole numbers", "bounds")
    if type(value) is not int or value < low or (high is not None and value > high):
        what = _what(what)
        span = f"from {low:,} to {high:,}" if high is not None else f"{low:,} or more"
        raise InvalidArgumentError(value, f"{what} is a whole number {span}", what)
    return value


def check_choice(value: object, choices: tuple[str, ...], what: str) -> str:
    """*value* as a plain ``str`` if it is one of *choices*, else :class:`InvalidArgumentError`.

    Examples
    --------
    >>> check_choice("V28", ("V24", "V28"), "model")
    'V28'
    >>> check_choice("v28", ("V24", "V28"), "model")
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidArgumentError: 'v28' is not a valid model: choose one of V24, V28
    """
    what = _what(what)
    if type(choices) is not tuple or not all(type(choice) is str for choice in choices):
        raise InvalidArgumentError(choices, "the choices are a tuple of text", "choices")
    if not isinstance(value, str):
        raise InvalidArgumentError(value, f"choose one of {', '.join(choices)}", what)
    text = str.__getitem__(value, slice(0, 200))  # a plain str: a subclass's __eq__ never runs
    if text not in choices or len(value) != len(text):
        raise InvalidArgumentError(text, f"choose one of {', '.join(choices)}", what)
    return text


def check_items(value: object, what: str, limit: int) -> list[object]:
    """The items of a column or list argument, in order, as a plain ``list``, else :class:`InvalidArgumentError`.

    Taken: a list or tuple, a pandas, polars or numpy column, a pyarrow array, and the iterables of
    the language itself (iterators, generators, ``range``, ``dict`` views). Refused: a single string
    or bytes, a set (it has no order), a mapping, any other object (its own ``__iter__`` is never
    called), and more than *limit* items (an endless iterator stops there). The items themselves are
    not looked at.

    Examples
    --------
    >>> check_items(("L94.2", None), "codes", 10)
    ['L94.2', None]
    >>> check_items("L94.2", "codes", 10)
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidArgumentError: 'L94.2' is not a valid codes: give a list of items, not one string
    """
    what = _what(what)
    limit = check_int(limit, "limit")
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        raise InvalidArgumentError(value, "give a list of items, not one string", what)
    if isinstance(value, list):
        items = list.__getitem__(value, slice(None))  # a plain list, whatever a subclass overrides
    elif isinstance(value, tuple):
        items = list(tuple.__getitem__(value, slice(None)))
    else:
        items = _column_items(value, what, limit)
    if len(items) > limit:
        raise InvalidArgumentError(f"<{len(items):,} items>", f"at most {limit:,} items", what)
    return items


def _column_items(value: object, what: str, limit: int) -> list[object]:
    import itertools

    kind = type(value)
    module = kind.__module__.split(".")[0]
    method = {"numpy": "tolist", "pandas": "tolist", "polars": "to_list", "pyarrow": "to_pylist"}.get(module)
    if method is not None and callable(getattr(value, method, None)):
        try:
            size = len(value)  # type: ignore[arg-type]
        except TypeError:  # a numpy scalar or 0-d array: one value, not a column
            size = -1
        if size > limit:
            raise InvalidArgumentError(f"<{size:,} items>", f"at most {limit:,} items", what)
        items = getattr(value, method)() if size >= 0 else None
        if isinstance(items, list):
            return items
    elif module == "builtins" and not isinstance(value, (set, frozenset, dict)) and hasattr(kind, "__iter__"):
        return list(itertools.islice(value, limit + 1))  # type: ignore[call-overload]
    raise InvalidArgumentError(value, "give a list, a tuple, a Series or an array (in order)", what)


def check_stream(value: object, what: str) -> object:
    """*value* if it is an open text stream (it has ``write``; not a binary file, not closed), else an error.

    Examples
    --------
    >>> import io
    >>> check_stream(io.BytesIO(), "out")
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidArgumentError: <_io.BytesIO object at ...> is not a valid out: an open text stream ...
    """
    import inspect
    import io

    write = inspect.getattr_static(value, "write", None)  # looked up, never run: a hostile __getattr__ stays silent
    if (
        write is None
        or not callable(write)
        or (
            isinstance(value, io.IOBase)
            and (isinstance(value, (io.BufferedIOBase, io.RawIOBase)) or value.closed or not value.writable())
        )
    ):
        raise InvalidArgumentError(value, "an open text stream (with a write method)", _what(what))
    return value


def _what(what: object) -> str:
    """The name of the argument for messages (the caller's own text; anything else is not trusted)."""
    return str.__getitem__(what, slice(0, 100)) if isinstance(what, str) else "argument"
