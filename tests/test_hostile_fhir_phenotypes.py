"""Regressions of the hostile sweep (issue 8) in icd10kb.fhir and icd10kb.phenotypes: one test per class of failure."""

from __future__ import annotations

import argparse
import io
import os
from collections.abc import Iterator
from typing import Any

import pytest

import icd10kb
from icd10kb.errors import DataFileError, InvalidArgumentError

SKN = {"SKN": "Skin"}


class Boom(Exception):
    pass


class RaisesFromStr:
    def __str__(self) -> str:
        raise Boom

    def __repr__(self) -> str:
        raise Boom


class RaisesFromEverything(RaisesFromStr):
    def __eq__(self, other: object) -> bool:
        raise Boom

    def __hash__(self) -> int:
        raise Boom

    def __iter__(self) -> Iterator[Any]:
        raise Boom

    def __len__(self) -> int:
        raise Boom


class HostileStr(str):
    def __eq__(self, other: object) -> bool:
        raise Boom

    def __hash__(self) -> int:
        raise Boom

    def __str__(self) -> str:
        raise Boom

    def __repr__(self) -> str:
        raise Boom


# --- icd10kb.fhir ---------------------------------------------------------------------------------------------------


def test_fhir_text_arguments_are_plain_valid_text() -> None:
    from icd10kb.fhir.groupings import concept_map, grouping_code_system

    for bad in (RaisesFromStr(), None, b"demo", "x" * 100_000, "demo\ud800", ""):
        with pytest.raises(InvalidArgumentError, match="title"):
            grouping_code_system("demo", SKN, title=bad, version="1", publisher="me")
    with pytest.raises(InvalidArgumentError, match="base"):
        concept_map("demo", [("L94.2", "SKN")], source="s", target="t", title="T", version="1", publisher="me", base=1)
    found = grouping_code_system(HostileStr("demo"), SKN, title="Demo", version="1", publisher="me")
    assert type(found["id"]) is str and found["id"] == "demo"


def test_fhir_flags_of_the_wrong_type_are_refused(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.fhir.claims import grouper_resources
    from icd10kb.fhir.concepts import properties
    from icd10kb.fhir.resources import code_system

    with pytest.raises(InvalidArgumentError, match="children"):
        properties(kb, "L94.2", children="no")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="notes"):
        code_system(kb, codes=["L94.2"], notes=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="gems"):
        grouper_resources(kb, [], gems="yes")  # type: ignore[arg-type]


def test_fhir_rows_labels_and_codes_are_read_only_from_real_collections(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.fhir.gems import gem_concept_map
    from icd10kb.fhir.groupings import grouping_value_sets
    from icd10kb.fhir.resources import code_system

    for bad in (RaisesFromEverything(), "L94.2", io.BytesIO(b"x"), [RaisesFromStr()], [("L94.2",)], [("L94.2", 3)]):
        with pytest.raises(InvalidArgumentError, match="rows"):
            grouping_value_sets("demo", bad, SKN, version="1", publisher="me")
    with pytest.raises(InvalidArgumentError, match="labels"):
        grouping_value_sets("demo", [("L94.2", "SKN")], {"SKN": RaisesFromStr()}, version="1", publisher="me")
    with pytest.raises(InvalidArgumentError, match="GEM rows"):
        gem_concept_map(kb, [("4280", "I509", "10000", "extra")], direction="9to10")
    with pytest.raises(InvalidArgumentError, match="codes"):
        code_system(kb, codes=RaisesFromEverything())
    rows = [(HostileStr("L94.2"), HostileStr("SKN"))]  # text subclasses are read as plain text
    assert grouping_value_sets("demo", iter(rows), SKN, version="1", publisher="me")[0]["id"] == "demo-SKN"


def test_fhir_choices_never_run_a_hostile_eq(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.fhir.gems import gem_concept_map
    from icd10kb.fhir.groupings import concept_map
    from icd10kb.fhir.resources import code_system_header, value_sets

    with pytest.raises(InvalidArgumentError, match="GEM direction"):
        gem_concept_map(kb, [], direction=HostileStr("9to10x"))
    with pytest.raises(InvalidArgumentError, match="equivalence"):
        concept_map("d", [], source="s", target="t", title="T", version="1", publisher="me", equivalence=[])
    with pytest.raises(InvalidArgumentError, match="value set kind"):
        value_sets(kb, RaisesFromEverything())
    with pytest.raises(InvalidArgumentError, match="content"):
        code_system_header(kb, 0, "everything")
    assert gem_concept_map(kb, [], direction=HostileStr("9to10"))["id"] == "gem-9to10"


def test_fhir_own_objects_of_the_wrong_kind_are_named(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.fhir.capability import capability_statement
    from icd10kb.fhir.inputs import Inputs, from_query
    from icd10kb.fhir.operations import lookup
    from icd10kb.fhir.resources import hierarchy_value_set
    from icd10kb.fhir.server import create_app
    from icd10kb.fhir.service import TerminologyService

    service = TerminologyService(kb, releases=())
    with pytest.raises(InvalidArgumentError, match="service"):
        capability_statement("service")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="inputs"):
        lookup(service, {"code": ["L94.2"]})  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="resource id"):
        lookup(service, from_query("code=L94.2"), RaisesFromStr())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="kb"):
        hierarchy_value_set(HostileStr("kb"), "L94")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="service"):
        create_app(object())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="inputs"):
        Inputs({"code": "L94.2"})  # type: ignore[dict-item]
    assert lookup(service, Inputs({"code": [HostileStr("L94.2")]}), "icd-10-cm")["parameter"][2]["valueString"]


