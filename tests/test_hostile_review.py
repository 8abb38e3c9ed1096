"""Review of the last four commits: warnsink, resolve_kb and the argument checks of the FHIR service and
per_patient, cli.common.option, the shared predecessor rows of the graph build.

Tests named ``test_bug_*`` each failed before the defect they show was fixed; the others pin
behaviour that was verified and was not covered yet.
"""

from __future__ import annotations

import datetime
import json
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import icd10kb
from icd10kb.columns.patients import per_patient
from icd10kb.fhir.service import Limits, TerminologyService
from icd10kb.warnsink import warn, warnings_to

ROOT = Path(__file__).resolve().parent.parent
TABULAR_2021 = ROOT / "data" / "official" / "icd10cm-tabular-2021.xml.gz"
MISSING_PACK: dict[str, Any] = {
    "format": "icd10kb-knowledge/1",
    "id": "p",
    "title": "P",
    "sources": {"s": {"title": "S"}},
    "diseases": [{"code": "L94.7", "label": "x", "sources": ["s"]}],
}
CODES = ["I50.9", "E11.9", "I50.9"]


# --- 1. warnsink ----------------------------------------------------------------------------------


def test_bug_a_knowledge_warning_points_at_the_callers_line() -> None:
    """stacklevel=4 in KnowledgeIndex._add lands on icd10kb/load.py (the ``build`` closure), not on
    the user's call: so it was at HEAD~4 too (warnings.warn(stacklevel=4)); warnsink kept the bug."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        icd10kb.load_tabular(TABULAR_2021, knowledge=[MISSING_PACK], on_missing="warn", builtin_knowledge=False)
    (warning,) = [w for w in caught if issubclass(w.category, icd10kb.KnowledgeWarning)]
    assert warning.filename == __file__, f"{warning.filename}:{warning.lineno}"


def test_the_command_line_prints_a_packs_missing_code_with_tabular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from icd10kb.cli.app import main

    pack = tmp_path / "pack.json"
    pack.write_text(json.dumps(MISSING_PACK), encoding="utf-8")
    before = list(warnings.filters)
    assert main(["show", "A00", "--tabular", str(TABULAR_2021), "--knowledge", str(pack)]) == 0
    err = capsys.readouterr().err
    assert f"icd10kb: warning: {pack}: diseases[0].code: 'L94.7' is not a code of ICD-10-CM 2021" in err
    assert list(warnings.filters) == before


def test_nested_sinks_restore_the_outer_one() -> None:
    outer: list[str] = []
    inner: list[str] = []
    with warnings_to(outer.append):
        warn("one", UserWarning)
        with warnings_to(inner.append):
            warn("two", UserWarning)
        warn("three", UserWarning)
    assert outer == ["one", "three"] and inner == ["two"]
    with pytest.warns(UserWarning, match="four"):
        warn("four", UserWarning)


def test_a_thread_started_inside_the_block_does_not_inherit_the_sink() -> None:
    """As documented (this thread only): a new thread starts with an empty context on Python < 3.14."""
    seen: list[str] = []
    caught: list[warnings.WarningMessage] = []

    def worker() -> None:
        with warnings.catch_warnings(record=True) as here:  # this thread's warnings (the filters are global)
            warnings.simplefilter("always")
            warn("from the thread", UserWarning)
        caught.extend(here)

    with warnings_to(seen.append):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen == [] and [str(w.message) for w in caught] == ["from the thread"]


def test_a_sink_that_raises_propagates_and_is_gone_afterwards() -> None:
    def sink(message: str) -> None:
        raise RuntimeError(f"sink: {message}")

    with pytest.raises(RuntimeError, match="sink: boom"):
        with warnings_to(sink):
            warn("boom", UserWarning)
    with pytest.warns(UserWarning, match="after"):
        warn("after", UserWarning)


# --- 2. per_patient's patient column, TerminologyService -----------------------------------------


def _rows(result: Any) -> list[tuple[Any, ...]]:
    columns = ["patient", "chf", "diab"]
    if isinstance(result, pd.DataFrame):
        return [tuple(None if pd.isna(v) else v for v in row) for row in result[columns].itertuples(index=False)]
    return result.select(columns).rows()


@pytest.mark.parametrize(
    "column",
    [
        pd.Categorical(["b", "a", "b"], categories=["z", "a", "b"]),
        pd.array(["b", "a", "b"], dtype="string[pyarrow]"),
        pd.Series([datetime.date(2020, 1, 2), datetime.date(2020, 1, 1), datetime.date(2020, 1, 2)]),
        pd.to_datetime(["2020-01-02", "2020-01-01", "2020-01-02"]),
        pd.array([7, 3, 7], dtype="Int64"),
    ],
    ids=["categorical-unused-category", "pyarrow-string", "dates", "datetime64", "nullable-int"],
)
def test_pandas_patient_columns_of_legitimate_kinds_are_grouped(kb: icd10kb.KnowledgeBase, column: Any) -> None:
    result = per_patient(pd.DataFrame({"patient": column, "code": CODES}), "charlson-quan2005", kb)
    assert [row[1:] for row in _rows(result)] == [(True, False), (False, True)]  # two patients, first seen first


@pytest.mark.parametrize(
    "column",
    [
        pl.Series("patient", ["b", "a", "b"], dtype=pl.Categorical),
        pl.Series("patient", [datetime.date(2020, 1, 2), datetime.date(2020, 1, 1), datetime.date(2020, 1, 2)]),
        pl.Series(
            "patient", [datetime.datetime(2020, 1, 2), datetime.datetime(2020, 1, 1), datetime.datetime(2020, 1, 2)]
        ),
        pl.Series("patient", [b"x", b"y", b"x"]),
    ],
    ids=["categorical", "date", "datetime", "binary"],
)
def test_polars_patient_columns_of_legitimate_kinds_are_grouped(kb: icd10kb.KnowledgeBase, column: pl.Series) -> None:
    frame = pl.DataFrame([column, pl.Series("code", CODES)])
    for result in (
        per_patient(frame, "charlson-quan2005", kb),
        per_patient(
            frame.with_columns(d=pl.lit(datetime.date(2021, 1, 1))),
            "charlson-quan2005",
            kb,
            date="d",
            start=datetime.date(2020, 1, 1),
        ),
    ):
        assert [row[1:] for row in _rows(result)] == [(True, False), (False, True)]
        assert result["patient"].to_list() == column.unique(maintain_order=True).cast(column.dtype).to_list()


def test_bug_a_polars_enum_patient_column_gives_only_the_patients_of_the_table(kb: icd10kb.KnowledgeBase) -> None:
    """pc.dictionary_encode leaves a dictionary array as it is, so every category of the Enum becomes a
    patient (here "c", in no row) and the rows come in category order, not order of first appearance."""
    frame = pl.DataFrame({"patient": pl.Series(["b", "a", "b"], dtype=pl.Enum(["a", "b", "c"])), "code": CODES})
    result = per_patient(frame, "charlson-quan2005", kb)
    assert _rows(result) == [("b", True, False), ("a", False, True)]


def test_bug_a_polars_null_patient_is_a_patient_as_in_pandas(kb: icd10kb.KnowledgeBase) -> None:
    """pandas groups the null patient (use_na_sentinel=False); polars fails on the NaN that a null
    dictionary index becomes ("array([nan, 0., nan]) is not a valid patient index")."""
    patients = [None, "a", None]
    expected = _rows(per_patient(pd.DataFrame({"patient": patients, "code": CODES}), "charlson-quan2005", kb))
    assert expected == [(None, True, False), ("a", False, True)]
    result = per_patient(pl.DataFrame({"patient": patients, "code": CODES}), "charlson-quan2005", kb)
    assert _rows(result) == expected


def test_bug_a_numpy_array_is_not_a_bound_of_the_window(kb: icd10kb.KnowledgeBase) -> None:
    """check_bound takes anything from numpy, arrays too: pandas then compares row by row (a silent
    per-row window when the lengths match) or raises its own ValueError ('Lengths must match')."""
    frame = pd.DataFrame({"patient": [1, 2, 3], "code": CODES, "d": [1, 2, 3]})
    with pytest.raises(icd10kb.InvalidArgumentError):
        per_patient(frame, "charlson-quan2005", kb, date="d", start=np.array([1, 2]))
    with pytest.raises(icd10kb.InvalidArgumentError):
        per_patient(frame, "charlson-quan2005", kb, date="d", start=np.array([5, 0, 0]))


class _RaisingDate:
    def __ge__(self, other: object) -> bool:
        raise RuntimeError("ge")

    __le__ = __ge__


def test_bug_a_date_column_whose_values_raise_gives_a_typed_error(kb: icd10kb.KnowledgeBase) -> None:
    """_pandas catches only TypeError around the window's comparisons."""
    frame = pd.DataFrame({"patient": [1, 2, 3], "code": CODES, "d": [_RaisingDate()] * 3})
    with pytest.raises(icd10kb.InvalidArgumentError):
        per_patient(frame, "charlson-quan2005", kb, date="d", start="2020-01-01")


