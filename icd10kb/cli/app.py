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
from collections.abc import Sequence
from typing import Any

from ..errors import ICD10KBError
from ..warnsink import warnings_to
from . import concepts, exports, find
from .common import Command, Failure, UsageError
from .output import emit, emit_json, say

__all__ = ["COMMANDS", "PLUGINS", "command_help", "get_parser", "main"]

#: The commands of the core, with their one-line help.
COMMANDS: dict[str, Command] = {**concepts.COMMANDS, **find.COMMANDS, **exports.COMMANDS}

#: Commands of the feature layers: command -> (module with ``add_parsers``, one-line help). A module is
#: imported only when one of its commands runs (or for ``--help``), so that every other command starts fast.
PLUGINS: dict[str, tuple[str, str]] = {
    "ccsr": ("icd10kb.groupers.cli", "CCSR categories of ICD-10-CM codes, with the default categories"),
    "comorbidity": ("icd10kb.groupers.cli", "Charlson, Elixhauser or CMR comorbidities of one record, and its score"),
    "hcc": ("icd10kb.groupers.cli", "CMS-HCC categories of one patient's codes, hierarchies applied (no risk score)"),
    "gems": (
        "icd10kb.groupers.cli",
        "ICD-9-CM <-> ICD-10-CM General Equivalence Mappings (FY2018), every target with flags",
    ),
    "groupers": ("icd10kb.groupers.cli", "list the grouper maps shipped, with version and citation"),
    "history": ("icd10kb.history.cli", "a code's status and title in every release FY2016-FY2027"),
    "diff": ("icd10kb.history.cli", "what changed between two releases"),
    "release-for": ("icd10kb.history.cli", "the release in force on a date"),
    "drug": ("icd10kb.tables.cli", "look a drug or chemical up in the Table of Drugs and Chemicals"),
    "neoplasm": ("icd10kb.tables.cli", "look a site up in the Table of Neoplasms"),
    "external": ("icd10kb.tables.cli", "look a term up in the External Cause of Injuries Index"),
    "index": ("icd10kb.tables.cli", "look a term up in an index XML file you supply (Index to Diseases and Injuries)"),
    "serve": ("icd10kb.fhir.cli", "run the FHIR R4 terminology server (needs the fhir extra)"),
    "fhir": ("icd10kb.fhir.cli", "write FHIR R4 resources (CodeSystem, ValueSets) as JSON"),
    "rdf": ("icd10kb.rdf.cli", "write the release as SKOS/OWL RDF (N-Triples or Turtle)"),
    "clean-claims": (
        "icd10kb.columns.cli",
        "normalise, validate and roll up a column of codes in a CSV or Parquet file",
    ),
    "per-patient": ("icd10kb.columns.cli", "comorbidity flags and scores, or HCCs, per patient of a claims file"),
    "phenotypes": (
        "icd10kb.phenotypes.cli",
        "HPO phenotypes of codes, codes with a phenotype, a phenotype differential",
    ),
}


def command_help() -> dict[str, str]:
    """Every command of ``icd10kb`` with its one-line help, core and feature layers alike."""
    return {**{name: c.help for name, c in COMMANDS.items()}, **{name: h for name, (_, h) in PLUGINS.items()}}


def _release_help() -> str:
    from ..classification.releases import available

    return (
        f"shipped release to use: {', '.join(available())}, or a fiscal year such as FY2025 or 2025"
        " (default: 2026-04-01)"
    )


def get_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``icd10kb`` command.

    With *command*, only the feature layer that holds it is imported; the
    other layers' commands are listed with their help but not built.
    """
    if command is not None and type(command) is not str:
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(command, "a command is given by its name", "command")
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
    for name, core in COMMANDS.items():
        parents = ([common] if core.release else []) + ([as_json] if core.json else [])
        sub = commands.add_parser(
            name, parents=parents, help=core.help, description=core.help[0].upper() + core.help[1:] + "."
        )
        sub.set_defaults(command_parser=sub)
        core.arguments(sub)
    built: set[str] = set()
    for name, (module, help_text) in PLUGINS.items():
        if module in built:
            continue
        if command is None or PLUGINS.get(command, ("",))[0] == module:
            from importlib import import_module

            before = set(commands.choices)
            add_parsers = import_module(module).add_parsers
            if "parents" in add_parsers.__code__.co_varnames:  # the layer takes the common options
                add_parsers(commands, parents=[common, as_json])
            else:
                add_parsers(commands)
            for added in set(commands.choices) - before:
                sub = commands.choices[added]
                sub.set_defaults(command_parser=sub)
                one_line = PLUGINS.get(added, ("", ""))[1]
                if one_line and one_line[1:] not in " ".join((sub.description or "").split()):
                    sub.description = f"{one_line[0].upper()}{one_line[1:]}. {sub.description or ''}".strip()
            built.add(module)
        else:
            commands.add_parser(name, help=help_text, add_help=False).set_defaults(command_parser=None)
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
    raw = list(sys.argv[1:] if argv is None else argv)
    wanted = next((a for a in raw if isinstance(a, str) and not a.startswith("-")), None)
    parser = get_parser(wanted if wanted in PLUGINS else "")
    try:
        _check_argv(raw)
    except UsageError as exc:
        parser.error(str(exc))
    args = parser.parse_args(raw)
    command_parser: argparse.ArgumentParser = args.command_parser or parser
    if getattr(args, "code_list", None) is not None and args.tabular is None:
        command_parser.error("--code-list goes with --tabular (a shipped release has its own code list)")
    if getattr(args, "release", None) is not None and getattr(args, "tabular", None) is not None:
        command_parser.error("--release and --tabular exclude each other: the tabular file is the release")
    as_json = bool(getattr(args, "json", False))
    try:
        caught: list[str] = []
        with warnings_to(caught.append):  # this call's own: the process's warning filters stay untouched
            if args.command in COMMANDS:
                status = COMMANDS[args.command].handler(args)
            else:  # a feature layer's command: handler(args, out, err)
                status = args.handler(args, _Out(), _Err())
        for message in caught:
            say(f"icd10kb: warning: {message}")
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


class _Out:
    """Standard output for a feature layer's handler, with the core's encoding fallback."""

    def write(self, text: str) -> int:
        emit(text, end="")
        return len(text)

    def flush(self) -> None:  # a long-running command (serve) announces itself at once
        sys.stdout.flush()


class _Err:
    def write(self, text: str) -> int:
        say(text.rstrip("\n"))
        return len(text)

    def flush(self) -> None:
        sys.stderr.flush()


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
