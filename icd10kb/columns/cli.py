"""Command-line hooks for whole files of claims: ``clean-claims`` and ``per-patient``.

``add_parsers(subparsers)`` adds the sub-commands to the ``icd10kb`` command;
each handler takes the parsed arguments and the output and error streams and
returns the exit code, so that the commands are testable in-process. Files
are CSV or Parquet (by their extension), read and written with pyarrow.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ..arguments import check_text
from ..cli.common import check_handler, check_subparsers, option
from ..errors import ICD10KBError, InvalidArgumentError

__all__ = ["add_parsers", "run_clean", "run_per_patient"]


def _read(path: Path) -> Any:
    import pyarrow.csv as csv
    import pyarrow.parquet as pq

    if path.suffix == ".parquet":
        return pq.read_table(path)
    return csv.read_csv(path, convert_options=csv.ConvertOptions(strings_can_be_null=True))


def _write(table: Any, path: Path) -> None:
    import pyarrow.csv as csv
    import pyarrow.parquet as pq

    if path.suffix == ".parquet":
        pq.write_table(table, path)
    else:
        csv.write_csv(table, path)


def _path(args: argparse.Namespace, name: str) -> Path:
    value = option(args, name)
    if not isinstance(value, (str, Path)):
        raise InvalidArgumentError(value, "expected a path (str or pathlib.Path)", f"{name} file")
    path = Path(check_text(str(value) if isinstance(value, Path) else value, f"{name} file", 4096))
    if "\x00" in str(path):
        raise InvalidArgumentError(path, "a path has no NUL character", f"{name} file")
    return path


def _check_paths(args: argparse.Namespace, err: TextIO) -> tuple[Path, Path] | None:
    """The input and output paths of *args*, or None (the reason written to *err*) when they cannot serve."""
    paths = (_path(args, "input"), _path(args, "output"))
    for path in paths:
        if path.suffix not in (".csv", ".parquet"):
            err.write(f"icd10kb: {str(path)!r}: a .csv or .parquet file is expected\n")
            return None
    if not paths[0].is_file():
        err.write(f"icd10kb: {str(paths[0])!r}: no such file\n")
        return None
    return paths


def run_clean(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Add ``icd10_code``, ``icd10_status`` (and a reason) and a roll-up column to a claims file."""
    import pyarrow as pa

    from .functions import clean

    check_handler(args, out, err)
    column, level = check_text(option(args, "column"), "--column", 1000), option(args, "level")
    paths = _check_paths(args, err)
    if paths is None:
        return 2
    try:
        table = _read(paths[0])
        if column not in table.column_names:
            err.write(f"icd10kb: no column {column!r} in {str(paths[0])!r}\n")
            return 2
        answers = clean(table[column], levels=(level,), reason=True)
        for name in answers.column_names:
            table = table.append_column(f"icd10_{name}", answers[name].cast(pa.string()))
        _write(table, paths[1])
    except (OSError, ICD10KBError, ValueError) as exc:
        err.write(f"icd10kb: {exc}\n")
        return 1
    counts = answers["status"].cast(pa.string()).value_counts().to_pylist()
    summary = ", ".join(f"{c['values']} {c['counts']:,}" for c in sorted(counts, key=lambda c: str(c["values"])))
    out.write(f"{table.num_rows:,} rows written to {paths[1]}: {summary}\n")
    return 0


def run_per_patient(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Group a claims file per patient with a grouper; one row per patient."""
    import pyarrow as pa

    from .patients import per_patient

    check_handler(args, out, err)
    names = ("grouper", "patient", "code", "poa", "output_kind")
    options = {name: option(args, name) for name in names}
    paths = _check_paths(args, err)
    if paths is None:
        return 2
    try:
        import polars as pl

        frame = pl.from_arrow(_read(paths[0]))
        result = per_patient(
            frame,
            options["grouper"],
            patient=options["patient"],
            code=options["code"],
            poa=options["poa"],
            output=options["output_kind"],
        )
        table = result.to_arrow()
        if "groups" in table.column_names and paths[1].suffix == ".csv":
            joined = pa.array([" ".join(g) for g in result["groups"].to_list()], pa.string())
            table = table.set_column(table.column_names.index("groups"), "groups", joined)
        _write(table, paths[1])
    except (OSError, ICD10KBError, ValueError) as exc:
        err.write(f"icd10kb: {exc}\n")
        return 1
    out.write(f"{table.num_rows:,} patients written to {paths[1]}\n")
    return 0


def add_parsers(subparsers: Any) -> None:
    """Add ``clean-claims`` and ``per-patient`` to the ``icd10kb`` command's sub-parsers."""
    check_subparsers(subparsers)
    clean = subparsers.add_parser(
        "clean-claims", help="normalise, validate and roll up a column of codes in a CSV or Parquet file"
    )
    clean.add_argument("input", type=Path, help="the claims file (.csv or .parquet)")
    clean.add_argument("output", type=Path, help="the file to write (.csv or .parquet)")
    clean.add_argument("--column", default="code", help="the column of codes (default: code)")
    clean.add_argument(
        "--level",
        default="category",
        choices=("category", "block", "chapter"),
        help="the roll-up to add (default: category)",
    )
    clean.set_defaults(handler=run_clean)
    group = subparsers.add_parser(
        "per-patient", help="comorbidity flags and scores, or HCCs, per patient of a claims file"
    )
    group.add_argument("input", type=Path, help="the claims file (.csv or .parquet), one row per (patient, code)")
    group.add_argument("output", type=Path, help="the file to write (.csv or .parquet), one row per patient")
    group.add_argument("--grouper", default="charlson-quan2005", help="a grouper name (icd10kb groupers)")
    group.add_argument("--patient", default="patient", help="the patient column (default: patient)")
    group.add_argument("--code", default="code", help="the code column (default: code)")
    group.add_argument("--poa", default=None, help="the present-on-admission column, if any")
    group.add_argument(
        "--output-kind",
        default=None,
        choices=("flags", "set"),
        help="flags and scores, or the set of groups (default: by grouper)",
    )
    group.set_defaults(handler=run_per_patient)
