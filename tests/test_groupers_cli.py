"""The groupers' command-line commands, run in-process."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from icd10kb.groupers.cli import add_parsers


def run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="icd10kb")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    return args.handler(args, out, err), out.getvalue(), err.getvalue()


def test_every_command_has_help():
    parser = argparse.ArgumentParser(prog="icd10kb")
    sub = parser.add_subparsers(dest="command")
    add_parsers(sub)
    assert set(sub.choices) == {"ccsr", "comorbidity", "hcc", "gems", "groupers"}
    for name, command in sub.choices.items():
        assert command.description, name
        assert command.format_help()


def test_ccsr():
    code, out, _ = run("ccsr", "A00.0", "--ccsr-version", "v2023.1")
    assert code == 0 and "DIG001\tIntestinal infection  [inpatient default]  [outpatient default]" in out
    code, out, _ = run("ccsr", "I50.9", "--json")
    assert json.loads(out)[0]["categories"][0]["id"] == "CIR019"


def test_comorbidity():
    code, out, _ = run("comorbidity", "I21.9", "E11.22", "E11.9", "--weights", "quan")
    assert code == 0 and out.splitlines()[-1] == "score\t1"
    assert "diab\tDiabetes without chronic complication: dropped by the hierarchy" in out
    code, out, _ = run("comorbidity", "I50.9", "--index", "cmr-v2026.1", "--json")
    assert json.loads(out)["unassessed"] == ["HF"] and json.loads(out)["score"] is None
    code, out, _ = run("comorbidity", "I50.9", "--index", "cmr-v2026.1", "--poa", "Y")
    assert out.startswith("HF\t")


def test_hcc_gems_groupers():
    assert run("hcc", "I50.9", "--model", "V24", "--year", "2025")[1] == "HCC85\tCongestive Heart Failure\n"
    assert run("gems", "428.0")[1] == "428.0\tI50.814\t10000\n428.0\tI50.9\t10000\n"
    assert run("gems", "I50.9", "--from", "icd10", "--json")[1].count('"target"') == 2
    code, out, _ = run("groupers")
    assert code == 0 and len(out.splitlines()) == 12


@pytest.mark.parametrize(
    "argv",
    [("ccsr", "I50"), ("comorbidity", "??"), ("hcc", "I50.9", "--model", "V24", "--year", "2027"), ("gems", "I50.9")],
)
def test_errors_are_messages_with_status_1(argv):
    code, out, err = run(*argv)
    assert code == 1 and not out and err.startswith("icd10kb: error: ")
