"""The commands about one concept: ``show``, ``path`` and ``tree``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .common import Command, count, load_kb
from .output import emit, emit_json

if TYPE_CHECKING:
    from ..kb import KnowledgeBase
    from ..knowledge.models import Fact, KnowledgeProfile

__all__ = ["COMMANDS", "NOTE_NAMES"]

NOTE_NAMES = {
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


#: Phenotypes listed at most under ``show`` (``--json`` gives them all).
_PHENOTYPES_SHOWN = 15


def _print_phenotypes(profile: KnowledgeProfile) -> None:
    found = profile.phenotypes
    if found is None:
        return
    names = ", ".join(f"{d.name or d.id} ({d.id})" for d in found.diseases)
    emit(f"  Phenotypes (HPO annotations of {names}, through {found.diseases[0].mappings[0].path} links)")
    for fact in found.phenotypes[:_PHENOTYPES_SHOWN]:
        share = f" ({fact.frequency.label or fact.frequency.raw})" if fact.frequency else ""
        emit(f"    - {fact.label} [{fact.term}]{share}")
    hidden = len(found.phenotypes) - _PHENOTYPES_SHOWN
    if hidden > 0:
        emit(f"    … and {hidden} more (--json lists all, with evidence and references)")
    if found.absent:
        emit("    not present (NOT annotations): " + ", ".join(f.label for f in found.absent[:5]))


def _print_knowledge(kb: KnowledgeBase, profile: KnowledgeProfile) -> None:
    emit("\nKnowledge")
    if profile.is_empty:
        emit("  none attached to this code")
        return
    if profile.about:
        emit("  " + "; ".join(profile.about))
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
                emit(f"  {name}: not covered by the sources ({gaps[kind]})")
            continue
        emit(f"  {name}")
        group = None
        for fact in facts:
            if fact.group and fact.group != group:
                group = fact.group
                emit(f"    {group}:")
            indent = "      " if fact.group else "    "
            emit(f"{indent}- {_fact_line(kb, fact)}")
    _print_phenotypes(profile)
    if not profile.sources:
        return
    emit("  Sources")
    for source in profile.sources:
        where = f" <{source.url}>" if source.url else ""
        who = f", {source.publisher}" if source.publisher else ""
        emit(f"    {source.title}{who}{where}")


def cmd_show(args: argparse.Namespace) -> int:
    kb = load_kb(args)
    details = kb.details(args.code)
    if args.json:
        emit_json(details)
        return 0
    concept = details.concept
    flags = [concept.kind, "billable" if concept.billable else "not billable", f"ICD-10-CM {kb.release.name}"]
    emit(f"{concept.code}  {concept.title}")
    emit("  " + " · ".join(flags))
    emit("\nPlace in the hierarchy")
    width = max(len(c.code) for c in (*details.path, concept))
    for depth, item in enumerate((*details.path, concept)):
        branch = "  " * depth + ("└ " if depth else "")
        emit(f"  {branch}{item.code.ljust(width)}  {item.title}")
    if details.children:
        emit(f"\nChildren ({len(details.children)})")
        for child in details.children[: args.max_children]:
            emit(f"  {child.code.ljust(width)}  {child.title}")
        if len(details.children) > args.max_children:
            emit(f"  … and {len(details.children) - args.max_children} more")
    if details.notes:
        emit("\nNotes")
        for note in details.notes:
            where = "" if note.at == concept.code else f" (from {note.at})"
            emit(f"  {NOTE_NAMES.get(note.kind, note.kind)}{where}: {note.text}")
    _print_knowledge(kb, details.knowledge)
    return 0


def cmd_path(args: argparse.Namespace) -> int:
    kb = load_kb(args)
    path = kb.path(args.code)
    if args.json:
        emit_json([kb[c] for c in path])
        return 0
    for code in path:
        emit(f"{code}\t{kb.title(code)}")
    return 0


def cmd_tree(args: argparse.Namespace) -> int:
    """Draw a subtree; ``--json`` gives every node as ``{code, title, children, more}``.

    ``children`` lists the nodes drawn below (empty at the last level drawn
    and at a leaf); ``more`` counts the concepts below the node that are not
    drawn (0 when none are hidden). Every node has all four keys.
    """
    kb = load_kb(args)
    root = kb.normalize(args.code)

    def build(code: str, depth: int) -> dict[str, Any]:
        drawn = depth < args.depth
        children = [build(c, depth + 1) for c in kb.children(code)] if drawn else []
        return {
            "code": code,
            "title": kb.title(code),
            "children": children,
            "more": 0 if drawn else len(kb.descendants(code)),
        }

    tree = build(root, 0)
    if args.json:
        emit_json(tree)
        return 0

    def draw(node: dict[str, Any], prefix: str, last: bool, top: bool) -> None:
        more = f"  (+{node['more']} below)" if node["more"] else ""
        joint = "" if top else ("└── " if last else "├── ")
        emit(f"{prefix}{joint}{node['code']}  {node['title']}{more}")
        children = node["children"]
        for i, child in enumerate(children):
            draw(child, prefix + ("" if top else ("    " if last else "│   ")), i == len(children) - 1, False)

    draw(tree, "", True, True)
    return 0


def _code(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", help="a code, block (L80-L99) or chapter number")


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    _code(parser)
    parser.add_argument("--max-children", type=count, default=30, help="children to list at most (default 30)")


def _tree_arguments(parser: argparse.ArgumentParser) -> None:
    _code(parser)
    parser.add_argument("--depth", type=count, default=2, help="levels to draw below the code (default 2)")


COMMANDS = {
    "show": Command(
        "show a code: title, place in the hierarchy, notes and clinical knowledge", cmd_show, _show_arguments
    ),
    "path": Command("print the path from the chapter down to a code", cmd_path, _code),
    "tree": Command("draw the subtree below a code as text", cmd_tree, _tree_arguments),
}
