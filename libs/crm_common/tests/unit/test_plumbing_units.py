"""Foundation: pure helpers of the shared library."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm_common.db import uuid7
from crm_common.errors import InvalidArgument
from crm_common.normalize import normalize_email, normalize_phone
from crm_common.outbox import event_type_of
from crm_common.pagination import MAX_PAGE_SIZE, PageRequest, next_token
from crm_common.settings import ServiceSettings, service_config


class _Settings(ServiceSettings):
    model_config = service_config("UNITTEST")


def test_foundation_event_type_from_message_name():
    assert event_type_of(ev.LeadCaptured()) == "lead.captured"
    assert event_type_of(ev.LeadConverted()) == "lead.converted"


def test_foundation_uuid7_is_time_ordered_version_7():
    ids = [uuid7() for _ in range(50)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)


def test_foundation_settings_fail_fast_without_database_url(monkeypatch):
    monkeypatch.delenv("CRM_UNITTEST_DATABASE_URL", raising=False)
    with pytest.raises(ValidationError) as exc:
        _Settings()
    assert "database_url" in str(exc.value)


def test_foundation_settings_read_prefixed_env(monkeypatch):
    monkeypatch.setenv("CRM_UNITTEST_DATABASE_URL", "postgresql://u:p@h:5432/d")
    monkeypatch.setenv("CRM_UNITTEST_GRPC_PORT", "6000")
    s = _Settings()
    assert s.grpc_port == 6000
    assert s.database_url.get_secret_value() == "postgresql+asyncpg://u:p@h:5432/d"
    assert "p@h" not in repr(s)


def test_foundation_settings_reject_non_postgres_url(monkeypatch):
    monkeypatch.setenv("CRM_UNITTEST_DATABASE_URL", "mysql://u:p@h/d")
    with pytest.raises(ValidationError):
        _Settings()


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("050-7654321", "+972507654321"),
        ("+972 50 765 4321", "+972507654321"),
        ("03-6123456", "+97236123456"),
    ],
)
def test_foundation_israeli_phones_normalise_to_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["123", "050-123-4567", "not a phone"])
def test_foundation_invalid_phones_are_refused(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw)


def test_foundation_email_is_lower_cased_and_validated():
    assert normalize_email("  Dana@Example.CO.IL ") == "dana@example.co.il"
    with pytest.raises(ValueError):
        normalize_email("dana@")


class TestPageRequest:
    def test_foundation_defaults_and_caps(self):
        assert PageRequest.parse(0, "").size == 50
        assert PageRequest.parse(10_000, "").size == MAX_PAGE_SIZE

    def test_foundation_token_round_trip(self):
        class Row:
            def __init__(self, id):
                self.id = id

        rows = [Row(uuid.uuid4()) for _ in range(3)]
        token = next_token(rows, 2)
        assert PageRequest.parse(2, token).before == rows[1].id
        assert next_token(rows[:2], 2) == ""

    def test_foundation_bad_token_is_invalid_argument(self):
        with pytest.raises(InvalidArgument):
            PageRequest.parse(10, "!!not-a-token!!")
