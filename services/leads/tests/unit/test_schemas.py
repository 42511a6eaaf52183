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
