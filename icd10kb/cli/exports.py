"""The ``export`` command: the graph, or a code's neighbourhood, in a format other tools read."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import DataFileError
from .common import Command, Failure, UsageError, count, load_kb
from .output import emit

__all__ = ["COMMANDS"]


def cmd_export(args: argparse.Namespace) -> int:
    from ..graph import export

    kb = load_kb(args)
    if args.code:  # the neighbourhood, built from the release: never the whole graph
        graph = kb.subgraph(args.code, siblings=args.siblings, depth=max(args.depth, 1))
    elif args.format == "mermaid":
        raise UsageError("Mermaid draws a subtree: name a code (the whole release is too big to draw)")
    else:
        graph = kb.graph
    if args.format in ("kgx-jsonl", "kgx-tsv"):
        if not args.output:
            raise UsageError("KGX writes two files: give --output PREFIX")
        with _writing(args.output):
            paths = export.write_kgx(graph, args.output, args.format.split("-")[1])
        emit("\n".join(paths))
        return 0
    if args.format == "graphml":
        if not args.output:
            raise UsageError("GraphML is written to a file: give --output FILE")
        with _writing(args.output):
            export.write_graphml(graph, args.output)
        emit(args.output)
        return 0
    text = (
        export.mermaid(graph)
        if args.format == "mermaid"
        else json.dumps(export.node_link(graph), ensure_ascii=False, indent=1) + "\n"
    )
    if args.output:
        with _writing(args.output), open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
        emit(args.output)
    else:
        emit(text, end="")
    return 0


@contextlib.contextmanager
def _writing(default: str) -> Iterator[None]:
    """Turn a failure to write a file into a message that names the file."""
    try:
        yield
    except OSError as exc:
        path = exc.filename if exc.filename is not None else default
        raise Failure(f"cannot write {os.fsdecode(path)}: {exc.strerror or exc}") from exc
    except DataFileError as exc:  # the exporters name the file they could not open
        cause = exc.__cause__
        if not isinstance(cause, OSError):
            raise
        raise Failure(f"cannot write {exc.path}: {cause.strerror or cause}") from exc


class _NoJson(argparse.Action):
    """``export --json``: refused with a pointer to ``--format``."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        parser.error("export has no --json: choose the output with --format (node-link JSON is the default)")


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action=_NoJson, help=argparse.SUPPRESS)
    parser.add_argument("code", nargs="?", help="export this code's neighbourhood (default: the whole graph)")
    parser.add_argument(
        "--format",
        choices=("node-link", "graphml", "mermaid", "kgx-jsonl", "kgx-tsv"),
        default="node-link",
        help="output format (default node-link JSON)",
    )
    parser.add_argument("--output", "-o", help="file to write (KGX: the prefix of the two files)")
    parser.add_argument("--siblings", action="store_true", help="include the code's siblings")
    parser.add_argument(
        "--depth", type=count, default=0, help="with a code: include what lies below it down to this many levels"
    )


COMMANDS = {
    "export": Command(
        "export the graph or a code's neighbourhood (node-link JSON, GraphML, Mermaid, KGX)",
        cmd_export,
        _arguments,
        json=False,
    ),
}
