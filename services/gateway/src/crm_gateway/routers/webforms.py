"""Lead capture endpoints: web-to-lead forms and signed inbound webhooks.

* ``POST /v1/web-forms`` / ``POST /v1/lead-webhooks`` (authenticated) make a form key or
  a webhook endpoint (key + secret).
* ``POST /v1/public/forms/{form_key}`` takes a web form submission with no login:
  JSON or ``application/x-www-form-urlencoded``. The form key is resolved to its
  tenant by the leads service (``ResolveWebForm``, called with the nil tenant); a
  hidden ``website`` field is a honeypot (filled in -> accepted and dropped); each
  client IP may submit ``FORM_BURST`` times, refilled at ``FORM_RATE_PER_S``.
* ``POST /v1/hooks/leads/{endpoint_key}`` takes a JSON lead signed with
  ``X-CRM-Signature: hex(HMAC-SHA256(secret, "<X-CRM-Timestamp>.<body>"))``; the leads
  service checks the signature and a 5-minute timestamp window.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Header, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.grpc.client import call_metadata
from crm_gateway.backends import Call, Services
from crm_gateway.routers.leads import LeadCaptured, LeadIn, captured_out

router = APIRouter(tags=["lead capture"])

NIL_TENANT = uuid.UUID(int=0)
FORM_BURST = 5
FORM_RATE_PER_S = 1 / 12  # 5 per minute sustained, per form and client IP
HONEYPOT = "website"


class TokenBuckets:
    """In-process token buckets (per gateway process; enough against a single noisy client)."""

    def __init__(self, burst: int, rate_per_s: float, max_keys: int = 100_000) -> None:
        self.burst, self.rate, self.max_keys = burst, rate_per_s, max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._buckets) > self.max_keys:
                self._buckets.clear()
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True


form_limiter = TokenBuckets(FORM_BURST, FORM_RATE_PER_S)


class WebFormIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    source: str = Field(default="web", max_length=50)
    campaign: str = Field(default="", max_length=200)


class WebFormOut(BaseModel):
    id: str
    name: str
    form_key: str
    source: str
    campaign: str | None
    submit_url: str


def _form_out(f: pb.WebForm) -> WebFormOut:
    return WebFormOut(
        id=f.id,
        name=f.name,
        form_key=f.form_key,
        source=f.source,
        campaign=f.campaign or None,
        submit_url=f"/v1/public/forms/{f.form_key}",
    )


@router.post(
    "/v1/web-forms",
    openapi_extra={"x-permission": "leads:create"},
    status_code=201,
    response_model=WebFormOut,
    summary="Make a web form key",
)
async def create_web_form(body: WebFormIn, call: Call, services: Services) -> WebFormOut:
    resp = await services.leads.CreateWebForm(
        pb.CreateWebFormRequest(name=body.name, source=body.source, campaign=body.campaign),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _form_out(resp.form)


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    source: str = Field(default="web", max_length=50)


class WebhookOut(BaseModel):
    id: str
    name: str
    endpoint_key: str
    secret: str = Field(description="shown once: sign each request with it")
    source: str
    url: str


@router.post(
    "/v1/lead-webhooks",
    openapi_extra={"x-permission": "leads:create"},
    status_code=201,
    response_model=WebhookOut,
    summary="Make a signed inbound lead webhook",
)
async def create_webhook(body: WebhookIn, call: Call, services: Services) -> WebhookOut:
    resp = await services.leads.CreateWebhookEndpoint(
        pb.CreateWebhookEndpointRequest(name=body.name, source=body.source),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    e = resp.endpoint
    return WebhookOut(
        id=e.id,
        name=e.name,
        endpoint_key=e.endpoint_key,
        secret=e.secret,
        source=e.source,
        url=f"/v1/hooks/leads/{e.endpoint_key}",
    )


class PublicFormIn(BaseModel):
    """What a public web form may send; anything else is ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)
    company_name: str | None = Field(default=None, max_length=200)
    product_interest: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=20)
    message: str | None = Field(default=None, max_length=5000)
    utm_source: str | None = Field(default=None, max_length=200)
    utm_medium: str | None = Field(default=None, max_length=200)
    utm_campaign: str | None = Field(default=None, max_length=200)
    utm_term: str | None = Field(default=None, max_length=200)
    utm_content: str | None = Field(default=None, max_length=200)


