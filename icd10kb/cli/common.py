"""What every command shares: the command record, the common options, loading the release."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["Command", "Failure", "UsageError", "check_handler", "check_subparsers", "count", "load_kb", "option"]


class Command(NamedTuple):
    """One sub-command: its one-line help, its handler and the arguments it adds."""

    help: str
    handler: Callable[[argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None]
    #: Whether the command takes ``--json`` (export chooses a format instead).
    json: bool = True
    #: Whether the command reads a release (the common options --release, --tabular …).
    release: bool = True


class UsageError(Exception):
    """The command line is wrong in a way argparse cannot see (exit status 2)."""


class Failure(Exception):
    """The command cannot do its work, for a reason told in words (exit status 1)."""


def count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        value = int(str.__getitem__(text, slice(None))) if isinstance(text, str) and len(text) <= 20 else -1
    except ValueError:
        value = -1
    if value < 0:
        from ..errors import shorten

        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, not {shorten(text)}")
    return value


def load_kb(args: argparse.Namespace) -> KnowledgeBase:
    """The knowledge base the common options ask for."""
    from ..load import load, load_tabular

    if not isinstance(args, argparse.Namespace):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(args, "the parsed command line (argparse.Namespace)", "args")
    knowledge = args.knowledge or ()
    if args.tabular is not None:
        return load_tabular(args.tabular, args.code_list, knowledge=knowledge)
    return load(args.release, knowledge=knowledge)


def check_handler(args: object, out: object, err: object) -> argparse.Namespace:
    """The arguments of a feature layer's handler ``(args, out, err)``, checked before any work.

    *args* is the parsed command line; *out* and *err* are text streams (something with a
    ``write`` method that is neither a binary file nor closed). Anything else is an
    :class:`~icd10kb.errors.InvalidArgumentError` naming it.
    """
    from ..arguments import check_stream
    from ..errors import InvalidArgumentError

    if not isinstance(args, argparse.Namespace):
        raise InvalidArgumentError(args, "the parsed command line (argparse.Namespace)", "args")
    check_stream(out, "output stream")
    check_stream(err, "error stream")
    return args


def check_subparsers(subparsers: object) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """*subparsers* if it is what ``ArgumentParser.add_subparsers()`` returns, else InvalidArgumentError."""
    if not isinstance(subparsers, argparse._SubParsersAction):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(subparsers, "what ArgumentParser.add_subparsers() returns", "sub-parsers")
    return subparsers


_MISSING = object()


def option(
    args: argparse.Namespace, name: str, default: object = _MISSING, *, kinds: tuple[type, ...] | None = None
) -> Any:
    """``args.<name>``, or *default* when given and the option is absent, else InvalidArgumentError.

    An option that is missing is a handler given the command line of another command. With
    *kinds*, the value must be of one of those types (``1`` is not ``True``; a ``str``
    subclass comes back as a plain ``str``), else InvalidArgumentError naming the option.

    Examples
    --------
    >>> option(argparse.Namespace(release=None), "release", kinds=(str, type(None))) is None
    True
    >>> option(argparse.Namespace(), "json", False)
    False
    """
    from ..arguments import check_text
    from ..errors import InvalidArgumentError

    name = check_text(name, "option name", 100)
    if not isinstance(args, argparse.Namespace):
        raise InvalidArgumentError(args, "the parsed command line (argparse.Namespace)", "args")
    if kinds is not None and (type(kinds) is not tuple or not all(isinstance(k, type) for k in kinds)):
        raise InvalidArgumentError(kinds, "a tuple of types", "kinds")
    value = vars(args).get(name, default)
    if value is _MISSING:
        raise InvalidArgumentError(name, f"the command line has no {name!r}", "option")
    if kinds is not None:
        if not any(type(value) is kind or (kind is str and isinstance(value, str)) for kind in kinds):
            wanted = " or ".join("None" if kind is type(None) else kind.__name__ for kind in kinds)
            raise InvalidArgumentError(value, f"expected {wanted}", name)
        if isinstance(value, str):
            value = str.__getitem__(value, slice(None))
    return value
