"""Command-line commands of the groupers: ``ccsr``, ``comorbidity``, ``hcc``, ``gems`` and ``groupers``.

:func:`add_parsers` adds them to the ``icd10kb`` command's sub-parsers; each sets ``handler`` to a
function ``(args, out, err) -> exit status``, testable in-process.

Examples
--------
>>> import argparse, io
>>> parser = argparse.ArgumentParser(prog="icd10kb")
>>> add_parsers(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["hcc", "I50.9", "E11.9", "--model", "V28", "--year", "2026"])
>>> out = io.StringIO()
>>> args.handler(args, out, io.StringIO())
0
>>> print(out.getvalue().strip())
HCC38	Diabetes with Glycemic, Unspecified, or No Complications
HCC226	Heart Failure, Except End-Stage and Acute
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from ..arguments import check_bool, check_choice, check_text
from ..cli.common import check_handler, check_subparsers, option
from ..errors import ICD10KBError
from .base import as_list

__all__ = [
    "add_parsers",
    "run_ccsr",
    "run_comorbidity",
    "run_gems",
    "run_groupers",
    "run_hcc",
]

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def _codes(args: argparse.Namespace) -> list[Any]:
    return as_list(option(args, "codes"), "codes", "the codes of the command line, as a list")


def _as_json(args: argparse.Namespace) -> bool:
    return check_bool(option(args, "json"), "--json")


def _guarded(work: Callable[[argparse.Namespace, TextIO], None]) -> Handler:
    def handler(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        check_handler(args, out, err)
        try:
            work(args, out)
        except ICD10KBError as exc:
            err.write(f"icd10kb: error: {exc}\n")
            return 1
        return 0

    handler.__doc__ = work.__doc__
    return handler


def _json(out: TextIO, value: Any) -> None:
    out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _ccsr(args: argparse.Namespace, out: TextIO) -> None:
    """Print the CCSR categories of each code."""
    from . import ccsr

    version = option(args, "ccsr_version")
    found = [ccsr.assign(code, version=version) for code in _codes(args)]
    if _as_json(args):
        _json(out, [a.model_dump() for a in found])
        return
    for a in found:
        for c in a.categories:
            marks = "".join(
                tag
                for tag, default in (
                    ("  [inpatient default]", a.inpatient_default),
                    ("  [outpatient default]", a.outpatient_default),
                )
                if default == c.id
            )
            out.write(f"{a.code}\t{c.id}\t{c.label}{marks}\n")


def _comorbidity(args: argparse.Namespace, out: TextIO) -> None:
    """Print the comorbidity groups of one record, and its score when the index has weights."""
    from . import comorbidity

    poa = option(args, "poa")
    indicators = check_text(poa, "--poa").split(",") if poa is not None else None
    idx = comorbidity.index(option(args, "index"))
    result = comorbidity.flags(_codes(args), index=idx.name, poa=indicators, assume_poa=option(args, "assume_poa"))
    score = comorbidity.score_of(result, option(args, "weights")) if idx.weights else None
    if _as_json(args):
        _json(out, {**result.model_dump(), "score": score})
        return
    for group in result.groups:
        out.write(f"{group}\t{idx.labels[group]}\n")
    for group in result.removed:
        out.write(f"({group}\t{idx.labels[group]}: dropped by the hierarchy)\n")
    for group in result.unassessed:
        out.write(f"({group}\t{idx.labels[group]}: needs POA indicators)\n")
    if score is not None:
        out.write(f"score\t{score:g}\n")


def _hcc(args: argparse.Namespace, out: TextIO) -> None:
    """Print the HCCs of one patient's codes, hierarchies applied."""
    from . import hcc

    result = hcc.assign(_codes(args), model=option(args, "model"), year=option(args, "year"))
    if _as_json(args):
        _json(out, result.model_dump())
        return
    for name in result.hccs:
        out.write(f"{name}\t{hcc.label(name, result.model)}\n")


