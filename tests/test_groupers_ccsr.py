"""CCSR against the official files, row by row (the sources are read here independently, with csv)."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import icd10kb
from icd10kb.errors import InvalidArgumentError, InvalidCodeError
from icd10kb.groupers import NotMappedError, ccsr, mapping

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "ccsr"


def _load_script(name: str):
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dot(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@pytest.fixture(scope="module")
def source_2023() -> list[dict[str, str]]:
    with gzip.open(DATA / "dxccsr-v2023-1-dx-to-ccsr-mapping.csv.gz", "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def source_2025() -> list[dict[str, str]]:
    with gzip.open(
        DATA / "dxccsr-v2025-1-dx-to-ccsr-mapping-no-defaults.csv.gz", "rt", encoding="utf-8", newline=""
    ) as f:
        rows = list(csv.DictReader(f))
    assert rows[-1]["code"] == "End of Content" and not rows[-1]["CCSR_category_code"]
    return rows[:-1]


def test_v2023_every_row_agrees_with_the_reference_file(source_2023):
    assert len(source_2023) == 86288
    by_code: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in source_2023:
        by_code[row["ICD-10-CM Code"].strip("'")].append(
            (row["CCSR Category"], row["Inpatient Default CCSR (Y/N/X)"], row["Outpatient Default CCSR (Y/N/X)"])
        )
    assert len(by_code) == 74549
    for code, entries in by_code.items():
        assert ccsr.categories(code, version="v2023.1") == tuple(e[0] for e in entries), code
        inpatient = [e[0] for e in entries if e[1] == "Y"]
        outpatient = [e[0] for e in entries if e[2] == "Y"]
        assert len(inpatient) <= 1 and len(outpatient) <= 1, code
        assert ccsr.default(code, "inpatient", "v2023.1") == (inpatient[0] if inpatient else None), code
        assert ccsr.default(code, "outpatient", "v2023.1") == (outpatient[0] if outpatient else None), code


def test_v2023_codes_without_default_are_flagged_x(source_2023):
    flagged = defaultdict(set)
    for row in source_2023:
        flagged[row["ICD-10-CM Code"]].add(row["Inpatient Default CCSR (Y/N/X)"])
    expected = sorted(_dot(c) for c, flags in flagged.items() if "Y" not in flags)
    assert all(flagged[c.replace(".", "")] == {"X"} for c in expected)
    assert list(ccsr.without_default("v2023.1", "inpatient")) == expected


def test_v2025_every_row_agrees_with_the_conversion(source_2025):
    assert len(source_2025) == 87137
    by_code: dict[str, list[str]] = defaultdict(list)
    for row in source_2025:
        by_code[row["code"]].append(row["CCSR_category_code"])
    assert len(by_code) == 75238
    for code, cats in by_code.items():
        assert ccsr.categories(_dot(code)) == tuple(cats), code
        assert ccsr.default(code, version="v2025.1") is None
    assert len(ccsr.without_default("v2025.1", "outpatient")) == len(by_code)


@pytest.mark.parametrize(
    ("version", "path", "id_col", "label_col"),
    [
        ("v2023.1", "dxccsr-v2023-1-categories.csv", "CCSR Category", "CCSR Category Description"),
        ("v2025.1", "dxccsr-v2025-1-categories.csv", "CCSR_category_code", "CCSR_category_desc"),
    ],
)
def test_every_category_name_and_body_system(version, path, id_col, label_col):
    with open(DATA / path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r[id_col] != "End of Content"]
    assert rows
    for row in rows:
        found = ccsr.category(row[id_col], version)
        assert found.label == row[label_col]
        if version == "v2025.1":
            assert found.body_system == (row["chapter_abbr"] if row["chapter_desc"] else None)
            assert found.body_system_label == (row["chapter_desc"] or None)
        elif found.body_system is not None:
            assert row[id_col].startswith(found.body_system)
    assert len(mapping(f"ccsr-{version}").labels) == len(rows)


def test_grouper_map_rows_are_the_source_pairs(source_2023):
    gm = mapping("ccsr-v2023.1")
    expected = sorted(
        (
            _dot(r["ICD-10-CM Code"]),
            r["CCSR Category"],
            r["Inpatient Default CCSR (Y/N/X)"] + r["Outpatient Default CCSR (Y/N/X)"],
        )
        for r in source_2023
    )
    assert list(zip(gm.rows, gm.row_flags)) == [((c, g), f) for c, g, f in expected]
    assert gm.rows == tuple(sorted(gm.rows))
    assert all(icd10kb.normalize(c) == c for c, _ in gm.rows[:2000])


def test_known_entry_and_assignment():
    a = ccsr.assign("L94.2", version="v2023.1")
    assert [c.id for c in a.categories] == ["SKN007"]
    assert a.inpatient_default == a.outpatient_default == "SKN007"
    assert a.categories[0].label == "Other specified and unspecified skin disorders"
    assert ccsr.categories("I5A") == ("CIR015",)
    assert ccsr.assign("I5A").has_default_flags is False


def test_errors_are_typed():
    with pytest.raises(InvalidCodeError):
        ccsr.categories("not a code!")
    with pytest.raises(InvalidCodeError):
        ccsr.categories("A00-A09")
    with pytest.raises(NotMappedError) as info:
        ccsr.categories("I50")
    assert isinstance(info.value, KeyError) and "CCSR v2025.1" in str(info.value)
    with pytest.raises(InvalidArgumentError):
        ccsr.categories("I50.9", version="2025")
    with pytest.raises(InvalidArgumentError):
        ccsr.default("I50.9", setting="emergency")
    with pytest.raises(InvalidArgumentError):
        ccsr.category("CIR999")


def test_recompiles_byte_for_byte():
    build = _load_script("build_ccsr")
    from icd10kb import datasets

    for name, files in (("ccsr-v2023.1", build.compile_2023()), ("ccsr-v2025.1", build.compile_2025())):
        for fname, blob in files.items():
            assert datasets.read(name, f"{name}/{fname}", decompress=False) == blob, (name, fname)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_arbitrary_text_raises_only_documented_errors(text):
    try:
        cats = ccsr.categories(text)
    except (InvalidCodeError, NotMappedError):
        return
    assert 1 <= len(cats) <= 6


def test_v2023_every_row_agrees_with_the_excel_reference_file_itself():
    import io

    import openpyxl

    raw = gzip.decompress((DATA / "DXCCSR-Reference-File-v2023-1.xlsx.gz").read_bytes())
    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    rows = [r[:6] for r in book["DX_to_CCSR_Mapping"].iter_rows(min_row=3, values_only=True) if r[0]]
    cats = [r[:2] for r in book["CCSR_Categories"].iter_rows(min_row=3, values_only=True) if r[0]]
    book.close()
    gm = mapping("ccsr-v2023.1")
    expected = sorted((_dot(code.strip("'")), cat, ip + op) for code, _, cat, _, ip, op in rows)
    assert list(zip(gm.rows, gm.row_flags)) == [((c, g), f) for c, g, f in expected]
    assert dict(gm.labels) == dict(cats)
