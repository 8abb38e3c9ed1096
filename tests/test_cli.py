"""The icd10kb command, run in-process."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

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
    for expected in (
        "L80-L99",
        "Other localized connective tissue disorders",
        "Excludes1 (from L94)",
        "systemic sclerosis [M34",
        "HP:0001482",
        "LOINC:17861-6",
        "when deposits lie near a joint",
        "Treatments: not covered",
        "https://disease.expert/items/calcinosis-cutis",
    ):
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
    # One exit rule for every command (issue 7): no match is an answer, in text and JSON alike.
    status, out, err = run(capsys, "search", "zzzzqqqq")
    assert status == 0 and out == "" and "no match" in err
    status, out, _ = run(capsys, "search", "zzzzqqqq", "--json")
    assert status == 0 and json.loads(out) == []


def test_check(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, _ = run(capsys, "check", "L94.2", "M34.0")
    assert status == 1 and "excludes1" in out and "(M30-M36)" in out
    status, out, _ = run(capsys, "check", "L94.2")
    assert status == 0 and "no findings" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("L94.2, M34.0\nS72.001\n"))
    status, out, _ = run(capsys, "check", "--json")
    assert status == 1 and [f["kind"] for f in json.loads(out)] == ["missing_seventh_character", "excludes1"]


def test_check_names_the_codes_of_every_finding(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", "E11.9;R73.9", "L94.2", "M34.0", "L94.2")
    assert status == 1 and err == ""
    lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert lines == [
        "error: malformed: 'E11.9;R73.9': only letters, digits, '.' and '-' may appear",
        "warning: duplicate: 'L94.2': L94.2 is listed twice",
        "error: excludes1: 'L94.2', 'M34.0': L94.2 and M34.0 are not coded together (Excludes1 at L94)",
    ]


def test_check_splits_standard_input_on_semicolons(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("E11.9;R73.9\n"))
    status, out, _ = run(capsys, "check", "--json")
    assert status == 1 and [(f["kind"], f["codes"]) for f in json.loads(out)] == [("excludes1", ["R73.9", "E11.9"])]
    monkeypatch.setattr("sys.stdin", io.StringIO("L94.2;M34.1 ; ,G30.9,F02.80;\n\nL94.0"))
    status, out, _ = run(capsys, "check", "-")
    assert status == 1 and "'L94.2', 'M34.1'" in out and "'L94.2', 'L94.0'" not in out


@pytest.mark.parametrize("stdin", ["", "\n", " ,; \n;\n"])
@pytest.mark.parametrize("argv", [[], ["-"], ["--json"]])
def test_check_without_codes_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stdin: str, argv: list[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as caught:
        main(["check", *argv])
    out, err = capsys.readouterr()
    assert caught.value.code == 2 and out == ""
    assert "icd10kb check: error: no codes to check" in err


# --- knowledge packs, usage errors -------------------------------------------------------------


def _pack(code: str, label: str, symptom: str, pack_id: str = "test-pack") -> dict[str, Any]:
    """A small valid knowledge pack (see tests/test_knowledge.py for the format)."""
    return {
        "format": "icd10kb-knowledge/1",
        "id": pack_id,
        "title": "A test pack",
        "sources": {"s": {"title": "Test source", "url": "https://example.org/s", "accessed": "2026-11-01"}},
        "diseases": [{"code": code, "label": label, "sources": ["s"], "symptoms": [{"label": symptom}]}],
    }


def _write(path: Path, pack: dict[str, Any]) -> str:
    path.write_text(json.dumps(pack), encoding="utf-8")
    return str(path)


TABULAR = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2099</version>
  <chapter>
    <name>1</name>
    <desc>Certain infectious diseases (A00-B99)</desc>
    <section id="A00-A09">
      <desc>Intestinal infectious diseases (A00-A09)</desc>
      <diag>
        <name>A00</name>
        <desc>Cholera</desc>
        <diag><name>A00.9</name><desc>Cholera, unspecified</desc></diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""


def test_knowledge_option_adds_packs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pack = _write(tmp_path / "pack.json", _pack("L94.3", "Sclerodactyly", "tight shiny skin of the fingers"))
    status, out, err = run(capsys, "show", "L94.3", "--knowledge", pack)
    assert status == 0 and err == ""
    assert "    - tight shiny skin of the fingers" in out and "Test source <https://example.org/s>" in out
    assert "tight shiny skin" not in run(capsys, "show", "L94.3")[1]  # the shared default is left alone
    other = _write(tmp_path / "other.json", _pack("L94.0", "Morphea", "a waxy patch of skin", "other-pack"))
    status, out, _ = run(capsys, "search", "waxy", "patch", "--knowledge", pack, "--knowledge", other, "--json")
    assert status == 0 and json.loads(out)[0]["code"] == "L94.0"
    status, out, _ = run(capsys, "export", "L94.3", "--knowledge", pack)
    assert status == 0 and any("tight shiny skin" in n.get("label", "") for n in json.loads(out)["nodes"])
    for command in ("path", "tree", "check"):
        assert run(capsys, command, "L94.3", "--knowledge", pack)[0] == 0


def test_knowledge_option_with_tabular(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    xml = tmp_path / "tabular.xml"
    xml.write_text(TABULAR, encoding="utf-8")
    pack = _write(tmp_path / "cholera.json", _pack("A00.9", "Cholera", "watery diarrhoea"))
    status, out, err = run(capsys, "show", "A00.9", "--tabular", str(xml), "--knowledge", pack)
    assert status == 0 and err == "" and "ICD-10-CM 2099" in out and "    - watery diarrhoea" in out
    # A pack naming a code the release lacks is a warning here, printed as a message.
    elsewhere = _write(tmp_path / "l94.json", _pack("L94.3", "Sclerodactyly", "tight skin", "elsewhere"))
    status, out, err = run(
        capsys, "show", "A00.9", "--tabular", str(xml), "--knowledge", pack, "--knowledge", elsewhere
    )
    assert status == 0 and "watery diarrhoea" in out
    assert err.startswith("icd10kb: warning: ") and "'L94.3' is not a code" in err and "load.py" not in err


def test_a_broken_knowledge_pack_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = _pack("L94.3", "Sclerodactyly", "tight skin")
    bad["diseases"][0]["symptoms"][0]["identifiers"] = {"HPO": "HP:1"}
    path = _write(tmp_path / "bad.json", bad)
    for argv in (
        ["show", "L94.3"],
        ["path", "L94.3"],
        ["tree", "L94"],
        ["search", "skin"],
        ["check", "L94.3"],
        ["export", "L94.3"],
    ):
        status, out, err = run(capsys, *argv, "--knowledge", path)
        assert status == 1 and out == "", argv
        assert err.startswith(f"icd10kb: error: {path}: ") and "HP:1" in err and "Traceback" not in err
    status, out, err = run(capsys, "check", "L94.3", "--knowledge", str(tmp_path / "missing.json"))
    assert status == 1 and out == "" and err.startswith("icd10kb: error: ") and "missing.json" in err


def test_code_list_needs_tabular(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["show", "L94.2", "--code-list", str(tmp_path / "codes.txt")])
    out, err = capsys.readouterr()
    assert caught.value.code == 2 and out == ""
    assert "icd10kb show: error: --code-list goes with --tabular" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["tree", "L94", "--depth", "-1"],
        ["tree", "L94", "--depth=-1"],
        ["tree", "L94", "--depth", "two"],
        ["export", "L94", "--depth", "-2"],
        ["show", "L94", "--max-children", "-1"],
        ["search", "calcinosis", "--limit", "-5"],
        ["search", "calcinosis", "--limit", "1.5"],
    ],
)
def test_counts_are_whole_numbers_not_below_zero(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    out, err = capsys.readouterr()
    assert caught.value.code == 2 and out == ""
    assert f"icd10kb {argv[0]}: error: argument --" in err and "expected a whole number, 0 or more" in err


def test_counts_of_zero_are_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "tree", "L94", "--depth", "0")
    assert status == 0 and out == "L94  Other localized connective tissue disorders  (+9 below)\n"
    status, out, _ = run(capsys, "show", "L94", "--max-children", "0")
    assert status == 0 and "  … and 9 more" in out and "L94.0" not in out
    status, out, err = run(capsys, "search", "calcinosis", "--limit", "0")
    assert status == 0 and out == "" and err == ""


def test_export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "export", "L94.2", "--format", "mermaid")
    assert status == 0 and out.startswith("flowchart TD") and "-->|causes|" in out
    _, out, _ = run(capsys, "export", "L94.2")
    data = json.loads(out)
    assert {"nodes", "links"} <= set(data) and any(n["id"] == "M34" for n in data["nodes"])
    status, out, _ = run(
        capsys, "export", "L94", "--depth", "1", "--format", "kgx-tsv", "--output", str(tmp_path / "l94")
    )
    assert status == 0 and (tmp_path / "l94_nodes.tsv").exists() and (tmp_path / "l94_edges.tsv").exists()
    status, out, _ = run(capsys, "export", "L94.2", "--format", "graphml", "--output", str(tmp_path / "g.graphml"))
    assert status == 0 and (tmp_path / "g.graphml").read_text().startswith("<?xml")
    with pytest.raises(SystemExit):
        main(["export", "--format", "mermaid"])  # the whole release is too big to draw
    with pytest.raises(SystemExit):
        main(["export", "L94.2", "--format", "kgx-tsv"])  # needs --output


@pytest.mark.parametrize(
    ("options", "written"),
    [
        ([], "x.json"),
        (["--format", "mermaid"], "x.json"),
        (["--format", "graphml"], "x.json"),
        (["--format", "kgx-jsonl"], "x.json_nodes.jsonl"),
    ],
)
def test_export_to_a_folder_that_does_not_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str], written: str
) -> None:
    output = tmp_path / "no such folder" / "x.json"
    status, out, err = run(capsys, "export", "L94.2", *options, "--output", str(output))
    assert status == 1 and out == ""
    assert err == f"icd10kb: error: cannot write {output.parent / written}: No such file or directory\n"


def test_export_cannot_write_over_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "export", "L94.2", "--output", str(tmp_path))
    assert status == 1 and out == "" and err == f"icd10kb: error: cannot write {tmp_path}: Is a directory\n"


def test_export_has_no_json_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", "L94.2", "--json"])
    out, err = capsys.readouterr()
    assert caught.value.code == 2 and out == ""
    assert "icd10kb export: error: export has no --json: choose the output with --format" in err
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "--json" not in capsys.readouterr().out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: icd10kb " + command) and COMMANDS[command][0][:20].lower() in out.lower()


def test_release_and_tabular_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["show", "L94.2", "--release", "2025-04-01", "--tabular", "x.xml"])
    assert caught.value.code == 2 and "exclude each other" in capsys.readouterr().err
