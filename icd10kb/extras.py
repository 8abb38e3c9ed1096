"""Optional extras: importing the library an extra brings, or saying plainly which extra to install."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from .errors import ICD10KBError

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(ICD10KBError, ImportError):
    """A feature needs a library of an optional extra that is not installed.

    Examples
    --------
    >>> require("no_such_module", "phenotypes", "the differential")
    Traceback (most recent call last):
      ...
    icd10kb.extras.MissingExtraError: the differential needs no_such_module: pip install 'icd10kb[phenotypes]'
    """


def require(module: str, extra: str, what: str) -> ModuleType:
    """Import *module*, or raise :class:`MissingExtraError` naming the extra that brings it."""
    from .arguments import check_text

    module, extra, what = check_text(module, "module", 200), check_text(extra, "extra", 100), check_text(what, "what")
    if not all(part.isidentifier() for part in module.split(".")):
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(module, "a module is named by its dotted, absolute name", "module")
    try:
        return import_module(module)
    except ImportError:
        raise MissingExtraError(f"{what} needs {module}: pip install 'icd10kb[{extra}]'") from None
