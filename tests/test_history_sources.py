"""The shipped code history against every release file, code by code.

Each file is read here with a few lines of plain Python (never with
``icd10kb.history.readers``), and every code of every file is compared with
``icd10kb.history.history``: its status in the release of that file and its
title. The derived statuses are checked too: FY2024 headers, the releases
without a file, and the official code counts per fiscal year.
"""

from __future__ import annotations

import csv
import gzip
from functools import cache
from pathlib import Path

import pytest

import icd10kb
from icd10kb.history import SLOTS, diff, history
from icd10kb.history.codes import resolve
from icd10kb.history.data import history_table, titles_of

DATA = Path(__file__).parent.parent / "data"
INDEX = {slot.name: i for i, slot in enumerate(SLOTS)}


def _order_table(name: str) -> dict[str, tuple[str, str]]:
    rows = gzip.open(DATA / "icd10cm-releases" / name, "rt", encoding="utf-8").read().splitlines()
    assert rows[0].split("\t") == ["order", "code", "billable", "short_desc", "long_desc"]
    out = {}
    for row in rows[1:]:
        _, code, flag, _, title = row.split("\t")
        out[code] = ("B" if flag == "1" else "H", title)
    return out


def _order_file() -> dict[str, tuple[str, str]]:
    out = {}
    for row in gzip.open(DATA / "official" / "icd10cm-order-2021-01.txt.gz", "rt", encoding="utf-8"):
        row = row.rstrip("\r\n")
        out[row[6:13].strip()] = ("B" if row[14] == "1" else "H", row[77:].strip())
    return out


def _code_file() -> dict[str, tuple[str, str]]:
    out = {}
    for row in gzip.open(DATA / "official" / "icd10cm-codes-2024.txt.gz", "rt", encoding="utf-8"):
        row = row.rstrip("\r\n")
        if row:
            out[row[:8].strip()] = ("B", row[8:].strip())
    return out


def _item_list(name: str) -> set[str]:
    items = gzip.open(DATA / "official" / name, "rt", encoding="utf-8").read().split()
    return {i for i in items if i[0].isalpha() and "-" not in i}


@cache
def _files() -> dict[str, dict[str, tuple[str, str]]]:
    return {
        "FY2016": _order_table("icd10cm-order-derived-fy2016.tsv.gz"),
        "FY2017": _order_table("icd10cm-order-derived-fy2017.tsv.gz"),
        "FY2018": _order_table("icd10cm-order-derived-fy2018.tsv.gz"),
        "FY2019": _order_table("icd10cm-order-derived-fy2019.tsv.gz"),
        "2021-01-01": _order_file(),
        "FY2025": _order_table("icd10cm-order-derived-fy2025.tsv.gz"),
    }


@pytest.mark.parametrize("slot", ["FY2016", "FY2017", "FY2018", "FY2019", "2021-01-01", "FY2025"])
def test_every_code_of_an_order_file(slot: str) -> None:
    expected = _files()[slot]
    index = INDEX[slot]
    table = history_table()
    wrong = []
    for code, (letter, title) in expected.items():
        raw, titles = table[code]
        if raw[index] != letter or titles_of(raw, titles)[index] != title:
            wrong.append(code)
    listed = {code for code, (raw, _) in table.items() if raw[index] in "BH"}
    assert not wrong and listed == set(expected)


def test_fy2024_billable_codes_and_titles() -> None:
    expected = _code_file()
    index = INDEX["FY2024"]
    table = history_table()
    assert len(expected) == 74_044
    for code, (_, title) in expected.items():
        raw, titles = table[code]
        assert raw[index] == "B" and titles_of(raw, titles)[index] == title, code
    assert {c for c, (raw, _) in table.items() if raw[index] == "B"} == set(expected)


def test_fy2024_headers_are_the_starts_of_its_codes() -> None:
    codes = set(_code_file())
    headers = set()
    for code in codes:
        for size in range(3, len(code)):
            start = code[:size]
            # a 7th-character code padded with X (O32.0XX0) has no header O32.0X
            if not (len(code) == 7 and set(code[size - 1 : 6]) == {"X"}):
                headers.add(start)
    index = INDEX["FY2024"]
    assert {c for c, (raw, _) in history_table().items() if raw[index] == "H"} == headers
    counts = _counts()[2024]
    assert len(headers) == int(counts["nonBillableHeaders"])


