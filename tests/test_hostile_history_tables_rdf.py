"""Regression tests for the hostile sweep of icd10kb.history, icd10kb.tables and icd10kb.rdf (issue 8).

One test per class of failure the sweep found; each asserts the error type and
that the message names the input.
"""

from __future__ import annotations

import argparse
import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest

import icd10kb
from icd10kb import tables
from icd10kb.errors import InvalidArgumentError, InvalidCodeError
from icd10kb.history import cli as history_cli
from icd10kb.history import codes, data, loader, readers, timeline
from icd10kb.history.addenda import apply_addenda, derived_title
from icd10kb.history.diff import same_title
from icd10kb.rdf import cli as rdf_cli
from icd10kb.rdf import skos
from icd10kb.tables import cli as tables_cli
from icd10kb.tables.codes import check, printed_stem
from icd10kb.tables.compiled import from_json, to_json
from icd10kb.tables.matching import words
from tests.test_hostile_sweep import Boom, HostileStr
from tests.test_hostile_sweep import RaisesFromEverything as Hostile


class HostileDate(datetime.date):
    def __hash__(self) -> int:
        raise Boom("hash")


# --- history ------------------------------------------------------------------------------------


def test_history_handlers_refuse_what_is_not_a_command_line_or_a_text_stream() -> None:
    args = argparse.Namespace(code="D69.1", json=False)
    for handler in (history_cli.run_history, history_cli.run_diff, history_cli.run_release_for):
        with pytest.raises(InvalidArgumentError, match="args"):
            handler(None, io.StringIO(), io.StringIO())  # type: ignore[arg-type]
        for bad in (None, io.BytesIO(), Hostile()):
            with pytest.raises(InvalidArgumentError, match="out"):
                handler(args, bad, io.StringIO())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="has no 'code'"):
        history_cli.run_history(argparse.Namespace(json=False), io.StringIO(), io.StringIO())
    with pytest.raises(InvalidArgumentError, match="--json"):
        history_cli.run_history(argparse.Namespace(code="D69.1", json="no"), io.StringIO(), io.StringIO())
    with pytest.raises(InvalidArgumentError, match="subparsers"):
        history_cli.add_parsers(None)


def test_history_choice_with_a_hostile_eq_is_refused_without_comparing() -> None:
    for call in (loader.shipped_for_date, loader.load_for_date):
        with pytest.raises(InvalidArgumentError, match="fallback"):
            call("2026-10-01", fallback=Hostile())  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="same_year"):
            call("2026-10-01", fallback=HostileStr("same_year"))


def test_history_columns_of_hostile_objects_are_refused_by_type() -> None:
    with pytest.raises(InvalidArgumentError, match="RaisesFromEverything object.*codes"):
        codes.valid_on_many(Hostile(), "2026-10-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="RaisesFromEverything object.*dates"):
        codes.valid_on_many(["L94.2"], Hostile())
    with pytest.raises(InvalidArgumentError, match="codes"):
        codes.valid_on_many({"L94.2"}, "2026-10-01")  # a set has no order
    # a str subclass or a date subclass with a hostile hash is read as plain text or a plain date
    assert codes.valid_on_many([HostileStr("L94.2")], [HostileStr("2026-10-01")]) == [True]
    assert codes.valid_on_many(["L94.2"], [HostileDate(2026, 10, 1)]) == [True]
    assert codes.valid_on_many((c for c in ["L94.2", None]), "2026-10-01") == [True, None]


def test_history_columns_from_dataframe_libraries_are_read() -> None:
    import numpy as np  # the columns and phenotypes extras, installed by the test extra: never skipped
    import pandas as pd
    assert codes.valid_on_many(pd.Series(["I42.0", None]), "2026-10-01", billable=True) == [False, None]
    assert codes.valid_on_many(np.array(["I42.0"]), np.array(["2026-09-30"]), billable=True) == [True]


def test_history_file_forms_refuse_arguments_of_the_wrong_shape() -> None:
    cases = [
        (lambda: codes.resolve(None), "status"),  # type: ignore[arg-type]
        (lambda: codes.resolve("BB"), "'BB' is not a valid status"),
        (lambda: codes.resolved_titles("B" * 16, None), "title field"),  # type: ignore[arg-type]
        (lambda: data.titles_of("B" * 16, "x:title"), "'x:title' is not a valid title field"),
        (lambda: data.titles_of("B" * 16, "99:title"), "title field"),
        (lambda: data.decode(None), "data"),  # type: ignore[arg-type]
        (lambda: data.decode(b"", name=None), "name"),  # type: ignore[arg-type]
        (lambda: data.encode(None), "rows"),  # type: ignore[arg-type]
        (lambda: data.encode({"L942": ("B" * 16, ["a\tb"] * 16)}), "title of L942"),
        (lambda: readers.headers_of(None), "billable codes"),  # type: ignore[arg-type]
        (lambda: readers.headers_of(["x" * 100_000]), "billable code"),
        (lambda: derived_title(True), "titles"),  # type: ignore[arg-type]
        (lambda: derived_title([None]), "title"),  # type: ignore[list-item]
        (lambda: same_title(None, "a"), "title"),  # type: ignore[arg-type]
        (lambda: apply_addenda(None, None), "data"),  # type: ignore[arg-type]
        (lambda: timeline.parse_date("2026-10-01", what=[Hostile()]), "what"),  # type: ignore[arg-type]
    ]
    for call, message in cases:
        with pytest.raises(InvalidArgumentError, match=message):
            call()


def test_history_addenda_of_another_shape_is_refused_before_any_change() -> None:
    from icd10kb.classification.tabular import TabularRelease

    release = TabularRelease("x", [], [], [])
    bad = readers.Addenda(((Hostile(), "title"),), (), (), 0, 1)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="addenda code"):
        apply_addenda(release, bad)
    with pytest.raises(InvalidArgumentError, match="addenda"):
        apply_addenda(release, "addenda")  # type: ignore[arg-type]


