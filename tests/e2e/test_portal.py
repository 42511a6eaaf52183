"""A4 end to end: staff invite a customer by email -> the customer accepts the one-time link,
logs in, opens a service request with a file -> staff see it on the card's timeline and as a
task -> the customer lists it and their invoices and balance. Another customer (B) sees none
of A's tickets or invoices (404), and a portal token opens no staff route."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from .conftest import eventually

pytestmark = pytest.mark.e2e
PASSWORD = "a long passphrase for e2e"
CUSTOMER_PASSWORD = "customer passphrase 2027"


def ok(resp: httpx.Response, status: int = 200) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()


@pytest.fixture(scope="module")
def shop(stack):
    slug = f"portal-{uuid.uuid4().hex[:10]}"
    made = httpx.post(
        f"{stack.gateway_url}/v1/tenants",
        timeout=15,
        json={
            "slug": slug,
            "name": "מיזוג הצפון",
            "admin_email": f"admin@{slug}.co.il",
            "admin_name": "מנהלת",
            "password": PASSWORD,
        },
    )
    assert made.status_code == 201, made.text
    data = made.json()
    staff = httpx.Client(
        base_url=stack.gateway_url,
        timeout=15,
        headers={"Authorization": f"Bearer {data['tokens']['access_token']}"},
    )
    yield {"slug": slug, "staff": staff, "admin_id": data["user_id"], "url": stack.gateway_url}
    staff.close()


def _customer(shop, first_name: str, email: str) -> httpx.Client:
    """A card, an invitation by email, the link accepted: a logged-in portal client."""
    staff = shop["staff"]
    person = ok(
        staff.post("/v1/cards/people", json={"first_name": first_name, "emails": [email]}), 201
    )
    invited = ok(
        staff.post(
            "/v1/portal-users",
            json={"party_id": person["party_id"], "email": email, "name": first_name},
        ),
        201,
    )
    assert invited["status"] == "invited" and invited["invitation_message_id"]
    # The invitation went through messaging (transactional email) with the one-time link.
    message = ok(staff.get(f"/v1/messaging/messages/{invited['invitation_message_id']}"))
    assert message["to_address"] == email
    token = re.search(r"token=(crmp_[A-Za-z0-9_\-]+)", message["text"]).group(1)
    accepted = ok(
        httpx.post(
            f"{shop['url']}/portal/v1/auth/accept",
            json={"token": token, "password": CUSTOMER_PASSWORD},
            timeout=15,
        )
    )
    assert accepted["access_token"]
    login = ok(
        httpx.post(
            f"{shop['url']}/portal/v1/auth/login",
            json={"tenant": shop["slug"], "email": email, "password": CUSTOMER_PASSWORD},
            timeout=15,
        )
    )
    client = httpx.Client(
        base_url=shop["url"],
        timeout=15,
        headers={"Authorization": f"Bearer {login['access_token']}"},
    )
    client.party_id = person["party_id"]
    return client


def _invoice(shop, party_id: str, name: str) -> dict:
    staff = shop["staff"]
    assert (
        staff.put(
            "/v1/billing/business-profile", json={"name": 'מיזוג הצפון בע"מ', "tax_id": "514713288"}
        ).status_code
        == 204
    )
    product = ok(
        staff.post(
            "/v1/billing/products",
            json={
                "sku": f"SRV-{uuid.uuid4().hex[:6]}",
                "name_he": "ביקור טכנאי",
                "unit": "יח'",
                "price_agorot": 35_000,
            },
        ),
        201,
    )
    return ok(
        staff.post(
            "/v1/billing/documents",
            json={
                "type": "tax_invoice",
                "party_id": party_id,
                "customer_name": name,
                "lines": [{"product_id": product["product_id"], "quantity": "1"}],
            },
        ),
        201,
    )


def test_a4_invite_accept_login_ticket_seen_by_staff_and_invoices_for_the_customer(shop):
    staff = shop["staff"]
    dana = _customer(shop, "דנה", f"dana-{uuid.uuid4().hex[:6]}@example.co.il")
    party = dana.party_id
    assert ok(dana.get("/portal/v1/me"))["party_id"] == party

    ticket = ok(
        dana.post(
            "/portal/v1/tickets",
            json={"subject": "המזגן מטפטף", "description": "בחדר השינה, מאתמול"},
        ),
        201,
    )
    assert ticket["status"] == "open" and ticket["history"][0]["event"] == "opened"

    # Staff: the ticket is a service_request task on the card, assigned to the inviter...
    task = ok(staff.get(f"/v1/tasks/{ticket['id']}"))
    task = task.get("task", task)
    assert task["task_type_key"] == "service_request" and task["party_id"] == party
    assert task["assignee_user_id"] == shop["admin_id"] and task["title"] == "המזגן מטפטף"
    # ... and on the card's timeline (the task and the customer's note).
    timeline = ok(staff.get(f"/v1/parties/{party}/timeline"))["items"]
    kinds = {e["kind"] for e in timeline}
    assert "task" in kinds
    assert any("המזגן מטפטף" in (e.get("body") or "") + e["title"] for e in timeline)

    # The customer lists the ticket with status and history.
    listed = ok(dana.get("/portal/v1/tickets"))["items"]
    assert [t["id"] for t in listed] == [ticket["id"]]
    assert [h["event"] for h in listed[0]["history"]] == ["opened"]
    # Staff close it; the customer sees it done.
    ok(staff.post(f"/v1/tasks/{ticket['id']}:complete", json={}))
    done = ok(dana.get(f"/portal/v1/tickets/{ticket['id']}"))
    assert done["status"] == "done" and done["history"][-1]["event"] == "done"

    # Invoices and open balance: only the customer's own, never cost prices.
    invoice = _invoice(shop, party, "דנה")
    mine = ok(dana.get("/portal/v1/invoices"))["items"]
    assert [d["document_id"] for d in mine] == [invoice["document_id"]]
    assert "cost_price" not in str(mine)
    assert ok(dana.get(f"/portal/v1/invoices/{invoice['document_id']}"))["total_agorot"] > 0
    balance = ok(dana.get("/portal/v1/balance"))
    assert balance["balance_agorot"] == invoice["open_agorot"] > 0

    # Customer B: sees nothing of A's, and A's ids are 404 for B.
    yossi = _customer(shop, "יוסי", f"yossi-{uuid.uuid4().hex[:6]}@example.co.il")
    assert ok(yossi.get("/portal/v1/tickets"))["items"] == []
    assert ok(yossi.get("/portal/v1/invoices"))["items"] == []
    assert ok(yossi.get("/portal/v1/balance"))["balance_agorot"] == 0
    for url in (
        f"/portal/v1/tickets/{ticket['id']}",
        f"/portal/v1/invoices/{invoice['document_id']}",
    ):
        r = yossi.get(url)
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    stolen = yossi.post(
        f"/portal/v1/tickets/{ticket['id']}/files", params={"filename": "x.txt"}, content=b"x"
    )
    assert stolen.status_code == 404  # checked before any byte reaches contacts
    # A staff task that is not a ticket is not visible in the portal either.
    other_task = ok(staff.post("/v1/tasks", json={"title": "פנימי", "party_id": party}), 201)
    other_id = other_task.get("task", other_task)["id"]
    assert dana.get(f"/portal/v1/tickets/{other_id}").status_code == 404

    # A portal token opens no staff route; a staff token opens no portal route.
    for url in (f"/v1/parties/{party}/timeline", "/v1/leads", "/v1/auth/me"):
        assert dana.get(url).status_code == 401
    assert staff.get("/portal/v1/tickets").status_code == 401
    eventually(lambda: ok(dana.get("/portal/v1/tickets"))["items"][0]["status"] == "done")


def test_a4_ticket_files_go_on_the_card_and_into_the_tickets_history(stack, shop):
    # The chart's production value is S3; the embedded stack keeps files under var/.
    assert stack.service_env("contacts", "serve")["CRM_CONTACTS_ATTACHMENTS_BACKEND"] == "local"
    staff = shop["staff"]
    noa = _customer(shop, "נועה", f"noa-{uuid.uuid4().hex[:6]}@example.co.il")
    ticket = ok(noa.post("/portal/v1/tickets", json={"subject": "תקלה בהתקנה"}), 201)
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    added = ok(
        noa.post(
            f"/portal/v1/tickets/{ticket['id']}/files",
            params={"filename": "נזילה.png"},
            content=photo,
            headers={"Content-Type": "image/png"},
        ),
        201,
    )
    assert added["size"] == len(photo)
    files = ok(staff.get(f"/v1/parties/{noa.party_id}/attachments"))["items"]
    assert [f["filename"] for f in files] == ["נזילה.png"]
    got = staff.get(f"/v1/parties/{noa.party_id}/attachments/{added['id']}")
    assert got.status_code == 200 and got.content == photo
    mine = ok(noa.get(f"/portal/v1/tickets/{ticket['id']}"))
    assert [f["filename"] for f in mine["files"]] == ["נזילה.png"]
    assert [h["event"] for h in mine["history"]] == ["opened", "file_added"]