@pytest.mark.parametrize(
    "group",
    [
        "x",  # a string: its characters are read as groups
        5,
        [{"element": [{"target": [{"code": "A"}]}]}],  # an element without a code: KeyError
        [{"element": [{"code": ["a"], "target": [{"code": "A"}]}]}],  # unhashable code
    ],
    ids=["string", "number", "element-without-code", "list-code"],
)
def test_bug_a_malformed_concept_map_is_refused_with_a_typed_error(kb: icd10kb.KnowledgeBase, group: Any) -> None:
    resource = {"resourceType": "ConceptMap", "id": "m", "url": "http://example.org/m", "group": group}
    with pytest.raises(icd10kb.ICD10KBError):
        TerminologyService(kb, releases=(), resources=[resource])


def test_bug_a_refused_resource_is_not_left_half_added(kb: icd10kb.KnowledgeBase) -> None:
    """add() stores the resource under its id and url before _Map reads it: after the failure the
    broken map is served and the corrected one is refused as 'already served'."""
    service = TerminologyService(kb, releases=())
    with pytest.raises((TypeError, icd10kb.ICD10KBError)):  # today a TypeError
        service.add({"resourceType": "ConceptMap", "id": "m", "url": "http://example.org/m", "group": 5})
    assert service.resources("ConceptMap") == []
    service.add({"resourceType": "ConceptMap", "id": "m", "url": "http://example.org/m", "group": []})


