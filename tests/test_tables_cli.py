"""The table sub-commands, run in-process through their handlers."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from icd10kb.tables.cli import add_parsers

COMMANDS = ("drug", "neoplasm", "external", "index")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="icd10kb")
    add_parsers(top.add_subparsers(dest="command"))
    return top


def run(*argv: str) -> tuple[int, str, str]:
    args = parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    status = args.handler(args, out, err)
    return status, out.getvalue(), err.getvalue()


def test_every_command_has_help() -> None:
    top = parser()
    actions = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    choices = actions[0].choices
    assert set(choices) == set(COMMANDS)
    helps = {a.dest: a.help for a in actions[0]._choices_actions}
    for name in COMMANDS:
        assert helps[name], name
        text = choices[name].format_help()
        assert "--json" in text and "--release" in text


def test_drug_text_and_json() -> None:
    status, out, err = run("drug", "acetaminophen", "--intent", "accidental", "--release", "2026-04-01")
    assert status == 0 and err == ""
    assert out.splitlines()[0].startswith("Acetaminophen  (ICD-10-CM FY2025 Table of Drugs and Chemicals")
    assert "T39.1X1  needs a 7th character: A (initial encounter)" in out
    status, out, _ = run("drug", "acetaminophen", "--json", "--release", "2026-04-01")
    data = json.loads(out)
    assert [c["code"] for c in data["codes"]][:2] == ["T39.1X1", "T39.1X2"] and data["release"] == "2026-04-01"


def test_neoplasm_with_behaviour_and_multiword_site() -> None:
    status, out, _ = run("neoplasm", "lung", "upper", "lobe", "--behaviour", "secondary")
    assert status == 0 and "malignant secondary  C78.0" in out
    status, out, _ = run("neoplasm", "lung", "--behavior", "benign", "--json")
    assert json.loads(out)["codes"][0]["printed"] == "D14.3-"


def test_external_reports_see_and_subterms() -> None:
    status, out, _ = run("external", "accident", "car")
    assert status == 0
    assert "followed: see Accident, transport, car occupant" in out and "subterms:" in out


def test_errors_go_to_err_with_status_1() -> None:
    status, out, err = run("drug", "acetaminofen")
    assert status == 1 and out == ""
    assert err.startswith("icd10kb: error: 'acetaminofen' is not a term") and "Acetaminophen" in err
    status, _, err = run("drug", "aspirin", "--intent", "overdose")
    assert status == 1 and "intent" in err
    status, _, err = run("external", "fall", "--release", "1999")
    assert status == 1 and "1999" in err


def test_index_command_reads_a_user_file(tmp_path: Path) -> None:
    path = tmp_path / "index.xml"
    path.write_bytes(
        b"<ICD10CM.index><letter><title>C</title><mainTerm><title>Calcinosis</title><code>E83.59</code>"
        b'<term level="1"><title>cutis</title><code>L94.2</code></term></mainTerm></letter></ICD10CM.index>'
    )
    status, out, _ = run("index", str(path), "calcinosis", "cutis")
    assert status == 0 and "L94.2" in out and "complete (billable)" in out
    status, _, err = run("index", str(tmp_path / "missing.xml"), "x")
    assert status == 1 and "missing.xml" in err
    path.write_bytes(b"<!DOCTYPE x [<!ENTITY a 'b'>]><ICD10CM.index/>")
    status, _, err = run("index", str(path), "x")
    assert status == 1 and "document type declarations are not allowed" in err


def test_common_options_can_come_from_parents() -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true")
    common.add_argument("--release")
    top = argparse.ArgumentParser(prog="icd10kb")
    add_parsers(top.add_subparsers(dest="command"), parents=[common])
    args = top.parse_args(["external", "fall", "--json"])
    out = io.StringIO()
    assert args.handler(args, out, io.StringIO()) == 0
    assert json.loads(out.getvalue())["path"] == ["Fall, falling"]


def test_unknown_options_are_usage_errors() -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["drug", "aspirin", "--intnet", "assault"])


def test_file_gives_a_table_of_another_year(tmp_path: Path) -> None:
    path = tmp_path / "drug.xml"
    path.write_bytes(
        b'<ICD10CM.index><version>2099</version><indexHeading><head col="1">Substance</head>'
        + b"".join(f'<head col="{c}">h{c}</head>'.encode() for c in range(2, 8))
        + b"</indexHeading><letter><title>Z</title><mainTerm><title>Zzzine</title>"
        + b"".join(f'<cell col="{c}">T39.1X{c - 1}</cell>'.encode() for c in range(2, 8))
        + b"</mainTerm></letter></ICD10CM.index>"
    )
    status, out, err = run("drug", "zzzine", "--intent", "assault", "--file", str(path))
    assert status == 0, err
    assert "T39.1X3" in out and "version 2099" in out.splitlines()[0]
    status, _, err = run("neoplasm", "lung", "--file", str(path))
    assert status == 1 and "not those of the Table of Neoplasms" in err


def test_json_errors_are_written_on_out_too() -> None:
    status, out, err = run("neoplasm", "lnug", "--json")
    assert status == 1 and err.startswith("icd10kb: error:")
    assert json.loads(out)["error"]["type"] == "UnknownTermError"
