"""Command-line sub-commands for the tables: ``drug``, ``neoplasm``, ``external`` and ``index``.

:func:`add_parsers` adds them to the ``icd10kb`` command's sub-parsers; each
handler takes the parsed arguments and the output and error streams and
returns the exit status (0, or 1 for an error, which goes to *err*), so they
can be run in-process.

Examples
--------
>>> import argparse, io
>>> parser = argparse.ArgumentParser(prog="icd10kb")
>>> add_parsers(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["drug", "Warfarin", "--intent", "underdosing"])
>>> out = io.StringIO()
>>> args.handler(args, out, io.StringIO())
0
>>> print(out.getvalue().splitlines()[1][:57])
  underdosing  T45.516  needs a 7th character: A (initial
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..arguments import check_bool, check_items, check_text
from ..cli.common import check_handler, check_subparsers, option
from ..errors import ICD10KBError, InvalidArgumentError

if TYPE_CHECKING:
    from .. import KnowledgeBase
    from .models import TableLookup
    from .reader import IndexFile

__all__ = ["COMMANDS", "add_parsers", "cmd_drug", "cmd_external", "cmd_index", "cmd_neoplasm"]


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    import icd10kb

    tabular = option(args, "tabular", None)
    if tabular is not None:
        return icd10kb.load_tabular(tabular, option(args, "code_list", None))  # type: ignore[arg-type]
    return icd10kb.load(option(args, "release", None))  # type: ignore[arg-type]


def _file(args: argparse.Namespace) -> IndexFile | None:
    """The table of another year given with ``--file``, read with the guarded reader."""
    from .reader import read_index

    path = option(args, "file", None)
    return read_index(check_text(path, "--file", 4096)) if path is not None else None


def _words(args: argparse.Namespace, name: str) -> str:
    """The words of a term given as several arguments (``nargs="+"``), joined by spaces."""
    parts = check_items(option(args, name), name, 100)
    if not parts:
        raise InvalidArgumentError(parts, "give at least one word", name)
    return " ".join(check_text(part, name, 1000) for part in parts)


def _check(args: object, out: object, err: object, *names: str) -> argparse.Namespace:
    """The handler's arguments checked before any work: the streams, ``--json`` and the term's words."""
    args = check_handler(args, out, err)
    check_bool(option(args, "json", False), "--json")
    for name in names:
        _words(args, name)
    return args


def _write(result: TableLookup, args: argparse.Namespace, out: TextIO) -> None:
    if option(args, "json", False):
        out.write(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
        return
    out.write(f"{', '.join(result.path)}  ({result.source}; codes checked against ICD-10-CM {result.release})\n")
    width = max((len(c.column) for c in result.codes), default=0)
    for entry in result.codes:
        shown = entry.code or "-"
        if entry.code is None:
            what = entry.reason
        elif entry.status == "complete":
            what = "complete (billable)"
        else:
            what = f"needs {entry.needs}"
        out.write(f"  {entry.column.ljust(width)}  {shown.ljust(8)} {what}\n")
    if not result.codes:
        out.write("  no code at this term\n")
    for reference in result.see:
        out.write(f"  followed: see {reference}\n")
    if result.unresolved:
        out.write(f"  not followed: {result.unresolved}\n")
    for reference in result.see_also:
        out.write(f"  see also: {reference}\n")
    if result.subterms:
        out.write(f"  subterms: {'; '.join(result.subterms)}\n")


def _run(args: argparse.Namespace, out: TextIO, err: TextIO, look: Any) -> int:
    """Run a look-up; an error goes to *err* (and, with ``--json``, to *out* as ``{"error": ...}``) with status 1."""
    try:
        _write(look(_kb(args)), args, out)
    except (ICD10KBError, OSError) as exc:
        err.write(f"icd10kb: error: {exc}\n")
        if option(args, "json", False):
            out.write(
                json.dumps({"error": {"type": type(exc).__name__, "message": str(exc)}}, ensure_ascii=False) + "\n"
            )
        return 1
    return 0


def cmd_drug(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``icd10kb drug NAME [--intent INTENT]``: the Table of Drugs and Chemicals."""
    from .lookup import drug

    args = _check(args, out, err, "name")
    intent = option(args, "intent", None)
    return _run(args, out, err, lambda kb: drug(_words(args, "name"), intent, kb=kb, index=_file(args)))


