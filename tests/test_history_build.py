"""The shipped history and FY2027 files are what scripts/build_history.py makes from data/, byte for byte."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pytest

from icd10kb.datasets import describe, read
from icd10kb.errors import DataFileError
from icd10kb.history import readers
from icd10kb.history.data import decode

ROOT = Path(__file__).parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_history", ROOT / "scripts" / "build_history.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compiled_files_are_reproducible() -> None:
    build = _script()
    fy2027 = build.fy2027()
    hierarchy, notes = build.compile_fy2027(fy2027_data=fy2027)
    shipped = ROOT / "icd10kb" / "data"
    assert (shipped / "icd10cm-2027" / "icd10cm-2027.hierarchy.bin.gz").read_bytes() == hierarchy
    assert (shipped / "icd10cm-2027" / "icd10cm-2027.notes.json.gz").read_bytes() == notes
    history = build.compile_history(fy2027_data=fy2027)
    assert (shipped / "icd10cm-history" / "icd10cm-history.tsv.gz").read_bytes() == history


def test_descriptors_name_the_sources_and_are_small() -> None:
    info = describe("icd10cm-history")
    assert info.kind == "history" and len(info.sources) == 12
    assert all(not s.path.startswith("/") and ".." not in s.path for s in info.sources)
    sizes = sum(
        (ROOT / "icd10kb" / "data" / f.path).stat().st_size
        for n in ("icd10cm-history", "icd10cm-2027")
        for f in describe(n).files
    )
    assert sizes < 2_000_000
    assert describe("icd10cm-2027").kind == "derived-release"


def test_a_damaged_history_is_refused() -> None:
    good = read("icd10cm-history", "icd10cm-history/icd10cm-history.tsv.gz")
    with pytest.raises(DataFileError, match="magic"):
        decode(b"nope\n" + good)
    lines = good.split(b"\n")
    with pytest.raises(DataFileError, match="bad history line"):
        decode(b"\n".join(lines[:2] + [b"L942\tBB"] + lines[2:]))
    with pytest.raises(DataFileError, match="releases"):
        decode(b"\n".join(lines[:1] + [b"FY2016"] + lines[2:]))


@pytest.mark.parametrize(
    ("reader", "text", "message"),
    [
        (readers.read_order_table, b"code\tx\n", "header line"),
        (
            readers.read_order_table,
            b"order\tcode\tbillable\tshort_desc\tlong_desc\n1\tL94\t2\tx\ty\n",
            "order-table row",
        ),
        (readers.read_order_table, b"order\tcode\tbillable\tshort_desc\tlong_desc\n", "no codes"),
        (readers.read_order_file, b"00001 L94     0 short\n", "order-file line"),
        (readers.read_code_file, b"L942    A\nL942    B\n", "twice"),
        (readers.read_code_file, b"l942    A\n", "code-file line"),
        (readers.read_item_list, b"1\nA00-A09\nA0!\n", "not an ICD-10-CM code"),
        (readers.read_item_list, b"\x1f\x8b\x08junk", "damaged gzip"),
    ],
)
def test_hostile_release_files_are_refused(reader: object, text: bytes, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        reader(io.BytesIO(text))  # type: ignore[operator]


def test_readers_read_the_layouts() -> None:
    order = (
        b"00001 L94     0 "
        + b"Other localized connective tissue disorders".ljust(60)
        + b" Other localized connective tissue disorders\r\n"
    )
    assert readers.read_order_file(io.BytesIO(order)) == {"L94": (False, "Other localized connective tissue disorders")}
    assert readers.read_item_list(io.BytesIO(b"12\r\nB10-B10\r\nB10\r\nB10\r\nB100\r\n")) == {
        "B10": (None, None),
        "B100": (None, None),
    }
