"""Tax invoices issued per second, with the PDF rendered and stored at issue and without.

    .venv/bin/python bench/billing_invoices.py [--invoices 300] [--concurrency 8] [--lines 5]

Starts an embedded PostgreSQL on a free port (never the `make up` one), applies the
billing migrations, and issues tax invoices through the service layer exactly as the
gRPC servicer does (one unit of work per invoice: number, lines, totals, outbox event
and, when on, the Hebrew PDF with its checksum). Two shapes per mode:

* one tenant: every issuer takes the same (tenant, type) counter row, so numbering
  serialises them (the gapless rule's cost);
* one tenant per issuer: no shared counter.

Then checks the numbers are gapless (1..N per tenant) and, with PDFs, that every
invoice has a stored PDF. Also times the PDF renderer alone. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text

import crm_billing
from crm_billing.documents import pdf as renderer
from crm_billing.documents import service as documents
from crm_billing.documents.models import DocType
from crm_billing.models import load_all_models
from crm_common.db import create_engine, create_sessionmaker, unit_of_work
from crm_common.db.migrations import upgrade
from crm_devstack.postgres import EmbeddedPostgres
from crm_devstack.testing import free_port

load_all_models()


def invoice(lines: int) -> documents.DocumentInput:
    return documents.DocumentInput(
        doc_type=DocType.TAX_INVOICE,
        party_id=uuid.uuid4(),
        customer_name='לקוח בדיקה בע"מ',
        lines=[
            documents.LineInput(
                description=f"שורה {i} - Item {i}", quantity="2", unit_price_agorot=12_345 + i
            )
            for i in range(lines)
        ],
    )


async def run(
    sessionmaker, *, n: int, concurrency: int, lines: int, pdf: bool, shared_tenant: bool
) -> dict:
    tenants = [uuid.uuid4()] if shared_tenant else [uuid.uuid4() for _ in range(concurrency)]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def worker(w: int) -> None:
        tenant = tenants[0] if shared_tenant else tenants[w]
        while not queue.empty():
            queue.get_nowait()
            async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
                await documents.issue_document(
                    session=s, tenant_id=tenant, data=invoice(lines), render_pdf=pdf
                )

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    elapsed = time.perf_counter() - start
    gapless = True
    stored = 0
    for tenant in tenants:
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            numbers = [
                r[0]
                for r in await s.execute(
                    text("SELECT number FROM documents WHERE tenant_id = :t ORDER BY number"),
                    {"t": tenant},
                )
            ]
            stored += (
                await s.execute(
                    text("SELECT count(*) FROM document_pdfs WHERE tenant_id = :t"), {"t": tenant}
                )
            ).scalar_one()
        gapless &= numbers == list(range(1, len(numbers) + 1))
    return {
        "invoices": n,
        "seconds": round(elapsed, 2),
        "per_second": round(n / elapsed, 1),
        "gapless": gapless,
        "pdfs_stored": stored,
    }


def render_alone(lines: int, n: int = 50) -> float:
    import datetime as dt
    from decimal import Decimal

    from crm_billing.documents.models import Document, DocumentLine

    doc = Document(
        id=uuid.uuid4(),
        doc_type="tax_invoice",
        number=1,
        party_id=uuid.uuid4(),
        customer_name="לקוח",
        issue_date=dt.date(2026, 1, 1),
        vat_rate_bp=1800,
        subtotal_agorot=1,
        vat_agorot=1,
        total_agorot=2,
        lines=[
            DocumentLine(
                line_no=i + 1,
                name_he=f"שורה {i}",
                unit="יח'",
                quantity=Decimal(2),
                unit_price_agorot=100,
                discount_bp=0,
                net_agorot=200,
                vat_category="standard",
            )
            for i in range(lines)
        ],
    )
    start = time.perf_counter()
    for _ in range(n):
        renderer.render(doc, business=None)
    return round(n / (time.perf_counter() - start), 1)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--invoices", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--lines", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg", port=free_port())
        pg.start()
        try:
            url = pg.ensure_database("billing_bench", "bench-secret")
            with ThreadPoolExecutor(1) as pool:
                pool.submit(
                    upgrade,
                    url=url,
                    script_location=Path(crm_billing.__file__).parent / "migrations",
                ).result()
            engine = create_engine(url, pool_size=args.concurrency, instrument=False)
            sm = create_sessionmaker(engine)
            # warm up (imports, font parsing, connection pool)
            await run(
                sm,
                n=args.concurrency,
                concurrency=args.concurrency,
                lines=args.lines,
                pdf=True,
                shared_tenant=False,
            )
            result = {
                "concurrency": args.concurrency,
                "lines_per_invoice": args.lines,
                "pdf_renders_per_second_alone": render_alone(args.lines),
            }
            for pdf in (False, True):
                for shared in (True, False):
                    key = f"{'with' if pdf else 'without'}_pdf_" + (
                        "one_tenant" if shared else "tenant_per_issuer"
                    )
                    result[key] = await run(
                        sm,
                        n=args.invoices,
                        concurrency=args.concurrency,
                        lines=args.lines,
                        pdf=pdf,
                        shared_tenant=shared,
                    )
            await engine.dispose()
        finally:
            pg.stop()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
