"""The ``serve`` and ``fhir`` commands.

``icd10kb serve`` runs the FHIR terminology server (the ``fhir`` extra);
``icd10kb fhir codesystem`` and ``icd10kb fhir valuesets`` write the
resources as JSON. :func:`add_parsers` plugs them into the ``icd10kb``
command (see :mod:`icd10kb.cli.app`). Handlers take the parsed arguments and the output and error streams, and
return the exit status.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from ..arguments import check_choice, check_items, check_stream
from ..cli.common import option
from ..errors import ICD10KBError, InvalidArgumentError

__all__ = ["add_parsers", "cmd_fhir", "cmd_serve"]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, not {text!r}")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, not {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"expected seconds, more than 0 and at most 600, not {text!r}")
    return value


def add_parsers(subparsers: Any) -> None:
    """Add the ``serve`` and ``fhir`` commands to an argparse sub-parsers object."""
    if not isinstance(subparsers, argparse._SubParsersAction):
        raise InvalidArgumentError(subparsers, "expected the result of ArgumentParser.add_subparsers()", "subparsers")
    serve = subparsers.add_parser(
        "serve",
        help="run the FHIR R4 terminology server (needs the fhir extra)",
        description="Serve ICD-10-CM over FHIR R4: metadata, $lookup, $validate-code, $subsumes, $expand, $translate.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=_port, default=8080, help="port to listen on; 0 picks a free one (default 8080)")
    serve.add_argument("--release", help="the release answered by default (default: the newest shipped)")
    serve.add_argument(
        "--resources",
        action="append",
        default=[],
        metavar="FILE",
        help="a JSON file of ValueSets/ConceptMaps/CodeSystems (or a Bundle of them) to serve too; repeatable",
    )
    serve.add_argument("--max-expansion", type=_positive, default=1000, help="most concepts in one $expand page")
    serve.add_argument("--max-body", type=_positive, default=65536, help="largest request body, in bytes")
    serve.add_argument("--time-limit", type=_seconds, default=2.0, help="seconds one value set may take to evaluate")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--no-groupers",
        action="store_true",
        help="leave out the CCSR and comorbidity ValueSets and ConceptMaps and the GEMs (served by default)",
    )
    serve.set_defaults(handler=cmd_serve)

    fhir = subparsers.add_parser(
        "fhir",
        help="write FHIR R4 resources (CodeSystem, ValueSets) as JSON",
        description="Write the ICD-10-CM CodeSystem, or the ValueSets of its chapters, blocks or categories, as JSON.",
    )
    fhir.add_argument("resource", choices=("codesystem", "valuesets"), help="what to write")
    fhir.add_argument(
        "--kind",
        choices=("chapter", "block", "category"),
        default="chapter",
        help="for valuesets: one value set per chapter, block or category (default chapter)",
    )
    fhir.add_argument("--release", help="the release (default: the newest shipped)")
    fhir.add_argument("--no-notes", action="store_true", help="codesystem: leave out notes and inclusion terms")
    fhir.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    fhir.set_defaults(handler=cmd_fhir)


def _load(release: str | None) -> Any:
    from ..load import load

    return load(release)


_TEXT, _MAYBE_TEXT = (str,), (str, type(None))


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the server until interrupted."""
    out, err = check_stream(out, "out"), check_stream(err, "err")
    release = option(args, "release", kinds=_MAYBE_TEXT)
    paths = check_items(option(args, "resources", kinds=(list,)), "resources", 1000)
    no_groupers, access_log = option(args, "no_groupers", kinds=(bool,)), option(args, "access_log", kinds=(bool,))
    max_body, max_expansion = option(args, "max_body", kinds=(int,)), option(args, "max_expansion", kinds=(int,))
    time_limit = option(args, "time_limit", kinds=(float, int))
    host, port = option(args, "host", kinds=_TEXT), option(args, "port", kinds=(int,))
    try:
        from .claims import grouper_resources, history_date_check
        from .server import ListenError, serve
        from .service import Limits, TerminologyService, read_resources

        kb = _load(release)
        resources = [r for path in paths for r in read_resources(path)]
        if not no_groupers:
            resources += grouper_resources(kb)
        limits = Limits(max_body=max_body, max_expansion=max_expansion, time_limit=time_limit)
        service = TerminologyService(kb, resources=resources, limits=limits, date_check=history_date_check)
    except ImportError as error:
        err.write(f"icd10kb serve needs the fhir extra (pip install 'icd10kb[fhir]'): {error}\n")
        return 1
    except ICD10KBError as error:
        err.write(f"error: {error}\n")
        return 1

    def announce(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    try:
        serve(service, host=host, port=port, access_log=access_log, announce=announce)
    except ImportError as error:
        err.write(f"icd10kb serve needs the fhir extra (pip install 'icd10kb[fhir]'): {error}\n")
        return 1
    except (ListenError, ICD10KBError) as error:
        err.write(f"error: {error}\n")
        return 1
    return 0


def cmd_fhir(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the CodeSystem or a Bundle of ValueSets as JSON."""
    from .resources import VALUE_SET_KINDS, value_sets, write_code_system

    out, err = check_stream(out, "out"), check_stream(err, "err")
    release, output = option(args, "release", kinds=_MAYBE_TEXT), option(args, "output", kinds=_MAYBE_TEXT)
    resource = check_choice(option(args, "resource", kinds=_TEXT), ("codesystem", "valuesets"), "resource")
    kind = check_choice(option(args, "kind", kinds=_TEXT), VALUE_SET_KINDS, "kind")
    no_notes = option(args, "no_notes", kinds=(bool,))
    try:
        kb = _load(release)
        target = open(output, "w", encoding="utf-8") if output else out
    except (ICD10KBError, OSError, ValueError) as error:  # ValueError: a NUL in the file name
        err.write(f"error: {error}\n")
        return 1
    try:
        if resource == "codesystem":
            write_code_system(kb, target, notes=not no_notes)
        else:
            bundle = {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"resource": vs} for vs in value_sets(kb, kind)],
            }
            json.dump(bundle, target, ensure_ascii=False)
        target.write("\n")
    finally:
        if target is not out:
            target.close()
    return 0
