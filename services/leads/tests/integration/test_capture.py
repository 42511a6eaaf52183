"""L1 capture on a real PostgreSQL: sources, UTM, web forms, signed webhooks, CSV/XLSX import."""

from __future__ import annotations

import io
import json
import time
import uuid

import grpc
import openpyxl
import pytest

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.grpc.errors import from_rpc_error
from crm_leads.leads.capture import sign

from .conftest import NIL


async def _fails(coro, code: grpc.StatusCode):
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await coro
    err = from_rpc_error(exc.value)
    assert err.code == code, err
    return err


class TestSources:
    async def test_l1_tenant_source_list_starts_with_defaults_and_grows(self, server):
        t = server.tenant()
        got = await t.ListLeadSources(pb.ListLeadSourcesRequest())
        codes = [s.code for s in got.sources]
        assert {
            "ads",
            "radio",
            "tv",
            "web",
            "exhibition",
            "press",
            "telemarketing",
            "email",
        } <= set(codes)
        assert dict((s.code, s.label) for s in got.sources)["referral"] == "חבר מביא חבר"
        err = await _fails(t.lead(source="facebook"), grpc.StatusCode.INVALID_ARGUMENT)
        assert [v.field for v in err.violations] == ["source"]
        await t.AddLeadSource(pb.AddLeadSourceRequest(code="Facebook", label="פייסבוק"))
        lead = (await t.lead(source="facebook")).lead
        assert lead.source == "facebook"
        await _fails(
            t.AddLeadSource(pb.AddLeadSourceRequest(code="facebook", label="x")),
            grpc.StatusCode.ALREADY_EXISTS,
        )
        # Another tenant's list is its own.
        await _fails(server.tenant().lead(source="facebook"), grpc.StatusCode.INVALID_ARGUMENT)

    async def test_l1_campaign_utm_and_channel_are_kept_and_published(self, server):
        t = server.tenant()
        lead = (
            await t.lead(
                name="רונית",
                phone="052-5551234",
                source="ads",
                campaign="חגים 2027",
                utm=pb.Utm(
                    source="google", medium="cpc", campaign="chagim", term="crm", content="a"
                ),
                product_interest="מערכת CRM",
                city="חיפה",
                channel=pb.CAPTURE_CHANNEL_MANUAL,
            )
        ).lead
        assert (lead.utm.source, lead.utm.medium, lead.utm.campaign) == ("google", "cpc", "chagim")
        assert lead.channel == pb.CAPTURE_CHANNEL_MANUAL
        assert lead.city == "חיפה"
        [row] = await server.events(t.id, "lead.captured")
        captured = ev.LeadCaptured.FromString(row.payload)
        assert captured.campaign == "חגים 2027"
        assert captured.utm_medium == "cpc"
        assert captured.channel == "manual"
        assert captured.phone == "+972525551234"


