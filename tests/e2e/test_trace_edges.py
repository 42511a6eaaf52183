"""Foundation: one trace spans gateway -> leads -> relay -> reporting consumer."""

from __future__ import annotations

import json
import secrets

import httpx

from .conftest import eventually, source_count


def _spans(stack, trace_id: str) -> list[dict]:
    spans = []
    for path in (stack.var / "traces").glob("*.jsonl"):
        with path.open() as fh:
            for line in fh:
                if trace_id in line:
                    span = json.loads(line)
                    if span["trace_id"] == trace_id:
                        spans.append(span)
    return spans


def test_foundation_one_trace_id_spans_gateway_leads_relay_and_reporting(api: httpx.Client, stack):
    trace_id = secrets.token_hex(16)
    parent = secrets.token_hex(8)
    resp = api.post(
        "/v1/leads",
        json={"name": "trace", "email": "trace@x.co", "source": "tv"},
        headers={"traceparent": f"00-{trace_id}-{parent}-01"},
    )
    assert resp.status_code == 201
    eventually(lambda: source_count(api, "tv") == 1)

    def complete() -> list[dict] | None:
        spans = _spans(stack, trace_id)
        services = {s["service"] for s in spans}
        wanted = {"crm-gateway", "crm-leads", "crm-leads-relay", "crm-reporting-consumer"}
        return spans if wanted <= services else None

    spans = eventually(complete, timeout=30)
    by_id = {s["span_id"]: s for s in spans}

    def parent_of(span: dict) -> dict | None:
        return by_id.get(span["parent_id"])

    # Edges: consumer <- publish (relay) <- something in the leads server <- gateway.
    process = next(
        s
        for s in spans
        if s["name"] == "crm.leads.lead process" and s["service"] == "crm-reporting-consumer"
    )
    publish = parent_of(process)
    assert publish is not None and publish["service"] == "crm-leads-relay"
    assert publish["name"] == "crm.leads.lead publish" and publish["kind"] == "PRODUCER"
    origin = parent_of(publish)
    assert origin is not None and origin["service"] == "crm-leads"
    server = next(s for s in spans if s["service"] == "crm-leads" and s["kind"] == "SERVER")
    assert server["name"] == "/crm.leads.v1.LeadsService/CreateLead"
    client = parent_of(server)
    assert client is not None and client["service"] == "crm-gateway"
    assert client["kind"] == "CLIENT"
    # SQL ran inside the leads server span's trace too.
    assert any(
        s["service"] == "crm-leads" and s["kind"] == "CLIENT" and s is not client for s in spans
    )
    # The gateway's root server span continues the caller's trace.
    assert any(s["service"] == "crm-gateway" and s["parent_id"] == parent for s in spans)
