"""Writing graphs out: KGX (Biolink Model), node-link JSON, GraphML and Mermaid.

Each relation of the graph maps to a Biolink Model predicate:

=======================  ============================  =====================================
relation (edge key)      Biolink predicate             direction
=======================  ============================  =====================================
``parent_of``            ``biolink:subclass_of``       specific → general (turned round)
``causes``               ``biolink:contributes_to``    cause → disease
``has_symptom``          ``biolink:has_phenotype``     disease → symptom
``diagnosed_by``         ``biolink:is_diagnosed_by``   disease → test
``treated_by``           ``biolink:treated_by``        disease → treatment
note kinds (excludes1,   ``biolink:related_to``        carrier of the note → named concept;
code_first, …)                                         ``relation`` keeps ``icd10kb:<kind>``
=======================  ============================  =====================================

Node identifiers become CURIEs: ``ICD10CM:L94.2`` and ``ICD10CM:L80-L99``
for codes and blocks, ``icd10kb:chapter-12`` for chapters (ICD-10-CM has
no identifier for them), ``HP:…`` and ``LOINC:…`` as they are, and
``icd10kb:<kind>-<label>`` for facts without an identifier.

Every edge carries its knowledge source. The ``infores:`` names used are
this project's own and are not registered: ``infores:icd10kb-nchs`` (the
classification: hierarchy and notes, from NCHS), ``infores:icd10kb-pack-<pack>``
(facts of a knowledge pack; ``source_url`` holds the pack's cited sources)
and ``infores:icd10kb`` as the aggregator.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..arguments import check_text
from ..errors import DataFileError, InvalidArgumentError

if TYPE_CHECKING:
    pass

__all__ = [
    "BIOLINK_PREDICATES",
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "curie",
    "kgx_records",
    "mermaid",
    "node_link",
    "write_graphml",
    "write_kgx",
]

BIOLINK_PREDICATES = {
    "parent_of": "biolink:subclass_of",
    "causes": "biolink:contributes_to",
    "has_symptom": "biolink:has_phenotype",
    "diagnosed_by": "biolink:is_diagnosed_by",
    "treated_by": "biolink:treated_by",
    # The HPO layer (the edges carry these too): a NOT annotation keeps has_phenotype with negated=true.
    "hpo_parent_of": "biolink:subclass_of",
    "has_phenotype": "biolink:has_phenotype",
    "lacks_phenotype": "biolink:has_phenotype",
    "exact_match": "biolink:exact_match",
}
_NOTE_PREDICATE = "biolink:related_to"
_EDGE_CATEGORY = {"has_symptom": "biolink:DiseaseToPhenotypicFeatureAssociation"}
_FACT_CATEGORY = {
    "symptom": "biolink:PhenotypicFeature",
    "test": "biolink:DiagnosticAid",
    "treatment": "biolink:Treatment",
    "cause": "biolink:NamedThing",
}
NODE_COLUMNS = ("id", "category", "name", "provided_by", "xref", "icd10kb_kind", "billable")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "category",
    "relation",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "aggregator_knowledge_source",
    "source_url",
    "icd10kb_qualifiers",
    "note",
)
_CONCEPTS = frozenset({"chapter", "block", "category", "subcategory", "code"})


#: The directions a Mermaid flowchart may take.
_DIRECTIONS = ("TD", "TB", "BT", "LR", "RL")


def curie(node: str, data: dict[str, Any]) -> str:
    """The CURIE of a graph node.

    Examples
    --------
    >>> curie("L94.2", {"kind": "code"}), curie("12", {"kind": "chapter"}), curie("HP:0001482", {"kind": "symptom"})
    ('ICD10CM:L94.2', 'icd10kb:chapter-12', 'HP:0001482')
    """
    node = check_text(node, "node")
    if not isinstance(data, Mapping):
        raise InvalidArgumentError(data, "a node's attributes are a mapping", "node data")
    kind = data.get("kind")
    if kind == "chapter":
        return f"icd10kb:chapter-{node}"
    if kind in _CONCEPTS:
        return f"ICD10CM:{node}"
    if ":" in node and not node.startswith(("cause:", "symptom:", "test:", "treatment:")):
        return node
    return "icd10kb:" + re.sub(r"[^A-Za-z0-9._-]+", "-", node.replace(":", "-", 1))


def _concept_category(data: dict[str, Any]) -> str:
    chapter = data.get("chapter")
    if chapter == "18":
        return "biolink:PhenotypicFeature"
    if chapter in ("20", "21", "22"):
        return "biolink:NamedThing"
    return "biolink:Disease"


def kgx_records(graph: nx.MultiDiGraph[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The KGX node and edge records of *graph* (the whole graph, or a subgraph)."""
    nodes = []
    for node, data in graph.nodes(data=True):
        kind = data.get("kind", "")
        if kind in _CONCEPTS:
            category = _concept_category(data)
            name = data.get("title", node)
            provided = "infores:icd10kb-nchs"
        elif "category" in data:  # a node of a layer that says its own Biolink category (HPO terms, diseases)
            category = data["category"]
            name = data.get("name", data.get("label", node))
            provided = data.get("provided_by", "infores:icd10kb")
        else:
            category = _FACT_CATEGORY.get(kind, "biolink:NamedThing")
            name = data.get("label", node)
            provided = "infores:icd10kb"
        nodes.append(
            {
                "id": curie(node, data),
                "category": [category],
                "name": name,
                "provided_by": [provided],
                "xref": [i for i in data.get("identifiers", ()) if i != curie(node, data)],
                "icd10kb_kind": kind,
                "billable": data.get("billable"),
            }
        )
    edges = []
    for number, (u, v, key, data) in enumerate(graph.edges(keys=True, data=True)):
        if key in (
            "parent_of",
            "hpo_parent_of",
        ):  # Biolink's canonical direction: the child is a subclass of its parent
            u, v = v, u
        if "predicate" in data or key == "hpo_parent_of":  # an edge of a layer that says its own predicate
            edges.append(_layer_edge(number, graph, u, v, key, data))
            continue
        fact = key in BIOLINK_PREDICATES and key != "parent_of"
        if key == "parent_of":
            primary, agent, url = "infores:icd10kb-nchs", "manual_agent", ""
        elif fact:
            packs = data.get("packs", ())
            primary = f"infores:icd10kb-pack-{packs[0]}" if packs else "infores:icd10kb"
            agent, url = "manual_agent", "|".join(data.get("sources", ()))
        else:
            primary, agent, url = "infores:icd10kb-nchs", "text_mining_agent", ""
        edges.append(
            {
                "id": f"icd10kb:e{number}",
                "subject": curie(u, graph.nodes[u]),
                "predicate": BIOLINK_PREDICATES.get(key, _NOTE_PREDICATE),
                "object": curie(v, graph.nodes[v]),
                "category": [_EDGE_CATEGORY.get(key, "biolink:Association")],
                "relation": f"icd10kb:{key}",
                "knowledge_level": "knowledge_assertion",
                "agent_type": agent,
                "primary_knowledge_source": primary,
                "aggregator_knowledge_source": ["infores:icd10kb"],
                "source_url": url,
                "icd10kb_qualifiers": json.dumps(dict(data.get("qualifiers") or {}), sort_keys=True) if fact else "",
                "note": data.get("text", ""),
            }
        )
    return nodes, edges