class TestWebForm:
    async def test_l1_form_key_resolves_to_its_tenant_only_for_the_public_caller(self, server):
        t = server.tenant()
        form = (
            await t.CreateWebForm(
                pb.CreateWebFormRequest(name="טופס אתר", source="web", campaign="landing")
            )
        ).form
        assert form.form_key.startswith("wf_") and len(form.form_key) > 20
        public = server.tenant()
        public.id = NIL
        got = await public.ResolveWebForm(pb.ResolveWebFormRequest(form_key=form.form_key))
        assert got.tenant_id == str(t.id)
        assert got.form.campaign == "landing"
        await _fails(
            public.ResolveWebForm(pb.ResolveWebFormRequest(form_key="wf_nope")),
            grpc.StatusCode.NOT_FOUND,
        )
        # A normal tenant cannot use the resolver (nor see other tenants' keys).
        await _fails(
            server.tenant().ResolveWebForm(pb.ResolveWebFormRequest(form_key=form.form_key)),
            grpc.StatusCode.PERMISSION_DENIED,
        )

    async def test_l1_form_with_unknown_source_is_refused(self, server):
        err = await _fails(
            server.tenant().CreateWebForm(pb.CreateWebFormRequest(name="", source="tiktok")),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert {v.field for v in err.violations} == {"name", "source"}


class TestWebhook:
    async def _hook(self, server):
        t = server.tenant()
        hook = (
            await t.CreateWebhookEndpoint(
                pb.CreateWebhookEndpointRequest(name="Facebook Lead Ads", source="ads")
            )
        ).endpoint
        public = server.tenant()
        public.id = NIL
        return t, hook, public

    async def test_l1_signed_webhook_captures_into_the_endpoint_tenant(self, server):
        t, hook, public = await self._hook(server)
        body = json.dumps(
            {"name": "אבי כהן", "phone": "052-9876543", "utm": {"source": "facebook"}},
            ensure_ascii=False,
        ).encode()
        ts = str(int(time.time()))
        got = await public.CaptureWebhookLead(
            pb.CaptureWebhookLeadRequest(
                endpoint_key=hook.endpoint_key,
                timestamp=ts,
                signature=sign(hook.secret, ts, body),
                body=body,
            )
        )
        assert got.lead.channel == pb.CAPTURE_CHANNEL_WEBHOOK
        assert got.lead.source == "ads"
        assert got.lead.phone == "+972529876543"
        assert got.lead.utm.source == "facebook"
        fetched = await t.GetLead(pb.GetLeadRequest(lead_id=got.lead.id))
        assert fetched.lead.name == "אבי כהן"
        assert len(await server.events(t.id, "lead.captured")) == 1

    async def test_l1_replayed_webhook_is_refused_and_writes_nothing(self, server):
        t, hook, public = await self._hook(server)
        body = json.dumps({"name": "replay", "email": "replay@x.co.il"}).encode()
        ts = str(int(time.time()))
        request = pb.CaptureWebhookLeadRequest(
            endpoint_key=hook.endpoint_key,
            timestamp=ts,
            signature=sign(hook.secret, ts, body),
            body=body,
        )
        await public.CaptureWebhookLead(request)
        err = await _fails(public.CaptureWebhookLead(request), grpc.StatusCode.PERMISSION_DENIED)
        assert err.reason == "WEBHOOK_REPLAY"
        assert len(await server.events(t.id, "lead.captured")) == 1
        # A new delivery (new timestamp, so a new signature) of the same lead is accepted.
        ts2 = str(int(ts) + 1)
        await public.CaptureWebhookLead(
            pb.CaptureWebhookLeadRequest(
                endpoint_key=hook.endpoint_key,
                timestamp=ts2,
                signature=sign(hook.secret, ts2, body),
                body=body,
            )
        )
        assert len(await server.events(t.id, "lead.captured")) == 2

    async def test_l1_webhook_json_with_a_nul_character_is_invalid_argument(self, server):
        """JSON may spell a NUL character as an escape: refused by field, not an internal error."""
        t, hook, public = await self._hook(server)
        body = b'{"name": "x", "email": "x@y.co", "source": "ads\\u0000", "city": "a\\u0000"}'
        ts = str(int(time.time()))
        err = await _fails(
            public.CaptureWebhookLead(
                pb.CaptureWebhookLeadRequest(
                    endpoint_key=hook.endpoint_key,
                    timestamp=ts,
                    signature=sign(hook.secret, ts, body),
                    body=body,
                )
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert [v.field for v in err.violations] == ["city", "source"]
        assert await server.events(t.id) == []

    async def test_l1_bad_signature_or_stale_timestamp_is_refused_and_writes_nothing(self, server):
        t, hook, public = await self._hook(server)
        body = b'{"name": "x", "email": "x@y.co"}'
        now = int(time.time())
        for ts, sig in (
            (str(now), "00" * 32),
            (str(now - 3600), sign(hook.secret, str(now - 3600), body)),
            ("yesterday", sign(hook.secret, "yesterday", body)),
            (str(now), sign("another-secret", str(now), body)),
        ):
            await _fails(
                public.CaptureWebhookLead(
                    pb.CaptureWebhookLeadRequest(
                        endpoint_key=hook.endpoint_key, timestamp=ts, signature=sig, body=body
                    )
                ),
                grpc.StatusCode.PERMISSION_DENIED,
            )
        assert await server.events(t.id) == []
        listed = await t.ListLeads(pb.ListLeadsRequest())
        assert list(listed.leads) == []


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in rows).encode()


class TestImport:
    async def test_l1_csv_import_preview_mapping_progress_and_row_errors(self, server):
        t = server.tenant()
        content = _csv(
            [
                ["שם מלא", "טלפון", 'דוא"ל', "עיר", "הערות"],
                ["משה לוי", "050-3333333", "", "תל אביב", ""],
                ["", "050-2222222", "", "", "no name"],
                ["שרה", "12", "", "", "bad phone"],
                ["דוד", "", "david@x.co.il", "ירושלים", ""],
                ["רחל", "03-5555555", "", "", ""],
            ]
        )
        imp = (
            await t.CreateLeadImport(
                pb.CreateLeadImportRequest(
                    filename="leads.csv", content=content, default_source="exhibition"
                )
            )
        ).lead_import
        assert imp.total_rows == 5 and imp.status == "uploaded" and imp.progress_percent == 0
        assert dict(imp.mapping) == {
            "שם מלא": "name",
            "טלפון": "phone",
            'דוא"ל': "email",
            "עיר": "city",
        }
        assert imp.preview[0].values["שם מלא"] == "משה לוי"
        assert {(e.row, e.field) for e in imp.errors} == {(2, "name"), (3, "phone")}
        assert await server.events(t.id) == []  # a preview writes no lead

        step = (
            await t.RunLeadImport(pb.RunLeadImportRequest(import_id=imp.id, max_rows=2))
        ).lead_import
        assert (step.processed_rows, step.progress_percent, step.status) == (2, 40, "running")
        done = (
            await t.RunLeadImport(pb.RunLeadImportRequest(import_id=imp.id, max_rows=100))
        ).lead_import
        assert (done.status, done.imported_rows, done.failed_rows) == ("done", 3, 2)
        assert {(e.row, e.field) for e in done.errors} == {(2, "name"), (3, "phone")}
        again = (await t.GetLeadImport(pb.GetLeadImportRequest(import_id=imp.id))).lead_import
        assert again.progress_percent == 100
        leads = (await t.ListLeads(pb.ListLeadsRequest(order_by="name"))).leads
        assert [x.name for x in leads] == ["דוד", "משה לוי", "רחל"]
        assert {x.channel for x in leads} == {pb.CAPTURE_CHANNEL_IMPORT}
        assert {x.source for x in leads} == {"exhibition"}
        await _fails(
            t.RunLeadImport(pb.RunLeadImportRequest(import_id=imp.id)),
            grpc.StatusCode.FAILED_PRECONDITION,
        )

    async def test_l1_xlsx_import_with_explicit_mapping(self, server):
        t = server.tenant()
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Customer", "Mobile", "Where"])
        ws.append(["יעל", 544567890, "אילת"])  # Excel dropped the leading 0
        ws.append(["נועם", "052-7654321", "נתניה"])
        buf = io.BytesIO()
        wb.save(buf)
        imp = (
            await t.CreateLeadImport(
                pb.CreateLeadImportRequest(filename="leads.xlsx", content=buf.getvalue())
            )
        ).lead_import
        assert imp.columns == ["Customer", "Mobile", "Where"]
        assert dict(imp.mapping) == {"Mobile": "phone"}
        err = await _fails(
            t.RunLeadImport(pb.RunLeadImportRequest(import_id=imp.id)),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert any("name" in v.description for v in err.violations)
        err = await _fails(
            t.RunLeadImport(
                pb.RunLeadImportRequest(import_id=imp.id, mapping={"Customer": "nickname"})
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert "mapping.Customer" in {v.field for v in err.violations}
        done = (
            await t.RunLeadImport(
                pb.RunLeadImportRequest(
                    import_id=imp.id,
                    mapping={"Customer": "name", "Mobile": "phone", "Where": "city"},
                )
            )
        ).lead_import
        assert (done.imported_rows, done.failed_rows) == (2, 0)
        leads = (await t.ListLeads(pb.ListLeadsRequest(order_by="name"))).leads
        assert [(x.name, x.phone, x.city) for x in leads] == [
            ("יעל", "+972544567890", "אילת"),
            ("נועם", "+972527654321", "נתניה"),
        ]

    async def test_l1_unreadable_files_are_refused(self, server):
        t = server.tenant()
        for name, content in (("a.pdf", b"%PDF"), ("a.csv", b""), ("a.xlsx", b"PK\x03\x04junk")):
            await _fails(
                t.CreateLeadImport(pb.CreateLeadImportRequest(filename=name, content=content)),
                grpc.StatusCode.INVALID_ARGUMENT,
            )
        await _fails(
            t.GetLeadImport(pb.GetLeadImportRequest(import_id=str(uuid.uuid4()))),
            grpc.StatusCode.NOT_FOUND,
        )