def test_history_days_may_be_datetimes_and_never_hostile_dates() -> None:
    moment = datetime.datetime(2026, 10, 1, 23, 30)
    assert timeline.slot_at(moment) == timeline.slot_at(datetime.date(2026, 10, 1))
    assert timeline.fiscal_year(moment) == 2027
    assert type(timeline.parse_date(HostileDate(2026, 10, 1))) is datetime.date
    for call in (timeline.slot_at, timeline.fiscal_year):
        with pytest.raises(InvalidArgumentError, match="None is not a valid day"):
            call(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="'２０２６-１０-０１' is not a valid date: give"):
        timeline.parse_date("２０２６-１０-０１")


def test_history_kb_of_another_type_is_refused_at_entry() -> None:
    with pytest.raises(InvalidArgumentError, match="kb"):
        codes.history("D69.1", kb="2026-04-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidCodeError):
        codes.history(Hostile())


# --- rdf ----------------------------------------------------------------------------------------


def test_rdf_options_are_checked_at_the_call_before_anything_is_written(kb: icd10kb.KnowledgeBase) -> None:
    with pytest.raises(InvalidArgumentError, match="'no' is not a valid knowledge"):
        skos.triples(kb, knowledge="no")  # type: ignore[arg-type]  # raised at the call, not when iterated
    with pytest.raises(InvalidArgumentError, match="RaisesFromEverything object.*codes"):
        skos.triples(kb, codes=Hostile())  # type: ignore[arg-type]
    for write in (skos.write_ntriples, skos.write_turtle):
        out = io.StringIO()
        with pytest.raises(icd10kb.CodeNotFoundError, match="L94.99"):
            write(kb, out, codes=["L94.2", "L94.99"])
        with pytest.raises(InvalidArgumentError, match="'knowlege' is not a valid option of triples"):
            write(kb, out, knowlege=False)
        assert out.getvalue() == ""
        for bad in (None, io.BytesIO(), _closed_text()):
            with pytest.raises(InvalidArgumentError, match="out"):
                write(kb, bad, codes=["L94.2"])  # type: ignore[arg-type]


def _closed_text() -> io.StringIO:
    stream = io.StringIO()
    stream.close()
    return stream


def test_rdf_node_of_another_type_is_refused(kb: icd10kb.KnowledgeBase) -> None:
    with pytest.raises(InvalidArgumentError, match="None is not a valid node"):
        skos.node_iri(kb, None)  # type: ignore[arg-type]


def test_rdf_handler_refuses_bad_arguments_and_reports_a_bad_output_file() -> None:
    with pytest.raises(InvalidArgumentError, match="args"):
        rdf_cli.cmd_rdf(None, io.StringIO(), io.StringIO())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="'rdf' is not a valid --format"):
        rdf_cli.cmd_rdf(argparse.Namespace(format="rdf"), io.StringIO(), io.StringIO())
    err = io.StringIO()
    assert rdf_cli.cmd_rdf(argparse.Namespace(output="a\x00b"), io.StringIO(), err) == 1
    assert "null" in err.getvalue()
    with pytest.raises(InvalidArgumentError, match="subparsers"):
        rdf_cli.add_parsers([])


# --- tables -------------------------------------------------------------------------------------


def test_tables_text_arguments_of_another_type_are_refused(kb: icd10kb.KnowledgeBase) -> None:
    cases = [
        (lambda: printed_stem(None), "None is not a valid printed code"),  # type: ignore[arg-type]
        (lambda: check(kb, "T39.1X1", None, "heading"), "None is not a valid column"),  # type: ignore[arg-type]
        (lambda: check(kb, b"T39.1X1", "c", "h"), "printed code"),  # type: ignore[arg-type]
        (lambda: words(None), "None is not a valid text"),  # type: ignore[arg-type]
        (lambda: tables.drug("x" * 1001, kb=kb), "longer than 1,000 characters"),
        (lambda: tables.drug(["Alcohol"] * 41, kb=kb), "term"),
        (lambda: tables.drug("Alcohol", "x" * 101, kb=kb), "intent"),
        (lambda: tables.neoplasm("lung", kb="kb"), "knowledge base"),
    ]
    for call, message in cases:
        with pytest.raises(InvalidArgumentError, match=message):
            call()


