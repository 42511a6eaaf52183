"""Checks of the Helm chart in deploy/helm/crm.

The chart is linted and rendered offline with the Helm SDK (helm-python-sdk, no helm binary,
no cluster) and every rendered manifest is validated against the Kubernetes OpenAPI schemas
shipped with kubernetes-validate. The remaining tests assert the shape the system relies on:
processes per service, hooks, probes, HPA/PDB toggles, gateway upstream addresses and the
environment each service is configured with.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from helm_python import Chart, HelmError, lint

REPO_ROOT = Path(__file__).resolve().parents[2]
CHART_DIR = REPO_ROOT / "deploy" / "helm" / "crm"
CI_DIR = CHART_DIR / "ci"
CI_FILES = sorted(p.name for p in CI_DIR.glob("*.yaml"))

# kubernetes-validate ships schemas for 1.25 .. 1.37; pin one that clusters run today.
KUBE_VERSION = "1.33.0"
RELEASE = "crm"
NAMESPACE = "crm"

GRPC_SERVICES = ("leads", "contacts", "billing", "messaging", "reporting")
GRPC_PORT = 50051
GATEWAY_PORT = 8080
PROCESSES = ("serve", "relay", "consume")
# Extra worker processes configured in values.yaml: service -> worker name -> container args.
WORKERS = {
    "messaging": {"dispatch": ["work"]},
    "gateway": {"webhooks": ["webhooks"]},
    # A2/C8/T3/B4: the per-tenant schedulers (crm_common.scheduler).
    "contacts": {"schedule": ["schedule"]},
    "billing": {"schedule": ["schedule"]},
    "reporting": {"schedule": ["schedule"]},  # R7 e-mailed scheduled reports
}
STANDARD_LABELS = {
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/version",
    "app.kubernetes.io/managed-by",
}


# --------------------------------------------------------------------------- helpers


@functools.cache
def _chart() -> Chart:
    return Chart.load(CHART_DIR)


@functools.cache
def _ci_values(filename: str) -> dict[str, Any]:
    return yaml.safe_load((CI_DIR / filename).read_text()) or {}


def _render(values: dict[str, Any], release: str = RELEASE) -> list[dict[str, Any]]:
    rendered = _chart().render(values, name=release, namespace=NAMESPACE, is_install=True)
    docs: list[dict[str, Any]] = []
    for path, text in sorted(rendered.items()):
        if not path.endswith((".yaml", ".yml")):
            continue  # NOTES.txt
        docs.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return docs


@functools.cache
def _rendered_ci(filename: str) -> tuple[dict[str, Any], ...]:
    return tuple(_render(_ci_values(filename)))


def _merged(filename: str) -> dict[str, Any]:
    return _chart().merge_values(_ci_values(filename))


def _effective(merged: dict[str, Any], name: str) -> dict[str, Any]:
    """`default` deep-merged with `services.<name>`, as the chart documents it."""

    def deep_merge(dst: dict[str, Any], src: dict[str, Any]) -> dict[str, Any]:
        out = dict(dst)
        for key, value in src.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = deep_merge(out[key], value)
            else:
                out[key] = value
        return out

    return deep_merge(merged["default"], merged["services"][name] or {})


def _callers(merged: dict[str, Any], name: str) -> list[str]:
    """Enabled services that list ``name`` in their ``upstreams``, sorted."""
    return sorted(
        other
        for other in merged["services"]
        if _effective(merged, other)["enabled"]
        and name in (_effective(merged, other).get("upstreams") or [])
    )


def _by_kind(docs: tuple[dict[str, Any], ...], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def _labels_of(doc: dict[str, Any]) -> dict[str, str]:
    return doc["metadata"].get("labels", {})


def _find(
    docs: tuple[dict[str, Any], ...], kind: str, service: str, component: str | None = None
) -> list[dict[str, Any]]:
    found = []
    for doc in docs:
        labels = _labels_of(doc)
        if doc["kind"] != kind or labels.get("app.kubernetes.io/name") != service:
            continue
        if component is None or labels.get("app.kubernetes.io/component") == component:
            found.append(doc)
    return found


def _one(
    docs: tuple[dict[str, Any], ...], kind: str, service: str, component: str | None = None
) -> dict[str, Any]:
    found = _find(docs, kind, service, component)
    assert len(found) == 1, f"expected one {kind} for {service}/{component}, got {len(found)}"
    return found[0]


def _pod_specs(docs: tuple[dict[str, Any], ...]) -> Iterator[tuple[dict[str, Any], dict]]:
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job"):
            yield doc, doc["spec"]["template"]


def _config_map(docs: tuple[dict[str, Any], ...], service: str) -> dict[str, str]:
    return _one(docs, "ConfigMap", service)["data"]


def _lint_errors(report: dict[str, Any]) -> list[str]:
    """Warnings and errors (severity >= 2) plus hard errors of a lint report."""
    problems = [f"{m['path']}: {m['error']}" for m in report["messages"] if m["severity"] >= 2]
    return problems + list(report["errors"])


# --------------------------------------------------------------------------- lint + schema


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_chart_lints_clean(values_file: str) -> None:
    report = lint(
        CHART_DIR,
        values=_ci_values(values_file),
        strict=True,
        namespace=NAMESPACE,
        kube_version=f"v{KUBE_VERSION}",
    )
    assert report["total_charts_linted"] == 1
    assert _lint_errors(report) == []


def test_foundation_chart_metadata() -> None:
    meta = _chart().metadata
    assert meta["apiVersion"] == "v2"
    assert meta["name"] == "crm"
    assert meta["version"] == "0.1.0"
    assert meta["appVersion"] == "0.1.0"
    assert _chart().schema is not None
    assert _chart().schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert {"default-values.yaml", "production-values.yaml"} <= set(CI_FILES)


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_manifests_validate_against_kubernetes_schemas(values_file: str) -> None:
    docs = _rendered_ci(values_file)
    assert docs
    seen: set[tuple[str, str]] = set()
    for doc in docs:
        name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, desired_version=KUBE_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            pytest.fail(f"{values_file}: {name} invalid at {path}: {exc.message}")
        key = (doc["kind"], doc["metadata"]["name"])
        assert key not in seen, f"{values_file}: duplicate {name}"
        seen.add(key)
        assert doc["metadata"]["namespace"] == NAMESPACE


@pytest.mark.parametrize(
    "bad_values",
    [
        {"services": {"leads": {"serve": {"replicas": "two"}}}},
        {"default": {"relay": {"replicas": -1}}},
        {"services": {"leads": {"replicaz": 2}}},
        {"services": {"leads": {"type": "rest"}}},
        {"services": {"Leads_Service": {"type": "grpc"}}},
        {"default": {"serve": {"pdb": {"maxUnavailable": "lots"}}}},
        {"networkPolicy": {"enabled": "yes"}},
        {"services": {"messaging": {"workers": {"dispatch": {"args": "work"}}}}},
        {"services": {"messaging": {"workers": {"dispatch": {"args": []}}}}},
        {"services": {"messaging": {"workers": {"dispatch": {"command": ["x"]}}}}},
        {"services": {"leads": {"workers": {"serve": {"args": ["serve"]}}}}},
        {"services": {"leads": {"workers": {"Bad_Name": {"args": ["work"]}}}}},
        {"default": {"workers": {"extra": {"args": ["work"], "replicas": -1}}}},
    ],
    ids=[
        "replicas-string",
        "replicas-negative",
        "unknown-key",
        "unknown-type",
        "bad-service-name",
        "bad-pdb",
        "np-enabled-string",
        "worker-args-string",
        "worker-args-empty",
        "worker-unknown-key",
        "worker-reserved-name",
        "worker-bad-name",
        "worker-replicas-negative",
    ],
)
def test_foundation_schema_rejects_bad_values(bad_values: dict[str, Any]) -> None:
    report = lint(
        CHART_DIR,
        values=bad_values,
        strict=True,
        namespace=NAMESPACE,
        kube_version=f"v{KUBE_VERSION}",
    )
    errors = [m for m in report["messages"] if m["severity"] == 3]
    assert errors, f"lint accepted {bad_values}"
    assert any("schema" in m["error"] or "want" in m["error"] for m in errors)
    with pytest.raises(HelmError):
        _chart().validate_schema(bad_values)
    with pytest.raises(HelmError):
        _render(bad_values)


def test_foundation_schema_accepts_every_ci_file() -> None:
    for values_file in CI_FILES:
        _chart().validate_schema(_ci_values(values_file))


def test_foundation_created_secret_requires_its_key() -> None:
    values = {"services": {"leads": {"secret": {"create": True, "stringData": {"X": "y"}}}}}
    with pytest.raises(HelmError, match="CRM_LEADS_DATABASE_URL"):
        _render(values)


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ("CRM_GATEWAY_API_KEYS", "CRM_GATEWAY_DATABASE_URL"),
        ("CRM_GATEWAY_DATABASE_URL", "CRM_GATEWAY_API_KEYS"),
    ],
)
def test_foundation_created_gateway_secret_requires_database_and_api_keys(
    present: str, missing: str
) -> None:
    """The gateway has its own database now: its Secret needs the URL and the API keys."""
    secret = {"create": True, "stringData": {present: "x"}}
    with pytest.raises(HelmError, match=missing):
        _render({"services": {"gateway": {"secret": secret}}})
    both = {"CRM_GATEWAY_API_KEYS": "{}", "CRM_GATEWAY_DATABASE_URL": "postgresql://g@pg/g"}
    docs = tuple(_render({"services": {"gateway": {"secret": {**secret, "stringData": both}}}}))
    assert set(_by_kind(docs, "Secret")["crm-gateway-secret"]["stringData"]) == set(both)


# --------------------------------------------------------------------------- workloads


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_grpc_services_have_processes_and_migration_hook(values_file: str) -> None:
    docs = _rendered_ci(values_file)
    merged = _merged(values_file)
    deployments = _by_kind(docs, "Deployment")
    jobs = _by_kind(docs, "Job")
    for service in GRPC_SERVICES:
        cfg = _effective(merged, service)
        assert cfg["type"] == "grpc"
        if not cfg["enabled"]:
            assert not [d for d in docs if _labels_of(d).get("app.kubernetes.io/name") == service]
            continue
        for process in PROCESSES:
            name = f"crm-{service}-{process}"
            if not cfg[process]["enabled"]:
                assert name not in deployments
                continue
            dep = deployments[name]
            container = dep["spec"]["template"]["spec"]["containers"][0]
            # the image entrypoint runs `crm-<service>`; the chart passes the process
            assert container["image"].rsplit("/", 1)[-1].startswith(f"crm-{service}:")
            assert "command" not in container
            assert container["args"] == [process]
            assert dep["spec"]["strategy"]["type"] == "RollingUpdate"
        job = jobs[f"crm-{service}-migrate"]
        annotations = job["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert annotations["helm.sh/hook-delete-policy"] == "before-hook-creation,hook-succeeded"
        assert int(annotations["helm.sh/hook-weight"]) > -10  # after chart-created Secrets
        pod = job["spec"]["template"]["spec"]
        assert pod["restartPolicy"] == "Never"
        container = pod["containers"][0]
        assert "command" not in container
        assert container["args"] == ["migrate"]


def test_foundation_default_install_runs_every_process() -> None:
    docs = _rendered_ci("default-values.yaml")
    deployments = set(_by_kind(docs, "Deployment"))
    expected = {f"crm-{s}-{p}" for s in GRPC_SERVICES for p in PROCESSES} | {"crm-gateway-serve"}
    expected |= {"crm-messaging-dispatch", "crm-gateway-webhooks"}
    # A2: the gateway's outbox relay (tenant.created); the per-tenant schedulers
    expected |= {"crm-gateway-relay", "crm-contacts-schedule", "crm-billing-schedule"}
    expected |= {"crm-reporting-schedule"}  # R7 e-mailed scheduled reports
    assert deployments == expected
    jobs = {f"crm-{s}-migrate" for s in (*GRPC_SERVICES, "gateway")}
    assert set(_by_kind(docs, "Job")) == jobs
    assert set(_by_kind(docs, "Service")) == {f"crm-{s}" for s in (*GRPC_SERVICES, "gateway")}
    assert set(_by_kind(docs, "Ingress")) == set()


def test_foundation_minimal_values_toggle_processes_off() -> None:
    docs = _rendered_ci("minimal-values.yaml")
    deployments = set(_by_kind(docs, "Deployment"))
    assert "crm-contacts-consume" not in deployments
    assert "crm-contacts-serve" in deployments
    assert not any(name.startswith("crm-reporting") for name in deployments)
    assert "crm-gateway-migrate" in _by_kind(docs, "Job")
    assert _by_kind(docs, "NetworkPolicy") == {}
    # minimal-values.yaml turns the messaging dispatcher off; the gateway's webhooks stay on
    assert "crm-messaging-dispatch" not in deployments
    assert not _find(docs, "Deployment", "messaging", "dispatch")
    assert "crm-gateway-webhooks" in deployments


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_workers_run_as_extra_deployments(values_file: str) -> None:
    """`workers.<name>` renders `crm-<svc>-<name>` running `crm-<svc> <args>`: messaging's
    dispatcher (`work`) and the gateway's outbound webhooks (`webhooks`)."""
    docs = _rendered_ci(values_file)
    merged = _merged(values_file)
    deployments = _by_kind(docs, "Deployment")
    services = _by_kind(docs, "Service")
    for service, workers in WORKERS.items():
        cfg = _effective(merged, service)
        assert set(cfg["workers"]) == set(workers)
        for worker, args in workers.items():
            name = f"crm-{service}-{worker}"
            wcfg = cfg["workers"][worker]
            assert wcfg["args"] == args
            if not (cfg["enabled"] and wcfg["enabled"]):
                assert name not in deployments
                continue
            serve = deployments[f"crm-{service}-serve"]["spec"]["template"]["spec"]
            dep = deployments[name]
            assert _labels_of(dep)["app.kubernetes.io/component"] == worker
            assert dep["spec"]["selector"]["matchLabels"] == {
                "app.kubernetes.io/name": service,
                "app.kubernetes.io/instance": RELEASE,
                "app.kubernetes.io/component": worker,
            }
            assert dep["spec"]["replicas"] == wcfg["replicas"]
            pod = dep["spec"]["template"]["spec"]
            assert pod["terminationGracePeriodSeconds"] == wcfg["terminationGracePeriodSeconds"]
            container = pod["containers"][0]
            assert container["name"] == worker
            assert container["args"] == args
            assert "command" not in container
            assert container["resources"] == wcfg["resources"]
            assert not {"ports", "livenessProbe", "readinessProbe", "startupProbe"} & set(container)
            # the same image, env, Secret, account and hardening as the service's serve pods
            serve_container = serve["containers"][0]
            for key in ("image", "envFrom", "securityContext", "volumeMounts"):
                assert container[key] == serve_container[key], (name, key)
            for key in ("serviceAccountName", "securityContext", "volumes"):
                assert pod[key] == serve[key], (name, key)
            # no Service, HPA or PDB selects the worker
            for svc in services.values():
                assert svc["spec"]["selector"].get("app.kubernetes.io/component") != worker
            assert name not in _by_kind(docs, "HorizontalPodAutoscaler")
            assert name not in _by_kind(docs, "PodDisruptionBudget")