def _layer_edge(number: int, graph: nx.MultiDiGraph[str], u: str, v: str, key: str, data: Any) -> dict[str, Any]:
    """The KGX record of an edge whose layer gives its Biolink predicate, category and source (HPO, mappings)."""
    keep = ("frequencies", "evidence", "references", "onsets", "sex", "negated", "path", "via", "source_file")
    return {
        "id": f"icd10kb:e{number}",
        "subject": curie(u, graph.nodes[u]),
        "predicate": data.get("predicate", "biolink:subclass_of"),
        "object": curie(v, graph.nodes[v]),
        "category": [data.get("category", "biolink:Association")],
        "relation": f"icd10kb:{key}",
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "primary_knowledge_source": data.get("primary_knowledge_source", "infores:hp"),
        "aggregator_knowledge_source": ["infores:icd10kb"],
        "source_url": "",
        "icd10kb_qualifiers": json.dumps(
            {k: list(v) if isinstance(v, tuple) else v for k, v in data.items() if k in keep}, sort_keys=True
        ),
        "note": "",
    }


def _tsv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("\t", " ").replace("\n", " ")


def write_kgx(graph: nx.MultiDiGraph[str], prefix: str | os.PathLike[str], fmt: str = "jsonl") -> tuple[str, str]:
    """Write *graph* as KGX files ``<prefix>_nodes.<ext>`` and ``<prefix>_edges.<ext>``.

    Parameters
    ----------
    graph:
        ``kb.graph`` or a subgraph.
    prefix:
        Path and file-name start of the two files.
    fmt:
        ``"jsonl"`` (JSON Lines) or ``"tsv"``.

    Returns
    -------
    tuple[str, str]
        The paths of the nodes and edges files.
    """
    if type(fmt) is not str or fmt not in ("jsonl", "tsv"):
        raise InvalidArgumentError(fmt, "the KGX format is 'jsonl' or 'tsv'", "format")
    start = _path(prefix)
    nodes, edges = kgx_records(graph)
    paths = (f"{start}_nodes.{fmt}", f"{start}_edges.{fmt}")
    for path, records, columns in ((paths[0], nodes, NODE_COLUMNS), (paths[1], edges, EDGE_COLUMNS)):
        with _writing(path) as handle:
            if fmt == "jsonl":
                for record in records:
                    handle.write(
                        json.dumps({k: v for k, v in record.items() if v not in (None, "", [])}, ensure_ascii=False)
                        + "\n"
                    )
            else:
                writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
                writer.writerow(columns)
                for record in records:
                    writer.writerow([_tsv_value(record.get(c)) for c in columns])
    return paths


