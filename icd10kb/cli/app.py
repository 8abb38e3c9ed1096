"""The ``icd10kb`` command: the parser, the commands it dispatches to, and one rule for exits.

Built as :func:`get_parser` plus :func:`main`, so it can be run in-process:
``main(["show", "L94.2"])`` returns the exit status.

Exit status, the same for every command and for text and ``--json`` output:

- **0**: the command did its work, whatever it found (a search with no
  match prints nothing on standard output — ``[]`` with ``--json`` — and
  says "no match" on standard error);
- **1**: it could not: an unknown or malformed code, an unreadable file, a
  damaged pack — or ``check`` found an error-severity finding;
- **2**: the command line itself is wrong (usage).

Errors go to standard error as ``icd10kb: error: …``; with ``--json`` they
are also written to standard output as ``{"error": {"type", "message"}}``.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from ..errors import ICD10KBError
from . import concepts, exports, find
from .common import Command, Failure, UsageError
from .output import emit_json, say

__all__ = ["COMMANDS", "get_parser", "main"]

#: Every command, with its one-line help; the docs test checks each is documented.
COMMANDS: dict[str, Command] = {**concepts.COMMANDS, **find.COMMANDS, **exports.COMMANDS}


def _release_help() -> str:
    from ..classification.releases import available

    return (
        f"shipped release to use: {', '.join(available())}, or a fiscal year such as FY2025 or 2025"
        " (default: 2026-04-01)"
    )


def get_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``icd10kb`` command."""
    parser = argparse.ArgumentParser(
        prog="icd10kb",
        description="Explore ICD-10-CM as a knowledge graph: codes, hierarchy, notes and clinical knowledge.",
    )
    parser.add_argument("--version", action="version", version=_version())
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--release", default=None, help=_release_help())
    common.add_argument("--tabular", metavar="XML", help="load this official tabular XML instead of a shipped release")
    common.add_argument("--code-list", metavar="FILE", help="with --tabular: the release's code list")
    common.add_argument(
        "--knowledge",
        metavar="PACK",
        action="append",
        help="add this knowledge pack (a JSON or YAML file); may be repeated",
    )
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON for programs instead of text")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, command in COMMANDS.items():
        parents = ([common] if command.release else []) + ([as_json] if command.json else [])
        sub = commands.add_parser(
            name, parents=parents, help=command.help, description=command.help[0].upper() + command.help[1:] + "."
        )
        sub.set_defaults(command_parser=sub)
        command.arguments(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"icd10kb {version('icd10kb')}"
    except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
        return "icd10kb (not installed)"


def _check_argv(argv: Sequence[str]) -> None:
    for arg in argv:
        if not isinstance(arg, str):
            raise UsageError(f"arguments are text, not {type(arg).__name__}")
        if any("\udc80" <= ch <= "\udcff" for ch in arg):  # bytes the file system encoding could not decode
            shown = os.fsencode(arg) if all(ord(c) < 0xD800 or "\udc80" <= c <= "\udcff" for c in arg) else arg
            raise UsageError(f"argument {shown!r} is not valid text in this system's encoding")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see the module's documentation)."""
    parser = get_parser()
    raw = list(sys.argv[1:] if argv is None else argv)
    try:
        _check_argv(raw)
    except UsageError as exc:
        parser.error(str(exc))
    args = parser.parse_args(raw)
    command_parser: argparse.ArgumentParser = args.command_parser
    if getattr(args, "code_list", None) is not None and args.tabular is None:
        command_parser.error("--code-list goes with --tabular (a shipped release has its own code list)")
    if getattr(args, "release", None) is not None and getattr(args, "tabular", None) is not None:
        command_parser.error("--release and --tabular exclude each other: the tabular file is the release")
    handler = COMMANDS[args.command].handler
    as_json = bool(getattr(args, "json", False))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            status = handler(args)
        for warning in caught:
            say(f"icd10kb: warning: {warning.message}")
        return status
    except BrokenPipeError:  # output piped into a program that stopped reading (head, less)
        _silence_stdout()
        return 0
    except (ICD10KBError, OSError, Failure) as exc:
        _report(exc, as_json)
        return 1
    except UsageError as exc:
        command_parser.error(str(exc))
    return 2  # pragma: no cover - parser.error exits


def _report(exc: BaseException, as_json: bool) -> None:
    say(f"icd10kb: error: {exc}")
    if as_json:
        error: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
        try:
            emit_json({"error": error})
        except (OSError, ValueError):  # standard output is closed as well: the message above stands
            pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind standard output
        pass
