"""networkx views of a knowledge base.

The graph is a ``networkx.MultiDiGraph`` whose edge key is the relation.
``kb.graph`` is read-only: frozen, with read-only attribute mappings.
**Edges point from the general to the specific**, and from a cause to what
it causes:

=================  ============================  ===============================
key                from                          to
=================  ============================  ===============================
``parent_of``      a concept                     each of its children
``causes``         a cause (a concept, or a      the disease's concept
                   ``cause:…`` node)
``has_symptom``    a disease's concept           a symptom (``HP:…`` or
                                                 ``symptom:…``)
``diagnosed_by``   a disease's concept           a test (``LOINC:…`` or ``test:…``)
``treated_by``     a disease's concept           a treatment (``treatment:…``)
=================  ============================  ===============================

Concept nodes are keyed by their identifier (``"L94.2"``, ``"L80-L99"``,
``"12"``) and carry ``kind``, ``title``, ``billable``, ``depth`` and ``chapter``.
Knowledge nodes carry ``kind`` (``cause``, ``symptom``, ``test`` or
``treatment``), ``label`` and ``identifiers``; knowledge edges carry
``sources``, ``qualifiers`` and ``group``. Notes become edges too, keyed by
the note's kind (see :mod:`icd10kb.notes.references`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..arguments import check_bool, check_int
from ..classification.compiled import KINDS
from ..errors import InvalidArgumentError
from .frozen import ReadOnlyDict, seal_built

if TYPE_CHECKING:
    from ..classification.core import Classification
    from ..knowledge.index import KnowledgeIndex
    from ..knowledge.models import Fact

__all__ = [
    "CONCEPT_KINDS",
    "FACT_RELATIONS",
    "HIERARCHY",
    "build_graph",
    "fact_node",
    "hierarchy_view",
    "neighbourhood",
]

HIERARCHY = "parent_of"
CONCEPT_KINDS = frozenset(KINDS)
#: Relation of each kind of fact; causes point at the disease, the rest away from it.
FACT_RELATIONS = {"cause": "causes", "symptom": "has_symptom", "test": "diagnosed_by", "treatment": "treated_by"}
_PREFIX = {"HPO": "", "LOINC": "LOINC:"}
_SLUG = re.compile(r"[^a-z0-9]+")


def fact_node(fact: Fact) -> str:
    """The node a fact stands for: its ICD-10-CM concept, its HPO or LOINC term, or a labelled node.

    Raises
    ------
    InvalidArgumentError
        If *fact* is not a :class:`~icd10kb.knowledge.models.Fact`.

    Examples
    --------
    >>> [fact_node(f) for f in kb.knowledge("L94.2").symptoms][:2]
    ['HP:0001482', 'HP:0012531']
    >>> fact_node(kb.knowledge("L94.2").causes[0])
    'cause:idiopathic-no-cause-found'
    """
    from ..knowledge.models import Fact

    if not isinstance(fact, Fact):
        raise InvalidArgumentError(fact, "fact_node() takes a Fact of a knowledge pack", "fact")
    if fact.kind == "cause" and fact.code:
        return fact.code
    for scheme, prefix in _PREFIX.items():
        value = fact.identifier(scheme)
        if value:
            return f"{prefix}{value}"
    return f"{fact.kind}:{_SLUG.sub('-', fact.label.casefold()).strip('-')}"


def _fact_attributes(fact: Fact) -> dict[str, Any]:
    return {
        "kind": fact.kind,
        "label": fact.label,
        "identifiers": tuple(i.curie for i in fact.identifiers),
    }


def _edge_attributes(fact: Fact) -> dict[str, Any]:
    return {
        "sources": tuple(s.url or s.title for s in fact.sources),
        "packs": tuple(dict.fromkeys(s.pack for s in fact.sources)),
        "qualifiers": {k: v for k, v in fact.qualifiers.model_dump().items() if v},
        "group": fact.group,
        "label": fact.label,
    }


def _fact_edge(code: str, fact: Fact) -> tuple[str, str, str, str]:
    """``(fact's node, source, target, key)``: causes point at the disease, the rest away from it."""
    node = fact_node(fact)
    source, target = (node, code) if fact.kind == "cause" else (code, node)
    return node, source, target, FACT_RELATIONS[fact.kind]


def _add_fact(graph: nx.MultiDiGraph[str], code: str, fact: Fact) -> None:
    node, source, target, key = _fact_edge(code, fact)
    if node not in graph:
        graph.add_node(node, **_fact_attributes(fact))
    graph.add_edge(source, target, key=key, **_edge_attributes(fact))


class _Writer:
    """Writes nodes and edges straight into a MultiDiGraph's dictionaries, read-only from the start.

    The layout is the one networkx documents for ``MultiDiGraph``: ``_node``,
    ``_succ`` and ``_pred``, one key dictionary shared by an edge's two ends.
    Every row and every key dictionary is a
    :class:`~icd10kb.graph.frozen.ReadOnlyDict` filled here with
    ``dict.__setitem__``, and every attribute mapping a ``MappingProxyType``;
    every ``parent_of`` slot is one shared key dictionary (the hierarchy edges
    carry no data), so is the slot of every edge with the same key and the same
    shared attribute mapping (a note's edges to each of its targets, phenotype
    edges with the same data); so is the empty row of every node without
    successors, and the predecessor row of the 7th-character codes of one code.
    A shared slot or row that would change becomes one of its own first. With
    the phenotype layer read afresh (not kept), this leaves the garbage
    collector 364,000 new objects to pass over after the build, where there
    were 708,000.
    :func:`~icd10kb.graph.frozen.seal_built` then only wraps the node table and
    the two adjacency tables.
    """

    def __init__(self, graph: nx.MultiDiGraph[str], shared_rows: Iterable[int] = ()) -> None:
        self.rows = {id(_EMPTY_ROW), *shared_rows}  # ids of the rows nodes share: copied before a change
        self.nodes: dict[str, Any] = graph._node  # type: ignore[attr-defined]
        self.succ: dict[str, dict[str, dict[str, Any]]] = graph._succ  # type: ignore[attr-defined]
        self.pred: dict[str, dict[str, dict[str, Any]]] = graph._pred  # type: ignore[attr-defined]
        self.slots: dict[tuple[str, int], Any] = {}  # (key, id of shared attributes) -> the slot edges share
        self.shared: set[int] = {id(_HIERARCHY_SLOT)}  # ids of the slots that edges share: copied before a change

    def node(self, node: str, attributes: dict[str, Any]) -> None:
        """Add *node* unless it is there (a node already present keeps its attributes)."""
        if node not in self.nodes:
            self.nodes[node] = MappingProxyType(attributes)
            self.succ[node] = self.pred[node] = _EMPTY_ROW

    def edge(self, u: str, v: str, key: str, attributes: Any, *, merge: bool = True) -> None:
        """Add the edge; an edge already there gets *attributes* over its own (or instead, without *merge*).

        *attributes* is a dict, or a ``MappingProxyType`` that edges may share: a new edge with
        shared attributes gets the one slot ``{key: attributes}`` that all such edges share.
        """
        row = self._own_row(self.succ, u)
        slot = row.get(v)
        if slot is None and type(attributes) is MappingProxyType:
            slot = self.slots.get((key, id(attributes)))
            if slot is None:
                slot = self.slots[(key, id(attributes))] = ReadOnlyDict(((key, attributes),))
                self.shared.add(id(slot))
            _put(row, v, slot)
            _put(self._own_row(self.pred, v), u, slot)
            return
        if slot is None or id(slot) in self.shared:  # a new slot, or a shared one to change: one of its own
            slot = ReadOnlyDict() if slot is None else ReadOnlyDict(slot)
            _put(row, v, slot)
            _put(self._own_row(self.pred, v), u, slot)
        if merge and key in slot:
            attributes = {**slot[key], **attributes}
        _put(slot, key, attributes if type(attributes) is MappingProxyType else MappingProxyType(attributes))

    def _own_row(self, table: dict[str, Any], node: str) -> Any:
        """*node*'s row in the adjacency *table*, made its own first if nodes share it."""
        row = table[node]
        if id(row) in self.rows:
            row = table[node] = ReadOnlyDict(row)
        return row

    def fact(self, code: str, fact: Fact) -> None:
        node, source, target, key = _fact_edge(code, fact)
        self.node(node, _fact_attributes(fact))
        attributes = _edge_attributes(fact)
        attributes["qualifiers"] = MappingProxyType(attributes["qualifiers"])
        self.edge(source, target, key, attributes)


def _concept_attributes(kb: Classification, code: str) -> dict[str, Any]:
    return {
        "kind": kb.kind(code),
        "title": kb.title(code),
        "billable": kb.is_billable(code),
        "depth": kb.depth(code),
        "chapter": kb.chapter(code),
    }


def build_graph(kb: Classification, knowledge: KnowledgeIndex, *, phenotypes: bool = True) -> nx.MultiDiGraph[str]:
    """The whole knowledge graph of *kb*, frozen (read-only).

    With *phenotypes*, the HPO layer is in it too (:func:`icd10kb.phenotypes.graph_edges`, read from
    :mod:`icd10kb.phenotypes.layer` for a shipped release):
    HPO terms with ``hpo_parent_of`` edges, the diseases linked to codes
    (``exact_match`` edges to the code), their ``has_phenotype`` and
    ``lacks_phenotype`` edges, each with its Biolink category and predicate.

    The concepts and the hierarchy — 98,000 nodes and edges — are written
    into networkx's own adjacency dictionaries in one pass over the store's
    arrays (the layout networkx documents for ``MultiDiGraph``: ``_node``,
    ``_succ`` and ``_pred``, with one key dictionary shared by an edge's two
    ends); knowledge and note edges are few and go through ``add_edge``.
    """
    from ..notes.references import all_references

    check_bool(phenotypes, "phenotypes")
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=f"ICD-10-CM {kb.release.name}")
    shared_rows = _add_concepts(kb, graph)
    writer = _Writer(graph, shared_rows)
    for code in knowledge.codes:
        for fact in knowledge.profile(code).facts:
            writer.fact(code, fact)
    if phenotypes:  # HPO terms and is-a, the diseases linked to codes, their phenotypes and the links
        from ..phenotypes.layer import shared_layer

        nodes, edges = shared_layer(kb)  # compiled ahead for a shipped release; equal attributes shared
        for node, attributes in nodes:
            writer.node(node, attributes)  # an HPO term a knowledge pack already names keeps the pack's node
        proxies: dict[int, Any] = {}  # edges that share their attributes (as the compiled layer's do) share one proxy
        for source, target, key, attributes in edges:
            proxy = proxies.get(id(attributes))
            if proxy is None:
                proxy = proxies[id(attributes)] = MappingProxyType(attributes)
            writer.edge(source, target, key, proxy)
    for ref in all_references(kb):  # one edge per (note, target), as note_edges() gives them; both ends are nodes
        data = MappingProxyType({"text": ref.text, "reference": ref.reference})  # one mapping for all its targets
        for target in ref.targets:  # the same (source, target, kind) twice is one edge, the later note's data winning
            writer.edge(ref.at, target, ref.kind, data, merge=False)
    return seal_built(graph)  # read-only even through the class: nx.MultiDiGraph.remove_edge(graph, ...) fails