def test_bug_limits_take_a_numpy_float_as_before() -> None:
    """HEAD~4 took any float (isinstance); type() in (int, float) now refuses np.float64, a float subclass."""
    assert Limits(time_limit=np.float64(1.5)).time_limit == 1.5


def test_the_service_takes_a_subclass_of_knowledge_base(kb: icd10kb.KnowledgeBase) -> None:
    class Mine(icd10kb.KnowledgeBase):
        pass

    mine = Mine(kb.store, kb.notes_table, lambda _: kb.knowledge_index)
    assert TerminologyService(mine, releases=()).kb is mine


# --- 3. cli.common.option -------------------------------------------------------------------------


def test_option_checks_kinds_as_check_option_did() -> None:
    import argparse

    from icd10kb.cli.common import option

    class Text(str):
        pass

    args = argparse.Namespace(flag=1, name=Text("x"), limit=True, release=None)
    with pytest.raises(icd10kb.InvalidArgumentError, match="flag"):
        option(args, "flag", kinds=(bool,))  # 1 is not True
    with pytest.raises(icd10kb.InvalidArgumentError, match="limit"):
        option(args, "limit", kinds=(int,))  # True is not an int
    assert type(option(args, "name", kinds=(str,))) is str
    assert option(args, "release", kinds=(str, type(None))) is None
    with pytest.raises(icd10kb.InvalidArgumentError, match="missing"):
        option(args, "missing", kinds=(str,))


# --- 4. the graph's shared predecessor rows -------------------------------------------------------


def test_every_predecessor_entry_is_the_successor_slot_and_shared_rows_name_the_parent_only(
    kb: icd10kb.KnowledgeBase,
) -> None:
    graph = kb.graph
    succ, pred = graph._succ, graph._pred
    for v, row in pred.items():
        for u, slot in row.items():
            assert succ[u][v] is slot, (u, v)  # no edge is in a predecessor row only
    owners: dict[int, list[str]] = {}
    for v, row in pred.items():
        if row:
            owners.setdefault(id(row), []).append(v)
    for nodes in owners.values():
        if len(nodes) > 1:  # a shared row: 7th-character siblings, and it names their parent alone
            (parent,) = pred[nodes[0]]
            assert all(len(n) == 8 and kb.parent(n) == parent for n in nodes)


def test_a_writer_change_of_one_seventh_character_code_leaves_its_siblings_alone() -> None:
    import networkx as nx

    from icd10kb.graph.build import _EMPTY_ROW, _HIERARCHY_SLOT, _Writer
    from icd10kb.graph.frozen import ReadOnlyDict

    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    above = ReadOnlyDict((("p", _HIERARCHY_SLOT),))
    writer = _Writer(graph, {id(above)})
    for node in ("p", "a", "b", "x"):
        writer.node(node, {})
    dict.__setitem__(graph._succ, "p", ReadOnlyDict((("a", _HIERARCHY_SLOT), ("b", _HIERARCHY_SLOT))))
    dict.__setitem__(graph._pred, "a", above)
    dict.__setitem__(graph._pred, "b", above)
    writer.edge("p", "a", "causes", {"w": 1})  # the parent's hierarchy slot to "a" changes
    writer.edge("x", "a", "refers", {"w": 2})  # a new predecessor of "a"
    assert dict(above) == {"p": _HIERARCHY_SLOT} and graph._pred["b"] is above
    assert set(graph._pred["a"]) == {"p", "x"} and graph._succ["p"]["b"] is _HIERARCHY_SLOT
    assert graph._succ["p"]["a"] is graph._pred["a"]["p"] and set(graph._succ["p"]["a"]) == {"parent_of", "causes"}
    assert len(_EMPTY_ROW) == 0 and len(_HIERARCHY_SLOT) == 1