class Received(BaseModel):
    status: str = "received"


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _form_fields(request: Request) -> dict:
    raw = await request.body()
    if len(raw) > 64 * 1024:
        raise HTTPException(413, "the submission is too large")
    ctype = request.headers.get("content-type", "")
    try:
        if ctype.startswith("application/json"):
            data = json.loads(raw or b"{}")
            if not isinstance(data, dict):
                raise ValueError
            return data
        return {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "the body must be a JSON object or a url-encoded form") from None


@router.post(
    "/v1/public/forms/{form_key}",
    status_code=202,
    response_model=Received,
    summary="Public web-to-lead form submission (no login)",
    responses={429: {"description": "too many submissions from this address"}},
)
async def submit_web_form(form_key: str, request: Request, services: Services) -> Received:
    if len(form_key) > 100:
        raise HTTPException(404, "unknown form")
    if not form_limiter.take(f"{form_key}|{_client_ip(request)}"):
        raise HTTPException(
            429, "too many submissions; try again in a minute", headers={"Retry-After": "60"}
        )
    fields = await _form_fields(request)
    if str(fields.get(HONEYPOT) or "").strip():
        return Received()  # a bot filled the hidden field: accept and drop
    try:
        form = PublicFormIn.model_validate(fields)
    except ValidationError as exc:
        from fastapi.exceptions import RequestValidationError

        raise RequestValidationError(exc.errors()) from None
    settings = request.app.state.settings
    resolved = await services.leads.ResolveWebForm(
        pb.ResolveWebFormRequest(form_key=form_key),
        metadata=call_metadata(
            tenant_id=NIL_TENANT, request_id=request.headers.get("x-request-id")
        ),
        timeout=settings.grpc_deadline_s,
    )
    f = resolved.form
    lead = LeadIn(
        name=form.name,
        phone=form.phone or None,
        email=form.email or None,
        company_name=form.company_name,
        source=f.source,
        campaign=f.campaign or None,
        product_interest=form.product_interest,
        city=form.city,
        language=form.language,
        utm={
            k.removeprefix("utm_"): v
            for k, v in form.model_dump().items()
            if k.startswith("utm_") and v
        }
        or None,
        note=(f"{f.name}: {form.message}" if form.message else f.name),
    )
    await services.leads.CreateLead(
        lead.to_pb(channel="web_form"),
        metadata=call_metadata(
            tenant_id=uuid.UUID(resolved.tenant_id), request_id=request.headers.get("x-request-id")
        ),
        timeout=settings.grpc_deadline_s,
    )
    return Received()


@router.post(
    "/v1/hooks/leads/{endpoint_key}",
    status_code=201,
    response_model=LeadCaptured,
    summary="Signed inbound lead webhook (no login; HMAC-SHA256 + timestamp)",
)
async def webhook_lead(
    endpoint_key: str,
    request: Request,
    services: Services,
    x_crm_timestamp: Annotated[str, Header(max_length=20)] = "",
    x_crm_signature: Annotated[str, Header(max_length=128)] = "",
) -> LeadCaptured:
    body = await request.body()
    if len(body) > 64 * 1024:
        raise HTTPException(413, "the body is too large")
    resp = await services.leads.CaptureWebhookLead(
        pb.CaptureWebhookLeadRequest(
            endpoint_key=endpoint_key[:100],
            timestamp=x_crm_timestamp,
            signature=x_crm_signature,
            body=body,
        ),
        metadata=call_metadata(
            tenant_id=NIL_TENANT, request_id=request.headers.get("x-request-id")
        ),
        timeout=request.app.state.settings.grpc_deadline_s,
    )
    return captured_out(resp.lead, resp.duplicates, None)
