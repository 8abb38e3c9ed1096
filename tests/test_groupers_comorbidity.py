"""Comorbidity indices against their sources: the CMR Reference File (read here with openpyxl) and the
Quan 2005 prefix lists of comorbidipy and pycomorb (read here with csv), code by code."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import icd10kb
from icd10kb.errors import InvalidArgumentError, InvalidCodeError
from icd10kb.groupers import comorbidity, mapping

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "comorbidity"


def _dot(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@pytest.fixture(scope="module")
def cmr_sheets():
    book = openpyxl.load_workbook(DATA / "CMR-Reference-File-v2026-1.xlsx", read_only=True)
    measures = [r for r in book["Comorbidity_Measures"].iter_rows(values_only=True)]
    rows = [r for r in book["DX_to_Comorb_Mapping"].iter_rows(values_only=True)]
    book.close()
    return measures, rows


@pytest.fixture(scope="module")
def kb():
    return icd10kb.load()


def test_cmr_every_code_agrees_with_the_reference_file(cmr_sheets):
    measures, rows = cmr_sheets
    header = rows[1]
    codes = [r for r in rows[2:] if r[0] and r[0] != "End of Content"]
    assert len(codes) == 4567 and len(header) == 42
    gm = mapping("cmr-v2026.1")
    by_code = defaultdict(set)
    for code, group in gm.rows:
        by_code[code].add(group)
    sequela = set()
    for row in codes:
        expected = set()
        for column, value in zip(header[3:], row[3:]):
            if value == 1:
                expected.add("CBVD" if column.startswith("CBVD_") else column)
                if column == "CBVD_SQLA":
                    sequela.add((_dot(row[0]), "CBVD"))
        assert by_code.pop(_dot(row[0])) == expected, row[0]
    assert not by_code
    assert gm.poa_sequela == frozenset(sequela)
    listed = [m for m in measures[2:] if m[0] and m[0].startswith("CMR_")]
    assert len(listed) == 38
    assert gm.poa_required == {m[0][4:] for m in listed if m[2] == "Yes"}
    assert dict(gm.labels) == {m[0][4:]: m[1].strip() for m in listed}


def test_cmr_each_code_alone_when_present_on_admission(cmr_sheets):
    _, rows = cmr_sheets
    header = rows[1]
    idx = comorbidity.index("cmr-v2026.1")
    for row in rows[2:]:
        if not row[0] or row[0] == "End of Content":
            continue
        expected = {("CBVD" if c.startswith("CBVD_") else c) for c, v in zip(header[3:], row[3:]) if v == 1}
        result = comorbidity.flags([row[0]], index="cmr-v2026.1", poa=["Y"], hierarchy=False)
        assert set(result.groups) == expected, row[0]
        not_poa = comorbidity.flags([row[0]], index="cmr-v2026.1", poa=["N"])
        assert set(not_poa.groups) == {g for g in expected if g not in idx.poa_required} - set(not_poa.removed)
        unknown = comorbidity.flags([row[0]], index="cmr-v2026.1")
        assert set(unknown.unassessed) == expected & idx.poa_required


def test_cmr_poa_rules():
    flags = comorbidity.flags
    assert flags(["I50.9"], "cmr-v2026.1", poa=["Y"]).groups == ("HF",)
    assert flags(["I50.9"], "cmr-v2026.1", poa=["w"]).groups == ("HF",)
    assert flags(["I50.9"], "cmr-v2026.1", poa=["1"]).groups == ("HF",)
    assert flags(["I50.9"], "cmr-v2026.1", poa=["N"]).groups == ()
    assert flags(["I50.9"], "cmr-v2026.1", poa=["U"]).groups == ()
    assert flags(["I50.9"], "cmr-v2026.1", poa=[None]).groups == ()
    assert flags(["I50.9"], "cmr-v2026.1").unassessed == ("HF",)
    assert flags(["I50.9"], "cmr-v2026.1", assume_poa=True).groups == ("HF",)
    # sequela of stroke: counts unless another cerebrovascular code was not present on admission
    assert flags(["I69.351"], "cmr-v2026.1", poa=["Y"]).groups == ("CBVD", "PARALYSIS")
    assert flags(["I69.351", "I63.9"], "cmr-v2026.1", poa=["Y", "N"]).groups == ("PARALYSIS",)
    assert flags(["I69.351", "I63.9"], "cmr-v2026.1", poa=["Y", "Y"]).groups == ("CBVD", "PARALYSIS")
    assert flags(["I69.351", "I63.9"], "cmr-v2026.1", poa=["N", "Y"]).groups == ("CBVD",)
    # exclusions of AHRQ's mapping program
    both = flags(["E11.22", "E11.9"], "cmr-v2026.1", poa=["N", "N"])
    assert both.groups == ("DIAB_CX",) and both.removed == ("DIAB_UNCX",)
    assert flags(["C78.00", "C34.90", "D05.10"], "cmr-v2026.1").groups == ("CANCER_METS",)
    assert flags(["K72.90", "K70.30"], "cmr-v2026.1", poa=["Y", "Y"]).groups == ("LIVER_SEV",)
    assert flags(["N18.6", "N18.4"], "cmr-v2026.1", poa=["Y", "Y"]).groups == ("RENLFL_SEV",)


def _prefix_lists(name: str) -> dict[str, set[str]]:
    out = defaultdict(set)
    with open(DATA / "comorbidipy-0.8.0-code-prefixes.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["mapping"] == name:
                out[row["category"]].add(row["code_prefix"])
    return out


@pytest.mark.parametrize(
    ("index", "packaging", "pycomorb_file"),
    [
        ("charlson-quan2005", "charlson_icd10_quan", "pycomorb-1.20261001.1-CHARLSON_QUAN.csv"),
        ("elixhauser-quan2005", "elixhauser_icd10_quan", "pycomorb-1.20261001.1-ELIXHAUSER_QUAN.csv"),
    ],
)
def test_quan_every_code_of_the_release_agrees_with_both_packagings(kb, index, packaging, pycomorb_file):
    prefixes = _prefix_lists(packaging)
    with open(DATA / pycomorb_file, encoding="utf-8", newline="") as f:
        pyc = {r["category"]: tuple(p for p in r["icd10_codes"].split("|") if p) for r in csv.DictReader(f)}
    labels = mapping(index).labels
    gm = mapping(index, kb)
    shipped = defaultdict(set)
    for code, group in gm.rows:
        shipped[code].add(group)
    count = 0
    for code in kb:
        if "-" in code or code.isdigit():
            continue
        key = code.replace(".", "")
        expected = {g for g, ps in prefixes.items() if key.startswith(tuple(ps))}
        assert shipped.get(code, set()) == expected, code
        assert {g for g in labels if key.startswith(pyc[labels[g]])} == expected, code
        count += bool(expected)
    assert count > 3000


def test_quan_weights_and_scores():
    charlson = mapping("charlson-quan2005")
    assert charlson.weights["charlson"]["metacanc"] == 6.0 and charlson.weights["quan"]["aids"] == 4.0
    one_each = ["I21.9", "I50.9", "I70.0", "I63.9", "F03.90", "J44.9", "M05.00", "K25.9", "K70.30", "E11.9",
                "E11.22", "G81.90", "N18.6", "C34.90", "K72.90", "C78.00", "B20"]  # fmt: skip
    result = comorbidity.flags(one_each)
    assert len(result.groups) + len(result.removed) == 17
    assert result.removed == ("canc", "diab", "mld")
    # Quan 2011: the maximum of the updated index is 24
    assert comorbidity.score(one_each, weights="quan") == 24.0
    assert comorbidity.score(one_each, weights="charlson") == 29.0
    assert comorbidity.score(["I50.9", "C78.00"], index="elixhauser-quan2005") == 19.0
    assert comorbidity.score([], index="elixhauser-quan2005") == 0.0


def test_errors_are_typed():
    with pytest.raises(InvalidArgumentError):
        comorbidity.flags("I50.9")
    with pytest.raises(InvalidCodeError):
        comorbidity.flags(["I50.9", "??"])
    with pytest.raises(InvalidArgumentError):
        comorbidity.flags(["I50.9"], index="charlson")
    with pytest.raises(InvalidArgumentError):
        comorbidity.flags(["I50.9"], index="cmr-v2026.1", poa=["Y", "N"])
    with pytest.raises(InvalidArgumentError):
        comorbidity.flags(["I50.9"], index="cmr-v2026.1", poa=["maybe"])
    with pytest.raises(InvalidArgumentError):
        comorbidity.score(["I50.9"], weights="vw")
    with pytest.raises(InvalidArgumentError):
        comorbidity.score(["I50.9"], index="cmr-v2026.1")
    with pytest.raises(InvalidArgumentError):
        comorbidity.flags(["I50.9"], hierarchy="yes")


_CODES = st.sampled_from(
    [
        "I21.9",
        "I50.9",
        "E11.9",
        "E11.22",
        "C34.90",
        "C78.00",
        "K70.30",
        "K72.90",
        "I10",
        "I12.0",
        "F32.A",
        "J06.9",
        "Z00.00",
        "I69.351",
        "I63.9",
        "N18.6",
        "N18.4",
        "B20",
        "G81.90",
        "D50.0",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_CODES, max_size=8), st.lists(_CODES, max_size=8), st.sampled_from(comorbidity.INDICES))
def test_groups_of_two_lists_are_the_union(first, second, index):
    def raw(codes):
        r = comorbidity.flags(codes, index=index, assume_poa=True, hierarchy=False)
        return set(r.groups)

    assert raw(first + second) == raw(first) | raw(second)
    together = comorbidity.flags(first + second, index=index, assume_poa=True)
    assert together == comorbidity.flags(list(reversed(second + first)), index=index, assume_poa=True).model_copy(
        update={"matches": together.matches}
    )
    for high, low in comorbidity.index(index).hierarchy:
        assert not (high in together.groups and low in together.groups)
