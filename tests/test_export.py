"""KGX and other exports, read back with plain readers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx

import icd10kb
from icd10kb.graph.export import BIOLINK_PREDICATES, EDGE_COLUMNS, NODE_COLUMNS, node_link, write_graphml, write_kgx

REQUIRED_NODE = {"id", "category"}
REQUIRED_EDGE = {"id", "subject", "predicate", "object", "knowledge_level", "agent_type", "primary_knowledge_source"}


def test_kgx_tsv_and_jsonl_read_back(kb: icd10kb.KnowledgeBase, tmp_path: Path) -> None:
    graph = kb.subgraph("L94.2", siblings=True)
    nodes_tsv, edges_tsv = write_kgx(graph, tmp_path / "l94", "tsv")
    with open(nodes_tsv, newline="", encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle, delimiter="\t"))
    with open(edges_tsv, newline="", encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle, delimiter="\t"))
    assert REQUIRED_NODE <= set(nodes[0]) and tuple(nodes[0]) == NODE_COLUMNS
    assert REQUIRED_EDGE <= set(edges[0]) and tuple(edges[0]) == EDGE_COLUMNS
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes) == graph.number_of_nodes()
    assert all(e["subject"] in ids and e["object"] in ids for e in edges)
    assert all(n["category"].startswith("biolink:") for n in nodes)
    assert all(e["predicate"].startswith("biolink:") and e["primary_knowledge_source"].startswith("infores:") for e in edges)
    triples = {(e["subject"], e["predicate"], e["object"]) for e in edges}
    assert ("ICD10CM:M34", "biolink:contributes_to", "ICD10CM:L94.2") in triples
    assert ("ICD10CM:L94.2", "biolink:has_phenotype", "HP:0001482") in triples
    assert ("ICD10CM:L94.2", "biolink:is_diagnosed_by", "LOINC:17861-6") in triples
    assert ("ICD10CM:L94.2", "biolink:subclass_of", "ICD10CM:L94") in triples  # Biolink's canonical direction
    fact_edges = [e for e in edges if e["predicate"] == "biolink:has_phenotype"]
    assert all(e["source_url"] == "https://disease.expert/items/calcinosis-cutis" for e in fact_edges)
    joint = next(e for e in fact_edges if e["object"] == "HP:0001376")
    assert json.loads(joint["icd10kb_qualifiers"]) == {"condition": "deposits lie near a joint"}
    categories = {n["id"]: n["category"] for n in nodes}
    assert categories["ICD10CM:L94.2"] == "biolink:Disease"

    nodes_jl, edges_jl = write_kgx(graph, tmp_path / "l94", "jsonl")
    node_records = [json.loads(line) for line in Path(nodes_jl).read_text().splitlines()]
    edge_records = [json.loads(line) for line in Path(edges_jl).read_text().splitlines()]
    assert {r["id"] for r in node_records} == ids
    assert len(edge_records) == len(edges)
    assert all(REQUIRED_EDGE <= set(r) and isinstance(r["category"], list) for r in edge_records)


def test_node_categories_follow_the_chapter(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.graph.export import kgx_records

    graph = kb.graph.subgraph(["W54.0", "R07.9", "Z00.00", "L94.2", "20", "L94.2"])
    nodes, _ = kgx_records(graph)
    categories = {n["id"]: n["category"][0] for n in nodes}
    assert categories["ICD10CM:W54.0"] == "biolink:NamedThing"  # an external cause, not a disease
    assert categories["ICD10CM:R07.9"] == "biolink:PhenotypicFeature"
    assert categories["ICD10CM:L94.2"] == "biolink:Disease"


def test_every_relation_has_a_biolink_predicate(kb: icd10kb.KnowledgeBase) -> None:
    keys = {k for _, _, k in kb.graph.edges(keys=True)}
    notes = {"excludes1", "excludes2", "code_first", "use_additional_code", "code_also", "notes"}
    assert keys - notes <= set(BIOLINK_PREDICATES)
    assert {"parent_of", "causes", "has_symptom", "diagnosed_by"} <= keys


def test_node_link_and_graphml_round_trip(kb: icd10kb.KnowledgeBase, tmp_path: Path) -> None:
    graph = kb.subgraph("L94.2")
    data = json.loads(json.dumps(node_link(graph)))
    back = nx.node_link_graph(data, edges="links", multigraph=True, directed=True)
    assert set(back) == set(graph) and back.number_of_edges() == graph.number_of_edges()
    write_graphml(graph, tmp_path / "g.graphml")
    read = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert set(read) == set(graph)
    assert read.nodes["L94.2"]["title"] == "Calcinosis cutis"