_NO_DATA: Any = MappingProxyType({})  # the data of every hierarchy edge: none, read-only, shared
_HIERARCHY_SLOT: Any = ReadOnlyDict({HIERARCHY: _NO_DATA})  # the key dictionary of every parent-child slot
_put = dict.__setitem__  # how the builder fills its read-only dictionaries
#: The row of every node without successors (or predecessors): one read-only dictionary, shared
#: until the builder gives the node an edge (see _own_row). 74,000 leaves make no row of their own.
_EMPTY_ROW: Any = ReadOnlyDict()


def _add_concepts(kb: Classification, graph: nx.MultiDiGraph[str]) -> set[int]:
    """Every concept as a node (its attributes read-only) and every ``parent_of`` edge.

    Returns the ids of the rows it shares: the predecessor row of the 7th-character codes
    of one code (``{code: parent_of}`` for each of them) is one read-only dictionary.
    """
    store = kb.store
    ids, parents, seventh, meanings, official = store.ids, store.parents, store.seventh, store.meanings, store.official
    titles, offsets = store.titles, store.offsets
    names = {letter: kind for kind, letter in KINDS.items()}
    nodes: dict[str, Any] = graph._node  # type: ignore[attr-defined]
    succ: dict[str, dict[str, dict[str, Any]]] = graph._succ  # type: ignore[attr-defined]
    pred: dict[str, dict[str, dict[str, Any]]] = graph._pred  # type: ignore[attr-defined]
    chapter = ""
    has_children = set(parents)
    shared: set[int] = set()
    rows = zip(range(store.size), ids, store.kinds, parents, store.depths, store.billable, offsets, offsets[1:])
    for position, code, letter, up, depth, billable, start, end in rows:
        if letter == "C":  # pre-order: a chapter comes before everything in it
            chapter = code
        title = titles[start:end]
        nodes[code] = MappingProxyType(
            {
                "kind": names[letter],
                "title": official.get(code, title) if letter in "CB" else title,  # with its range
                "billable": billable == 1,
                "depth": depth,
                "chapter": chapter,
            }
        )
        entry = seventh.get(position)
        succ[code] = row = ReadOnlyDict() if entry or position in has_children else _EMPTY_ROW
        if up >= 0:
            _put(succ[ids[up]], code, _HIERARCHY_SLOT)
            pred[code] = ReadOnlyDict(((ids[up], _HIERARCHY_SLOT),))
        else:
            pred[code] = _EMPTY_ROW
        if entry:
            chars, rule = entry
            stem, meaning = store.seventh_stem(position), meanings[rule]
            above = ReadOnlyDict(((code, _HIERARCHY_SLOT),))  # every child's predecessor row: shared
            shared.add(id(above))
            for char in chars:
                child = stem + char
                nodes[child] = MappingProxyType(
                    {
                        "kind": "code",
                        "title": f"{title}, {meaning[char]}",
                        "billable": True,
                        "depth": depth + 1,
                        "chapter": chapter,
                    }
                )
                succ[child], pred[child] = _EMPTY_ROW, above
                _put(row, child, _HIERARCHY_SLOT)
    return shared


