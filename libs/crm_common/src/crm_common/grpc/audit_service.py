"""``crm.audit.v1.AuditService``: every service's audit log, read only (A5).

:class:`~crm_common.app.ServiceApp` registers it beside the service's own
servicers (:func:`register_audit_service`). It runs behind the edge
interceptor like any RPC: the tenant comes from metadata and RLS limits the
rows to it. Who may call it is the gateway's decision (admins only); there is
no RPC that changes or removes a record.
"""

from __future__ import annotations

import datetime as dt
import json

import grpc
import sqlalchemy as sa

from crm.audit.v1 import audit_service_pb2 as pb
from crm.audit.v1 import audit_service_pb2_grpc as pb_grpc
from crm_common.context import current_tenant
from crm_common.db.session import current_session
from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.normalize import decode_page_token, encode_page_token
from crm_common.plumbing import audit_log_table

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["AuditService"].full_name
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def _ts(value: dt.datetime):
    from google.protobuf.timestamp_pb2 import Timestamp

    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


class AuditServicer(pb_grpc.AuditServiceServicer):
    async def ListAuditRecords(
        self, request: pb.ListAuditRecordsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListAuditRecordsResponse:
        bad = []
        if request.page_size < 0 or request.page_size > MAX_PAGE_SIZE:
            bad.append(FieldViolation("page_size", f"must be between 0 and {MAX_PAGE_SIZE}"))
        before = None
        if request.page_token:
            try:
                before = decode_page_token(request.page_token)
            except ValueError:
                bad.append(FieldViolation("page_token", "not a token of this list"))
        for name in ("entity", "entity_id", "actor_id"):
            if len(getattr(request, name)) > 100:
                bad.append(FieldViolation(name, "at most 100 characters"))
        if bad:
            raise InvalidArgument("invalid audit query", violations=bad)
        size = request.page_size or DEFAULT_PAGE_SIZE
        c = audit_log_table.c
        q = (
            sa.select(audit_log_table)
            .where(c.tenant_id == current_tenant())
            .order_by(c.id.desc())
            .limit(size + 1)
        )
        if request.entity:
            q = q.where(c.entity == request.entity)
        if request.entity_id:
            q = q.where(c.entity_id == request.entity_id)
        if request.actor_id:
            q = q.where(c.actor_id == request.actor_id)
        if request.HasField("from_time"):
            q = q.where(c.occurred_at >= request.from_time.ToDatetime(tzinfo=dt.UTC))
        if request.HasField("to_time"):
            q = q.where(c.occurred_at < request.to_time.ToDatetime(tzinfo=dt.UTC))
        if before is not None:
            q = q.where(c.id < before)
        rows = (await current_session().execute(q)).all()
        more = len(rows) > size
        rows = rows[:size]
        return pb.ListAuditRecordsResponse(
            records=[
                pb.AuditRecord(
                    id=str(r.id),
                    occurred_at=_ts(r.occurred_at),
                    actor_kind=r.actor_kind,
                    actor_id=r.actor_id or "",
                    origin=r.origin or "",
                    request_id=r.request_id or "",
                    trace_id=r.trace_id or "",
                    entity=r.entity,
                    entity_id=r.entity_id,
                    action=r.action,
                    changes_json=json.dumps(r.changes, ensure_ascii=False),
                )
                for r in rows
            ],
            next_page_token=encode_page_token(rows[-1].id) if more else "",
        )


def register_audit_service(server: grpc.aio.Server) -> None:
    pb_grpc.add_AuditServiceServicer_to_server(AuditServicer(), server)
