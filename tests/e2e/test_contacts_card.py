"""Contacts through the gateway: the card with dynamic fields and a custom section (C1-C3),
the timeline fed by the leads service's events (C4), and a rule that turns DealWon into a task
(T4)."""

from __future__ import annotations

import httpx

from .conftest import eventually

PROBLEM = "application/problem+json"


def test_c1_c2_c3_card_with_dynamic_fields_and_a_custom_section(api: httpx.Client):
    r = api.post(
        "/v1/fields",
        json={
            "entity": "contact",
            "key": "tier",
            "label_he": "רמת לקוח",
            "label_en": "Tier",
            "type": "select",
            "options": ["gold", "silver"],
        },
    )
    assert r.status_code == 201, r.text
    person = api.post(
        "/v1/cards/people",
        json={
            "first_name": "דנה",
            "last_name": "לוי",
            "phones": ["050-7654321"],
            "emails": ["Dana@Example.com"],
            "id_number": "123456782",
            "custom": {"tier": "gold"},
        },
    )
    assert person.status_code == 201, person.text
    dana = person.json()
    assert dana["phones"] == ["+972507654321"] and dana["custom"] == {"tier": "gold"}

    bad = api.post(
        "/v1/cards/people",
        json={"first_name": "x", "id_number": "123456789", "custom": {"tier": "bronze"}},
    )
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    assert {e["field"] for e in bad.json()["errors"]} == {"id_number", "custom.tier"}

    section = api.post("/v1/cards/sections", json={"name": "תלונות לקוח", "always_open": False})
    assert section.status_code == 201, section.text
    sid = section.json()["id"]
    r = api.post(
        "/v1/fields",
        json={
            "entity": "section",
            "section_id": sid,
            "key": "status",
            "label_he": "סטטוס",
            "type": "select",
            "options": ["open", "closed"],
        },
    )
    assert r.status_code == 201, r.text
    first = api.post(
        f"/v1/parties/{dana['party_id']}/sections/{sid}/records",
        json={"values": {"status": "open"}, "note": "המזגן לא מקרר"},
    )
    assert first.status_code == 201, first.text
    fix = api.post(
        f"/v1/parties/{dana['party_id']}/sections/{sid}/records",
        json={"values": {"status": "closed"}, "corrects_id": first.json()["id"]},
    )
    assert fix.status_code == 201, fix.text
    records = api.get(f"/v1/parties/{dana['party_id']}/sections/{sid}/records").json()["items"]
    assert [r["values"]["status"] for r in records] == ["open", "closed"]
    assert records[0]["corrected_by_id"] == fix.json()["id"]
    view = api.get(f"/v1/cards/sections/{sid}/records", params={"filters": '{"status":"closed"}'})
    assert [r["id"] for r in view.json()["items"]] == [fix.json()["id"]]
    sections = api.get("/v1/cards/sections").json()["items"]
    assert sections[0]["always_open"] is False and sections[0]["fields"][0]["key"] == "status"

    popped = api.get("/v1/cards/lookup", params={"phone": "+972-50-765-4321"}).json()["items"]
    assert [p["id"] for p in popped] == [dana["id"]]
    found = api.post("/v1/cards/search", json={"filter": {"custom": {"tier": "gold"}}}).json()
    assert found["total"] == 1


def test_c4_timeline_of_a_lead_fed_by_the_leads_events(api: httpx.Client):
    lead = api.post(
        "/v1/leads", json={"name": "משה כהן", "phone": "054-7654321", "source": "radio"}
    ).json()
    party = lead["party_id"]
    assert api.post(f"/v1/leads/{lead['id']}:convert").status_code == 200

    def kinds():
        items = api.get(f"/v1/parties/{party}/timeline").json()["items"]
        return len(items) >= 3 and [i["kind"] for i in items]

    # lead.captured, lead.converted (leads) and customer.created (contacts), newest first.
    assert sorted(eventually(kinds)) == ["customer", "lead", "lead"]
    items = api.get(f"/v1/parties/{party}/timeline").json()["items"]
    assert items[0]["occurred_at"] >= items[-1]["occurred_at"]
    note = api.post(f"/v1/parties/{party}/notes", json={"text": "התקשר, מבקש הצעה"})
    assert note.status_code == 201, note.text
    only_notes = api.get(f"/v1/parties/{party}/timeline", params={"kind": "note"}).json()
    assert [i["body"] for i in only_notes["items"]] == ["התקשר, מבקש הצעה"]
    # The converted lead has a card that screen-pop finds.
    popped = api.get("/v1/cards/lookup", params={"phone": "0547654321"}).json()["items"]
    assert [p["party_id"] for p in popped] == [party]


