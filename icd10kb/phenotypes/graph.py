"""Nodes and edges of the phenotype layer, ready for ``kb.graph`` (a networkx MultiDiGraph) and the KGX export.

:func:`graph_edges` returns plain ``(node, attributes)`` and ``(u, v, key,
attributes)`` tuples; ``graph.add_nodes_from(nodes)`` and
``graph.add_edges_from(edges)`` add them. Every node carries ``category``
and every edge ``predicate``, ``category`` and ``primary_knowledge_source``
(Biolink and infores names), so an exporter needs no table of its own.

=====================  ======================  ===========================  =====================================
key                    from                    to                           Biolink predicate
=====================  ======================  ===========================  =====================================
``has_phenotype``      a disease (``OMIM:…``)  an HPO term                  ``biolink:has_phenotype``
``lacks_phenotype``    a disease               an HPO term (NOT)            ``biolink:has_phenotype``, negated
``exact_match``        a disease               an ICD-10-CM concept         ``biolink:exact_match``
``broad_match``        a disease               a broader ICD-10-CM concept  ``biolink:broad_match``
``hpo_parent_of``      an HPO term             a more specific HPO term     ``biolink:subclass_of`` (export it
                                                                            child -> parent, as ``parent_of``)
=====================  ======================  ===========================  =====================================

Several annotation rows of one disease and term become one edge that keeps
every reference, frequency and evidence code. Only phenotypic abnormality
rows (aspect P) become edges; inheritance and onset rows stay in
:func:`~icd10kb.phenotypes.profile`.

Examples
--------
>>> nodes, edges = graph_edges()
>>> dict(nodes)["ORPHA:558"]["category"], dict(nodes)["HP:0001166"]["category"]
('biolink:Disease', 'biolink:PhenotypicFeature')
>>> next(e for e in edges if e[:3] == ("ORPHA:558", "Q87.4", "exact_match"))[3]["predicate"]
'biolink:exact_match'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..kbargument import resolve_kb
from .annotations import AnnotationRow, disease_annotations
from .links import check_broader, link_index
from .ontology import ontology

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase

__all__ = ["PREDICATES", "graph_edges"]

#: Edge key -> (Biolink predicate, Biolink association category).
PREDICATES = {
    "has_phenotype": ("biolink:has_phenotype", "biolink:DiseaseToPhenotypicFeatureAssociation"),
    "lacks_phenotype": ("biolink:has_phenotype", "biolink:DiseaseToPhenotypicFeatureAssociation"),
    "exact_match": ("biolink:exact_match", "biolink:Association"),
    "broad_match": ("biolink:broad_match", "biolink:Association"),
    "hpo_parent_of": ("biolink:subclass_of", "biolink:Association"),
}
_HPO_SOURCE = "infores:hpo-annotations"
_LINK_SOURCE = {"MONDO": "infores:mondo", "ORDO": "infores:orphanet", "MONDO>ORDO": "infores:mondo"}


def _edge(key: str, source: str, **attributes: Any) -> dict[str, Any]:
    predicate, category = PREDICATES[key]
    return {"predicate": predicate, "category": category, "primary_knowledge_source": source, **attributes}


def graph_edges(
    kb: KnowledgeBase | None = None, broader: bool = False, hierarchy: bool = True
) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str, str, dict[str, Any]]]]:
    """Disease and phenotype nodes and their edges, for the diseases linked to codes of *kb*.

    Parameters
    ----------
    kb:
        The knowledge base; ``None`` means ``icd10kb.load()``. Only links to its codes are used.
    broader:
        Also take diseases reached by broader links (and add ``broad_match`` edges).
    hierarchy:
        Add the HPO terms above the annotated ones and their ``hpo_parent_of`` edges.

    Returns
    -------
    tuple
        ``(nodes, edges)``: ``[(node, attributes)]`` and ``[(u, v, key, attributes)]``.
        ICD-10-CM concepts are not in *nodes*: they are ``kb.graph``'s own.
    """
    kb = resolve_kb(kb)
    broader = check_broader(broader)
    if not isinstance(hierarchy, bool):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(hierarchy, "hierarchy is True or False", "hierarchy")
    index = link_index(kb)
    store = disease_annotations()
    hpo = ontology()
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    phenotypes: set[str] = set()
    for disease in index.diseases(broader):
        nodes[disease] = {
            "kind": "disease",
            "category": "biolink:Disease",
            "name": store.name(disease) or disease,
            "name_source": store.name_source(disease) or "",
            "provided_by": _HPO_SOURCE,
        }
        for link in index.for_disease(disease, broader):
            key = "exact_match" if link.link_class == "exact" else "broad_match"
            edges.append((disease, link.code, key, _edge(
                key, _LINK_SOURCE[link.path], path=link.path, via=link.via, disease_predicate=link.disease_predicate,
                code_predicate=link.code_predicate, source_file=link.source_file,
            )))  # fmt: skip
        grouped: dict[tuple[str, bool], list[AnnotationRow]] = {}
        for row in store.rows(disease):
            if store.aspect[row] == "P":
                fields = store.row(row)  # decoded on its own: the graph reads 19,000 of 272,000 rows
                grouped.setdefault((fields.term, fields.negated), []).append(fields)
        for (term, negated), rows in grouped.items():
            phenotypes.add(term)
            key = "lacks_phenotype" if negated else "has_phenotype"
            edges.append((disease, term, key, _edge(
                key, _HPO_SOURCE, negated=negated,
                frequencies=tuple(dict.fromkeys(r.frequency for r in rows if r.frequency)),
                evidence=tuple(dict.fromkeys(r.evidence for r in rows)),
                references=tuple(dict.fromkeys(ref for r in rows for ref in r.references)),
                onsets=tuple(dict.fromkeys(r.onset for r in rows if r.onset)),
                sex=tuple(dict.fromkeys(r.sex for r in rows if r.sex)),
            )))  # fmt: skip
    if hierarchy:
        phenotypes = set().union(*(hpo.ancestors(t, include_self=True) for t in phenotypes)) if phenotypes else set()
        for term in sorted(phenotypes):
            for parent in hpo.parents(term):
                edges.append((parent, term, "hpo_parent_of", _edge("hpo_parent_of", "infores:hp")))
    for term in sorted(phenotypes):
        nodes[term] = {
            "kind": "phenotype",
            "category": "biolink:PhenotypicFeature",
            "label": hpo.label(term),
            "provided_by": "infores:hp",
        }
    return list(nodes.items()), edges
