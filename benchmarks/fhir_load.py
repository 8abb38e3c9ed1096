"""A bounded load test of the FHIR terminology server, from a second process on loopback.

Starts ``icd10kb serve`` (uvicorn, one worker) on 127.0.0.1 at a free port,
then drives it from this process with keep-alive HTTP/1.1 connections
(asyncio, no client library in the way):

1. ``lookup``: ``CodeSystem/$lookup`` of codes drawn at random from the release;
2. ``mixed``: ``$lookup``, ``$validate-code`` (valid and invalid codes),
   ``$subsumes`` and a small ``$expand`` (one category, ``count=10``).

Each phase is bounded by a request count and a duration, whichever comes
first. Reported: requests per second, p50/p99 latency, errors (any status
other than the expected one), and the server's resident memory at the start
and end of each phase (it must stay flat). Only loopback traffic.

Usage::

    python benchmarks/fhir_load.py [--seconds 20] [--connections 16] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from urllib.parse import quote

HOST = "127.0.0.1"
SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss(pid: int) -> int:
    """Resident memory of a process, in KiB (Linux)."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start_server(port: int) -> subprocess.Popen[bytes]:
    code = f"from icd10kb.fhir.server import serve; serve(host={HOST!r}, port={port})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server did not start: {proc.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def requests_for(codes: list[str], categories: list[str], mixed: bool, rng: random.Random) -> tuple[str, int]:
    """One request path and the status it must get."""
    system = quote(SYSTEM, safe="")
    code = rng.choice(codes)
    if not mixed:
        return f"/CodeSystem/$lookup?system={system}&code={quote(code)}", 200
    kind = rng.randrange(4)
    if kind == 0:
        return f"/CodeSystem/$lookup?system={system}&code={quote(code)}", 200
    if kind == 1:
        bad = code if rng.random() < 0.8 else code + "9"
        return f"/CodeSystem/$validate-code?url={system}&code={quote(bad)}", 200
    if kind == 2:
        other = rng.choice(codes)
        return f"/CodeSystem/$subsumes?system={system}&codeA={quote(code)}&codeB={quote(other)}", 200
    category = rng.choice(categories)
    return f"/ValueSet/icd-10-cm-category-{category}/$expand?count=10", 200


async def worker(
    port: int, plan: list[tuple[str, int]], latencies: list[float], errors: list[str], stop: float
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for path, expected in plan:
            if time.monotonic() > stop:
                break
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/fhir+json\r\n\r\n".encode())
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            status = int(status_line.split()[1]) if status_line else 0
            if status != expected:
                errors.append(f"{status} {path}")
    finally:
        writer.close()


def run_phase(port: int, pid: int, name: str, plans: list[list[tuple[str, int]]], seconds: float) -> dict[str, object]:
    import threading

    latencies: list[float] = []
    errors: list[str] = []
    memory_before = rss(pid)
    samples: list[int] = []
    done = threading.Event()

    def sample() -> None:  # the server's memory every half second, while the phase runs
        while not done.wait(0.5):
            samples.append(rss(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    async def main() -> float:
        stop = time.monotonic() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(worker(port, plan, latencies, errors, stop) for plan in plans))
        return time.perf_counter() - started

    elapsed = asyncio.run(main())
    done.set()
    sampler.join()
    ordered = sorted(latencies)
    return {
        "phase": name,
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(latencies) / elapsed),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2),
        "errors": len(errors),
        "first_errors": errors[:5],
        "server_rss_kib_before": memory_before,
        "server_rss_kib_after": rss(pid),
        "server_rss_kib_min_max": [min(samples, default=0), max(samples, default=0)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="longest duration of each phase")
    parser.add_argument("--requests", type=int, default=100_000, help="most requests in each phase")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    import icd10kb

    kb = icd10kb.load()
    codes = list(kb)
    categories = [c for c in codes if kb.kind(c) == "category"]
    chapters = {c for c in codes if kb.kind(c) == "chapter"}
    codes = [c for c in codes if c not in chapters]  # a chapter's FHIR code is chapter-N
    rng = random.Random(12)
    port = free_port()
    server = start_server(port)
    results = []
    try:
        per = max(1, args.requests // args.connections)
        warm = [[requests_for(codes, categories, True, rng) for _ in range(2500)] for _ in range(4)]
        run_phase(port, server.pid, "warm-up", warm, 30)  # notes loaded, response cache (4096) full
        for phase, mixed in (("lookup", False), ("mixed", True)):
            plans = [[requests_for(codes, categories, mixed, rng) for _ in range(per)] for _ in range(args.connections)]
            results.append(run_phase(port, server.pid, phase, plans, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "connections": args.connections,
        "phases": results,
    }
    print(json.dumps(report, indent=2))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=2)
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
