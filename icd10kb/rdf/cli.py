"""The ``rdf`` command: write a release as SKOS/OWL in N-Triples or Turtle.

:func:`add_parsers` adds it to the ``icd10kb`` command (``icd10kb rdf -o icd10cm.nt``).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..arguments import check_bool, check_choice, check_text
from ..cli.common import check_handler, check_subparsers, option
from ..errors import ICD10KBError

__all__ = ["add_parsers", "cmd_rdf"]


def add_parsers(subparsers: Any) -> None:
    """Add the ``rdf`` command to an argparse sub-parsers object."""
    rdf = check_subparsers(subparsers).add_parser(
        "rdf",
        help="write the release as SKOS/OWL RDF (N-Triples or Turtle)",
        description="Write every concept as SKOS/OWL with BioPortal IRIs, and the knowledge edges with Biolink "
        "predicates.",
    )
    rdf.add_argument("--format", choices=("nt", "ttl"), default="nt", help="N-Triples (default) or Turtle")
    rdf.add_argument("--release", help="the release (default: the newest shipped)")
    rdf.add_argument("--no-knowledge", action="store_true", help="leave out the knowledge edges")
    rdf.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    rdf.set_defaults(handler=cmd_rdf)


def cmd_rdf(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the RDF; print the number of triples to standard error."""
    from ..load import load
    from .skos import write_ntriples, write_turtle

    args = check_handler(args, out, err)
    kind = check_choice(option(args, "format", "nt"), ("nt", "ttl"), "--format")
    knowledge = not check_bool(option(args, "no_knowledge", False), "--no-knowledge")
    output = option(args, "output", None)
    output = None if output is None else check_text(output, "--output", 4096)
    release = option(args, "release", None)
    try:
        kb = load(release)  # type: ignore[arg-type]
        target = open(output, "w", encoding="utf-8") if output else out
    except (ICD10KBError, OSError, ValueError) as error:  # ValueError: a NUL or a lone surrogate in the file name
        err.write(f"error: {error}\n")
        return 1
    try:
        write = write_turtle if kind == "ttl" else write_ntriples
        count = write(kb, target, knowledge=knowledge)
    finally:
        if target is not out:
            target.close()
    err.write(f"{count} triples\n")
    return 0
