"""per_patient against the one-record functions, and the grouper maps' contract."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icd10kb import datasets
from icd10kb.errors import InvalidArgumentError, InvalidCodeError
from icd10kb.groupers import GrouperMap, available, ccsr, comorbidity, hcc, mapping, per_patient
from icd10kb.groupers.patients import GROUPERS

ROOT = Path(__file__).resolve().parent.parent
CODES = ["I21.9", "I50.9", "E11.9", "E11.22", "C34.90", "C78.00", "K70.30", "K72.90", "I10", "I12.0", "F32.A",
         "J06.9", "I69.351", "I63.9", "N18.6", "B20", "D50.0", "E66.01", "i509", "e1122"]  # fmt: skip
ROWS = st.lists(
    st.tuples(st.sampled_from(["a", "b", 3]), st.sampled_from(CODES), st.sampled_from(["Y", "N", "W", "U", ""])),
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(ROWS, st.sampled_from(GROUPERS))
def test_per_patient_equals_grouping_each_patient(rows, grouper):
    result = per_patient(rows, grouper=grouper)
    patients = list(dict.fromkeys(p for p, _, _ in rows))
    assert list(result) == patients
    for patient in patients:
        codes = [c for p, c, _ in rows if p == patient]
        poa = [x for p, _, x in rows if p == patient]
        if grouper.startswith("ccsr-"):
            version = grouper[len("ccsr-") :]
            assert result[patient] == tuple(sorted({c for code in codes for c in ccsr.categories(code, version)}))
        elif grouper.startswith("cms-hcc-"):
            _, _, model, year = grouper.split("-")
            assert result[patient] == hcc.assign(codes, model.upper(), int(year[2:]))
        else:
            assert result[patient] == comorbidity.flags(codes, grouper, poa=poa)
    without_poa = per_patient([(p, c) for p, c, _ in rows], grouper=grouper, assume_poa=True)
    for patient in patients:
        if grouper.startswith(("charlson-", "elixhauser-", "cmr-")):
            codes = [c for p, c, _ in rows if p == patient]
            assert without_poa[patient] == comorbidity.flags(codes, grouper, assume_poa=True)


def test_per_patient_errors_and_junk():
    with pytest.raises(InvalidCodeError, match="row 2"):
        per_patient([("p", "I50.9"), ("p", "junk!")])
    assert per_patient([("p", "I50.9"), ("p", "junk!"), ("q", None)], errors="skip")["q"].groups == ()
    with pytest.raises(InvalidArgumentError):
        per_patient([("p", "I50.9")], grouper="gems-2018-i9-to-i10")
    with pytest.raises(InvalidArgumentError):
        per_patient([("p", "I50.9")], errors="ignore")
    with pytest.raises(InvalidArgumentError):
        per_patient([("p", "I50.9", "Y"), ("p", "I10")], grouper="cmr-v2026.1")
    with pytest.raises(InvalidArgumentError):
        per_patient([("p", "I50.9", "maybe")], grouper="cmr-v2026.1")
    with pytest.raises(InvalidArgumentError):
        per_patient("p,I50.9")
    with pytest.raises(InvalidArgumentError):
        per_patient([("p",)])


def test_every_grouper_map_follows_the_contract():
    assert len(available()) == 12
    for name in available():
        gm = mapping(name)
        assert isinstance(gm, GrouperMap) and gm.name == name and gm.citation
        assert gm.rows == tuple(sorted(gm.rows))
        # a GEM pair recurs in several combination scenarios: unique with its flags
        keyed = list(zip(gm.rows, gm.row_flags)) if name.startswith("gems-") else gm.rows
        assert len(set(keyed)) == len(gm.rows), name
        assert not gm.row_flags or len(gm.row_flags) == len(gm.rows)
        if not name.startswith("gems-"):
            assert {g for _, g in gm.rows} <= set(gm.labels), name
        for high, low in gm.hierarchy:
            assert high in gm.labels and low in gm.labels
        for weights in gm.weights.values():
            assert set(weights) <= set(gm.labels)
        with pytest.raises(TypeError):
            gm.labels["x"] = "y"  # type: ignore[index]
    with pytest.raises(InvalidArgumentError):
        mapping("charlson")


def _script(name: str):
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compiled_files_recompile_byte_for_byte():
    comorb, hccb, gemsb = _script("build_comorbidity"), _script("build_hcc"), _script("build_gems")
    for name, files in (
        ("cmr-v2026.1", comorb.compile_cmr()),
        ("comorbidity-quan2005", comorb.compile_quan()),
        ("cms-hcc", hccb.compile_hcc()),
        ("gems-2018", gemsb.compile_gems()),
    ):
        for fname, blob in files.items():
            assert datasets.read(name, f"{name}/{fname}", decompress=False) == blob, (name, fname)


def test_crosscheck_page_is_up_to_date():
    page = (ROOT / "docs" / "groupers-crosscheck.md").read_text("utf-8")
    assert _script("crosscheck_quan").crosscheck() == page