def test_tables_queries_are_read_without_calling_a_subclass(kb: icd10kb.KnowledgeBase) -> None:
    class HostileList(list):  # type: ignore[type-arg]
        def __iter__(self) -> Iterator[Any]:
            raise Boom("iter")

    assert tables.drug(HostileList(["Acetaminophen"]), "accidental", kb=kb).code == "T39.1X1"
    assert tables.drug(("Acetaminophen",), HostileStr("accidental"), kb=kb).code == "T39.1X1"
    assert tables.table(HostileStr("drug")) is tables.table("drug")
    with pytest.raises(InvalidArgumentError, match="HostileStr object.*table"):
        tables.table(HostileStr("drugs"))


def test_tables_compiled_json_of_another_shape_is_a_data_file_error_naming_the_field() -> None:
    good = to_json(tables.table("external"))
    assert from_json(good) == tables.table("external")
    deep: dict[str, Any] = {"t": "x"}
    for _ in range(40):
        deep = {"t": "x", "k": [deep]}
    cases = [
        ({**good, "heading": Hostile()}, "heading is not a list of text"),
        ({**good, "terms": [{"t": None}]}, r"terms\[0\].t is not text"),
        ({**good, "terms": [{"t": "x", "k": [Hostile()]}]}, r"terms\[0\].k\[0\] is not a term"),
        ({**good, "terms": [{"t": "x", "x": ["a"]}]}, "has 1 cells; the heading has 0 columns"),
        ({**good, "terms": [deep]}, "more than 32 deep"),
        ({**good, "name": 1}, "name is not text"),
        (Hostile(), "not a JSON object"),
    ]
    for raw, message in cases:
        with pytest.raises(icd10kb.DataFileError, match=message):
            from_json(raw, "t.json")
    with pytest.raises(InvalidArgumentError, match="name"):
        from_json(good, name=[Hostile()])  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="None is not a valid index"):
        to_json(None)  # type: ignore[arg-type]


def test_tables_handlers_refuse_bad_arguments() -> None:
    for handler in (tables_cli.cmd_drug, tables_cli.cmd_neoplasm, tables_cli.cmd_external, tables_cli.cmd_index):
        with pytest.raises(InvalidArgumentError, match="args"):
            handler(None, io.StringIO(), io.StringIO())  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="err"):
            handler(argparse.Namespace(), io.StringIO(), None)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="'name' is not a valid name: give a list"):
        tables_cli.cmd_drug(argparse.Namespace(name="name"), io.StringIO(), io.StringIO())
    with pytest.raises(InvalidArgumentError, match="--json"):
        tables_cli.cmd_drug(argparse.Namespace(name=["x"], json=1), io.StringIO(), io.StringIO())
    err = io.StringIO()
    assert tables_cli.cmd_drug(argparse.Namespace(name=["Warfarin"], file="\x00"), io.StringIO(), err) == 1
    assert "icd10kb: error:" in err.getvalue()
    with pytest.raises(InvalidArgumentError, match="parents"):
        tables_cli.add_parsers(argparse.ArgumentParser().add_subparsers(), parents=[None])  # type: ignore[list-item]


def test_tables_hand_built_index_files_are_checked_before_a_look_up(kb: icd10kb.KnowledgeBase) -> None:
    heading = tables.table("drug").heading
    term = tables.IndexTerm("Warfarin", "", "Warfarin", cells=("T45.511",) * 6)
    cases = [
        (tables.IndexFile("x", "", "", "", Hostile(), ()), "heading are text"),  # type: ignore[arg-type]
        (tables.IndexFile("x", "", "", "", heading, (term, term)), "each met once"),
        (tables.IndexFile("x", "", "", "", heading, (Hostile(),)), "tuples of IndexTerm"),  # type: ignore[arg-type]
        (tables.IndexFile("x", "", "", "", heading, (term.__class__("W", "", HostileStr("W")),)), "are text"),
        (tables.IndexFile("x", "", "", "", heading, (tables.IndexTerm("W", "", "W", cells=("a",)),)), "1 cells"),
    ]
    for index, message in cases:
        with pytest.raises(InvalidArgumentError, match=message):
            tables.drug("Warfarin", kb=kb, index=index)
    good = tables.IndexFile("x", "", "", "", heading, (term,))
    assert tables.drug("Warfarin", "accidental", kb=kb, index=good).code == "T45.511"
    with pytest.raises(InvalidArgumentError, match="heading are text"):
        tables.index_lookup(tables.IndexFile(None, "", "", "", (), ()), "x", kb=kb)  # type: ignore[arg-type]

