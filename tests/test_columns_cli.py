"""The clean-claims and per-patient commands, run in-process."""

from __future__ import annotations

import argparse
import io

import pyarrow.csv as csv
import pyarrow.parquet as pq

from icd10kb.columns.cli import add_parsers


def run(argv):
    parser = argparse.ArgumentParser(prog="icd10kb")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    return args.handler(args, out, err), out.getvalue(), err.getvalue()


def test_clean_claims_writes_the_answers(tmp_path):
    source = tmp_path / "claims.csv"
    source.write_text("patient,code\n1,e119\n1,E11\n2,junk!\n2,\n")
    code, out, err = run(["clean-claims", str(source), str(tmp_path / "out.parquet")])
    assert (code, err) == (0, "")
    assert "4 rows written" in out and "valid 1" in out and "malformed 2" in out
    table = pq.read_table(tmp_path / "out.parquet").to_pydict()
    assert table["icd10_code"] == ["E11.9", "E11", None, None]
    assert table["icd10_status"] == ["valid", "header", "malformed", "malformed"]
    assert table["icd10_category"] == ["E11", "E11", None, None]


def test_per_patient_writes_one_row_per_patient(tmp_path):
    source = tmp_path / "claims.csv"
    source.write_text("patient,code\n1,E11.9\n1,e1122\n2,I50.9\n3,junk\n")
    code, out, err = run(["per-patient", str(source), str(tmp_path / "out.csv"), "--grouper", "cms-hcc-v28-py2026"])
    assert (code, err, out) == (0, "", f"3 patients written to {tmp_path / 'out.csv'}\n")
    table = csv.read_csv(tmp_path / "out.csv").to_pydict()
    assert table["groups"] == ["HCC37", "HCC226", ""]
    code, out, err = run(["per-patient", str(source), str(tmp_path / "out.parquet")])
    assert code == 0 and pq.read_table(tmp_path / "out.parquet").to_pydict()["score_charlson"] == [2.0, 1.0, 0.0]


def test_errors_are_reported_not_raised(tmp_path):
    assert run(["clean-claims", str(tmp_path / "none.csv"), str(tmp_path / "o.csv")])[0] == 2
    source = tmp_path / "claims.csv"
    source.write_text("patient,dx\n1,E11.9\n")
    code, _, err = run(["clean-claims", str(source), str(tmp_path / "o.csv")])
    assert code == 2 and "no column 'code'" in err
    code, _, err = run(["clean-claims", str(source), str(tmp_path / "o.txt")])
    assert code == 2 and ".csv or .parquet" in err
    code, _, err = run(["per-patient", str(source), str(tmp_path / "o.csv")])
    assert code == 1 and "no such column" in err
    code, _, err = run(["per-patient", str(source), str(tmp_path / "o.csv"), "--code", "dx", "--grouper", "nope"])
    assert code == 1 and "nope" in err
