"""The configuration of the local processes, read from the rendered Helm chart.

The embedded default starts each process with the environment that the
chart's ConfigMap for that service holds, rendered by the real Helm engine
with the local broker's address as the only value; only what must differ on
one machine (listen ports, the gateway's upstream addresses, trace files) is
overridden on top. A key renamed in the chart therefore reaches the local
processes too, and `tests/chart` checks that every key the chart sets is a
setting the service actually reads.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml

RELEASE = "crm"


def chart_path() -> Path:
    override = os.environ.get("CRM_DEV_CHART")
    if override:
        return Path(override)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "deploy" / "helm" / "crm"
        if (candidate / "Chart.yaml").exists():
            return candidate
    raise FileNotFoundError("deploy/helm/crm not found; set CRM_DEV_CHART")


def render_config_maps(values: dict) -> dict[str, dict[str, str]]:
    """ConfigMap data by service name (``leads``, ``gateway``, ...)."""
    from helm_python import Chart

    rendered = Chart.load(str(chart_path())).render(values, name=RELEASE, namespace="crm")
    maps: dict[str, dict[str, str]] = {}
    for path, text in rendered.items():
        if not path.endswith((".yaml", ".yml")):
            continue
        for doc in yaml.safe_load_all(text):
            if doc and doc.get("kind") == "ConfigMap":
                name = doc["metadata"]["name"].removeprefix(f"{RELEASE}-")
                maps[name] = {k: str(v) for k, v in (doc.get("data") or {}).items()}
    return maps


@cache
def local_config_maps(bootstrap_servers: str, log_level: str = "INFO") -> dict[str, dict[str, str]]:
    return render_config_maps(
        {"default": {"kafka": {"bootstrapServers": bootstrap_servers}, "logLevel": log_level}}
    )
