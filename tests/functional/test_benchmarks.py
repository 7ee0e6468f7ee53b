"""The benchmark scenarios still run end to end (tiny counts, our library only, no timing).

Each runs ``python -m benchmarks NAME`` as a user would, and checks the figures it saved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_benchmark(tmp_path: Path, name: str, *options: str) -> tuple[str, Any]:
    env = {**os.environ, "BENCH_RESULTS": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", name, "--", *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=50,
        check=True,
    )
    saved = json.loads((tmp_path / f"{name}.json").read_text())
    assert saved["host"]["cores"] == os.cpu_count()
    return done.stdout, saved["results"]


def test_wsecho_runs_each_scenario(tmp_path: Path) -> None:
    out, results = run_benchmark(
        tmp_path, "wsecho", "--only", "ours", "--duration", "0.3", "--repeat", "1",
        "--messages", "5",
    )  # fmt: skip
    best = results["best"]["ours"]
    assert set(best) == {"one-per-read", "batched", "deflate"}
    assert all(row["cpu_us"] > 0 and row["msg_per_s"] > 0 for row in best.values())
    assert "-- deflate" in out


def test_client_runs_against_both_kinds_of_server(tmp_path: Path) -> None:
    out, results = run_benchmark(
        tmp_path, "client", "--no-venv", "--requests", "200", "--download-mib", "1",
        "--rounds", "1",
    )  # fmt: skip
    assert set(results["requests"]) == {"one write", "several writes"}
    for rows in results["requests"].values():
        assert rows["ours"]["rps"] > 0
        assert rows["httpx"]["rps"] > 0
    assert results["download"]["ours"]["bytes"] == 1024 * 1024
    assert "responses sent in several writes" in out


def test_scale_measures_idle_memory_and_latency(tmp_path: Path) -> None:
    out, results = run_benchmark(
        tmp_path, "scale", "--only", "ours", "--counts", "5,10", "--duration", "1",
        "--latency-connections", "20",
    )  # fmt: skip
    ours = results["ours"]
    assert set(ours["idle-http"]) == set(ours["idle-websocket"]) == {"5", "10"}
    assert ours["latency"]["rps"] > 0
    assert 0 < ours["latency"]["p50_ms"] <= ours["latency"]["p99_ms"]
    assert "p99 ms" in out


@pytest.mark.parametrize("name", ["get", "post", "close", "ws", "client", "floor", "wsfloor"])
def test_profiler_workload_runs(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.workload", name, "16"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=50,
        check=True,
    )
    assert done.stdout.startswith(f"{name}: 16 in ")
