"""L1: lead capture input is validated and normalised before anything is stored."""

import pytest

from crm_common.errors import InvalidArgument
from crm_leads.leads.schemas import LeadCreate


def test_l1_lead_is_normalised():
    lead = LeadCreate.parse(
        name="  יוסי  ", phone="052-555-1234", email="Y@X.CO.IL", source="REFERRAL"
    )
    assert lead.name == "יוסי"
    assert lead.phone == "+972525551234"
    assert lead.email == "y@x.co.il"
    assert lead.source == "referral"


def test_l1_unknown_source_lists_the_allowed_ones():
    with pytest.raises(InvalidArgument) as exc:
        LeadCreate.parse(name="a", email="a@b.co", source="tiktok")
    [violation] = exc.value.violations
    assert violation.field == "source"
    assert "referral" in violation.description


def test_l4_refuse_nul_names_every_text_field_at_any_depth():
    """PostgreSQL refuses \\x00 in text: the shared gRPC edge (crm_common.grpc.nul) answers
    INVALID_ARGUMENT instead, for leads' requests as for every service's."""
    from google.protobuf import struct_pb2

    from crm.leads.v1 import leads_service_pb2 as pb
    from crm_common.grpc.nul import refuse_nul

    request = pb.CreatePipelineRequest(
        name="מכירות\x00",
        product_type="ok",
        stages=[pb.StageDraft(name="ok"), pb.StageDraft(name="x\x00y")],
    )
    with pytest.raises(InvalidArgument) as exc:
        refuse_nul(request)
    assert [v.field for v in exc.value.violations] == ["name", "stages[1].name"]
    assert all("NUL" in v.description for v in exc.value.violations)
    refuse_nul(pb.CreatePipelineRequest(name="מכירות", stages=[pb.StageDraft(name="ok")]))
    nested = struct_pb2.Struct()
    nested.update({"ok": "fine", "bad\x00key": "v", "inner": {"deep": "a\x00"}})
    with pytest.raises(InvalidArgument) as exc:
        refuse_nul(nested)
    assert sorted(v.field for v in exc.value.violations) == [
        "fields['bad\\x00key']",
        "fields['inner'].struct_value.fields['deep'].string_value",
    ]


def test_l1_a_lead_text_with_nul_is_refused_by_field():
    with pytest.raises(InvalidArgument) as exc:
        LeadCreate.parse(name="דנה", email="d@x.co.il", source="web", city="חיפה\x00")
    [violation] = exc.value.violations
    assert violation.field == "city"
    assert "NUL" in violation.description
