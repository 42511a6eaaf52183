"""R2 through the gateway: a Hebrew business's two campaigns, conversions, invoices and payments
reach reporting's fact tables through the events, and the marketing report shows them.

The story (seed 002, "where should I put my marketing money"): סטודיו אתגרית runs a summer
Facebook campaign (three leads, one becomes a customer who pays in full) and a Google brand
search campaign (two leads, one customer who pays part). The Facebook campaign cost ₪1,500.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import httpx

from .conftest import eventually

# the leads service's sources are a closed list: both campaigns are paid ads
FB, SUMMER = "ads", "פייסבוק קיץ 2026"
GOOGLE, BRAND = "ads", "גוגל חיפוש מותג"


def ok(resp: httpx.Response, status: int = 200) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()


def test_r2_two_campaigns_to_invoices_and_payments_reach_the_marketing_report(api: httpx.Client):
    """R2 data e2e: leads of two campaigns -> conversions -> invoices -> payments -> the
    marketing report per source and campaign (counts, invoiced, collected, cost per lead)."""
    assert (
        api.put(
            "/v1/billing/business-profile",
            json={"name": 'סטודיו אתגרית בע"מ', "tax_id": "514713288"},
        ).status_code
        == 204
    )
    product = ok(
        api.post(
            "/v1/billing/products",
            json={
                "sku": "WS-1",
                "name_he": "סדנת צילום",
                "name_en": "Photo workshop",
                "unit": "יח'",
                "price_agorot": 250_000,
            },
        ),
        201,
    )

    def lead(name: str, phone: str, source: str, campaign: str) -> dict:
        body = {"name": name, "phone": phone, "source": source, "campaign": campaign}
        return ok(api.post("/v1/leads", json=body), 201)

    summer = [
        lead("נועה כהן", "050-7654321", FB, SUMMER),
        lead("יעל לוי", "052-3456789", FB, SUMMER),
        lead("מיכל אברהם", "054-6789012", FB, SUMMER),
    ]
    brand = [
        lead("אבי מזרחי", "053-2345678", GOOGLE, BRAND),
        lead("רון פרץ", "054-7654321", GOOGLE, BRAND),
    ]

    def buy(customer: dict, quantity: str, paid: int) -> None:
        ok(api.post(f"/v1/leads/{customer['id']}:convert"))
        invoice = ok(
            api.post(
                "/v1/billing/documents",
                json={
                    "type": "tax_invoice",
                    "party_id": customer["party_id"],
                    "customer_name": customer["name"],
                    "lines": [{"product_id": product["product_id"], "quantity": quantity}],
                },
            ),
            201,
        )
        ok(
            api.post(
                "/v1/billing/payments",
                json={
                    "party_id": customer["party_id"],
                    "customer_name": customer["name"],
                    "payment": {
                        "method": "bank_transfer",
                        "amount_agorot": paid,
                        "reference": "העברה 1042",
                    },
                    "allocations": [{"document_id": invoice["document_id"], "amount_agorot": paid}],
                },
            ),
            201,
        )

    buy(summer[0], "1", 295_000)  # ₪2,500 + 18% VAT, paid in full
    buy(brand[0], "2", 100_000)  # ₪5,900 with VAT, ₪1,000 paid so far

    today = dt.datetime.now(ZoneInfo("Asia/Jerusalem")).date()
    start, end = (
        (today - dt.timedelta(days=1)).isoformat(),
        (today + dt.timedelta(days=1)).isoformat(),
    )
    ok(
        api.post(
            "/v1/reports/campaign-costs",
            json={"source": FB, "campaign": SUMMER, "period_start": start, "period_end": end,
                  "cost_agorot": 150_000, "note": "קמפיין קיץ בפייסבוק"},
        ),
        201,
    )  # fmt: skip

    def report() -> dict | None:
        resp = api.get("/v1/reports/marketing", params={"from": start, "to": end})
        if resp.status_code != 200:
            return None
        rows = {(r["source"], r["campaign"]): r for r in resp.json()["rows"]}
        fb, gg = rows.get((FB, SUMMER)), rows.get((GOOGLE, BRAND))
        done = (
            fb and gg and fb["leads"] == 3 and gg["leads"] == 2
            and fb["converted"] == 1 and gg["converted"] == 1
            and fb["collected_agorot"] == 295_000 and gg["collected_agorot"] == 100_000
        )  # fmt: skip
        return rows if done else None

    rows = eventually(report)
    fb, gg = rows[(FB, SUMMER)], rows[(GOOGLE, BRAND)]
    assert (fb["invoiced_agorot"], fb["invoiced_net_agorot"]) == (295_000, 250_000)
    assert (gg["invoiced_agorot"], gg["invoiced_net_agorot"]) == (590_000, 500_000)
    assert fb["converted_rate"] == round(1 / 3, 4) and gg["converted_rate"] == 0.5
    assert fb["cost_agorot"] == 150_000 and fb["cost_per_lead_agorot"] == 50_000
    assert fb["roi"] == round((250_000 - 150_000) / 150_000, 4)
    assert gg["cost_agorot"] is None and gg["roi"] is None

    by_source = {
        s["source"]: s["leads"] for s in api.get("/v1/reports/leads-by-source").json()["sources"]
    }
    assert by_source == {"ads": 5}