@pytest.mark.parametrize("slot", ["2025-04-01", "2026-04-01"])
def test_every_code_of_a_code_list(slot: str) -> None:
    items = _item_list(f"icd10cm-code-list-{slot}.txt.gz")
    kb = icd10kb.load(slot)
    index = INDEX[slot]
    table = history_table()
    assert {c for c, (raw, _) in table.items() if raw[index] in "BH"} == items
    extended = {item[:size] for item in items for size in range(3, len(item))}
    for code in items:
        raw, titles = table[code]
        dotted = code if len(code) == 3 else f"{code[:3]}.{code[3:]}"
        assert raw[index] == ("H" if code in extended else "B"), code
        assert kb.is_billable(dotted) == (raw[index] == "B"), code
        assert titles_of(raw, titles)[index] == kb.title(dotted), code


@cache
def _counts() -> dict[int, dict[str, str]]:
    with open(DATA / "icd10cm-releases" / "icd10cm-code-counts-fy2016-fy2027.csv", encoding="utf-8") as handle:
        return {int(row["fiscalYear"]): row for row in csv.DictReader(handle)}


@pytest.mark.parametrize(
    ("slot", "year"),
    [
        ("FY2016", 2016),
        ("FY2017", 2017),
        ("FY2018", 2018),
        ("FY2019", 2019),
        ("FY2025", 2025),
        ("2026-04-01", 2026),
        ("FY2027", 2027),
    ],
)
def test_counts_per_release_equal_the_official_counts(slot: str, year: int) -> None:
    index = INDEX[slot]
    letters = [raw[index] for raw, _ in history_table().values()]
    row = _counts()[year]
    assert letters.count("B") == int(row["billableCodes"])
    assert letters.count("H") == int(row["nonBillableHeaders"])


@pytest.mark.parametrize(
    ("a", "b", "year"),
    [
        ("FY2016", "FY2017", 2017),
        ("FY2017", "FY2018", 2018),
        ("FY2018", "FY2019", 2019),
        ("FY2024", "FY2025", 2025),
        ("2026-04-01", "FY2027", 2027),
    ],
)
def test_adjacent_diffs_equal_the_official_counts(a: str, b: str, year: int) -> None:
    result = diff(a, b)
    row = _counts()[year]
    assert len(result.added) == int(row["addedVsPriorYear"])
    assert len([d for d in result.deleted if d.now == "absent"]) == int(row["deletedVsPriorYear"])


def test_the_2021_file_is_a_later_posting_than_the_october_file() -> None:
    # The counts of the October 2020 order file are 72,616 billable; the January 2021 posting holds 72,621.
    index = INDEX["2021-01-01"]
    billable = sum(raw[index] == "B" for raw, _ in history_table().values())
    assert billable == 72_621 and int(_counts()[2021]["billableCodes"]) == 72_616


def test_slots_without_a_file_are_inferred_only_when_both_sides_agree() -> None:
    gaps = [i for i, s in enumerate(SLOTS) if s.source == "none"]
    for raw, _ in history_table().values():
        letters, flags = resolve(raw)
        for index in gaps:
            assert raw[index] == "?"
            before = max(i for i in range(index) if SLOTS[i].source != "none")
            after = min(i for i in range(index + 1, len(SLOTS)) if SLOTS[i].source != "none")
            if raw[before] == raw[after]:
                assert letters[index] == raw[before] and flags[index] == "1"
            else:
                assert letters[index] == "?" and flags[index] == "0"


def test_a_code_added_in_a_year_without_a_file_is_unknown_there() -> None:
    found = history("U07.1")
    statuses = {r.release: (r.status, r.inferred) for r in found.releases}
    assert statuses["FY2019"] == ("absent", False)
    assert statuses["FY2020"] == ("unknown", False) and statuses["FY2021"] == ("unknown", False)
    assert statuses["2021-01-01"] == ("billable", False)
    assert statuses["FY2022"] == ("billable", True)


@pytest.mark.parametrize("slot", ["FY2016", "FY2017", "FY2018", "FY2019", "2021-01-01", "FY2025"])
def test_the_header_rule_used_for_fy2024_holds_in_every_order_file(slot: str) -> None:
    from icd10kb.history.readers import headers_of

    entries = _files()[slot]
    billable = {c for c, (letter, _) in entries.items() if letter == "B"}
    headers = {c for c, (letter, _) in entries.items() if letter == "H"}
    derived = headers_of(billable)
    assert derived - headers <= {"H54512"} and headers <= derived


def test_history_round_trips_through_json() -> None:
    from icd10kb.history.models import CodeHistory

    for code in ("D69.1", "U07.1", "T52.8X1A", "C84.1"):
        found = history(code)
        assert CodeHistory.model_validate_json(found.model_dump_json()) == found
