"""R2/R4 store bench, small mode: bench/reporting_10m.py runs end to end on the test fixtures
(bulk facts, report timings with and without indexes, ingest lag through broker and consumer)."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parents[4] / "bench" / "reporting_10m.py"


def test_r2_r4_reporting_bench_small_mode_runs(make_database, embedded_broker):
    """R2/R4: the bench prints both timings of the marketing report and the funnel, and an
    ingest lag measured over every event it sent."""
    suffix = uuid.uuid4().hex[:8]
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--small",
            "--reporting-url",
            make_database(f"bench_reporting_{suffix}"),
            "--source-url",
            make_database(f"bench_source_{suffix}"),
            "--bootstrap",
            embedded_broker.bootstrap_servers,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    for query in ("marketing R2", "funnel R4", "lead counts, daily rollup"):
        assert any(query in line and " ms" in line for line in lines), out.stdout
    (lag,) = [line for line in lines if line.startswith("ingest lag")]
    # The bench fails unless the consumer's inbox holds all 300 events it sent; the lag
    # figures pair every outbox row written since the warm-up with its inbox row.
    events = int(re.search(r"over (\d+) events", lag).group(1))
    assert events == 300 and "p99" in lag, lag