def node_link(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    """*graph* as networkx node-link data, ready for ``json.dump``."""
    data: dict[str, Any] = nx.node_link_data(graph, edges="links")
    plain: dict[str, Any] = json.loads(json.dumps(data, default=_plain))
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


def _path(value: object) -> str:
    """A path argument as text (str or a path-like giving str), else :class:`InvalidArgumentError`."""
    if isinstance(value, os.PathLike) and not isinstance(value, str):
        try:
            value = os.fspath(value)
        except Exception:  # a hostile __fspath__
            value = None
    return check_text(value, "path", 4096)


@contextmanager
def _writing(path: str, binary: bool = False) -> Iterator[Any]:
    """Open *path* for writing; failing to open it is a :class:`DataFileError` naming it."""
    try:
        handle = open(path, "wb") if binary else open(path, "w", encoding="utf-8", newline="")
    except (OSError, ValueError) as exc:
        raise DataFileError(path, f"cannot be written: {getattr(exc, 'strerror', None) or exc}") from exc
    with handle:
        yield handle


def write_graphml(graph: nx.MultiDiGraph[str], path: str | os.PathLike[str]) -> None:
    """Write *graph* as GraphML (list and dict attributes become JSON text)."""
    plain: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=graph.graph.get("name", ""))
    for node, data in graph.nodes(data=True):
        plain.add_node(node, **{k: _graphml_value(v) for k, v in data.items()})
    for u, v, key, data in graph.edges(keys=True, data=True):
        plain.add_edge(u, v, key=key, relation=key, **{k: _graphml_value(v2) for k, v2 in data.items()})
    target = _path(path)
    with _writing(target, binary=True) as handle:
        nx.write_graphml(plain, handle)


def _graphml_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, default=_plain, ensure_ascii=False)


def _mermaid_id(node: str, ids: dict[str, str]) -> str:
    if node not in ids:
        ids[node] = f"n{len(ids)}"
    return ids[node]


def _mermaid_label(text: str) -> str:
    return text.replace('"', "'").replace("[", "(").replace("]", ")")


def mermaid(graph: nx.MultiDiGraph[str], direction: str = "TD") -> str:
    """*graph* as a Mermaid flowchart (for a subgraph: the whole release is too big to draw).

    Examples
    --------
    >>> text = mermaid(kb.subgraph("L94.2", ancestors=False, children=False))
    >>> text.splitlines()[0]
    'flowchart TD'
    >>> "has_symptom" in text and "causes" in text
    True
    """
    if type(direction) is not str or direction not in _DIRECTIONS:
        raise InvalidArgumentError(direction, f"a Mermaid direction is one of {', '.join(_DIRECTIONS)}", "direction")
    ids: dict[str, str] = {}
    lines = [f"flowchart {direction}"]
    for node, data in graph.nodes(data=True):
        kind = data.get("kind", "")
        name = _mermaid_id(node, ids)
        if kind in _CONCEPTS:
            lines.append(f'    {name}["{_mermaid_label(node)}: {_mermaid_label(str(data.get("title", "")))}"]')
        else:
            label = _mermaid_label(str(data.get("label", node)))
            ident = f" {node}" if ":" in node and not node.startswith(kind + ":") else ""
            shape = ("([", "])") if kind == "symptom" else ("{{", "}}") if kind == "test" else ("(", ")")
            lines.append(f'    {name}{shape[0]}"{kind}: {label}{_mermaid_label(ident)}"{shape[1]}')
    for u, v, key in graph.edges(keys=True):
        lines.append(f"    {_mermaid_id(u, ids)} -->|{key}| {_mermaid_id(v, ids)}")
    return "\n".join(lines) + "\n"
