"""Regression tests for the bugs of issue 8 (hostile input), one named after each."""

from __future__ import annotations

import datetime
import gzip
import io
import json
import os
import warnings
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import icd10kb
from icd10kb.classification.compiled import from_classification
from icd10kb.classification.tabular import Node, TabularRelease
from icd10kb.files import NamedBytes
from icd10kb.notes import checks
from tests.test_loader_hostile import NCHS_LIST, VALID

PACK: dict[str, Any] = {
    "format": "icd10kb-knowledge/1",
    "id": "p",
    "title": "P",
    "sources": {"s": {"title": "S"}},
    "diseases": [{"code": "L94.2", "label": "Calcinosis cutis", "sources": ["s"]}],
}


class RaisesFromStr:
    def __str__(self) -> str:
        raise RuntimeError("str")

    def __repr__(self) -> str:
        raise RuntimeError("repr")


def tabular(old: str = "", new: str = "") -> io.BytesIO:
    assert old in VALID
    return io.BytesIO(VALID.replace(old, new, 1).encode("utf-8"))


# --- 1. arguments -------------------------------------------------------------------------------


def test_check_of_an_object_whose_str_raises_reports_it_malformed(kb: icd10kb.KnowledgeBase) -> None:
    (finding,) = kb.check([RaisesFromStr()])
    assert finding.kind == "malformed" and finding.codes == ("<RaisesFromStr object>",)


def test_errors_about_an_object_whose_repr_raises_are_still_made(kb: icd10kb.KnowledgeBase) -> None:
    for call in (icd10kb.normalize, kb.normalize, kb.__getitem__, kb.title):
        with pytest.raises(icd10kb.InvalidCodeError, match="<RaisesFromStr object>"):
            call(RaisesFromStr())
    assert kb.get(RaisesFromStr()) is None and not kb.is_valid(RaisesFromStr())
    assert kb.suggest(RaisesFromStr()) == ()


def test_a_release_name_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(icd10kb.InvalidArgumentError, match="name"):
        icd10kb.load_tabular(tabular(), name="FY\ud800", builtin_knowledge=False)


def test_a_bytes_direntry_is_named_as_text(tmp_path: Path) -> None:
    (tmp_path / "pack.json").write_bytes(b"{not json")
    with os.scandir(os.fsencode(tmp_path)) as entries:
        entry = next(iter(entries))
    with pytest.raises(icd10kb.KnowledgePackError) as caught:
        icd10kb.read_pack(entry)
    assert caught.value.path == str(tmp_path / "pack.json")


def test_a_datetime_given_for_the_effective_date_is_refused() -> None:
    with pytest.raises(icd10kb.InvalidArgumentError, match="effective date"):
        icd10kb.load_tabular(tabular(), effective=datetime.datetime(2025, 10, 1, 12), builtin_knowledge=False)
    kb = icd10kb.load_tabular(tabular(), effective=datetime.date(2025, 10, 1), builtin_knowledge=False)
    assert kb.release.effective == datetime.date(2025, 10, 1)


def test_expand_range_c4a_c44_is_a_range_in_the_classifications_order(kb: icd10kb.KnowledgeBase) -> None:
    assert kb.expand_range("C4A-C44") == ("C4A", "C44")
    assert icd10kb.normalize("c4a-c44") == "C4A-C44"
    with pytest.raises(icd10kb.InvalidCodeError, match="backwards"):
        kb.expand_range("C44-C4A")


def test_suggest_refuses_a_negative_or_untyped_limit(kb: icd10kb.KnowledgeBase) -> None:
    for limit in (-1, None, "3", 2.0, True):
        with pytest.raises(icd10kb.InvalidArgumentError, match="limit"):
            kb.suggest("L94.7", limit)  # type: ignore[arg-type]


def test_references_kind_given_as_a_str_subclass_with_a_hostile_hash(kb: icd10kb.KnowledgeBase) -> None:
    class Hostile(str):
        def __hash__(self) -> int:
            raise RuntimeError

    with pytest.raises(icd10kb.InvalidArgumentError, match="kind"):
        kb.references("L94", kind=Hostile("excludes1"))


