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

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["warn", "warnings_to"]

_SINK: ContextVar[Callable[[str], object] | None] = ContextVar("icd10kb_warning_sink", default=None)


def warn(message: str, category: type[Warning], stacklevel: int = 1) -> None:
    """Warn with *message*: to the sink of the current context, else through :func:`warnings.warn`.

    *stacklevel* counts as for :func:`warnings.warn` called where this is called.

    Raises
    ------
    InvalidArgumentError
        If *message* is not text, *category* not a class of warning, or *stacklevel* not 1 to 100.
    """
    from .arguments import check_int, check_text
    from .errors import InvalidArgumentError

    message = check_text(message, "message", 100_000)
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise InvalidArgumentError(category, "a class of warning (a subclass of Warning)", "category")
    stacklevel = check_int(stacklevel, "stacklevel", 1, 100)
    sink = _SINK.get()
    if sink is None:
        warnings.warn(message, category, stacklevel=stacklevel + 1)
    else:
        sink(message)


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
