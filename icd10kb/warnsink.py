"""Where icd10kb's warnings go: Python's ``warnings``, or a function the caller gives, per context.

A library warns with :func:`warn`. By default that is :func:`warnings.warn`.
Inside ``with warnings_to(sink):`` the message goes to ``sink(message)``
instead — the command line prints it as ``icd10kb: warning: ...``. The
choice is held in a :class:`contextvars.ContextVar`, so it applies to the
current thread (or task) only: unlike :func:`warnings.catch_warnings`, it
never changes the process-wide warning filters, and threads that do the
same at once do not disturb each other.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["warn", "warnings_to"]

_SINK: ContextVar[Callable[[str], object] | None] = ContextVar("icd10kb_warning_sink", default=None)


def warn(message: str, category: type[Warning]) -> None:
    """Warn with *message*: to the sink of the current context, else through :func:`warnings.warn`,
    pointing at the first caller outside icd10kb (the user's own line).

    Raises
    ------
    InvalidArgumentError
        If *message* is not text, or *category* not a class of warning.
    """
    from .arguments import check_text
    from .errors import InvalidArgumentError

    message = check_text(message, "message", 100_000)
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise InvalidArgumentError(category, "a class of warning (a subclass of Warning)", "category")
    sink = _SINK.get()
    if sink is not None:
        sink(message)
        return
    frame, level = sys._getframe(1), 2  # stacklevel 2: this function's caller
    while frame.f_back is not None and _inside(frame.f_globals.get("__name__")):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def _inside(module: object) -> bool:
    return type(module) is str and (module == "icd10kb" or module.startswith("icd10kb."))


@contextmanager
def warnings_to(sink: Callable[[str], object]) -> Iterator[None]:
    """Send icd10kb's warnings to *sink* for the length of the ``with`` block, in this context only.

    Raises
    ------
    InvalidArgumentError
        If *sink* is not callable.

    Examples
    --------
    >>> seen = []
    >>> with warnings_to(seen.append):
    ...     warn("a pack names L94.7", UserWarning)
    >>> seen
    ['a pack names L94.7']
    """
    if not callable(sink):
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(sink, "warnings_to() takes a function of one message", "sink")
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)
