"""Profiles, reverse questions, graph edges, search synonyms and the CLI of the phenotype layer."""

from __future__ import annotations

import argparse
import io
import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import icd10kb
from icd10kb.errors import CodeNotFoundError, ICD10KBError, InvalidArgumentError
from icd10kb.phenotypes import (
    UnknownPhenotypeError,
    codes_with_phenotype,
    disease_annotations,
    graph_edges,
    link_index,
    ontology,
    profile,
    search_synonyms,
)
from icd10kb.phenotypes.annotations import information_content
from icd10kb.phenotypes.cli import add_parsers
from icd10kb.phenotypes.synonyms import offered_synonyms


def _codes_with_not(kb: icd10kb.KnowledgeBase) -> list[str]:
    store = disease_annotations()
    negated = {store.diseases[store.disease[r]] for r in range(len(store)) if store.negated[r]}
    index = link_index(kb)
    return sorted({k.code for d in negated for k in index.for_disease(d)})


def test_not_annotations_are_never_phenotypes(kb: icd10kb.KnowledgeBase) -> None:
    store = disease_annotations()
    codes = _codes_with_not(kb)
    assert len(codes) >= 20
    for code in codes:
        p = profile(code, kb)
        assert p.absent and all(f.negated for f in p.absent)
        assert not any(f.negated for f in p.phenotypes + p.clinical)
        for fact in p.absent:  # each NOT fact is a NOT row of the source
            rows = [r for r in store.rows(fact.disease) if store.term[r] == fact.term and store.negated[r]]
            assert rows


def test_profile_holds_every_row_of_each_linked_disease(kb: icd10kb.KnowledgeBase) -> None:
    store = disease_annotations()
    p = profile("q87.4", kb)
    assert p.code == "Q87.4" and p.title == "Marfan syndrome" and not p.broader
    for disease in p.diseases:
        facts = [f for f in p.phenotypes + p.clinical + p.absent if f.disease == disease.id]
        assert len(facts) == len(store.rows(disease.id))
        assert all(m.code == "Q87.4" and m.link_class == "exact" for m in disease.mappings)
    fact = next(f for f in p.phenotypes if f.term == "HP:0001166" and f.disease == "ORPHA:558")
    assert fact.frequency is not None and fact.frequency.kind == "hpo_term" and fact.frequency.label == "Very frequent"
    assert fact.evidence == "TAS" and fact.references == ("ORPHA:558",) and fact.mappings
    ratio = next(f for f in p.phenotypes if f.frequency is not None and f.frequency.kind == "ratio")
    assert ratio.frequency.n is not None and ratio.frequency.share == pytest.approx(
        ratio.frequency.n / ratio.frequency.m
    )


def test_broader_links_only_on_request(kb: icd10kb.KnowledgeBase) -> None:
    index = link_index(kb)
    broad_only = sorted(set(index.codes(broader=True)) - set(index.codes()))
    assert broad_only
    for code in broad_only[:25]:
        assert profile(code, kb).diseases == ()
        wide = profile(code, kb, broader=True)
        assert wide.diseases and wide.broader
        assert all(m.link_class == "broader" for d in wide.diseases for m in d.mappings)


def test_codes_with_phenotype_uses_the_ontology(kb: icd10kb.KnowledgeBase) -> None:
    hpo = ontology()
    skin = codes_with_phenotype("HP:0000951", kb)
    below = hpo.descendants("HP:0000951", include_self=True)
    assert len(skin) > 200
    assert all(set(h.terms) <= below and h.link_class == "exact" for h in skin)
    assert any("HP:0000951" not in h.terms for h in skin)  # found through a term below it
    only = codes_with_phenotype("Abnormality of the skin", kb, descendants=False)
    assert {h.code for h in only} < {h.code for h in skin}
    wide = codes_with_phenotype("HP:0000951", kb, broader=True)
    assert {h.code for h in skin} < {h.code for h in wide}