def test_fhir_request_inputs_are_text_or_bytes() -> None:
    from icd10kb.fhir.inputs import check_depth, from_body, from_query

    with pytest.raises(InvalidArgumentError, match="body"):
        from_body(HostileStr("{}"))  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="limit"):
        check_depth(b"[]", limit=True)
    with pytest.raises(InvalidArgumentError, match="query"):
        from_query(None)  # type: ignore[arg-type]


def test_fhir_read_resources_never_takes_a_file_descriptor(tmp_path: Any) -> None:
    from icd10kb.fhir.service import read_resources

    for bad in (1, RaisesFromEverything(), tmp_path / "missing.json", io.BytesIO(b"\x1f\x8bjunk")):
        with pytest.raises(DataFileError):
            read_resources(bad)
    os.fstat(1)  # standard output is still open
    path = tmp_path / "vs.json"
    path.write_text('{"resourceType": "ValueSet", "id": "v", "url": "u"}', encoding="utf-8")
    assert read_resources(path)[0]["id"] == "v"


def test_fhir_serve_checks_its_arguments_and_closes_its_socket() -> None:
    from icd10kb.fhir.server import ListenError, serve

    for name, value in (("host", "bad host!"), ("port", 70_000), ("access_log", 1), ("log_level", "loud")):
        with pytest.raises(InvalidArgumentError, match=name):
            serve(**{name: value})  # type: ignore[arg-type]
    with pytest.raises(ListenError, match="192.0.2.1"):  # TEST-NET: never an address of this machine
        serve(host="192.0.2.1", port=0, announce=print)

    def stop(url: str) -> None:
        raise InvalidArgumentError(url, "stop", "url")

    with pytest.raises(InvalidArgumentError, match="127.0.0.1"):
        serve(host="127.0.0.1", port=0, announce=stop)


def test_fhir_command_handlers_check_their_arguments_and_streams() -> None:
    from icd10kb.fhir.cli import add_parsers, cmd_fhir, cmd_serve

    parser = argparse.ArgumentParser(prog="icd10kb")
    add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["fhir", "valuesets", "--kind", "chapter"])
    with pytest.raises(InvalidArgumentError, match="out"):
        cmd_fhir(args, io.BytesIO(), io.StringIO())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="the command line has no"):
        cmd_serve(argparse.Namespace(release=None), io.StringIO(), io.StringIO())
    with pytest.raises(InvalidArgumentError, match="no_notes"):
        cmd_fhir(argparse.Namespace(**{**vars(args), "no_notes": "no"}), io.StringIO(), io.StringIO())
    with pytest.raises(InvalidArgumentError, match="subparsers"):
        add_parsers(RaisesFromEverything())
    err = io.StringIO()
    assert cmd_fhir(argparse.Namespace(**{**vars(args), "output": "bad\x00name"}), io.StringIO(), err) == 1
    assert err.getvalue().startswith("error:")


# --- icd10kb.phenotypes ---------------------------------------------------------------------------------------------


def test_phenotype_frequencies_are_parsed_strictly() -> None:
    from icd10kb.phenotypes.annotations import frequency_value

    for bad in ("abc", "1/", "x%", "1e3%", "9" * 50 + "/1", HostileStr("HP:0040282x"), None, 0.5):
        with pytest.raises(InvalidArgumentError, match="frequency"):
            frequency_value(bad)  # type: ignore[arg-type]
    assert frequency_value(HostileStr("3/4")) == 0.75 and frequency_value("1/0") is None


