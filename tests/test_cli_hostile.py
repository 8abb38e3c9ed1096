"""The command line under hostile conditions (issue 8): closed or failing streams, narrow
encodings, argv that is not text, endless standard input. Each gives a message and a
non-zero exit status, or plain-ASCII output, never a traceback or half-written JSON."""

from __future__ import annotations

import errno
import io
import json
import os
import sys
from typing import Any

import pytest

from icd10kb.cli import main
from icd10kb.cli.find import MAX_STDIN


class FailingStream(io.StringIO):
    """A stream whose writes fail like a full disk."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def _wrapped(encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", write_through=True)


def _bytes_of(stream: io.TextIOWrapper) -> bytes:
    return stream.buffer.getvalue()  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("argv", [["show", "L94.2"], ["show", "L94.2", "--json"], ["show", "L94.7", "--json"]])
def test_closed_standard_output_is_an_error_not_a_traceback(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(argv) == 1
    assert err.getvalue().startswith("icd10kb: error:")


def test_closed_standard_output_and_error_still_exit_non_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["show", "L94.7", "--json"]) == 1


def test_a_full_disk_on_standard_output_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", FailingStream())
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["tree", "L94"]) == 1
    assert "No space left on device" in err.getvalue()


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize(
    "argv", [["tree", "L94"], ["show", "L94.2"], ["path", "S72.001A"], ["check", "L94.2", "M34.0"]]
)
def test_narrow_encodings_get_output_they_can_show(
    encoding: str, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, err = _wrapped(encoding), _wrapped(encoding)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(argv) in (0, 1)  # check exits 1 for the Excludes1 finding
    text = _bytes_of(out).decode(encoding)
    assert text.strip() and "\\N{" not in text


def test_ascii_tree_uses_plain_stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _wrapped("ascii")
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["tree", "L94"]) == 0
    assert "|-- L94.0" in _bytes_of(out).decode("ascii")


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"L94\xff", b"\xed\xa0\x80"])
def test_argv_that_is_not_text_is_refused(raw: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["show", os.fsdecode(raw)])
    assert exited.value.code == 2
    assert "not valid text" in capsys.readouterr().err


def test_endless_standard_input_is_refused_after_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless(io.StringIO):
        def read(self, size: int | None = -1) -> str:
            assert size is not None and size > 0, "standard input must be read with a bound"
            return "L94.2 " * (size // 6 + 1)

        def isatty(self) -> bool:
            return False

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdin", Endless())
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["check"]) == 1
    assert f"more than {MAX_STDIN:,} characters" in err.getvalue()


def test_json_errors_are_whole_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("L94.2 " * 200_000))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["check", "--json"]) == 1
    document: dict[str, Any] = json.loads(out.getvalue())
    assert document["error"]["type"] == "Failure" and "more than" in document["error"]["message"]