def cmd_neoplasm(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``icd10kb neoplasm SITE [--behaviour BEHAVIOUR]``: the Table of Neoplasms."""
    from .lookup import neoplasm

    args = _check(args, out, err, "site")
    behaviour = option(args, "behaviour", None)
    return _run(args, out, err, lambda kb: neoplasm(_words(args, "site"), behaviour, kb=kb, index=_file(args)))


def cmd_external(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``icd10kb external TERM``: the External Cause of Injuries Index."""
    from .lookup import external_cause

    args = _check(args, out, err, "term")
    return _run(args, out, err, lambda kb: external_cause(_words(args, "term"), kb=kb, index=_file(args)))


def cmd_index(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``icd10kb index FILE TERM``: an index file you supply (the Index to Diseases and Injuries)."""
    from .lookup import index_lookup
    from .reader import read_index

    args = _check(args, out, err, "term")
    path = check_text(option(args, "file"), "file", 4096)
    return _run(args, out, err, lambda kb: index_lookup(read_index(path), _words(args, "term"), kb=kb))


def _drug_arguments(sub: argparse.ArgumentParser) -> None:
    from .lookup import INTENTS

    sub.add_argument("name", nargs="+", help="the substance, e.g. acetaminophen or 'alcohol, ethyl'")
    sub.add_argument("--intent", help="one of: " + ", ".join(INTENTS) + " (default: all)")
    sub.add_argument("--file", metavar="XML", help="a Table of Drugs and Chemicals of another year (default: FY2025)")


def _neoplasm_arguments(sub: argparse.ArgumentParser) -> None:
    from .lookup import BEHAVIOURS

    sub.add_argument("site", nargs="+", help="the site, e.g. lung or 'skin of breast'")
    sub.add_argument("--behaviour", "--behavior", help="one of: " + ", ".join(BEHAVIOURS) + " (default: all)")
    sub.add_argument("--file", metavar="XML", help="a Table of Neoplasms of another year (default: FY2025)")


def _external_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("term", nargs="+", help="the term, e.g. 'fall from ladder'")
    sub.add_argument("--file", metavar="XML", help="an External Cause Index of another year (default: FY2025)")


def _index_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("file", help="the index XML (icd10cm-index-YYYY.xml, plain or gzip)")
    sub.add_argument("term", nargs="+", help="the term, e.g. 'calcinosis cutis'")


Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]

#: Every command: name -> (one-line help, handler, function adding its own arguments).
#: The common options (``--json``, ``--release``, ``--tabular``) come from the caller's parents.
COMMANDS: dict[str, tuple[str, Handler, Callable[[argparse.ArgumentParser], None]]] = {
    "drug": ("look a drug or chemical up in the Table of Drugs and Chemicals", cmd_drug, _drug_arguments),
    "neoplasm": ("look a site up in the Table of Neoplasms", cmd_neoplasm, _neoplasm_arguments),
    "external": ("look a term up in the External Cause of Injuries Index", cmd_external, _external_arguments),
    "index": (
        "look a term up in an index XML file you supply (Index to Diseases and Injuries)",
        cmd_index,
        _index_arguments,
    ),
}


def add_parsers(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add the ``drug``, ``neoplasm``, ``external`` and ``index`` sub-commands.

    Parameters
    ----------
    subparsers:
        What ``ArgumentParser.add_subparsers()`` returned.
    parents:
        Parent parsers giving the common options (``--json``, ``--release``,
        ...). Without them each command gets its own ``--json`` and ``--release``.

    Each sub-parser sets ``handler`` (the function to call with ``(args, out, err)``).
    """
    check_subparsers(subparsers)
    items = check_items(parents, "parents", 100)
    given = [p for p in items if isinstance(p, argparse.ArgumentParser)]
    if len(given) != len(items):
        raise InvalidArgumentError(parents, "a list of argparse.ArgumentParser", "parents")
    for name, (help_text, handler, arguments) in COMMANDS.items():
        sub: argparse.ArgumentParser = subparsers.add_parser(
            name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".", parents=given
        )
        if not given:
            sub.add_argument("--json", action="store_true", help="print JSON for programs instead of text")
            sub.add_argument(
                "--release", default=None, help="shipped release to check codes against (default: the newest)"
            )
        sub.set_defaults(handler=handler)
        arguments(sub)
