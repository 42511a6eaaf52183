"""A5 in billing: an issued document (ORM) and the business profile (Core upsert) leave audit
rows; billing documents have no owner column, so record scope does not filter them (A1)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from crm.billing.v1 import billing_service_pb2 as pb
from crm_billing.documents.models import Document
from crm_common.db import unit_of_work
from crm_common.plumbing import audit_log_table
from crm_common.scope import scoped_classes


async def _audit(sessionmaker, tenant: uuid.UUID, entity: str) -> list:
    async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
        stmt = (
            select(audit_log_table)
            .where(audit_log_table.c.entity == entity)
            .order_by(audit_log_table.c.id)
        )
        return list((await s.execute(stmt)).all())


async def test_a5_issued_document_and_business_profile_are_audited(server):
    t = server.tenant()
    await t.SetBusinessProfile(
        pb.SetBusinessProfileRequest(
            name='אופק בע"מ', tax_id="515555555", logo=b"\x89PNG" + b"0" * 60
        )
    )
    [profile] = await _audit(server.sessionmaker, t.id, "business_profiles")
    assert (profile.action, profile.entity_id) == ("upsert", str(t.id))
    assert profile.changes["name"] == [None, 'אופק בע"מ']
    assert profile.changes["logo"] == [None, "<64 bytes>"]

    product = await t.product("A5-1", 10_000)
    doc = await t.issue(
        pb.DOCUMENT_TYPE_QUOTE,
        lines=[pb.DocumentLineInput(product_id=product.product_id, quantity="2")],
    )
    [made] = [
        r
        for r in await _audit(server.sessionmaker, t.id, "documents")
        if r.entity_id == doc.document_id
    ]
    assert made.action == "create"
    assert made.changes["total_agorot"] == [None, doc.total_agorot]
    lines = await _audit(server.sessionmaker, t.id, "document_lines")
    assert len(lines) == 1


def test_a1_billing_documents_carry_no_owner_and_are_not_scoped():
    assert Document not in scoped_classes()
    assert not {"owner_id", "owner_user_id", "rep_id"} & set(Document.__table__.columns.keys())
