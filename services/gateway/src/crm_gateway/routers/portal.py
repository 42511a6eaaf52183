"""Customer portal (A4): staff invite a customer; the customer signs in and, under
``/portal/v1``, opens service requests (tickets) with files, follows them, and sees their
own invoices and open balance, and nothing else.

A ticket is a contacts task of type ``service_request`` on the customer's card (so it is on
the card, on the timeline and in the assignee's task list, and the tenant's task rules
apply), plus a timeline note with the customer's text. Every portal call is scoped by the
gateway to the party in the token: another party's ticket or invoice is a 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import grpc
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from crm.billing.v1 import billing_service_pb2 as bpb
from crm.contacts.v1 import card_service_pb2 as cpb
from crm.contacts.v1 import tasks_service_pb2 as tpb
from crm.contacts.v1 import tasks_service_pb2_grpc as tpb_grpc
from crm.messaging.v1 import messaging_service_pb2 as mpb
from crm.messaging.v1 import messaging_service_pb2_grpc as mpb_grpc
from crm_gateway.access.routes import requires
from crm_gateway.backends import Backends, Call, CallOptions, Services
from crm_gateway.identity.deps import Authorised, Email, GatewayDb
from crm_gateway.identity.secrets import Keyring
from crm_gateway.portal import store
from crm_gateway.portal.auth import Customer, PortalCall
from crm_gateway.problems import ProblemException
from crm_gateway.routers import billing as billing_router
from crm_gateway.routers.cards import card_stub

router = APIRouter()

TICKET_TYPE = "service_request"
TICKET_TYPE_NAME = "פנייה מהפורטל"
TICKET_SLA_MINUTES = 24 * 60
INVOICE_TYPES = frozenset({"tax_invoice", "invoice_receipt", "receipt", "credit_note"})
# Never shown to a customer, at any depth of a billing answer.
_INTERNAL = frozenset({"cost_price", "cost_price_agorot", "owner_user_id", "created_by"})
PUBLIC = {"security": []}
PORTAL_SECURITY = {"security": [{"portal": []}]}
CHUNK = 1 << 20


def tasks_stub(services: Backends) -> tpb_grpc.TasksServiceStub:
    return services.stub("contacts", tpb_grpc.TasksServiceStub)


def messaging_stub(services: Backends) -> mpb_grpc.MessagingServiceStub:
    return services.stub("messaging", mpb_grpc.MessagingServiceStub)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------ staff: invitations


class InviteIn(_In):
    party_id: uuid.UUID = Field(description="the customer (contact or account) on the card")
    email: Email = Field(max_length=320, description="where the invitation link is sent")
    name: str = Field(min_length=1, max_length=200)
    assignee_user_id: uuid.UUID | None = Field(
        default=None,
        description="staff user who gets the customer's service requests; default: the inviter",
    )


class PortalUserOut(BaseModel):
    id: uuid.UUID
    party_id: uuid.UUID
    email: str
    name: str
    status: str = Field(description="invited, active or disabled")
    assignee_user_id: uuid.UUID
    invite_expires_at: dt.datetime | None
    accepted_at: dt.datetime | None
    created_at: dt.datetime
    invitation_message_id: str | None = None


class PortalUsersOut(BaseModel):
    items: list[PortalUserOut]


def _user_out(row, message_id: str | None = None) -> PortalUserOut:
    return PortalUserOut(
        id=row.id,
        party_id=row.party_id,
        email=row.email,
        name=row.name,
        status=store.status_of(row),
        assignee_user_id=row.assignee_user_id,
        invite_expires_at=row.invite_expires_at,
        accepted_at=row.accepted_at,
        created_at=row.created_at,
        invitation_message_id=message_id,
    )


async def ensure_ticket_type(services: Backends, call: CallOptions) -> None:
    try:
        await tasks_stub(services).CreateTaskType(
            tpb.CreateTaskTypeRequest(
                key=TICKET_TYPE, name=TICKET_TYPE_NAME, sla_minutes=TICKET_SLA_MINUTES
            ),
            metadata=call.metadata,
            timeout=call.timeout,
        )
    except grpc.aio.AioRpcError as err:
        if err.code() not in (grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.INVALID_ARGUMENT):
            raise


@router.post(
    "/v1/portal-users",
    status_code=201,
    response_model=PortalUserOut,
    tags=["portal"],
    summary="Invite a customer to the portal: a one-time link by email (transactional)",
    openapi_extra=requires("contacts:update"),
)
async def invite(
    body: InviteIn,
    request: Request,
    who: Authorised,
    call: Call,
    services: Services,
    db: GatewayDb,
) -> PortalUserOut:
    # The party is taken as given: every service call of the portal runs in the
    # inviter's tenant, so another tenant's id opens nothing (an unknown one: an empty
    # portal). Contacts has no "does this party exist" RPC for people and accounts alike.
    settings = request.app.state.settings
    invitation = await store.invite(
        db,
        who.tenant_id,
        party_id=body.party_id,
        email=body.email,
        name=body.name,
        invited_by=who.user_id,
        assignee_user_id=body.assignee_user_id or who.user_id,
        ttl_s=settings.portal_invite_ttl_s,
    )
    await ensure_ticket_type(services, call)
    link = f"{settings.portal_url.rstrip('/')}/accept?token={invitation.token}"
    sent = await messaging_stub(services).SendMessage(
        mpb.SendMessageRequest(
            idempotency_key=f"portal-invite:{invitation.row.id}:{invitation.token[-12:]}",
            channel=mpb.CHANNEL_EMAIL,
            purpose=mpb.PURPOSE_TRANSACTIONAL,
            party_id=str(body.party_id),
            to_address=body.email,
            subject="הזמנה לפורטל הלקוחות",
            text=(
                f"שלום {body.name},\n\n"
                "הוזמנת לפורטל הלקוחות: פתיחת פניות שירות, מעקב אחריהן, חשבוניות ויתרה.\n"
                f"לבחירת סיסמה: {link}\n\n"
                "הקישור חד-פעמי."
            ),
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _user_out(invitation.row, sent.message.id or None)


@router.get(
    "/v1/portal-users",
    response_model=PortalUsersOut,
    tags=["portal"],
    summary="Portal accounts of the tenant, or of one customer (?party_id=)",
    openapi_extra=requires("contacts:read"),
)
async def list_portal_users(
    who: Authorised, db: GatewayDb, party_id: uuid.UUID | None = None
) -> PortalUsersOut:
    rows = await store.list_users(db, who.tenant_id, party_id)
    return PortalUsersOut(items=[_user_out(r) for r in rows])


async def _set_active(portal_user_id: uuid.UUID, active: bool, who, db) -> PortalUserOut:
    row = await store.set_active(db, who.tenant_id, portal_user_id, active)
    if row is None:
        raise ProblemException(404, f"portal user {portal_user_id} not found")
    return _user_out(row)


@router.post(
    "/v1/portal-users/{portal_user_id}:deactivate",
    response_model=PortalUserOut,
    tags=["portal"],
    summary="Disable a customer's portal account: its tokens are refused at once, so is login",
    openapi_extra=requires("contacts:update"),
)
async def deactivate_portal_user(
    portal_user_id: uuid.UUID, who: Authorised, db: GatewayDb
) -> PortalUserOut:
    return await _set_active(portal_user_id, False, who, db)


@router.post(
    "/v1/portal-users/{portal_user_id}:reactivate",
    response_model=PortalUserOut,
    tags=["portal"],
    summary="Enable a disabled portal account again (the customer logs in again)",
    openapi_extra=requires("contacts:update"),
)
async def reactivate_portal_user(
    portal_user_id: uuid.UUID, who: Authorised, db: GatewayDb
) -> PortalUserOut:
    return await _set_active(portal_user_id, True, who, db)


# ------------------------------------------------------------------ customer: sign-in


class AcceptIn(_In):
    token: str = Field(min_length=10, max_length=300, description="from the invitation link")
    password: str = Field(min_length=12, max_length=200)


class PortalLoginIn(_In):
    tenant: str = Field(min_length=1, max_length=63, description="the business's slug")
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=200)


class PortalToken(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="seconds the token is valid; then log in again")


def _token(request: Request, row) -> PortalToken:
    keyring: Keyring = request.app.state.keyring
    token, ttl = keyring.issue_portal(row.tenant_id, row.party_id, row.id, row.token_version)
    return PortalToken(access_token=token, expires_in=ttl)


@router.post(
    "/portal/v1/auth/accept",
    response_model=PortalToken,
    tags=["portal"],
    summary="Accept an invitation: set the password (once) and get a portal token",
    openapi_extra=PUBLIC,
)
async def accept(body: AcceptIn, request: Request, db: GatewayDb) -> PortalToken:
    row = await store.accept(db, body.token, body.password)
    return _token(request, row)


@router.post(
    "/portal/v1/auth/login",
    response_model=PortalToken,
    tags=["portal"],
    summary="Customer login (lockout after repeated failures)",
    openapi_extra=PUBLIC,
)
async def portal_login(body: PortalLoginIn, request: Request, db: GatewayDb) -> PortalToken:
    settings = request.app.state.settings
    row = await store.login(
        db,
        tenant_slug=body.tenant,
        email=body.email.strip().lower(),
        password=body.password,
        max_failures=settings.login_max_failures,
        lockout_s=settings.login_lockout_s,
    )
    return _token(request, row)


# ------------------------------------------------------------------ customer: portal routes


class PortalMe(BaseModel):
    tenant_id: uuid.UUID
    party_id: uuid.UUID


@router.get(
    "/portal/v1/me",
    response_model=PortalMe,
    tags=["portal"],
    summary="Who am I: the customer of this portal token",
    openapi_extra=PORTAL_SECURITY,
)
async def portal_me(who: Customer) -> PortalMe:
    return PortalMe(tenant_id=who.tenant_id, party_id=who.party_id)


class TicketIn(_In):
    subject: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=10_000)


class HistoryItem(BaseModel):
    at: dt.datetime
    event: str = Field(description="opened, file_added, done or cancelled")
    detail: str = ""


class TicketFile(BaseModel):
    id: uuid.UUID
    filename: str
    size: int


class Ticket(BaseModel):
    id: str
    subject: str
    description: str
    status: str = Field(description="open, done or cancelled")
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    files: list[TicketFile]
    history: list[HistoryItem]


class Tickets(BaseModel):
    items: list[Ticket]
    next_page_token: str | None = None


def _when(ts) -> dt.datetime | None:
    return ts.ToDatetime(tzinfo=dt.UTC) if ts.seconds or ts.nanos else None


def _ticket(task: tpb.Task, files: list) -> Ticket:
    opened, closed = _when(task.created_at), _when(task.completed_at)
    history = [HistoryItem(at=opened, event="opened")] if opened else []
    history += [HistoryItem(at=f.created_at, event="file_added", detail=f.filename) for f in files]
    if closed and task.status in ("done", "cancelled"):
        history.append(HistoryItem(at=closed, event=task.status))
    history.sort(key=lambda h: h.at)
    return Ticket(
        id=task.id,
        subject=task.title,
        description=task.description,
        status=task.status,
        opened_at=opened,
        closed_at=closed,
        files=[TicketFile(id=f.attachment_id, filename=f.filename, size=f.size) for f in files],
        history=history,
    )


def _not_found(ticket_id: str) -> ProblemException:
    return ProblemException(404, f"ticket {ticket_id} not found")


async def _own_ticket(ticket_id: str, who, call: CallOptions, services: Backends) -> tpb.Task:
    try:
        uuid.UUID(ticket_id)
    except ValueError:
        raise _not_found(ticket_id) from None
    try:
        resp = await tasks_stub(services).GetTask(
            tpb.GetTaskRequest(task_id=ticket_id), metadata=call.metadata, timeout=call.timeout
        )
    except grpc.aio.AioRpcError as err:
        if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
            raise _not_found(ticket_id) from None
        raise
    task = resp.task
    if task.party_id != str(who.party_id) or task.task_type_key != TICKET_TYPE:
        raise _not_found(ticket_id)  # another customer's task, or not a ticket at all
    return task


@router.post(
    "/portal/v1/tickets",
    status_code=201,
    response_model=Ticket,
    tags=["portal"],
    summary="Open a service request: a task on the customer's card and a timeline note",
    openapi_extra=PORTAL_SECURITY,
)
async def open_ticket(
    body: TicketIn, who: Customer, call: PortalCall, services: Services, db: GatewayDb
) -> Ticket:
    assignee = await store.assignee_of(db, who.tenant_id, who.party_id)
    request = tpb.CreateTaskRequest(
        title=body.subject,
        description=body.description,
        task_type_key=TICKET_TYPE,
        party_id=str(who.party_id),
        assignee_user_id=str(assignee),
    )
    stub = tasks_stub(services)
    try:
        made = await stub.CreateTask(request, metadata=call.metadata, timeout=call.timeout)
    except grpc.aio.AioRpcError as err:
        if err.code() != grpc.StatusCode.INVALID_ARGUMENT or "task_type" not in str(err.details()):
            raise
        await ensure_ticket_type(services, call)  # a tenant whose type was removed
        made = await stub.CreateTask(request, metadata=call.metadata, timeout=call.timeout)
    text = f"פנייה מהפורטל: {body.subject}"
    if body.description:
        text += f"\n{body.description}"
    await card_stub(services).AddNote(
        cpb.AddNoteRequest(party_id=str(who.party_id), text=text),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _ticket(made.task, [])


@router.get(
    "/portal/v1/tickets",
    response_model=Tickets,
    tags=["portal"],
    summary="My service requests, newest first, with status and history",
    openapi_extra=PORTAL_SECURITY,
)
async def list_tickets(
    who: Customer,
    call: PortalCall,
    services: Services,
    db: GatewayDb,
    status: Annotated[str, Query(pattern="^(|open|done|cancelled)$")] = "",
    page_size: Annotated[int, Query(ge=1, le=100)] = 50,
    page_token: Annotated[str, Query(max_length=200)] = "",
) -> Tickets:
    resp = await tasks_stub(services).ListPartyTasks(
        tpb.ListPartyTasksRequest(
            party_id=str(who.party_id),
            task_type_key=TICKET_TYPE,
            status=status,
            page_size=page_size,
            page_token=page_token,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    files = await store.files_of(
        db, who.tenant_id, who.party_id, [uuid.UUID(t.id) for t in resp.tasks]
    )
    return Tickets(
        items=[_ticket(t, files.get(uuid.UUID(t.id), [])) for t in resp.tasks],
        next_page_token=resp.next_page_token or None,
    )


@router.get(
    "/portal/v1/tickets/{ticket_id}",
    response_model=Ticket,
    tags=["portal"],
    summary="One of my service requests with its history",
    openapi_extra=PORTAL_SECURITY,
)
async def get_ticket(
    ticket_id: str, who: Customer, call: PortalCall, services: Services, db: GatewayDb
) -> Ticket:
    task = await _own_ticket(ticket_id, who, call, services)
    files = await store.files_of(db, who.tenant_id, who.party_id, [uuid.UUID(task.id)])
    return _ticket(task, files.get(uuid.UUID(task.id), []))


@router.post(
    "/portal/v1/tickets/{ticket_id}/files",
    status_code=201,
    response_model=TicketFile,
    tags=["portal"],
    summary="Attach a file (the request body) to my service request; ?filename=",
    openapi_extra=PORTAL_SECURITY,
)
async def add_ticket_file(
    ticket_id: str,
    request: Request,
    who: Customer,
    call: PortalCall,
    services: Services,
    db: GatewayDb,
    filename: Annotated[str, Query(min_length=1, max_length=255)],
) -> TicketFile:
    task = await _own_ticket(ticket_id, who, call, services)
    stub = card_stub(services)
    begun = await stub.BeginAttachment(
        cpb.BeginAttachmentRequest(
            party_id=str(who.party_id),
            filename=filename,
            content_type=request.headers.get("content-type", "application/octet-stream"),
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    att_id = begun.attachment.id
    offset = 0
    async for chunk in _chunks(request.stream()):
        resp = await stub.AppendAttachment(
            cpb.AppendAttachmentRequest(attachment_id=att_id, offset=offset, data=chunk),
            metadata=call.metadata,
            timeout=call.timeout,
        )
        offset = resp.size
    done = await stub.FinishAttachment(
        cpb.FinishAttachmentRequest(attachment_id=att_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    await store.add_file(
        db,
        who.tenant_id,
        ticket_id=uuid.UUID(task.id),
        attachment_id=uuid.UUID(att_id),
        party_id=who.party_id,
        filename=done.attachment.filename,
        size=done.attachment.size,
    )
    return TicketFile(id=att_id, filename=done.attachment.filename, size=done.attachment.size)


async def _chunks(stream: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    buf = bytearray()
    async for part in stream:
        buf.extend(part)
        while len(buf) >= CHUNK:
            yield bytes(buf[:CHUNK])
            del buf[:CHUNK]
    if buf:
        yield bytes(buf)


def _customer_view(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _customer_view(v) for k, v in value.items() if k not in _INTERNAL}
    if isinstance(value, list):
        return [_customer_view(v) for v in value]
    return value


class Invoices(BaseModel):
    items: list[dict[str, Any]]


@router.get(
    "/portal/v1/invoices",
    response_model=Invoices,
    tags=["portal"],
    summary="My invoices, receipts and credit notes",
    openapi_extra=PORTAL_SECURITY,
)
async def my_invoices(who: Customer, call: PortalCall, services: Services) -> Invoices:
    resp = await billing_router.stub(services).ListDocuments(
        bpb.ListDocumentsRequest(party_id=str(who.party_id)),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    docs = [billing_router.out(d) for d in resp.documents]
    return Invoices(
        items=[
            _customer_view(d)
            for d in docs
            if d.get("type") in INVOICE_TYPES and d.get("party_id") == str(who.party_id)
        ]
    )


@router.get(
    "/portal/v1/invoices/{document_id}",
    response_model=dict[str, Any],
    tags=["portal"],
    summary="One of my invoices",
    openapi_extra=PORTAL_SECURITY,
)
async def my_invoice(
    document_id: str, who: Customer, call: PortalCall, services: Services
) -> dict[str, Any]:
    missing = ProblemException(404, f"invoice {document_id} not found")
    try:
        uuid.UUID(document_id)
        resp = await billing_router.stub(services).GetDocument(
            bpb.GetDocumentRequest(document_id=document_id),
            metadata=call.metadata,
            timeout=call.timeout,
        )
    except ValueError:
        raise missing from None
    except grpc.aio.AioRpcError as err:
        if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
            raise missing from None
        raise
    doc = billing_router.out(resp.document)
    if doc.get("party_id") != str(who.party_id) or doc.get("type") not in INVOICE_TYPES:
        raise missing
    return _customer_view(doc)


class Balance(BaseModel):
    balance_agorot: int = Field(description="what the customer owes (negative: in credit)")
    unallocated_credit_agorot: int
    open_items: list[dict[str, Any]]


@router.get(
    "/portal/v1/balance",
    response_model=Balance,
    tags=["portal"],
    summary="My open balance and open items",
    openapi_extra=PORTAL_SECURITY,
)
async def my_balance(who: Customer, call: PortalCall, services: Services) -> Balance:
    resp = await billing_router.stub(services).GetLedger(
        bpb.GetLedgerRequest(party_id=str(who.party_id)),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    data = billing_router.out(resp)
    return Balance(
        balance_agorot=data.get("balance_agorot", 0),
        unallocated_credit_agorot=data.get("unallocated_credit_agorot", 0),
        open_items=_customer_view(data.get("open_items", [])),
    )
