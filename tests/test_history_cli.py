"""The ``history``, ``diff`` and ``release-for`` sub-commands, run in-process."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from icd10kb.history.cli import add_parsers


def _run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="icd10kb")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    status = args.handler(args, out, err)
    return status, out.getvalue(), err.getvalue()


def test_history_text_and_json() -> None:
    status, out, err = _run("history", "d691")
    assert status == 0 and not err
    assert out.splitlines()[0] == "D69.1  Qualitative platelet defects"
    assert "FY2027      2026-10-01  header" in out and "FY2020      2019-10-01  billable (inferred)" in out
    status, out, _ = _run("history", "D69.1", "--json")
    data = json.loads(out)
    assert data["code"] == "D69.1" and data["releases"][-1]["status"] == "header" and len(data["releases"]) == 16


def test_history_errors_go_to_stderr() -> None:
    assert _run("history", "A00.5")[0] == 1 and "A00.5" in _run("history", "A00.5")[2]
    status, out, err = _run("history", "!!")
    assert status == 1 and not out and "not a valid" in err


def test_diff_text_and_json() -> None:
    status, out, _ = _run("diff", "2026-04-01", "FY2027")
    assert status == 0
    assert out.splitlines()[0].startswith(
        "2026-04-01 -> FY2027: 238 added, 36 deleted, 4 retitled, 15 billable -> header"
    )
    assert "- D69.1 (header) -> D69.11, D69.19  Qualitative platelet defects" in out
    assert (
        "~ Z29.14  'Encounter for prophylactic rabies immune globin' -> 'Encounter for prophylactic rabies immune globulin'"
        in out
    )
    data = json.loads(_run("diff", "FY2016", "FY2017", "--json")[1])
    assert data["a"] == "FY2016" and len(data["added"]) == 2305


def test_diff_of_an_unknown_release_fails_cleanly() -> None:
    status, out, err = _run("diff", "FY2015", "FY2027")
    assert status == 1 and not out and "FY2016" in err


def test_release_for() -> None:
    status, out, _ = _run("release-for", "2026-10-01")
    assert status == 0 and out.startswith("2026-10-01: FY2027 (in force from 2026-10-01); shipped as '2027'")
    assert json.loads(_run("release-for", "2022-01-01", "--json")[1])["has_file"] is False
    assert _run("release-for", "01/01/2022")[0] == 1


@pytest.mark.parametrize("command", ["history", "diff", "release-for"])
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _run(command, "--help")
    assert "--json" in capsys.readouterr().out


def test_a_diff_and_its_reverse_agree() -> None:
    from icd10kb.history import diff

    forward, backward = diff("FY2019", "FY2025"), diff("FY2025", "FY2019")
    assert set(forward.added) == {d.code for d in backward.deleted if d.now == "absent"}
    assert set(forward.billable_to_header) == set(backward.header_to_billable)
    assert {r.code for r in forward.retitled} == {r.code for r in backward.retitled}
    same = diff("2027", "FY2027")
    assert not (same.added or same.deleted or same.retitled or same.unknown)
