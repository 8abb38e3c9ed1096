"""The SKOS/OWL export: written without rdflib, loaded into rdflib, queried with SPARQL."""

from __future__ import annotations

import io

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

import icd10kb
from icd10kb.cli import main
from icd10kb.rdf import ICD10CM, concept_iri, to_rdflib, triples, write_ntriples, write_turtle
from icd10kb.rdf.skos import BIOLINK, _literal

SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")


@pytest.fixture(scope="module")
def whole(kb: icd10kb.KnowledgeBase) -> rdflib.Graph:
    """The whole release, written as N-Triples without rdflib, then parsed by rdflib."""
    buffer = io.StringIO()
    count = write_ntriples(kb, buffer)
    graph = rdflib.Graph()
    graph.parse(data=buffer.getvalue(), format="nt")
    assert len(graph) == count  # no triple written twice
    return graph


@pytest.mark.parametrize("root", ["L94", "S72.0", "L80-L99", "12"])
def test_sparql_descendants_equal_kb_descendants(whole: rdflib.Graph, kb: icd10kb.KnowledgeBase, root: str) -> None:
    query = f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?c WHERE {{ ?c rdfs:subClassOf* <{concept_iri(kb, root)}> .
                           FILTER (?c != <{concept_iri(kb, root)}>) }}"""
    found = {str(row[0]) for row in whole.query(query)}
    assert found == {concept_iri(kb, c) for c in kb.descendants(root)}


def test_every_concept_has_its_labels_and_notation(whole: rdflib.Graph, kb: icd10kb.KnowledgeBase) -> None:
    subjects = set(whole.subjects(rdflib.RDF.type, SKOS.Concept))
    assert len(subjects) == len(kb)
    for code in list(kb)[::97]:
        node = rdflib.URIRef(concept_iri(kb, code))
        assert whole.value(node, SKOS.prefLabel) == rdflib.Literal(kb.title(code), lang="en")
        if kb.kind(code) != "chapter":
            assert str(whole.value(node, SKOS.notation)) == code
        parent = kb.parent(code)
        assert whole.value(node, SKOS.broader) == (rdflib.URIRef(concept_iri(kb, parent)) if parent else None)
        alt = {str(v) for v in whole.objects(node, SKOS.altLabel)}
        assert alt == {n.text for n in kb.notes(code) if n.kind == "inclusion_terms"}


def test_bioportal_iris_and_knowledge_edges(whole: rdflib.Graph, kb: icd10kb.KnowledgeBase) -> None:
    l942 = rdflib.URIRef("http://purl.bioontology.org/ontology/ICD10CM/L94.2")
    assert (l942, rdflib.RDFS.subClassOf, rdflib.URIRef(ICD10CM + "L94")) in whole
    phenotypes = set(whole.objects(l942, rdflib.URIRef(BIOLINK + "has_phenotype")))
    assert rdflib.URIRef("http://purl.obolibrary.org/obo/HP_0001482") in phenotypes
    assert len(phenotypes) == sum(1 for _, _, k in kb.graph.out_edges("L94.2", keys=True) if k == "has_symptom")
    causes = {s for s in whole.subjects(rdflib.URIRef(BIOLINK + "contributes_to"), l942)}
    assert rdflib.URIRef(ICD10CM + "M34") in causes
    tests = set(whole.objects(l942, rdflib.URIRef(BIOLINK + "is_diagnosed_by")))
    assert rdflib.URIRef("https://loinc.org/17861-6") in tests


def test_turtle_and_ntriples_hold_the_same_graph(kb: icd10kb.KnowledgeBase) -> None:
    codes = ["L94", *kb.descendants("L94"), "S72.001", *kb.descendants("S72.001")]
    nt, ttl = io.StringIO(), io.StringIO()
    write_ntriples(kb, nt, codes=codes)
    write_turtle(kb, ttl, codes=codes)
    a = rdflib.Graph().parse(data=nt.getvalue(), format="nt")
    b = rdflib.Graph().parse(data=ttl.getvalue(), format="turtle")
    assert isomorphic(a, b)
    assert len(a) == len(list(triples(kb, codes=codes)))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=50))
def test_literals_round_trip(text: str) -> None:
    graph = rdflib.Graph().parse(data=f"<urn:x:s> <urn:x:p> {_literal(text)} .\n", format="nt")
    assert str(next(iter(graph.objects()))) == text


def test_to_rdflib_subset(kb: icd10kb.KnowledgeBase) -> None:
    graph = to_rdflib(kb, codes=["L94.2"], knowledge=False)
    assert graph.value(rdflib.URIRef(ICD10CM + "L94.2"), SKOS.notation) == rdflib.Literal("L94.2")


def test_cli_writes_turtle(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rdf", "--format", "ttl", "--release", "2021", "--no-knowledge"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("@prefix rdf:") and captured.err.strip().endswith("triples")
    assert main(["rdf", "--release", "1999"]) == 1