def _gems(args: argparse.Namespace, out: TextIO) -> None:
    """Print every GEM line of each code with its flags."""
    from . import gems

    source = check_choice(option(args, "source"), ("icd9", "icd10"), "--from")
    lookup = gems.forward if source == "icd9" else gems.backward
    found = [e for code in _codes(args) for e in lookup(code)]
    if _as_json(args):
        _json(out, [e.model_dump() for e in found])
        return
    for e in found:
        out.write(f"{e.source}\t{e.target or 'NoDx'}\t{e.flags}\n")


def _groupers(args: argparse.Namespace, out: TextIO) -> None:
    """List the grouper maps shipped, with their version and citation."""
    from .maps import available, mapping

    as_json = _as_json(args)
    rows = [(name, mapping(name)) for name in available()]
    if as_json:
        _json(out, [{"name": n, "version": m.version, "citation": m.citation, "rows": len(m.rows)} for n, m in rows])
        return
    for name, m in rows:
        out.write(f"{name}\t{m.version}\t{len(m.rows)} rows\t{m.citation}\n")


run_ccsr = _guarded(_ccsr)
run_comorbidity = _guarded(_comorbidity)
run_hcc = _guarded(_hcc)
run_gems = _guarded(_gems)
run_groupers = _guarded(_groupers)


def _year(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a year")
    return int(text)


def add_parsers(subparsers: Any) -> None:
    """Add the groupers' commands to *subparsers* (from ``ArgumentParser.add_subparsers``).

    Raises
    ------
    InvalidArgumentError
        If *subparsers* is not what ``ArgumentParser.add_subparsers`` returns.
    """
    check_subparsers(subparsers)

    def add(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text, description=help_text + ".")
        sub.add_argument("--json", action="store_true", help="print JSON for programs instead of text")
        sub.set_defaults(handler=handler)
        return sub

    sub = add("ccsr", "CCSR categories of ICD-10-CM codes, with the default categories", run_ccsr)
    sub.add_argument("codes", nargs="+", help="ICD-10-CM codes")
    sub.add_argument(
        "--ccsr-version", choices=("v2023.1", "v2025.1"), default="v2025.1", help="CCSR version (v2023.1 has defaults)"
    )
    sub = add("comorbidity", "Charlson, Elixhauser or CMR comorbidities of one record, and its score", run_comorbidity)
    sub.add_argument("codes", nargs="+", help="the record's ICD-10-CM codes")
    sub.add_argument(
        "--index",
        choices=("charlson-quan2005", "elixhauser-quan2005", "cmr-v2026.1"),
        default="charlson-quan2005",
        help="comorbidity index (default charlson-quan2005)",
    )
    sub.add_argument("--weights", help="charlson or quan (Charlson), van_walraven (Elixhauser)")
    sub.add_argument("--poa", help="present-on-admission indicators, one per code, comma separated (CMR)")
    sub.add_argument("--assume-poa", action="store_true", help="CMR without --poa: take every code as POA")
    sub = add("hcc", "CMS-HCC categories of one patient's codes, hierarchies applied (no risk score)", run_hcc)
    sub.add_argument("codes", nargs="+", help="the patient's ICD-10-CM codes")
    sub.add_argument("--model", choices=("V24", "V28"), default="V28", help="CMS-HCC model (default V28)")
    sub.add_argument("--year", type=_year, default=2026, help="payment year (default 2026)")
    sub = add("gems", "ICD-9-CM <-> ICD-10-CM General Equivalence Mappings (FY2018), every target with flags", run_gems)
    sub.add_argument("codes", nargs="+", help="codes to map")
    sub.add_argument(
        "--from",
        dest="source",
        choices=("icd9", "icd10"),
        default="icd9",
        help="the codes' classification (default icd9)",
    )
    add("groupers", "list the grouper maps shipped, with version and citation", run_groupers)