def test_a_knowledge_pack_model_given_to_load_is_taken_as_one_pack() -> None:
    pack, _ = icd10kb.read_pack(PACK)
    kb = icd10kb.load(knowledge=pack, builtin_knowledge=False)
    assert kb.knowledge("L94.2").label == "Calcinosis cutis"


def test_mermaid_direction_cannot_inject_text(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.graph.export import mermaid

    with pytest.raises(icd10kb.InvalidArgumentError, match="direction"):
        mermaid(kb.subgraph("L94.2"), "TD\nclick x")


def test_a_long_search_word_costs_no_square_of_deletions(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.search.text import MAX_WORD, deletions

    assert deletions("x" * (MAX_WORD + 1)) == set()
    assert isinstance(kb.search("calcinosis" + "x" * 480, 3), tuple)  # answers at once: no 115,000 deletions


# --- 2. cost that grows with the input ------------------------------------------------------------


def _counted_check(kb: icd10kb.KnowledgeBase, codes: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    calls = {"n": 0}
    original = checks.own_references_lookup  # a concept's references: read per code and ancestor, never per pair

    def counting(*args: Any, **kwargs: Any) -> Any:
        lookup = original(*args, **kwargs)

        def counted(concept: str) -> Any:
            calls["n"] += 1
            return lookup(concept)

        return counted

    def no_pairwise(*args: Any) -> bool:
        raise AssertionError("check() must not test codes pairwise")

    monkeypatch.setattr(checks, "own_references_lookup", counting)
    monkeypatch.setattr(type(kb), "is_ancestor", no_pairwise)
    kb.check(codes)
    monkeypatch.undo()
    return calls["n"]


def test_check_is_linear_in_the_codes_not_quadratic(kb: icd10kb.KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    billable = [c for c in kb if kb.is_billable(c)]
    codes = random.Random(2).sample(billable, 1_000)
    small, large = _counted_check(kb, codes[:500], monkeypatch), _counted_check(kb, codes, monkeypatch)
    assert large <= 2.2 * small, (small, large)


def test_check_gives_what_the_pairwise_rule_gives(kb: icd10kb.KnowledgeBase) -> None:
    findings = kb.check(["L94.2", "M34.0", "S72.001", "L94.2", "M34.1"])
    assert [(f.kind, f.codes) for f in findings] == [
        ("missing_seventh_character", ("S72.001",)),
        ("duplicate", ("L94.2",)),
        ("excludes1", ("L94.2", "M34.0")),
        ("excludes1", ("L94.2", "M34.1")),
    ]


def test_check_refuses_more_codes_than_its_limit(kb: icd10kb.KnowledgeBase) -> None:
    with pytest.raises(icd10kb.InvalidArgumentError, match="at most 100,000 codes"):
        kb.check(["L94.2"] * (checks.MAX_CODES + 1))


# --- 3. loader resources --------------------------------------------------------------------------


def test_the_root_element_is_checked_before_the_tree_is_built() -> None:
    document = b"<html>" + b"<p>" * 10 + b"\xff\xfe unparsable & junk"
    with pytest.raises(icd10kb.DataFileError, match="root element is <html>"):
        icd10kb.load_tabular(io.BytesIO(document))


def test_a_decompression_bomb_is_refused_within_the_budget() -> None:
    bomb = gzip.compress(b"<ICD10CM.tabular>" + b" " * (65 * 1024 * 1024), compresslevel=1)
    assert len(bomb) < 400_000  # a file of kilobytes that would expand to 65 MB
    with pytest.raises(icd10kb.DataFileError, match="decompresses to more than"):
        icd10kb.load_tabular(io.BytesIO(bomb))


def test_too_many_elements_are_refused_as_they_are_read() -> None:
    from icd10kb.xmlsafe import parse_xml

    with pytest.raises(icd10kb.DataFileError, match="more than 1,000 elements"):
        parse_xml(b"<a>" + b"<b/>" * 5_000 + b"</a>", "x.xml", max_elements=1_000)
    with pytest.raises(icd10kb.DataFileError, match="deeper than 64"):
        parse_xml(b"<a>" * 100 + b"</a>" * 100, "x.xml")


def test_the_problem_list_is_bounded() -> None:
    repeated = "<diag><name>A01</name><desc>Typhoid fever</desc></diag>" * 3_000
    with pytest.raises(icd10kb.DataFileError) as caught:
        icd10kb.load_tabular(tabular("<diag><name>A01</name><desc>Typhoid fever</desc></diag>", repeated))
    message = str(caught.value)
    assert "2999 problem(s)" in message and "… and 2979 more" in message  # 20 listed, the rest counted
    assert len(message) < 5_000


def test_nesting_beyond_the_stores_limits_is_a_data_file_error() -> None:
    nodes = [Node("1", "chapter", "c", -1)] + [Node(f"A{i:02d}-A{i:02d}", "block", "b", i) for i in range(300)]
    release = TabularRelease("x", nodes, [], [("deep.xml", "0" * 64)])
    with pytest.raises(icd10kb.DataFileError, match="nests deeper than 255"):
        from_classification(release, {"name": "x"})


# --- 4. loader logic ------------------------------------------------------------------------------


def test_a_seventh_character_rule_on_a_seven_character_code_is_refused() -> None:
    document = tabular(
        "<diag><name>S06.0X1</name><desc>Concussion with loss of consciousness of 30 minutes or less</desc></diag>",
        "<diag><name>S06.0X1</name><desc>Concussion with loss of consciousness of 30 minutes or less</desc>"
        "<diag><name>S06.0X1Z</name><desc>Seven characters</desc></diag></diag>",
    )
    with pytest.raises(icd10kb.DataFileError, match="already has 7 characters"):
        icd10kb.load_tabular(document, builtin_knowledge=False)


def test_a_code_written_out_and_made_by_a_rule_is_refused() -> None:
    document = tabular(
        "<diag><name>S06.1</name><desc>Traumatic cerebral edema</desc></diag>",
        "<diag><name>S06.1</name><desc>Traumatic cerebral edema</desc></diag>"
        "<diag><name>S06.2</name><desc>Diffuse</desc><diag><name>S06.2X</name><desc>x</desc>"
        "<sevenChrDef><extension char='A'>a</extension></sevenChrDef></diag>"
        "<diag><name>S06.2XXA</name><desc>written out</desc></diag></diag>",
    )
    with pytest.raises(icd10kb.DataFileError, match="written out and also made by a 7th-character rule"):
        icd10kb.load_tabular(document, builtin_knowledge=False)


@pytest.mark.parametrize(
    ("old", "new", "tag"),
    [
        ("<name>A01</name>", "<name>A01</name><name>A02</name>", "name"),
        ("<desc>Typhoid fever</desc>", "<desc>Typhoid fever</desc><desc>Paratyphoid</desc>", "desc"),
        (
            '<extension char="D">subsequent encounter</extension>\n        </sevenChrDef>',
            '<extension char="D">subsequent encounter</extension>\n        </sevenChrDef>'
            '<sevenChrDef><extension char="S">sequela</extension></sevenChrDef>',
            "sevenChrDef",
        ),
    ],
)
def test_conflicting_duplicate_children_are_reported(old: str, new: str, tag: str) -> None:
    with pytest.raises(icd10kb.DataFileError, match=f"different <{tag}> elements"):
        icd10kb.load_tabular(tabular(old, new), io.BytesIO(NCHS_LIST), builtin_knowledge=False)


def test_identical_duplicate_children_are_harmless() -> None:
    kb = icd10kb.load_tabular(
        tabular("<desc>Typhoid fever</desc>", "<desc>Typhoid fever</desc>\n<desc>Typhoid  fever</desc>"),
        builtin_knowledge=False,
    )
    assert kb.title("A01") == "Typhoid fever"


# --- 5. knowledge packs ---------------------------------------------------------------------------


def _yaml(text: str) -> Any:
    return icd10kb.read_pack(NamedBytes(text.encode("utf-8"), "p.yaml"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", "anchors and aliases"),
        ("id: a\nid: b\n", "appears twice"),
        ("id: " + "9" * 5_000 + "\n", "more than 20 digits"),
        ("[" * 1_000 + "]" * 1_000, "deeper than 64"),
        ("a: {x: 1}\nb:\n  <<: {y: 2}\n", "merge keys"),
        ("id: !!python/object/apply:os.system [ls]\n", "not allowed"),
        ("id: .nan\n", "finite"),
    ],
)
def test_yaml_packs_have_the_limits_of_json_packs(text: str, message: str) -> None:
    with pytest.raises(icd10kb.KnowledgePackError, match=message):
        _yaml(text)


def test_an_invalid_yaml_date_is_a_typed_problem_at_its_place() -> None:
    import yaml

    text = yaml.safe_dump({**PACK, "sources": {"s": {"title": "S", "accessed": "X"}}}).replace("X", "2025-02-30")
    with pytest.raises(icd10kb.KnowledgePackError) as caught:
        _yaml(text)
    assert [where for where, _ in caught.value.problems] == ["sources.s.accessed"]


def test_json_integers_and_nan_are_bounded() -> None:
    for data, message in ((b'{"id": ' + b"9" * 5_000 + b"}", "more than 20 digits"), (b'{"id": NaN}', "not JSON")):
        with pytest.raises(icd10kb.KnowledgePackError, match=message):
            icd10kb.read_pack(NamedBytes(data, "p.json"))


def test_identifiers_with_fullwidth_digits_are_refused() -> None:
    symptom = {"label": "x", "identifiers": {"HPO": "HP:\uff10\uff10\uff10\uff11\uff14\uff18\uff12"}}
    pack = {**PACK, "diseases": [{**PACK["diseases"][0], "symptoms": [symptom]}]}
    with pytest.raises(icd10kb.KnowledgePackError, match="HPO identifier"):
        icd10kb.read_pack(pack)


def test_a_pack_with_thousands_of_sources_merges_them_all() -> None:
    n = 5_000
    pack = {
        **PACK,
        "sources": {f"s{i}": {"title": f"S{i}"} for i in range(n)},
        "diseases": [{**PACK["diseases"][0], "sources": [f"s{i}" for i in range(n)] + ["s0"]}],
    }
    kb = icd10kb.load(knowledge=[pack], builtin_knowledge=False)
    assert len(kb.knowledge("L94.2").sources) == n


def test_model_copy_with_update_is_validated_again() -> None:
    pack, _ = icd10kb.read_pack(PACK)
    with pytest.raises(icd10kb.InvalidArgumentError, match="diseases"):
        pack.model_copy(update={"diseases": ()})
    with pytest.raises(icd10kb.InvalidArgumentError, match="id"):
        pack.model_copy(update={"id": "Not A Slug"})
    assert pack.model_copy(update={"title": "Q"}).title == "Q"


# --- 6. shared state ------------------------------------------------------------------------------


def test_loading_packs_never_touches_the_warning_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("warnings.catch_warnings changes process-wide state")

    before = list(warnings.filters)
    monkeypatch.setattr(warnings, "catch_warnings", forbidden)
    kb = icd10kb.load("2021", knowledge=[PACK])
    assert kb.knowledge("L94.2").label
    assert list(warnings.filters) == before


def test_the_shared_graph_cannot_be_changed_through_the_class(kb: icd10kb.KnowledgeBase) -> None:
    graph = kb.graph
    changes = [
        lambda: nx.MultiDiGraph.remove_edge(graph, "L94", "L94.2"),
        lambda: nx.MultiDiGraph.remove_node(graph, "L94"),
        lambda: nx.MultiDiGraph.add_edge(graph, "L94", "nowhere"),
        lambda: nx.MultiDiGraph.add_node(graph, "nowhere"),
        lambda: nx.MultiDiGraph.clear(graph),
        lambda: nx.Graph.clear_edges(graph),
        lambda: graph._succ["L94"].pop("L94.2"),
    ]
    for change in changes:
        with pytest.raises(nx.NetworkXError, match="Frozen"):
            change()
    assert graph.has_edge("L94", "L94.2", key="parent_of") and "nowhere" not in graph
    assert nx.descendants(kb.hierarchy, "L94") == set(kb.descendants("L94"))


def test_json_of_the_frozen_graph_still_reads(kb: icd10kb.KnowledgeBase) -> None:
    data = nx.node_link_data(kb.subgraph("L94.2"), edges="links")
    assert json.loads(json.dumps(data))["nodes"]


def test_the_indexes_of_the_knowledge_base_cannot_be_rebound(kb: icd10kb.KnowledgeBase) -> None:
    targets = ((kb, "title"), (kb.store, "ids"), (kb.store, "_rules"), (kb.knowledge_index, "packs"))
    from icd10kb.kb import _search

    for target, name in (*targets, (kb.piece(_search), "postings"), (kb.piece(_search), "kb")):
        with pytest.raises(AttributeError, match="cannot be changed"):
            setattr(target, name, ())
    assert kb.title("L94.2") == "Calcinosis cutis"


def test_packs_loaded_in_threads_keep_their_warnings() -> None:
    from concurrent.futures import ThreadPoolExecutor

    missing = {**PACK, "diseases": [{**PACK["diseases"][0], "code": "L94.7"}]}
    before = list(warnings.filters)

    def load_one(_: int) -> int:
        kb = icd10kb.load(knowledge=[missing], on_missing="warn")
        return len(kb.knowledge_index.problems)

    with warnings.catch_warnings(record=True):  # in this thread only: the threads' warnings are not the point
        with ThreadPoolExecutor(4) as pool:
            assert set(pool.map(load_one, range(8))) == {1}
    assert list(warnings.filters) == before
    with pytest.warns(icd10kb.KnowledgeWarning, match="L94.7"):  # and warnings are not lost afterwards
        icd10kb.load(knowledge=[missing], on_missing="warn")


def test_graph_and_search_steps_check_their_own_arguments(kb: icd10kb.KnowledgeBase) -> None:
    """The functions behind kb.subgraph and kb.search refuse bad arguments themselves, not only through the facade."""
    from icd10kb.graph.build import build_graph, fact_node, neighbourhood
    from icd10kb.search.compiled import read_header
    from icd10kb.search.index import scope_position
    from icd10kb.search.postings import check_extra
    from icd10kb.search.related import code_query

    with pytest.raises(icd10kb.InvalidArgumentError, match="depth"):
        neighbourhood(kb, kb.knowledge_index, "L94", depth=11)
    with pytest.raises(icd10kb.InvalidArgumentError, match="siblings"):
        neighbourhood(kb, kb.knowledge_index, "L94", siblings="no")  # type: ignore[arg-type]
    with pytest.raises(icd10kb.CodeNotFoundError):
        neighbourhood(kb, kb.knowledge_index, "L94.7")
    assert "L94.2" in neighbourhood(kb, kb.knowledge_index, "l942")  # any spelling, as kb.subgraph
    with pytest.raises(icd10kb.InvalidArgumentError, match="phenotypes"):
        build_graph(kb, kb.knowledge_index, phenotypes=1)  # type: ignore[arg-type]
    with pytest.raises(icd10kb.InvalidArgumentError, match="Fact"):
        fact_node("HP:0001482")  # type: ignore[arg-type]
    with pytest.raises(icd10kb.InvalidArgumentError, match="kind of scope"):
        scope_position(kb, "12", "Chapter")
    with pytest.raises(icd10kb.InvalidArgumentError, match="extra"):
        check_extra(iter([("L94.2", "chalky skin", "mine")]))  # a list, not a one-shot iterator
    with pytest.raises(icd10kb.InvalidArgumentError, match="Store"):
        code_query(kb, "L94.2")  # type: ignore[arg-type]
    with pytest.raises(icd10kb.InvalidArgumentError, match="file name"):
        read_header(b"{}\n", None, 1, "a file")  # type: ignore[arg-type]