def hierarchy_view(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """A read-only view of *graph* with only concepts and ``parent_of`` edges."""
    nodes = graph.nodes

    def is_concept(node: str) -> bool:
        return nodes[node].get("kind") in CONCEPT_KINDS

    def is_hierarchy(u: str, v: str, key: str) -> bool:
        return key == HIERARCHY

    view: nx.MultiDiGraph[str] = nx.subgraph_view(graph, filter_node=is_concept, filter_edge=is_hierarchy)  # type: ignore[arg-type]
    return view


def neighbourhood(
    kb: Classification,
    index: KnowledgeIndex,
    code: object,
    *,
    ancestors: bool = True,
    children: bool = True,
    siblings: bool = False,
    knowledge: bool = True,
    depth: int = 1,
) -> nx.MultiDiGraph[str]:
    """A new graph of *code*'s neighbourhood, with the same nodes, keys and attributes.

    It is built from the release directly, never from the whole graph.

    Parameters
    ----------
    kb:
        The knowledge base.
    code:
        The code at the centre, in any spelling.
    ancestors:
        Include the path from the chapter down to *code*.
    children:
        Include *code*'s children.
    siblings:
        Include its siblings (under the same parent).
    knowledge:
        Include its causes, symptoms, tests and treatments, and the
        concepts of causes that have a code (for every concept below it
        that is included, too).
    depth:
        With *children*, how many levels below *code* to include (1: its
        children), from 0 to 10.

    Raises
    ------
    InvalidArgumentError
        If a flag is not True or False, or *depth* is not a whole number from 0 to 10.
    InvalidCodeError, CodeNotFoundError
        If *code* is not a code of the release.

    Examples
    --------
    >>> g = neighbourhood(kb, kb.knowledge_index, "L94.2", siblings=True)
    >>> g.has_edge("L94", "L94.2", key="parent_of"), g.has_edge("M34", "L94.2", key="causes")
    (True, True)
    >>> g.nodes["HP:0001482"]["label"]
    'hard, firm or bumpy skin nodules'
    """
    for name, value in (("ancestors", ancestors), ("children", children), ("siblings", siblings)):
        check_bool(value, name)
    check_bool(knowledge, "knowledge")
    check_int(depth, "depth", 0, 10)
    code = kb.normalize(code)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=f"neighbourhood of {code}")
    graph.add_node(code, **_concept_attributes(kb, code))
    if ancestors:
        path = kb.path(code)
        for upper, lower in pairwise(path):
            for node in (upper, lower):
                if node not in graph:
                    graph.add_node(node, **_concept_attributes(kb, node))
            graph.add_edge(upper, lower, key=HIERARCHY)
    parent = kb.parent(code)
    if siblings and parent is not None:
        graph.add_node(parent, **_concept_attributes(kb, parent))
        for sibling in kb.siblings(code):
            graph.add_node(sibling, **_concept_attributes(kb, sibling))
            graph.add_edge(parent, sibling, key=HIERARCHY)
        graph.add_edge(parent, code, key=HIERARCHY)
    below: list[str] = []
    if children:
        level = [code]
        for _ in range(depth):
            following = []
            for upper in level:
                for child in kb.children(upper):
                    graph.add_node(child, **_concept_attributes(kb, child))
                    graph.add_edge(upper, child, key=HIERARCHY)
                    following.append(child)
            below += following
            level = following
    if knowledge:
        for concept in (code, *below):
            for fact in index.profile(concept).facts:
                if fact.kind == "cause" and fact.code and fact.code not in graph:
                    graph.add_node(fact.code, **_concept_attributes(kb, fact.code))
                _add_fact(graph, concept, fact)
    return graph
