"""Command line of the phenotype layer: ``icd10kb phenotypes term|profile|codes|differential``.

:func:`add_parsers` adds the ``phenotypes`` command (with four sub-commands)
to the ``icd10kb`` parser's sub-parsers; each handler takes the parsed
arguments and the output and error streams and returns the exit status, so
it runs in-process in tests. Output is text, or JSON with ``--json``.

Examples
--------
>>> import argparse, io
>>> parser = argparse.ArgumentParser(prog="icd10kb")
>>> add_parsers(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["phenotypes", "term", "heart attack"])
>>> out, err = io.StringIO(), io.StringIO()
>>> args.handler(args, out, err), out.getvalue().splitlines()[0]
(0, 'HP:0001658  Myocardial infarction')
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from ..arguments import check_stream
from ..cli.common import option
from ..errors import ICD10KBError, InvalidArgumentError

__all__ = ["add_parsers", "cmd_codes", "cmd_differential", "cmd_profile", "cmd_term"]


def _kb(args: argparse.Namespace) -> Any:
    kb = vars(args).get("kb")  # a knowledge base given by a caller (tests); checked by the function it goes to
    if kb is not None:
        return kb
    import icd10kb

    return icd10kb.load(option(args, "release", kinds=(str, type(None))) if "release" in vars(args) else None)


_TEXT, _FLAG = (str,), (bool,)


def _json(value: Any, out: TextIO) -> None:
    if isinstance(value, tuple):
        value = [v.model_dump(mode="json") for v in value]
    else:
        value = value.model_dump(mode="json")
    out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _guard(handler: Any) -> Any:
    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        out, err = check_stream(out, "out"), check_stream(err, "err")
        try:
            return int(handler(args, out))
        except ICD10KBError as exc:
            err.write(f"icd10kb: error: {exc}\n")
            return 1

    run.__doc__ = handler.__doc__
    run.__name__ = handler.__name__
    return run


@_guard
def cmd_term(args: argparse.Namespace, out: TextIO) -> int:
    """Show an HPO term (by id or words): label, synonyms, parents, information content."""
    from .ontology import ontology

    hpo = ontology()
    term = hpo.resolve(option(args, "term", kinds=_TEXT))
    out.write(f"{term.id}  {term.label}\n")
    for s in term.synonyms:
        out.write(f"  synonym: {s.text} ({s.scope.lower()}{', ' + s.type if s.type else ''})\n")
    for parent in term.parents:
        out.write(f"  is a: {parent}  {hpo.label(parent)}\n")
    from .annotations import information_content

    out.write(f"  information content: {information_content(term.id):.3f}\n")
    return 0


def _frequency(fact: Any) -> str:
    if fact.frequency is None:
        return ""
    f = fact.frequency
    return f" [{f.label or f.raw}]" if f.kind == "hpo_term" else f" [{f.raw}]"


@_guard
def cmd_profile(args: argparse.Namespace, out: TextIO) -> int:
    """Show the HPO phenotypes of the diseases linked to a code."""
    from .profile import profile

    code, broader = option(args, "code", kinds=_TEXT), option(args, "broader", kinds=_FLAG)
    as_json = option(args, "json", kinds=_FLAG)
    result = profile(code, _kb(args), broader=broader)
    if as_json:
        _json(result, out)
        return 0
    out.write(f"{result.code}  {result.title}\n")
    if not result.diseases:
        out.write("  no disease linked" + ("" if result.broader else " exactly (try --broader)") + "\n")
        return 0
    for disease in result.diseases:
        links = ", ".join(f"{m.link_class} via {m.path}" for m in disease.mappings)
        out.write(f"  disease {disease.id}  {disease.name or '(no name)'}  ({links})\n")
        for fact in (f for f in result.phenotypes if f.disease == disease.id):
            refs = ", ".join(fact.references[:3])
            out.write(f"    {fact.term}  {fact.label}{_frequency(fact)}  {fact.evidence} {refs}\n")
        for fact in (f for f in result.absent if f.disease == disease.id):
            out.write(f"    NOT {fact.term}  {fact.label}  (the disease does not have it)\n")
    out.write(f"source: {result.source}\n")
    return 0


@_guard
def cmd_codes(args: argparse.Namespace, out: TextIO) -> int:
    """List the codes whose linked diseases have a phenotype (or a more specific one)."""
    from .profile import codes_with_phenotype

    term, broader = option(args, "term", kinds=_TEXT), option(args, "broader", kinds=_FLAG)
    only_term, as_json = option(args, "only_term", kinds=_FLAG), option(args, "json", kinds=_FLAG)
    hits = codes_with_phenotype(term, _kb(args), broader=broader, descendants=not only_term)
    if as_json:
        _json(hits, out)
        return 0
    for hit in hits:
        out.write(f"{hit.code}  {hit.title}  ({hit.link_class}; {len(hit.diseases)} disease(s))\n")
    return 0


@_guard
def cmd_differential(args: argparse.Namespace, out: TextIO) -> int:
    """Rank codes by how well their linked diseases match the given phenotypes."""
    from .differential import differential

    terms, limit = option(args, "terms", kinds=(list,)), option(args, "limit", kinds=(int,))
    broader, as_json = option(args, "broader", kinds=_FLAG), option(args, "json", kinds=_FLAG)
    result = differential(terms, _kb(args), limit=limit, broader=broader)
    if as_json:
        _json(result, out)
        return 0
    for c in result:
        out.write(
            f"{c.rank:>2}. {c.code}  {c.title}  score {c.score:.3f} "
            f"({c.link_class}; {c.best.disease} {c.best.name or ''})\n"
        )
        for m in c.best.matches:
            if m.annotation is None:
                out.write(f"      {m.given}: no match\n")
            else:
                out.write(
                    f"      {m.given} -> {m.annotation_label} via {m.via_label} (IC {m.information_content:.2f})\n"
                )
        for m in c.best.conflicts:
            out.write(f"      {m.given}: the disease is annotated NOT {m.annotation_label}\n")
    return 0


def add_parsers(subparsers: Any) -> None:
    """Add the ``phenotypes`` command and its sub-commands to the ``icd10kb`` parser."""
    if not isinstance(subparsers, argparse._SubParsersAction):
        raise InvalidArgumentError(subparsers, "expected the result of ArgumentParser.add_subparsers()", "subparsers")
    parser = subparsers.add_parser(
        "phenotypes", help="HPO phenotypes of codes, codes with a phenotype, a phenotype differential",
        description="The Human Phenotype Ontology (2025-01-16) and its disease annotations, linked to ICD-10-CM.",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="phenotypes_command", required=True, metavar="COMMAND")
    term = commands.add_parser("term", help="show an HPO term (id or words)", description=cmd_term.__doc__)
    term.add_argument("term", help="an HPO id (HP:0001250) or words (seizures)")
    term.set_defaults(handler=cmd_term)
    prof = commands.add_parser(
        "profile", help="HPO phenotypes of the diseases linked to a code", description=cmd_profile.__doc__
    )
    prof.add_argument("code", help="an ICD-10-CM code")
    codes = commands.add_parser("codes", help="codes whose diseases have a phenotype", description=cmd_codes.__doc__)
    codes.add_argument("term", help="an HPO id or words")
    codes.add_argument(
        "--only-term", action="store_true", help="only annotations to the term itself, not to terms below it"
    )
    diff = commands.add_parser(
        "differential", help="rank codes by phenotype similarity", description=cmd_differential.__doc__
    )
    diff.add_argument("terms", nargs="+", help="HPO ids or words (quote words with spaces)")
    diff.add_argument("--limit", type=int, default=10, help="how many codes (default 10)")
    for sub, handler in ((prof, cmd_profile), (codes, cmd_codes), (diff, cmd_differential)):
        sub.add_argument(
            "--broader", action="store_true", help="also follow links where the code is broader than the disease"
        )
        sub.add_argument("--json", action="store_true", help="write JSON")
        sub.set_defaults(handler=handler)