def test_bad_arguments_get_typed_errors(kb: icd10kb.KnowledgeBase) -> None:
    with pytest.raises(CodeNotFoundError):
        profile("Q99.99", kb)
    with pytest.raises(InvalidArgumentError):
        profile("Q87.4", kb, broader="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        profile("Q87.4", kb="kb")  # type: ignore[arg-type]
    with pytest.raises(UnknownPhenotypeError) as caught:
        codes_with_phenotype("xylophone wobble", kb)
    assert "xylophone wobble" in str(caught.value)
    with pytest.raises(InvalidArgumentError):
        codes_with_phenotype("HP:0000951", kb, descendants=1)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_resolving_any_text_raises_only_documented_errors(text: str) -> None:
    try:
        term = ontology().resolve(text)
    except ICD10KBError:
        return
    assert term.id in ontology()


def test_graph_edges_load_into_networkx(kb: icd10kb.KnowledgeBase) -> None:
    nodes, edges = graph_edges(kb)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    keys = {k for _, _, k, _ in edges}
    assert keys == {"has_phenotype", "lacks_phenotype", "exact_match", "hpo_parent_of"}
    for u, v, key, data in edges:
        assert data["predicate"].startswith("biolink:") and data["category"].startswith("biolink:")
        if key == "exact_match":
            assert v in kb and graph.nodes[u]["category"] == "biolink:Disease"
        if key in ("has_phenotype", "lacks_phenotype"):
            assert data["negated"] is (key == "lacks_phenotype")
            assert graph.nodes[v]["category"] == "biolink:PhenotypicFeature"
    assert graph.has_edge("ORPHA:558", "HP:0001166", key="has_phenotype")
    assert nx.is_directed_acyclic_graph(graph.edge_subgraph((u, v, k) for u, v, k, _ in edges if k == "hpo_parent_of"))
    _, wide = graph_edges(kb, broader=True, hierarchy=False)
    assert {k for _, _, k, _ in wide} == {"has_phenotype", "lacks_phenotype", "exact_match", "broad_match"}


def test_search_synonyms_are_sourced(kb: icd10kb.KnowledgeBase) -> None:
    entries = search_synonyms(kb)
    hpo = ontology()
    for entry in entries[::97]:
        assert (entry.text, entry.synonym_type, entry.scope) in offered_synonyms(entry.term)
        assert entry.code in kb and entry.term_label == hpo.label(entry.term)
    heart_attack = {e.code for e in entries if e.text == "Heart attack"}
    assert {"I21", "I21.9", "I21.A1"} <= heart_attack and all(
        c.startswith(("I21", "I22", "I25.2")) for c in heart_attack
    )
    high_bp = {e.code for e in entries if e.text == "High blood pressure"}
    assert "I10" in high_bp and not any(c.startswith("I27") for c in high_bp)  # pulmonary hypertension is its own term
    assert not any(e.text == "Fever" and e.code.startswith("A01") for e in entries)  # typhoid fever is not "fever"
    assert all(kb.chapter(e.code) not in ("19", "20", "21", "22") for e in entries)


def _run(argv: list[str], kb: icd10kb.KnowledgeBase) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="icd10kb")
    add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    args.kb = kb
    out, err = io.StringIO(), io.StringIO()
    return args.handler(args, out, err), out.getvalue(), err.getvalue()


def test_cli_commands(kb: icd10kb.KnowledgeBase) -> None:
    code, out, _ = _run(["phenotypes", "profile", "A81.83"], kb)
    assert code == 0 and "NOT HP:0010850" in out
    code, out, _ = _run(["phenotypes", "profile", "Q87.4", "--json"], kb)
    assert code == 0 and json.loads(out)["code"] == "Q87.4"
    code, out, _ = _run(["phenotypes", "codes", "Arachnodactyly", "--only-term"], kb)
    assert code == 0 and "Q87.4" in out
    code, out, _ = _run(["phenotypes", "differential", "Kayser-Fleischer ring", "Hepatic failure", "--limit", "2"], kb)
    assert code == 0 and out.startswith(" 1. E83.01")
    code, out, err = _run(["phenotypes", "term", "HP:0003114"], kb)
    assert code == 1 and "HP:0001626" in err and not out
    code, _, err = _run(["phenotypes", "differential", "HP:0001250", "--limit", "-1"], kb)
    assert code == 1 and "limit" in err


def test_cli_commands_have_help() -> None:
    parser = argparse.ArgumentParser(prog="icd10kb")
    sub = parser.add_subparsers(dest="command")
    add_parsers(sub)
    group = sub.choices["phenotypes"]
    assert group.description
    commands = next(a for a in group._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {"term", "profile", "codes", "differential"}
    for action in commands._choices_actions:
        assert action.help


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=0, max_value=19_033))
def test_ancestors_and_descendants_agree(position: int) -> None:
    hpo = ontology()
    term = hpo.id_at(position)
    for ancestor in hpo.ancestors(term):
        assert term in hpo.descendants(ancestor)
    for parent in hpo.parents(term):
        assert term in hpo.children(parent)
    assert "HP:0000001" in hpo.ancestors(term, include_self=True)
    assert information_content(term) >= max((information_content(a) for a in hpo.ancestors(term)), default=0.0)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_frequency_shares_are_fractions(n: int, m: int) -> None:
    from icd10kb.phenotypes.annotations import frequency_value

    assert 0.0 <= frequency_value(f"{n}/{m}") <= 1.0  # type: ignore[operator]
    assert frequency_value(f"{min(n, 100)}%") == min(n, 100) / 100


def test_misspelt_words_get_suggestions_not_guesses() -> None:
    with pytest.raises(UnknownPhenotypeError) as caught:
        ontology().resolve("siezures")
    assert caught.value.suggestions[0] == ("HP:0001250", "Seizure")
    assert "HP:0001250 (Seizure)" in str(caught.value)
    with pytest.raises(UnknownPhenotypeError) as nothing:
        ontology().resolve("xyzzy")
    assert nothing.value.suggestions == ()
