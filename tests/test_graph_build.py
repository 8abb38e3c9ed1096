"""The whole graph, written straight into networkx's dictionaries, equals one built with networkx's own calls."""

from __future__ import annotations

from types import MappingProxyType

import networkx as nx
import pytest

import icd10kb
from icd10kb.graph.build import HIERARCHY, _add_fact
from icd10kb.notes.references import note_edges, read_references
from tests.scripts import load_script


@pytest.fixture(scope="module")
def oracle() -> nx.MultiDiGraph:
    """The graph made the slow, obvious way: add_node and add_edge for everything, from the public API."""
    kb = icd10kb.load()
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for code in kb:
        graph.add_node(
            code,
            kind=kb.kind(code),
            title=kb.title(code),
            billable=kb.is_billable(code),
            depth=kb.depth(code),
            chapter=kb.chapter(code),
        )
        parent = kb.parent(code)
        if parent is not None:
            graph.add_edge(parent, code, key=HIERARCHY)
    index = kb.knowledge_index
    for code in index.codes:
        for fact in index.profile(code).facts:
            _add_fact(graph, code, fact)
    from icd10kb.phenotypes.graph import graph_edges

    nodes, edges = graph_edges(kb)
    for node, attributes in nodes:
        if node not in graph:
            graph.add_node(node, **attributes)
    for source, target, key, attributes in edges:
        graph.add_edge(source, target, key=key, **attributes)
    for edge in note_edges(kb):
        graph.add_edge(edge.source, edge.target, key=edge.kind, text=edge.text, reference=edge.reference)
    return graph


def test_same_nodes_edges_and_attributes(oracle: nx.MultiDiGraph) -> None:
    graph = icd10kb.load().graph
    assert dict(graph.nodes(data=True)) == dict(oracle.nodes(data=True))
    assert set(graph.edges(keys=True)) == set(oracle.edges(keys=True))
    assert all(dict(graph.edges[e]) == dict(oracle.edges[e]) for e in oracle.edges(keys=True))
    assert graph.number_of_edges() == oracle.number_of_edges()
    for node in ("L94.2", "S72.001A", "12", "HP:0001482", "Q87.4", "ORPHA:558"):
        assert list(graph.predecessors(node)) == list(oracle.predecessors(node))
        assert list(graph.successors(node)) == list(oracle.successors(node))


def test_every_attribute_mapping_is_read_only() -> None:
    graph = icd10kb.load().graph
    assert all(type(data) is MappingProxyType for _, data in graph.nodes(data=True))
    assert all(type(data) is MappingProxyType for *_, data in graph.edges(keys=True, data=True))
    with pytest.raises(TypeError):
        graph.nodes["L94.2"]["title"] = "changed"  # type: ignore[index]


def test_every_edge_slot_is_read_only_and_shared_by_both_ends() -> None:
    """The builder writes read-only slots (one shared by every hierarchy edge); a slot with a second key is its own."""
    from icd10kb.graph.build import _HIERARCHY_SLOT
    from icd10kb.graph.frozen import ReadOnlyDict

    graph = icd10kb.load().graph
    succ, pred = graph._succ, graph._pred
    assert all(type(row) is ReadOnlyDict for row in (*succ.values(), *pred.values()))
    assert all(type(slot) is ReadOnlyDict and slot is pred[v][u] for u, row in succ.items() for v, slot in row.items())
    assert succ["L94"]["L94.2"] is _HIERARCHY_SLOT
    assert succ["A00.0"] is succ["S72.001A"] and len(succ["A00.0"]) == 0  # leaves share one empty, read-only row
    with pytest.raises(nx.NetworkXError):
        nx.MultiDiGraph.add_edge(graph, "A00.0", "S72.001A")
    assert len(succ["A00.0"]) == 0 and "S72.001A" not in graph["A00.0"]
    phenotype = [data for u, v, key, data in graph.edges(keys=True, data=True) if key == "has_phenotype"]
    assert len({id(data) for data in phenotype}) < len(phenotype) / 2  # edges with the same attributes share them
    both = succ["S24"]["S24.0"]  # a note of S24 names S24.0, its child: two keys in one slot
    assert both is not _HIERARCHY_SLOT and set(both) == {"parent_of", "notes"}
    assert set(_HIERARCHY_SLOT) == {"parent_of"}
    for slot in (_HIERARCHY_SLOT, both, succ["L94.2"]):
        with pytest.raises(nx.NetworkXError):
            slot["x"] = {}
    with pytest.raises(nx.NetworkXError):
        nx.MultiDiGraph.add_edge(graph, "L94", "L94.2", key="extra")


def test_shipped_references_equal_reading_the_notes_again() -> None:
    """The references compiled ahead of time are those the reader finds now (each shipped release)."""
    from icd10kb.notes.references import all_references

    for name in icd10kb.releases():
        kb = icd10kb.load(name)
        assert all_references(kb) == read_references(kb), name


def test_the_references_dataset_recompiles_byte_for_byte() -> None:
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "scripts"))
    try:
        import build_references
    finally:
        sys.path.remove(str(root / "scripts"))
    from icd10kb.datasets import read
    from icd10kb.notes.references import DATASET

    for name in icd10kb.releases():
        assert build_references.compile_release(name) == read(DATASET, f"{DATASET}/{name}.json.gz", decompress=False)


def test_the_phenotype_layer_in_the_graph() -> None:
    """Issue 10: disease and phenotype nodes, has_phenotype and mapping edges; NOT never as has_phenotype."""
    graph = icd10kb.load().graph
    assert graph.has_edge("ORPHA:558", "Q87.4", key="exact_match")
    assert graph.has_edge("ORPHA:558", "HP:0001166", key="has_phenotype")  # Marfan: arachnodactyly
    assert graph.nodes["ORPHA:558"]["category"] == "biolink:Disease"
    negated = [(u, v) for u, v, k, d in graph.edges(keys=True, data=True) if k == "has_phenotype" and d.get("negated")]
    assert negated == []
    assert any(d.get("negated") for *_, k, d in graph.edges(keys=True, data=True) if k == "lacks_phenotype")


@pytest.mark.parametrize("release", icd10kb.releases())
def test_the_phenotype_layer_recompiles_byte_for_byte_and_reads_back(release: str) -> None:
    """The shipped layer is what graph_edges gives for the release, and reads back equal to it."""
    from icd10kb.datasets import read
    from icd10kb.phenotypes.graph import graph_edges
    from icd10kb.phenotypes.layer import DATASET, decode, graph_layer

    shipped = read(DATASET, f"{DATASET}/{release}.json.gz", decompress=False)
    assert load_script("build_graph_layer").compile_release(release) == shipped
    kb = icd10kb.load(release)
    assert graph_layer(kb) == graph_edges(kb)
    with pytest.raises(icd10kb.DataFileError, match="phenotype layer"):
        decode(b'{"format": 1, "release": "x", "nodes": [[1, {}]], "edges": []}', "f")
    with pytest.raises(icd10kb.DataFileError, match="phenotype layer"):
        decode(b'{"format": 2}', "f")
    for place in ("1", "-1", "true", "0.0", '"0"'):  # an edge naming attributes that are not in the list
        with pytest.raises(icd10kb.DataFileError, match="phenotype layer"):
            decode(b'{"format": 2, "nodes": [], "attributes": [{}], "edges": [["a", "b", "k", %s]]}' % place.encode(), "f")
    assert decode(b'{"format": 2, "nodes": [], "attributes": [{"x": [1]}], "edges": [["a", "b", "k", 0]]}', "f") == (
        [],
        [("a", "b", "k", {"x": (1,)})],
    )
