"""Command-line sub-commands: ``icd10kb history CODE`` and ``icd10kb diff A B``.

:func:`add_parsers` adds them to the ``icd10kb`` parser; each sub-command
stores its handler as ``args.handler``, a function ``(args, out, err) -> int``
(exit status: 0 done, 1 an error reported on *err*).

Examples
--------
>>> import argparse, io
>>> parser = argparse.ArgumentParser(prog="icd10kb")
>>> add_parsers(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["history", "D69.1"])
>>> out = io.StringIO()
>>> args.handler(args, out, io.StringIO())
0
>>> print(out.getvalue().splitlines()[0])
D69.1  Qualitative platelet defects
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from ..arguments import check_bool
from ..cli.common import check_handler, check_subparsers, option
from ..errors import ICD10KBError

__all__ = ["add_parsers", "run_diff", "run_history", "run_release_for"]

_WORDS = {"billable": "billable", "header": "header", "absent": "-", "unknown": "unknown"}


def add_parsers(subparsers: Any) -> None:
    """Add ``history``, ``diff`` and ``release-for`` to an argparse sub-parser group."""
    check_subparsers(subparsers)
    history = subparsers.add_parser(
        "history",
        help="a code's status and title in every release FY2016-FY2027",
        description="A code's status and title in every release FY2016-FY2027: in which releases it was "
        "billable, a header or absent, and its titles. "
        "Releases without a file are marked (inferred) or unknown.",
    )
    history.add_argument("code", help="an ICD-10-CM code, deleted ones too (e.g. D69.1)")
    history.add_argument("--json", action="store_true", help="print JSON for programs instead of text")
    history.set_defaults(handler=run_history)
    diff = subparsers.add_parser(
        "diff",
        help="what changed between two releases",
        description="What changed between two releases: codes added, deleted, retitled and moved between "
        "billable and header from release A "
        "to release B (FY2016 ... FY2027, 2025-04-01, 2026-04-01, or a shipped name such as 2021).",
    )
    diff.add_argument("a", help="the first release, e.g. 2026-04-01")
    diff.add_argument("b", help="the second release, e.g. FY2027")
    diff.add_argument("--json", action="store_true", help="print JSON for programs instead of text")
    diff.set_defaults(handler=run_diff)
    when = subparsers.add_parser(
        "release-for",
        help="the release in force on a date",
        description="The release in force on a date: the ICD-10-CM release for a date of service (YYYY-MM-DD).",
    )
    when.add_argument("date", help="a date, YYYY-MM-DD")
    when.add_argument("--json", action="store_true", help="print JSON for programs instead of text")
    when.set_defaults(handler=run_release_for)


def _json(args: argparse.Namespace) -> bool:
    return check_bool(option(args, "json", False), "--json")


def _fail(err: TextIO, exc: Exception) -> int:
    err.write(f"icd10kb: error: {exc}\n")
    return 1


def _dump(out: TextIO, value: Any) -> None:
    out.write(json.dumps(value.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")


def run_history(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``icd10kb history CODE [--json]``."""
    from .codes import history

    args = check_handler(args, out, err)
    code, as_json = option(args, "code"), _json(args)
    try:
        found = history(code)
    except ICD10KBError as exc:
        return _fail(err, exc)
    if as_json:
        _dump(out, found)
        return 0
    last = found.titles[-1][1] if found.titles else ""
    out.write(f"{found.code}  {last}\n")
    for entry in found.releases:
        status = _WORDS[entry.status] + (" (inferred)" if entry.inferred else "")
        title = f"  {entry.title}" if entry.title and entry.title != last else ""
        out.write(f"  {entry.release:<11} {entry.effective}  {status:<19}{title}\n".rstrip() + "\n")
    return 0


def run_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``icd10kb diff A B [--json]``."""
    from .diff import diff

    args = check_handler(args, out, err)
    a, b, as_json = option(args, "a"), option(args, "b"), _json(args)
    try:
        result = diff(a, b)
    except ICD10KBError as exc:
        return _fail(err, exc)
    if as_json:
        _dump(out, result)
        return 0
    out.write(
        f"{result.a} -> {result.b}: {len(result.added)} added, {len(result.deleted)} deleted, "
        f"{len(result.retitled)} retitled, {len(result.billable_to_header)} billable -> header, "
        f"{len(result.header_to_billable)} header -> billable, {len(result.unknown)} unknown\n"
    )
    for code in result.added:
        out.write(f"+ {code}\n")
    for gone in result.deleted:
        where = f" -> {', '.join(gone.content_to)}" if gone.content_to else ""
        out.write(f"- {gone.code} ({gone.now}){where}  {gone.title or ''}".rstrip() + "\n")
    for change in result.retitled:
        out.write(f"~ {change.code}  {change.before!r} -> {change.after!r}\n")
    for code in result.header_to_billable:
        out.write(f"^ {code} header -> billable\n")
    return 0


def run_release_for(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``icd10kb release-for DATE [--json]``."""
    from .codes import release_for

    args = check_handler(args, out, err)
    date, as_json = option(args, "date"), _json(args)
    try:
        answer = release_for(date)
    except ICD10KBError as exc:
        return _fail(err, exc)
    if as_json:
        _dump(out, answer)
        return 0
    shipped = f"; shipped as {answer.shipped!r}" if answer.shipped else ""
    out.write(f"{answer.date}: {answer.release or 'none'} (in force from {answer.effective}){shipped}\n{answer.note}\n")
    return 0
