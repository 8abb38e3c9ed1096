"""The icd10kb command, run in-process."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from icd10kb.cli import COMMANDS, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_show(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "l942")
    assert status == 0 and err == ""
    assert out.startswith("L94.2  Calcinosis cutis")
    for expected in ("L80-L99", "Other localized connective tissue disorders", "Excludes1 (from L94)",
                     "systemic sclerosis [M34", "HP:0001482", "LOINC:17861-6", "when deposits lie near a joint",
                     "Treatments: not covered", "https://disease.expert/items/calcinosis-cutis"):
        assert expected in out


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "show", "L94.2", "--json")
    data = json.loads(out)
    assert status == 0
    assert data["concept"]["code"] == "L94.2"
    assert [c["code"] for c in data["path"]] == ["12", "L80-L99", "L94"]
    assert data["knowledge"]["causes"][1]["code"] == "M34"
    assert data["notes"][0]["kind"] == "excludes1"


def test_errors_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "L94.7")
    assert status == 1 and out == ""
    assert err.startswith("icd10kb: error: 'L94.7' is not a code") and "L94.6" in err
    status, out, err = run(capsys, "show", "L9#")
    assert status == 1 and "not a valid ICD-10-CM code" in err
    status, _, err = run(capsys, "show", "L94.2", "--release", "1999")
    assert status == 1 and "no embedded release" in err
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


def test_path_tree(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "path", "C00.0")
    assert [line.split("\t")[0] for line in out.splitlines()] == ["2", "C00-C96", "C00-C75", "C00-C14", "C00", "C00.0"]
    _, out, _ = run(capsys, "tree", "L94", "--depth", "1")
    assert out.splitlines()[0] == "L94  Other localized connective tissue disorders"
    assert "└── L94.9" in out
    _, out, _ = run(capsys, "tree", "S72.0", "--depth", "1", "--json")
    tree = json.loads(out)
    assert tree["code"] == "S72.0" and all("more" in c for c in tree["children"])


def test_search(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "search", "calcium", "deposits", "in", "the", "skin", "--limit", "3")
    assert status == 0 and out.splitlines()[0].startswith("L94.2")
    _, out, _ = run(capsys, "search", "calcinossis", "cutis", "--json", "--limit", "1")
    assert json.loads(out)[0]["corrections"] == [["calcinossis", "calcinosis"]]
    status, _, err = run(capsys, "search", "zzzzqqqq")
    assert status == 1 and "no match" in err


def test_check(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, _ = run(capsys, "check", "L94.2", "M34.0")
    assert status == 1 and "excludes1" in out and "(M30-M36)" in out
    status, out, _ = run(capsys, "check", "L94.2")
    assert status == 0 and "no findings" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("L94.2, M34.0\nS72.001\n"))
    status, out, _ = run(capsys, "check", "--json")
    assert status == 1 and [f["kind"] for f in json.loads(out)] == ["missing_seventh_character", "excludes1"]


def test_export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "export", "L94.2", "--format", "mermaid")
    assert status == 0 and out.startswith("flowchart TD") and "-->|causes|" in out
    _, out, _ = run(capsys, "export", "L94.2")
    data = json.loads(out)
    assert {"nodes", "links"} <= set(data) and any(n["id"] == "M34" for n in data["nodes"])
    status, out, _ = run(capsys, "export", "L94", "--depth", "1", "--format", "kgx-tsv", "--output", str(tmp_path / "l94"))
    assert status == 0 and (tmp_path / "l94_nodes.tsv").exists() and (tmp_path / "l94_edges.tsv").exists()
    status, out, _ = run(capsys, "export", "L94.2", "--format", "graphml", "--output", str(tmp_path / "g.graphml"))
    assert status == 0 and (tmp_path / "g.graphml").read_text().startswith("<?xml")
    with pytest.raises(SystemExit):
        main(["export", "--format", "mermaid"])  # the whole release is too big to draw
    with pytest.raises(SystemExit):
        main(["export", "L94.2", "--format", "kgx-tsv"])  # needs --output


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: icd10kb " + command) and COMMANDS[command][0][:20].lower() in out.lower()
