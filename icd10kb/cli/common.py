"""What every command shares: the command record, the common options, loading the release."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["Command", "Failure", "UsageError", "count", "load_kb"]


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