def test_t4_deal_won_creates_the_accounting_task_through_a_rule(api: httpx.Client):
    me = api.post("/v1/tasks", json={"title": "בדיקה"}).json()["assignee_user_id"]
    r = api.post(
        "/v1/tasks/types", json={"key": "issue_invoice", "name": "הפקת חשבונית", "sla_minutes": 240}
    )
    assert r.status_code == 201, r.text
    rule = api.post(
        "/v1/tasks/rules",
        json={
            "name": "עסקה נסגרה",
            "kind": "on_event",
            "topic": "crm.leads.deal",
            "event_type": "deal.won",
            "conditions": [{"path": "amount_agorot", "op": "gt", "value": 0}],
            "task_template": {
                "title": "להפיק חשבונית: {title}",
                "assignee_user_id": me,
                "task_type_key": "issue_invoice",
                "priority": 1,
            },
        },
    )
    assert rule.status_code == 201, rule.text
    lead = api.post(
        "/v1/leads", json={"name": "רות", "phone": "052-5551234", "source": "web"}
    ).json()
    deal = api.post(
        "/v1/deals", json={"title": "מזגן", "lead_id": lead["id"], "amount_agorot": 450_000}
    )
    assert deal.status_code == 201, deal.text
    [pipeline] = api.get("/v1/pipelines").json()
    won = next(s for s in pipeline["stages"] if s["name"] == "נסגר בהצלחה")
    moved = api.post(f"/v1/deals/{deal.json()['id']}:move", json={"stage_id": won["id"]})
    assert moved.status_code == 200, moved.text

    def invoice_task():
        items = api.get("/v1/tasks").json()["items"]
        return [t for t in items if t["task_type_key"] == "issue_invoice"]

    [task] = eventually(invoice_task)
    assert task["title"] == "להפיק חשבונית: מזגן"
    assert task["deal_id"] == deal.json()["id"] and task["rule_id"] == rule.json()["id"]
    assert task["sla_due_at"]
    done = api.post(f"/v1/tasks/{task['id']}:complete")
    assert done.status_code == 200, done.text
    report = api.get("/v1/tasks/sla-report").json()["items"]
    assert report[0]["task_type_key"] == "issue_invoice" and report[0]["done_within_sla"] == "1"


def test_c5_attachment_uploaded_and_downloaded_through_the_gateway(api: httpx.Client):
    person = api.post("/v1/cards/people", json={"first_name": "קובי"}).json()
    party = person["party_id"]
    data = bytes(range(256)) * 9000  # ~2.2 MB: three chunks each way
    up = api.post(
        f"/v1/parties/{party}/attachments",
        params={"filename": "הצעה.pdf"},
        content=data,
        headers={"Content-Type": "application/pdf"},
    )
    assert up.status_code == 201, up.text
    att = up.json()
    assert att["size"] == str(len(data)) and att["content_type"] == "application/pdf"
    down = api.get(f"/v1/parties/{party}/attachments/{att['id']}")
    assert down.status_code == 200
    assert down.content == data
    assert down.headers["content-type"] == "application/pdf"
    listed = api.get(f"/v1/parties/{party}/attachments").json()["items"]
    assert [a["id"] for a in listed] == [att["id"]]
    wrong_card = api.get(f"/v1/parties/{person['id']}/attachments/{att['id']}")
    assert wrong_card.status_code == 404
