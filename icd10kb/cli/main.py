"""The ``icd10kb`` command.

Built as :func:`get_parser` plus :func:`main`, so it can be run in-process:
``main(["show", "L94.2"])`` returns the exit status. Data goes to standard
output; errors go to standard error with status 1 (2 for bad usage).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ICD10KBError

if TYPE_CHECKING:
    from ..kb import KnowledgeBase
    from ..knowledge.models import Fact, KnowledgeProfile

__all__ = ["COMMANDS", "get_parser", "main"]

_NOTE_NAMES = {
    "includes": "Includes",
    "inclusion_terms": "Inclusion terms",
    "excludes1": "Excludes1",
    "excludes2": "Excludes2",
    "code_first": "Code first",
    "use_additional_code": "Use additional code",
    "code_also": "Code also",
    "notes": "Note",
    "seventh_character_note": "7th character",
    "seventh_characters": "7th characters",
    "table": "Table",
}


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    from ..load import load, load_tabular

    knowledge = args.knowledge or ()
    if args.tabular is not None:
        return load_tabular(args.tabular, args.code_list, knowledge=knowledge)
    return load(args.release, knowledge=knowledge)


def _count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, not {text!r}")
    return value


def _emit_json(value: Any) -> None:
    from pydantic import BaseModel

    def default(item: Any) -> Any:
        if isinstance(item, BaseModel):
            return item.model_dump(mode="json")
        raise TypeError(f"cannot write {type(item).__name__} as JSON")

    json.dump(value, sys.stdout, default=default, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# --- show -----------------------------------------------------------------------


def _fact_line(kb: KnowledgeBase, fact: Fact) -> str:
    text = fact.label
    links = []
    if fact.code:
        links.append(f"{fact.code} {kb.title(fact.code)}")
    links += [i.curie for i in fact.identifiers if i.scheme != "ICD10CM"]
    if links:
        text += f" [{'; '.join(links)}]"
    qualifiers = fact.qualifiers
    extra = [
        f"when {qualifiers.condition}" if qualifiers.condition else "",
        f"in {qualifiers.severity}" if qualifiers.severity else "",
        qualifiers.frequency or "",
        f"to {qualifiers.purpose}" if qualifiers.purpose else "",
    ]
    extra = [e for e in extra if e]
    if extra:
        text += " (" + "; ".join(extra) + ")"
    return text


def _print_knowledge(kb: KnowledgeBase, profile: KnowledgeProfile) -> None:
    print("\nKnowledge")
    if profile.is_empty:
        print("  none attached to this code")
        return
    if profile.about:
        print("  " + "; ".join(profile.about))
    sections = (
        ("Causes", profile.causes),
        ("Symptoms", profile.symptoms),
        ("Tests", profile.tests),
        ("Treatments", profile.treatments),
    )
    gaps = {g.kind: g.reason for g in profile.gaps}
    for (name, facts), kind in zip(sections, ("cause", "symptom", "test", "treatment")):
        if not facts:
            if kind in gaps:
                print(f"  {name}: not covered by the sources ({gaps[kind]})")
            continue
        print(f"  {name}")
        group = None
        for fact in facts:
            if fact.group and fact.group != group:
                group = fact.group
                print(f"    {group}:")
            indent = "      " if fact.group else "    "
            print(f"{indent}- {_fact_line(kb, fact)}")
    print("  Sources")
    for source in profile.sources:
        where = f" <{source.url}>" if source.url else ""
        who = f", {source.publisher}" if source.publisher else ""
        print(f"    {source.title}{who}{where}")


def cmd_show(args: argparse.Namespace) -> int:
    kb = _kb(args)
    details = kb.details(args.code)
    if args.json:
        _emit_json(details)
        return 0
    concept = details.concept
    flags = [concept.kind, "billable" if concept.billable else "not billable", f"ICD-10-CM {kb.release.name}"]
    print(f"{concept.code}  {concept.title}")
    print("  " + " · ".join(flags))
    print("\nPlace in the hierarchy")
    width = max(len(c.code) for c in (*details.path, concept))
    for depth, item in enumerate((*details.path, concept)):
        branch = "  " * depth + ("└ " if depth else "")
        print(f"  {branch}{item.code.ljust(width)}  {item.title}")
    if details.children:
        print(f"\nChildren ({len(details.children)})")
        for child in details.children[: args.max_children]:
            print(f"  {child.code.ljust(width)}  {child.title}")
        if len(details.children) > args.max_children:
            print(f"  … and {len(details.children) - args.max_children} more")
    if details.notes:
        print("\nNotes")
        for note in details.notes:
            where = "" if note.at == concept.code else f" (from {note.at})"
            print(f"  {_NOTE_NAMES.get(note.kind, note.kind)}{where}: {note.text}")
    _print_knowledge(kb, details.knowledge)
    return 0


# --- path and tree ------------------------------------------------------------------


def cmd_path(args: argparse.Namespace) -> int:
    kb = _kb(args)
    path = kb.path(args.code)
    if args.json:
        _emit_json([kb[c] for c in path])
        return 0
    for code in path:
        print(f"{code}\t{kb.title(code)}")
    return 0


def cmd_tree(args: argparse.Namespace) -> int:
    kb = _kb(args)
    root = kb.normalize(args.code)

    def build(code: str, depth: int) -> dict[str, Any]:
        node: dict[str, Any] = {"code": code, "title": kb.title(code)}
        children = kb.children(code)
        if depth < args.depth:
            node["children"] = [build(c, depth + 1) for c in children]
        elif children:
            node["more"] = len(kb.descendants(code))
        return node

    tree = build(root, 0)
    if args.json:
        _emit_json(tree)
        return 0

    def draw(node: dict[str, Any], prefix: str, last: bool, top: bool) -> None:
        more = f"  (+{node['more']} below)" if "more" in node else ""
        joint = "" if top else ("└── " if last else "├── ")
        print(f"{prefix}{joint}{node['code']}  {node['title']}{more}")
        children = node.get("children", [])
        for i, child in enumerate(children):
            draw(child, prefix + ("" if top else ("    " if last else "│   ")), i == len(children) - 1, False)

    draw(tree, "", True, True)
    return 0


# --- search, check, export -------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    kb = _kb(args)
    hits = kb.search(
        " ".join(args.words),
        args.limit,
        chapter=args.chapter,
        block=args.block,
        billable=True if args.billable else None,
    )
    if args.json:
        _emit_json(list(hits))
        return 0
    if not hits:
        if not args.limit:  # --limit 0 asks for nothing, and gets it
            return 0
        print("no match", file=sys.stderr)
        return 1
    width = max(len(h.code) for h in hits)
    for hit in hits:
        extra = f"  (+{hit.seventh_characters} 7th-character codes)" if hit.seventh_characters else ""
        print(f"{hit.code.ljust(width)}  {hit.title}{extra}")
        shown = [m for m in hit.matches if m.field != "title"][:2]
        for match in shown:
            print(f"{' ' * width}    {match.field}: {match.text}")
        for typo, word in hit.corrections:
            print(f"{' ' * width}    read {typo!r} as {word!r}")
    return 0


#: What separates the codes read from standard input, besides white space.
_SEPARATORS = str.maketrans(",;", "  ")


def cmd_check(args: argparse.Namespace) -> int:
    codes = list(args.codes)
    if not codes or codes == ["-"]:
        try:
            codes = sys.stdin.read().translate(_SEPARATORS).split()
        except UnicodeDecodeError as exc:
            raise _Failure(f"standard input is not {exc.encoding} text: {exc.reason} at byte {exc.start}") from exc
    if not codes:
        raise _UsageError("no codes to check: give them as arguments or on standard input")
    kb = _kb(args)
    findings = kb.check(codes)
    if args.json:
        _emit_json(list(findings))
    elif not findings:
        print(f"{len(codes)} code(s): no findings")
    else:
        for finding in findings:
            concerned = ", ".join(repr(code) for code in finding.codes)
            print(f"{finding.severity}: {finding.kind}: {concerned}: {finding.message}")
            if finding.note:
                print(f"    note at {finding.note_at}: {finding.note}")
            if finding.suggestions:
                print(f"    consider: {', '.join(finding.suggestions[:10])}")
    return 1 if any(f.severity == "error" for f in findings) else 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..graph import export

    kb = _kb(args)
    if args.code:
        graph = kb.subgraph(args.code, siblings=args.siblings)
        if args.depth:
            import networkx as nx

            root = kb.normalize(args.code)
            below = [c for c in kb.descendants(root) if kb.depth(c) - kb.depth(root) <= args.depth]
            full = kb.graph
            graph = nx.MultiDiGraph(full.subgraph(set(graph) | set(below)))
    elif args.format == "mermaid":
        raise _UsageError("Mermaid draws a subtree: name a code (the whole release is too big to draw)")
    else:
        graph = kb.graph
    if args.format in ("kgx-jsonl", "kgx-tsv"):
        if not args.output:
            raise _UsageError("KGX writes two files: give --output PREFIX")
        with _writing(args.output):
            paths = export.write_kgx(graph, args.output, args.format.split("-")[1])
        print("\n".join(paths))
        return 0
    if args.format == "graphml":
        if not args.output:
            raise _UsageError("GraphML is written to a file: give --output FILE")
        with _writing(args.output):
            export.write_graphml(graph, args.output)
        print(args.output)
        return 0
    text = (
        export.mermaid(graph)
        if args.format == "mermaid"
        else json.dumps(export.node_link(graph), ensure_ascii=False, indent=1) + "\n"
    )
    if args.output:
        with _writing(args.output), open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(args.output)
    else:
        sys.stdout.write(text)
    return 0


@contextlib.contextmanager
def _writing(default: str) -> Iterator[None]:
    """Turn a failure to write a file into a message that names the file."""
    try:
        yield
    except OSError as exc:
        path = exc.filename if exc.filename is not None else default
        raise _Failure(f"cannot write {os.fsdecode(path)}: {exc.strerror or exc}") from exc


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


class _UsageError(Exception):
    """The command line is wrong in a way argparse cannot see (exit status 2)."""


class _Failure(Exception):
    """The command cannot do its work, for a reason told in words (exit status 1)."""


# --- the parser ------------------------------------------------------------------------

#: Every command, with its one-line help; the docs test checks each is documented.
COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "show": ("show a code: title, place in the hierarchy, notes and clinical knowledge", cmd_show),
    "path": ("print the path from the chapter down to a code", cmd_path),
    "tree": ("draw the subtree below a code as text", cmd_tree),
    "search": ("find codes from words (titles, inclusion terms and includes notes, knowledge)", cmd_search),
    "check": ("check the codes of one encounter against the coding rules", cmd_check),
    "export": ("export the graph or a code's neighbourhood (node-link JSON, GraphML, Mermaid, KGX)", cmd_export),
}


def get_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``icd10kb`` command."""
    parser = argparse.ArgumentParser(
        prog="icd10kb",
        description="Explore ICD-10-CM as a knowledge graph: codes, hierarchy, notes and clinical knowledge.",
    )
    parser.add_argument("--version", action="version", version=_version())
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--release", default=None, help="shipped release to use (default: the newest)")
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
    for name, (help_text, _) in COMMANDS.items():
        sub = commands.add_parser(
            name,
            # export chooses its format with --format, so it has no --json
            parents=[common] if name == "export" else [common, as_json],
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
        )
        sub.set_defaults(command_parser=sub)
        if name == "export":
            sub.add_argument("--json", action=_NoJson, help=argparse.SUPPRESS)
        if name in ("show", "path", "tree"):
            sub.add_argument("code", help="a code, block (L80-L99) or chapter number")
        if name == "show":
            sub.add_argument("--max-children", type=_count, default=30, help="children to list at most (default 30)")
        if name == "tree":
            sub.add_argument("--depth", type=_count, default=2, help="levels to draw below the code (default 2)")
        if name == "search":
            sub.add_argument("words", nargs="+", help="the words to look for")
            sub.add_argument("--limit", type=_count, default=10, help="hits to show at most (default 10)")
            sub.add_argument("--chapter", help="only within this chapter (e.g. 12)")
            sub.add_argument("--block", help="only within this block (e.g. L80-L99)")
            sub.add_argument("--billable", action="store_true", help="only billable codes")
        if name == "check":
            sub.add_argument(
                "codes",
                nargs="*",
                help="the codes, principal first; none or '-' reads them from standard input"
                " (separated by spaces, commas, semicolons or new lines)",
            )
        if name == "export":
            sub.add_argument("code", nargs="?", help="export this code's neighbourhood (default: the whole graph)")
            sub.add_argument(
                "--format",
                choices=("node-link", "graphml", "mermaid", "kgx-jsonl", "kgx-tsv"),
                default="node-link",
                help="output format (default node-link JSON)",
            )
            sub.add_argument("--output", "-o", help="file to write (KGX: the prefix of the two files)")
            sub.add_argument("--siblings", action="store_true", help="include the code's siblings")
            sub.add_argument("--depth", type=_count, default=0, help="include descendants down to this many levels")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"icd10kb {version('icd10kb')}"
    except PackageNotFoundError:  # pragma: no cover
        return "icd10kb (not installed)"


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print a warning as a message for the user, without Python's source line."""
    print(f"icd10kb: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = get_parser()
    args = parser.parse_args(argv)
    command_parser: argparse.ArgumentParser = args.command_parser
    if args.code_list is not None and args.tabular is None:
        command_parser.error("--code-list goes with --tabular (a shipped release has its own code list)")
    if args.release is not None and args.tabular is not None:
        command_parser.error("--release and --tabular exclude each other: the tabular file is the release")
    _, handler = COMMANDS[args.command]
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return handler(args)
    except BrokenPipeError:  # output piped into a program that stopped reading (head, less)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (ICD10KBError, OSError, _Failure) as exc:
        print(f"icd10kb: error: {exc}", file=sys.stderr)
        return 1
    except _UsageError as exc:
        command_parser.error(str(exc))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