def test_phenotype_frequency_weights_take_shares_only() -> None:
    from icd10kb.phenotypes.similarity import frequency_weight

    for bad in (float("nan"), 1.5, -0.1, "0.5", True, RaisesFromEverything()):
        with pytest.raises(InvalidArgumentError, match="share"):
            frequency_weight(bad)  # type: ignore[arg-type]
    assert frequency_weight(1) == 1.0


def test_phenotype_terms_are_read_only_from_real_collections(kb: icd10kb.KnowledgeBase) -> None:
    import itertools

    from icd10kb.phenotypes.differential import resolve_terms

    closed = io.BytesIO(b"x")
    closed.close()
    for bad in (RaisesFromEverything(), closed, itertools.repeat("fever")):
        with pytest.raises(InvalidArgumentError, match="terms"):
            resolve_terms(bad)
        with pytest.raises(InvalidArgumentError, match="terms"):
            kb.phenotype_differential(bad)
    assert [q.term for q in resolve_terms((HostileStr("fever"),))] == ["HP:0001945"]


def test_phenotype_simulation_counts_are_whole_numbers_in_range() -> None:
    from icd10kb.phenotypes.simulate import MAX_PATIENTS, simulate_patients

    for name, value in (("n", 2.0), ("n", MAX_PATIENTS + 1), ("seed", 1.5), ("min_annotations", True)):
        arguments: dict[str, Any] = {"n": 1, "seed": 1, name: value}
        with pytest.raises(InvalidArgumentError, match=name):
            simulate_patients(**arguments)
    with pytest.raises(InvalidArgumentError, match="diseases"):
        simulate_patients(1, seed=1, diseases=3)  # type: ignore[arg-type]


def test_phenotype_mapping_model_takes_a_link() -> None:
    from icd10kb.phenotypes.profile import mapping_model

    with pytest.raises(InvalidArgumentError, match="link"):
        mapping_model(RaisesFromStr())  # type: ignore[arg-type]


def test_phenotype_command_handlers_check_their_arguments_and_streams(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.phenotypes.cli import add_parsers, cmd_differential, cmd_term

    with pytest.raises(InvalidArgumentError, match="out"):
        cmd_term(argparse.Namespace(term="fever"), io.BytesIO(), io.StringIO())  # type: ignore[arg-type]
    err = io.StringIO()
    assert cmd_differential(argparse.Namespace(terms=["fever"], limit="3"), io.StringIO(), err) == 1
    assert "limit" in err.getvalue()
    err = io.StringIO()
    assert cmd_term(RaisesFromEverything(), io.StringIO(), err) == 1  # type: ignore[arg-type]
    assert "args" in err.getvalue()
    with pytest.raises(InvalidArgumentError, match="subparsers"):
        add_parsers(None)
    out = io.StringIO()
    assert cmd_term(argparse.Namespace(term="fever", kb=kb), out, io.StringIO()) == 0
    assert out.getvalue().startswith("HP:0001945")


# --- the shared checks added for both layers (icd10kb.arguments) ---------------------------------------------------


def test_shared_checks_refuse_hostile_collections_streams_options_and_choices() -> None:
    from icd10kb.arguments import check_choice, check_items, check_stream
    from icd10kb.cli.common import option

    with pytest.raises(InvalidArgumentError, match="codes"):
        check_items(RaisesFromEverything(), "codes", 10)
    with pytest.raises(InvalidArgumentError, match="out"):
        check_stream(RaisesFromEverything(), "out")
    with pytest.raises(InvalidArgumentError, match="option"):
        option(argparse.Namespace(), HostileStr("x"), kinds=(str,))
    with pytest.raises(InvalidArgumentError, match="choices"):
        check_choice("a", None, "kind")  # type: ignore[arg-type]
    assert option(argparse.Namespace(term=HostileStr("fever")), "term", kinds=(str,)) == "fever"


def test_the_phenotype_layer_encoder_refuses_what_json_cannot_hold() -> None:
    """The build script's encoder (icd10kb.phenotypes.layer.encode): a lone surrogate is a typed error."""
    from icd10kb.phenotypes.layer import encode

    with pytest.raises(InvalidArgumentError, match="not JSON text"):
        encode("2026-04-01", [("HP:\ud800", {})], [])
    with pytest.raises(InvalidArgumentError, match="graph_edges"):
        encode("2026-04-01", [["HP:0000001", {}]], [])  # type: ignore[list-item]
