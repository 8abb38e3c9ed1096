"""The command line's rules, each pinned after a new user tripped on it (issue 7) or a hostile run (issue 8)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from icd10kb.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_errors_under_json_are_json_on_stdout_too(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "--json", "L94.7")
    assert status == 1 and err.startswith("icd10kb: error: 'L94.7'")
    error = json.loads(out)["error"]
    assert error["type"] == "CodeNotFoundError" and "L94.7" in error["message"]
    status, out, _ = run(capsys, "path", "--json", "L9#4")
    assert status == 1 and json.loads(out)["error"]["type"] == "InvalidCodeError"


def test_tree_json_nodes_have_one_shape(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "tree", "L94", "--depth", "1", "--json")
    tree = json.loads(out)

    def walk(node: dict[str, object]) -> None:
        assert set(node) == {"code", "title", "children", "more"}
        for child in node["children"]:  # type: ignore[attr-defined]
            walk(child)

    walk(tree)
    assert status == 0 and tree["more"] == 0 and tree["children"][0]["children"] == []
    _, out, _ = run(capsys, "tree", "S72", "--depth", "0", "--json")
    assert json.loads(out)["more"] > 1000 and json.loads(out)["children"] == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_check_on_a_terminal_prints_usage_instead_of_waiting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal("L94.2\n"))
    with pytest.raises(SystemExit) as stop:
        main(["check"])
    assert stop.value.code == 2 and "give them as arguments" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", _Terminal("L94.2\n"))
    assert main(["check", "-"]) == 0  # '-' asks to read the terminal


def test_check_with_closed_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr("sys.stdin", closed)
    with pytest.raises(SystemExit) as stop:
        main(["check"])
    assert stop.value.code == 2 and "closed" in capsys.readouterr().err


def test_check_says_how_many_suggestions_it_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "S72.001")
    line = next(line for line in out.splitlines() if "consider:" in line)
    assert status == 1 and "more; --json lists all" in line
    _, out, _ = run(capsys, "check", "--json", "S72.001")
    assert len(json.loads(out)[0]["suggestions"]) > 10


@pytest.mark.parametrize(("typed", "release"), [("2026", "2026-04-01"), ("FY2026", "2026-04-01"), ("2025", "2025-04-01"), ("fy2021", "2021")])
def test_release_names_a_user_types(capsys: pytest.CaptureFixture[str], typed: str, release: str) -> None:
    status, out, _ = run(capsys, "show", "L94.2", "--release", typed)
    assert status == 0 and f"ICD-10-CM {release}" in out


def test_release_help_lists_the_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["show", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "2026-04-01, 2025-04-01, 2021" in out and "FY2025" in out


def test_search_rejects_a_bad_filter_before_building_the_index(capsys: pytest.CaptureFixture[str]) -> None:
    import icd10kb
    from icd10kb.kb import _search

    status, _, err = run(capsys, "search", "skin", "--chapter", "L94")
    assert status == 1 and "a chapter is such as '12'" in err
    assert _search not in icd10kb.load()._pieces or True  # the shared kb may have an index from other tests
    fresh = icd10kb.load(builtin_knowledge=False)
    with pytest.raises(icd10kb.InvalidCodeError):
        fresh.search("skin", chapter="L94")
    assert _search not in fresh._pieces


def _child(args: list[str], env: dict[str, str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "icd10kb", *args], input=stdin, capture_output=True, env={**os.environ, **env}, timeout=120
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_cannot_show_the_drawing_characters(encoding: str) -> None:
    done = _child(["tree", "L94", "--depth", "1"], {"PYTHONIOENCODING": encoding})
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode(encoding)
    assert "`-- L94.9" in text and "Traceback" not in done.stderr.decode(encoding, "replace")
    done = _child(["show", "L94.2"], {"PYTHONIOENCODING": encoding})
    dot = " - " if encoding == "ascii" else " · "  # Latin-1 has the middle dot
    assert done.returncode == 0 and dot in done.stdout.splitlines()[1].decode(encoding)


def test_argv_that_is_not_valid_text() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "icd10kb", "show", b"L94.\xff"], capture_output=True, timeout=120, env={**os.environ, "LC_ALL": "C.UTF-8"}
    )
    assert done.returncode == 2 and b"not valid text" in done.stderr and b"Traceback" not in done.stderr


def test_closed_stdout_is_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.close(1); from icd10kb.cli import main; sys.exit(main(['path', 'L94.2']))"],
        capture_output=False, stderr=subprocess.PIPE, timeout=120,
    )
    assert b"Traceback" not in done.stderr


def test_show_lists_the_phenotypes_of_linked_diseases(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "show", "Q87.4")
    assert status == 0 and "Phenotypes (HPO annotations of Marfan syndrome" in out
    assert "Arachnodactyly [HP:0001166]" in out or "more (--json lists all" in out
    status, out, _ = run(capsys, "show", "Q87.4", "--json")
    assert any(f["term"] == "HP:0001166" for f in json.loads(out)["knowledge"]["phenotypes"]["phenotypes"])
