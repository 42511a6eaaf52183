"""Foundation: no event is lost or applied twice when the broker or a consumer dies."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from crm_common.faults import EXIT_CODE

from .conftest import eventually, source_count

# They stop the broker and kill consumers: run after every other e2e test (conftest).
pytestmark = pytest.mark.disruptive


def test_foundation_broker_outage_delays_events_but_loses_none(api: httpx.Client, stack):
    """The outbox holds the event while the broker is down; it arrives once it is back.

    The test leaves the stack as it found it: the restarted (memory-only) broker has the
    same topics again, and every consumer group reads every topic it subscribes to (a probe
    message per partition went through), so the tests that come after do not inherit a
    group that rebalanced without one of its topics (docs/embedded.md).
    """
    topics_before = stack.broker.topics()
    stack.broker.stop()
    try:
        resp = api.post(
            "/v1/leads", json={"name": "בזמן תקלה", "email": "down@x.co.il", "source": "exhibition"}
        )
        assert resp.status_code == 201, resp.text  # the write path does not need the broker
        time.sleep(2)
        assert source_count(api, "exhibition") == 0
    finally:
        stack.broker.start()
    # The embedded broker restarts empty (memory only) and recreates the topics it had
    # (crm_devstack.broker); the relay publishes the row it kept; consumers rejoin and read it.
    eventually(lambda: source_count(api, "exhibition") == 1, timeout=90)
    assert set(stack.broker.topics()) >= set(topics_before)  # recreated, not lost
    settled = stack.settle_consumers(timeout=60)
    assert set(settled.seconds) >= {"crm-leads", "crm-reporting", "crm-gateway-webhooks"}
    assert source_count(api, "exhibition") == 1


def test_foundation_consumer_killed_after_commit_applies_event_exactly_once(
    api: httpx.Client, stack
):
    """Crash after the handler's transaction, before the offset commit: redelivery is a no-op."""
    proc = stack.processes["reporting-consume"]
    restarts_before = proc.restarts
    log_offset = proc.log_path.stat().st_size
    stack.restart("reporting-consume", extra_env={"CRM_FAILPOINTS": "consumer.after_commit"})

    lead = api.post(
        "/v1/leads", json={"name": "קריסה", "email": "crash@x.co.il", "source": "press"}
    ).json()
    # The consumer applied the event, committed its transaction and died before the offset
    # commit; the supervisor started it again (without the failpoint).
    eventually(lambda: proc.restarts > restarts_before, timeout=60)
    assert proc.restarts == restarts_before + 1

    def redelivered_and_skipped() -> bool:
        with proc.log_path.open() as fh:
            fh.seek(log_offset)
            lines = [json.loads(x) for x in fh if x.startswith("{")]
        died = any(x.get("msg", "").startswith("failpoint consumer.after_commit") for x in lines)
        skipped = any(x.get("msg") == "duplicate event skipped" for x in lines)
        return died and skipped

    eventually(redelivered_and_skipped, timeout=60)
    assert source_count(api, "press") == 1
    assert EXIT_CODE == 86
    assert lead["source"] == "press"