def test_foundation_disabled_worker_renders_nothing() -> None:
    values = {
        "services": {
            "messaging": {"workers": {"dispatch": {"enabled": False}}},
            "gateway": {"workers": {"webhooks": {"enabled": False}}},
        }
    }
    docs = tuple(_render(values))
    deployments = set(_by_kind(docs, "Deployment"))
    assert not {"crm-messaging-dispatch", "crm-gateway-webhooks"} & deployments
    assert not _find(docs, "Deployment", "messaging", "dispatch")
    assert not _find(docs, "Deployment", "gateway", "webhooks")
    assert {"crm-messaging-serve", "crm-messaging-relay", "crm-gateway-serve"} <= deployments
    notes = _chart().render(values, name=RELEASE, namespace=NAMESPACE)["crm/templates/NOTES.txt"]
    assert "dispatch" not in notes and "webhooks" not in notes
    # a disabled service renders none of its workers either
    docs = tuple(_render({"services": {"messaging": {"enabled": False}}}))
    assert not _find(docs, "Deployment", "messaging")


def test_foundation_worker_defaults_come_from_relay() -> None:
    """A worker entry with only `args` takes replicas, grace period, strategy and resources
    from the service's `relay` block; one without `args` is refused."""
    values = {
        "services": {
            "leads": {
                "relay": {"replicas": 3, "terminationGracePeriodSeconds": 45},
                "workers": {"sweep": {"args": ["sweep", "--once"]}},
            }
        }
    }
    docs = tuple(_render(values))
    dep = _by_kind(docs, "Deployment")["crm-leads-sweep"]
    relay = _by_kind(docs, "Deployment")["crm-leads-relay"]
    assert dep["spec"]["replicas"] == 3
    assert dep["spec"]["strategy"] == relay["spec"]["strategy"]
    pod = dep["spec"]["template"]["spec"]
    assert pod["terminationGracePeriodSeconds"] == 45
    assert pod["containers"][0]["args"] == ["sweep", "--once"]
    assert (
        pod["containers"][0]["resources"]
        == relay["spec"]["template"]["spec"]["containers"][0]["resources"]
    )
    with pytest.raises(HelmError, match=r"services\.leads\.workers\.sweep\.args"):
        _render({"services": {"leads": {"workers": {"sweep": {"replicas": 1}}}}})


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_gateway_migrations_hook_reads_gateway_secret(values_file: str) -> None:
    """The gateway has its own database: `crm-gateway migrate` runs as a hook with its Secret."""
    docs = _rendered_ci(values_file)
    cfg = _effective(_merged(values_file), "gateway")
    assert cfg["migrations"]["enabled"] is True
    job = _by_kind(docs, "Job")["crm-gateway-migrate"]
    annotations = job["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert int(annotations["helm.sh/hook-weight"]) > -10  # after chart-created Secrets
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["migrate"]
    assert container["image"].rsplit("/", 1)[-1].startswith("crm-gateway:")
    secret_name = cfg["secret"]["existingSecret"] or "crm-gateway-secret"
    assert container["envFrom"] == [{"secretRef": {"name": secret_name}}]
    if cfg["secret"]["create"]:
        secret = _by_kind(docs, "Secret")[secret_name]
        assert "CRM_GATEWAY_DATABASE_URL" in secret["stringData"]


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_serve_probes(values_file: str) -> None:
    docs = _rendered_ci(values_file)
    for dep in _by_kind(docs, "Deployment").values():
        labels = _labels_of(dep)
        service = labels["app.kubernetes.io/name"]
        pod = dep["spec"]["template"]["spec"]
        container = pod["containers"][0]
        if labels["app.kubernetes.io/component"] != "serve":
            # relay / consume: no port, no probes, but a graceful shutdown window
            assert "ports" not in container
            assert not {"livenessProbe", "readinessProbe", "startupProbe"} & set(container)
            assert pod["terminationGracePeriodSeconds"] >= 10
            continue
        if service == "gateway":
            assert container["ports"] == [
                {"name": "http", "containerPort": GATEWAY_PORT, "protocol": "TCP"}
            ]
            assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
            assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        else:
            assert container["ports"] == [
                {"name": "grpc", "containerPort": GRPC_PORT, "protocol": "TCP"}
            ]
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                assert container[probe]["grpc"] == {"port": GRPC_PORT}, (service, probe)


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_hpa_and_pdb_follow_toggles(values_file: str) -> None:
    docs = _rendered_ci(values_file)
    merged = _merged(values_file)
    hpas = _by_kind(docs, "HorizontalPodAutoscaler")
    pdbs = _by_kind(docs, "PodDisruptionBudget")
    deployments = _by_kind(docs, "Deployment")
    expected_hpa, expected_pdb = set(), set()
    for service in merged["services"]:
        cfg = _effective(merged, service)
        if not cfg["enabled"]:
            continue
        for process in ("serve", "consume"):
            if cfg[process]["enabled"] and cfg[process]["autoscaling"]["enabled"]:
                expected_hpa.add(f"crm-{service}-{process}")
        if cfg["serve"]["enabled"] and cfg["serve"]["pdb"]["enabled"]:
            expected_pdb.add(f"crm-{service}-serve")
    assert set(hpas) == expected_hpa
    assert set(pdbs) == expected_pdb
    for name, hpa in hpas.items():
        assert hpa["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": name,
        }
        assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
        assert "replicas" not in deployments[name]["spec"]  # the HPA owns the count
    for name, pdb in pdbs.items():
        selector = deployments[name]["spec"]["selector"]["matchLabels"]
        assert pdb["spec"]["selector"]["matchLabels"] == selector


def test_foundation_hpa_pdb_expected_per_ci_file() -> None:
    serve = {f"crm-{s}-serve" for s in (*GRPC_SERVICES, "gateway")}
    consume = {f"crm-{s}-consume" for s in GRPC_SERVICES}
    default = _rendered_ci("default-values.yaml")
    assert _by_kind(default, "HorizontalPodAutoscaler") == {}
    assert set(_by_kind(default, "PodDisruptionBudget")) == serve
    production = _rendered_ci("production-values.yaml")
    assert set(_by_kind(production, "HorizontalPodAutoscaler")) == serve | consume
    assert set(_by_kind(production, "PodDisruptionBudget")) == serve
    minimal = _rendered_ci("minimal-values.yaml")
    assert _by_kind(minimal, "HorizontalPodAutoscaler") == {}
    assert set(_by_kind(minimal, "PodDisruptionBudget")) == {"crm-leads-serve"}


def test_foundation_production_values_shape() -> None:
    docs = _rendered_ci("production-values.yaml")
    deployments = _by_kind(docs, "Deployment")
    relay = deployments["crm-leads-relay"]
    assert relay["spec"]["replicas"] == 2
    image = relay["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "ghcr.io/acme/crm-leads:0.1.0"
    assert relay["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": "ghcr-pull"}]
    spread = deployments["crm-leads-serve"]["spec"]["template"]["spec"]
    assert (
        spread["topologySpreadConstraints"][0]["labelSelector"]["matchLabels"]
        == (deployments["crm-leads-serve"]["spec"]["selector"]["matchLabels"])
    )
    ingress = _by_kind(docs, "Ingress")["crm-gateway"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "crm-gateway", "port": {"name": "http"}}
    assert ingress["spec"]["ingressClassName"] == "nginx"
    reporting = deployments["crm-reporting-serve"]["spec"]["template"]["spec"]
    assert reporting["containers"][0]["resources"]["limits"]["memory"] == "2Gi"


# --------------------------------------------------------------------------- configuration


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_configmap_env_keys(values_file: str) -> None:
    docs = _rendered_ci(values_file)
    merged = _merged(values_file)
    for service in GRPC_SERVICES:
        cfg = _effective(merged, service)
        if not cfg["enabled"]:
            continue
        prefix = f"CRM_{service.upper()}"
        data = _config_map(docs, service)
        expected = {
            f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": cfg["kafka"]["bootstrapServers"],
            f"{prefix}_GRPC_PORT": str(GRPC_PORT),
            f"{prefix}_LOG_LEVEL": cfg["logLevel"],
            f"{prefix}_OUTBOX_RETENTION_HOURS": str(cfg["outboxRetentionHours"]),
        }
        if cfg["otlp"]["endpoint"]:
            expected[f"{prefix}_OTLP_ENDPOINT"] = cfg["otlp"]["endpoint"]
        for upstream in cfg.get("upstreams") or []:
            expected[f"{prefix}_{upstream.upper()}_ADDR"] = f"crm-{upstream}:{GRPC_PORT}"
        expected.update({k: str(v) for k, v in (cfg.get("extraConfig") or {}).items()})
        assert data == expected
        assert f"{prefix}_DATABASE_URL" not in data  # secret, never in a ConfigMap
    gateway = _config_map(docs, "gateway")
    assert gateway["CRM_GATEWAY_PORT"] == str(GATEWAY_PORT)
    assert "CRM_GATEWAY_LOG_LEVEL" in gateway
    # the webhooks worker consumes domain events
    kafka = _effective(merged, "gateway")["kafka"]["bootstrapServers"]
    assert gateway["CRM_GATEWAY_KAFKA_BOOTSTRAP_SERVERS"] == kafka
    for secret_key in ("API_KEYS", "DATABASE_URL", "JWT_KEYS"):
        assert f"CRM_GATEWAY_{secret_key}" not in gateway


def test_foundation_configmap_otlp_only_when_set() -> None:
    default = _config_map(_rendered_ci("default-values.yaml"), "leads")
    assert "CRM_LEADS_OTLP_ENDPOINT" not in default
    production = _config_map(_rendered_ci("production-values.yaml"), "leads")
    assert production["CRM_LEADS_OTLP_ENDPOINT"] == (
        "http://otel-collector.observability.svc.cluster.local:4317"
    )
    assert production["CRM_LEADS_KAFKA_BOOTSTRAP_SERVERS"].count(":9092") == 3
    gateway = _config_map(_rendered_ci("production-values.yaml"), "gateway")
    assert gateway["CRM_GATEWAY_OTLP_ENDPOINT"].endswith(":4317")


@pytest.mark.parametrize("release", [RELEASE, "acme"])
def test_foundation_gateway_addresses_point_at_rendered_services(release: str) -> None:
    docs = tuple(_render(_ci_values("default-values.yaml"), release=release))
    services = _by_kind(docs, "Service")
    gateway = _config_map(docs, "gateway")
    for service in GRPC_SERVICES:
        svc = _one(docs, "Service", service)
        host, _, port = gateway[f"CRM_GATEWAY_{service.upper()}_ADDR"].partition(":")
        assert host in services
        assert host == svc["metadata"]["name"]
        assert host == (f"crm-{service}" if release == "crm" else f"{release}-crm-{service}")
        assert int(port) == GRPC_PORT == svc["spec"]["ports"][0]["port"]
        assert svc["spec"]["ports"][0]["targetPort"] == "grpc"
        assert svc["spec"]["selector"]["app.kubernetes.io/component"] == "serve"


def test_foundation_gateway_upstream_override() -> None:
    values = {"services": {"gateway": {"upstreamOverrides": {"leads": "leads.other:6000"}}}}
    gateway = _config_map(tuple(_render(values)), "gateway")
    assert gateway["CRM_GATEWAY_LEADS_ADDR"] == "leads.other:6000"
    assert gateway["CRM_GATEWAY_BILLING_ADDR"] == "crm-billing:50051"


# Service-to-service calls besides the gateway's: caller -> the services it calls.
SERVICE_UPSTREAMS = {"messaging": ("contacts", "billing"), "reporting": ("messaging",)}


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


@pytest.mark.parametrize("release", [RELEASE, "acme", "crm-staging"])
def test_m2_service_upstream_addresses_and_policies_follow_the_release_name(release: str) -> None:
    """Messaging's contacts/billing addresses and reporting's messaging address name the
    release's Services (no `crm` assumed), and each callee's NetworkPolicy admits every pod
    of its caller (serve, consumers, workers) under that release."""
    docs = tuple(_render(_ci_values("default-values.yaml"), release=release))
    services = _by_kind(docs, "Service")
    policies = _by_kind(docs, "NetworkPolicy")
    prefix = "crm" if release == RELEASE else f"{release}-crm"
    if release == "crm-staging":
        prefix = release  # the release name already contains the chart name
    for caller, upstreams in SERVICE_UPSTREAMS.items():
        config = _config_map(docs, caller)
        caller_pods = [
            d["spec"]["template"]["metadata"]["labels"] for d in _find(docs, "Deployment", caller)
        ]
        assert len(caller_pods) >= 3  # serve, relay, consume (+ workers)
        for upstream in upstreams:
            svc = _one(docs, "Service", upstream)
            host, _, port = config[f"CRM_{caller.upper()}_{upstream.upper()}_ADDR"].partition(":")
            assert host == svc["metadata"]["name"] == f"{prefix}-{upstream}"
            assert host in services
            assert int(port) == svc["spec"]["ports"][0]["port"] == GRPC_PORT
            policy = policies[f"{prefix}-{upstream}"]["spec"]
            [rule] = policy["ingress"]
            selectors = [peer["podSelector"]["matchLabels"] for peer in rule["from"]]
            assert {"app.kubernetes.io/name": caller, "app.kubernetes.io/instance": release} in (
                selectors
            )
            for labels in caller_pods:
                assert any(_selects(sel, labels) for sel in selectors), (caller, labels)
            upstream_pods = [
                d["spec"]["template"]["metadata"]["labels"]
                for d in _find(docs, "Deployment", upstream, "serve")
            ]
            assert all(_selects(policy["podSelector"]["matchLabels"], lb) for lb in upstream_pods)
            assert _selects(svc["spec"]["selector"], upstream_pods[0])


def test_m2_service_upstreams_override_and_unknown_upstream() -> None:
    values = {"services": {"messaging": {"upstreamOverrides": {"billing": "billing.other:6000"}}}}
    config = _config_map(tuple(_render(values)), "messaging")
    assert config["CRM_MESSAGING_BILLING_ADDR"] == "billing.other:6000"
    assert config["CRM_MESSAGING_CONTACTS_ADDR"] == "crm-contacts:50051"
    with pytest.raises(HelmError, match="not a service of this chart"):
        _render({"services": {"reporting": {"upstreams": ["nope"]}}})


def test_a3_gateway_trusted_proxies_from_values() -> None:
    """The chart sets the gateway's trusted proxies (the ingress controller's ranges)."""
    gateway = _config_map(_rendered_ci("default-values.yaml"), "gateway")
    assert gateway["CRM_GATEWAY_TRUSTED_PROXIES"] == "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
    narrowed = {"services": {"gateway": {"trustedProxies": ["10.42.0.0/16"]}}}
    assert _config_map(tuple(_render(narrowed)), "gateway")["CRM_GATEWAY_TRUSTED_PROXIES"] == (
        "10.42.0.0/16"
    )
    none = {"services": {"gateway": {"trustedProxies": []}}}
    assert "CRM_GATEWAY_TRUSTED_PROXIES" not in _config_map(tuple(_render(none)), "gateway")
    leads = _config_map(_rendered_ci("default-values.yaml"), "leads")
    assert not any(k.endswith("_TRUSTED_PROXIES") for k in leads)


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_env_wiring_and_secrets(values_file: str) -> None:
    docs = _rendered_ci(values_file)
    merged = _merged(values_file)
    secrets = _by_kind(docs, "Secret")
    for dep, template in _pod_specs(docs):
        service = _labels_of(dep)["app.kubernetes.io/name"]
        cfg = _effective(merged, service)
        secret_name = cfg["secret"]["existingSecret"] or f"crm-{service}-secret"
        container = template["spec"]["containers"][0]
        env_from = container["envFrom"]
        assert {"secretRef": {"name": secret_name}} in env_from
        config = _config_map(docs, service)
        if dep["kind"] == "Job":
            # hooks run before the ConfigMap exists: the same env is inlined
            inline = {e["name"]: e["value"] for e in container["env"] if "value" in e}
            assert {k: inline[k] for k in config} == config
            assert all("configMapRef" not in e for e in env_from)
        else:
            assert {"configMapRef": {"name": f"crm-{service}"}} in env_from
            checksum = template["metadata"]["annotations"]["checksum/config"]
            assert re.fullmatch(r"[0-9a-f]{64}", checksum)
        if cfg["secret"]["create"]:
            secret = secrets[secret_name]
            assert secret["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
            assert secret["metadata"]["annotations"]["helm.sh/hook-weight"] == "-10"
        else:
            assert secret_name not in secrets
    if values_file == "minimal-values.yaml":
        assert set(secrets) == {"crm-leads-secret", "crm-gateway-secret"}
    if values_file == "production-values.yaml":
        leads = _by_kind(docs, "Deployment")["crm-leads-serve"]
        env_from = leads["spec"]["template"]["spec"]["containers"][0]["envFrom"]
        assert {"secretRef": {"name": "crm-leads-db"}} in env_from


def test_foundation_config_checksum_changes_with_config() -> None:
    def checksum(values: dict[str, Any]) -> str:
        dep = _by_kind(tuple(_render(values)), "Deployment")["crm-leads-serve"]
        return dep["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    assert checksum({}) == checksum({})
    assert checksum({}) != checksum({"services": {"leads": {"logLevel": "DEBUG"}}})


# --------------------------------------------------------------------------- hardening


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_pods_are_hardened_and_labelled(values_file: str) -> None:
    docs = _rendered_ci(values_file)
    for doc in docs:
        labels = set(_labels_of(doc))
        if doc["kind"] in ("Deployment", "Job", "Service"):
            assert labels >= STANDARD_LABELS, doc["metadata"]["name"]
        else:  # shared by every process of a service: no component label
            assert STANDARD_LABELS - {"app.kubernetes.io/component"} <= labels, doc["kind"]
    for sa in _by_kind(docs, "ServiceAccount").values():
        assert sa["automountServiceAccountToken"] is False
    accounts = set(_by_kind(docs, "ServiceAccount"))
    for dep, template in _pod_specs(docs):
        name = dep["metadata"]["name"]
        assert set(template["metadata"]["labels"]) >= STANDARD_LABELS, name
        pod = template["spec"]
        assert pod["automountServiceAccountToken"] is False
        if dep["kind"] == "Deployment":
            assert pod["serviceAccountName"] in accounts
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        for container in pod["containers"]:
            sc = container["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True
            assert sc["allowPrivilegeEscalation"] is False
            assert sc["capabilities"]["drop"] == ["ALL"]
            assert sc["runAsNonRoot"] is True
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]


@pytest.mark.parametrize("values_file", CI_FILES)
def test_foundation_network_policies(values_file: str) -> None:
    docs = _rendered_ci(values_file)
    merged = _merged(values_file)
    policies = _by_kind(docs, "NetworkPolicy")
    if not merged["networkPolicy"]["enabled"]:
        assert policies == {}
        return
    for service in GRPC_SERVICES:
        if not _effective(merged, service)["enabled"]:
            continue
        policy = policies[f"crm-{service}"]["spec"]
        assert policy["podSelector"]["matchLabels"] == {
            "app.kubernetes.io/name": service,
            "app.kubernetes.io/instance": RELEASE,
        }
        assert policy["policyTypes"] == ["Ingress", "Egress"]
        # the gateway's serve pods, plus every pod of each allowed client service and of
        # each service listing this one in `upstreams` (M3/M2: messaging's dispatcher
        # resolves contacts segments and billing dialer lists; R7: reporting mails reports)
        clients = _effective(merged, service).get("networkPolicy", {}).get("allowedClients", [])
        clients = list(dict.fromkeys([*clients, *_callers(merged, service)]))
        assert policy["ingress"] == [
            {
                "from": [
                    {
                        "podSelector": {
                            "matchLabels": {
                                "app.kubernetes.io/name": "gateway",
                                "app.kubernetes.io/instance": RELEASE,
                                "app.kubernetes.io/component": "serve",
                            }
                        }
                    }
                ]
                + [
                    {
                        "podSelector": {
                            "matchLabels": {
                                "app.kubernetes.io/name": client,
                                "app.kubernetes.io/instance": RELEASE,
                            }
                        }
                    }
                    for client in clients
                    if client != "gateway"
                ],
                "ports": [{"port": GRPC_PORT, "protocol": "TCP"}],
            }
        ]
        egress_ports = {
            (p["port"], p["protocol"]) for rule in policy["egress"] for p in rule.get("ports", [])
        }
        assert {(53, "UDP"), (53, "TCP"), (5432, "TCP")} <= egress_ports
        kafka = merged["networkPolicy"]["kafka"]["ports"]
        assert {(p["port"], p["protocol"]) for p in kafka} <= egress_ports
    # the gateway's own pods carry the labels the rules select on
    gateway_serve = _by_kind(docs, "Deployment")["crm-gateway-serve"]
    gateway_labels = gateway_serve["spec"]["template"]["metadata"]["labels"]
    assert gateway_labels["app.kubernetes.io/component"] == "serve"
    assert gateway_labels["app.kubernetes.io/instance"] == RELEASE
    gateway_policy = policies["crm-gateway"]["spec"]
    assert gateway_policy["ingress"] == [{"ports": [{"port": GATEWAY_PORT, "protocol": "TCP"}]}]
    kafka = {(p["port"], p["protocol"]) for p in merged["networkPolicy"]["kafka"]["ports"]}

    def egress(policy: dict[str, Any]) -> set[tuple[int, str]]:
        return {(p["port"], p["protocol"]) for r in policy["egress"] for p in r.get("ports", [])}

    # the gateway's own database, Kafka for the webhooks worker, HTTPS to subscriber URLs
    assert {(5432, "TCP"), (443, "TCP")} | kafka <= egress(gateway_policy)
    if _effective(merged, "messaging")["enabled"]:
        # providers over HTTPS and email over SMTP (25, submission 587, implicit TLS 465)
        messaging = egress(policies["crm-messaging"]["spec"])
        assert {(443, "TCP"), (25, "TCP"), (587, "TCP"), (465, "TCP")} <= messaging
    assert (25, "TCP") not in egress(policies["crm-leads"]["spec"])


def test_foundation_command_override() -> None:
    values = {"services": {"leads": {"command": ["python", "-m", "crm_leads"]}}}
    docs = tuple(_render(values))
    container = _by_kind(docs, "Deployment")["crm-leads-relay"]["spec"]["template"]["spec"]
    assert container["containers"][0]["command"] == ["python", "-m", "crm_leads"]
    assert container["containers"][0]["args"] == ["relay"]


# --------------------------------------------------------------------------- image


def test_foundation_image_matches_chart() -> None:
    """The Dockerfile's contract with the chart: user, entrypoint, default process."""
    dockerfile = (REPO_ROOT / "deploy" / "docker" / "Dockerfile").read_text()
    entrypoint = (REPO_ROOT / "deploy" / "docker" / "entrypoint.sh").read_text()
    assert re.search(r"^ARG SERVICE$", dockerfile, re.MULTILINE)
    assert 'uv sync --frozen --no-dev --no-editable --package "crm-${SERVICE}"' in dockerfile
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\} AS runtime$", dockerfile, re.MULTILINE)
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    assert "USER 10001:10001" in dockerfile
    assert 'ENTRYPOINT ["tini", "--", "crm-entrypoint"]' in dockerfile
    assert 'CMD ["serve"]' in dockerfile
    assert 'exec "crm-${CRM_SERVICE}" "$@"' in entrypoint
    defaults = _chart().values["default"]
    assert defaults["podSecurityContext"]["runAsUser"] == 10001
    assert defaults["podSecurityContext"]["runAsGroup"] == 10001


# --------------------------------------------------------------------------- documentation


def _leaf_paths(node: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from _leaf_paths(value, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix


def test_foundation_every_value_is_documented() -> None:
    """Bitnami convention: every value in values.yaml has a `## @param` line."""
    text = (CHART_DIR / "values.yaml").read_text()
    documented = set(re.findall(r"^\s*## @param (\S+) ", text, re.MULTILINE))
    values = yaml.safe_load(text)
    leaves = set(_leaf_paths(values))
    undocumented = sorted(
        leaf
        for leaf in leaves
        if not any(leaf == p or leaf.startswith(p + ".") for p in documented)
    )
    assert undocumented == []
    known = {".".join(leaf.split(".")[:i]) for leaf in leaves for i in range(1, 99)}
    assert sorted(documented - known) == []


def test_a2_schedulers_and_gateway_relay_render() -> None:
    """A2/C8/B4: `crm-contacts schedule` and `crm-billing schedule` run as worker Deployments
    (one replica by default; two render as asked, which the claim in scheduled_runs makes safe,
    see libs/crm_common/tests/integration/test_scheduler.py), and the gateway runs
    `crm-gateway relay` so sign-up's tenant.created leaves its outbox."""
    docs = _rendered_ci("default-values.yaml")
    deployments = _by_kind(docs, "Deployment")
    for service in ("contacts", "billing", "reporting"):
        dep = deployments[f"crm-{service}-schedule"]
        assert dep["spec"]["replicas"] == 1
        assert dep["spec"]["template"]["spec"]["containers"][0]["args"] == ["schedule"]
    relay = deployments["crm-gateway-relay"]
    container = relay["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["relay"]
    assert (
        container["envFrom"]
        == (
            deployments["crm-gateway-serve"]["spec"]["template"]["spec"]["containers"][0]["envFrom"]
        )
    )
    # services without jobs get no scheduler
    assert not {f"crm-{s}-schedule" for s in ("leads", "messaging")} & set(deployments)
    two = _by_kind(
        tuple(_render({"services": {"contacts": {"workers": {"schedule": {"replicas": 2}}}}})),
        "Deployment",
    )
    assert two["crm-contacts-schedule"]["spec"]["replicas"] == 2
    off = _by_kind(
        tuple(_render({"services": {"billing": {"workers": {"schedule": {"enabled": False}}}}})),
        "Deployment",
    )
    assert "crm-billing-schedule" not in off and "crm-billing-serve" in off
