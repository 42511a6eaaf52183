"""The whitelist the builder compiles against: subjects, their columns and their kinds.

Nothing from a definition ever becomes SQL text: a field name is looked up here and
the column object found is what goes into the SQLAlchemy Core statement. Dynamic
fields (``attributes.<key>``) are the JSONB values of ``party_dim.attributes``,
reached through the subject's ``party_id`` (or directly for ``customers``): text by
default, a number (:func:`as_number`) under sum/avg/min/max and numeric comparisons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from crm_reporting.facts.models import (
    DealFact,
    DocumentFact,
    LeadFact,
    MessageFact,
    PartyDim,
    PaymentFact,
    TaskFact,
)

Kind = Literal["text", "uuid", "int", "money", "decimal", "bool", "timestamp", "date"]
ORDERABLE: frozenset[str] = frozenset({"int", "money", "decimal", "timestamp", "date", "text"})
NUMERIC: frozenset[str] = frozenset({"int", "money", "decimal", "bool"})
TIME: frozenset[str] = frozenset({"timestamp", "date"})
ATTRIBUTE_PREFIX = "attributes."
ATTRIBUTE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

PARTY: sa.Table = PartyDim.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str  # Hebrew header used by exports
    kind: Kind


@dataclass(frozen=True, slots=True)
class Subject:
    key: str
    label: str
    table: sa.Table
    fields: dict[str, Field]
    pk: tuple[str, ...]
    # Where the subject's rows are narrowed to (customers: is_customer; invoices: their types).
    base_filter: tuple[tuple[str, tuple[object, ...]], ...] = ()
    # Record scope: the column holding the owning user (None: the party's owner).
    owner_column: str | None = None
    default_time: str | None = None  # the subject's main time (documentation, UIs)

    def column(self, key: str) -> sa.ColumnElement:
        return self.table.c[key]


def _fields(*items: tuple[str, str, Kind]) -> dict[str, Field]:
    return {k: Field(k, label, kind) for k, label, kind in items}


SUBJECTS: dict[str, Subject] = {
    s.key: s
    for s in (
        Subject(
            key="leads",
            label="לידים",
            table=LeadFact.__table__,  # type: ignore[arg-type]
            pk=("lead_id",),
            owner_column="owner_id",
            default_time="captured_at",
            fields=_fields(
                ("lead_id", "מזהה ליד", "uuid"),
                ("party_id", "מזהה איש קשר", "uuid"),
                ("source", "מקור", "text"),
                ("campaign", "קמפיין", "text"),
                ("channel", "ערוץ קליטה", "text"),
                ("product_interest", "מוצר מבוקש", "text"),
                ("city", "עיר", "text"),
                ("owner_id", "נציג", "uuid"),
                ("team_id", "צוות", "uuid"),
                ("captured_at", "נקלט בתאריך", "timestamp"),
                ("first_assigned_at", "שויך לראשונה", "timestamp"),
                ("first_response_at", "תגובה ראשונה", "timestamp"),
                ("qualified_at", "הוסמך בתאריך", "timestamp"),
                ("disqualified_at", "נפסל בתאריך", "timestamp"),
                ("disqualify_reason", "סיבת פסילה", "text"),
                ("converted_at", "הומר בתאריך", "timestamp"),
                ("deal_id", "מזהה עסקה", "uuid"),
                ("is_duplicate", "כפול", "bool"),
            ),
        ),
        Subject(
            key="deals",
            label="עסקאות",
            table=DealFact.__table__,  # type: ignore[arg-type]
            pk=("deal_id",),
            owner_column="owner_id",
            default_time="created_at",
            fields=_fields(
                ("deal_id", "מזהה עסקה", "uuid"),
                ("lead_id", "מזהה ליד", "uuid"),
                ("party_id", "מזהה איש קשר", "uuid"),
                ("pipeline_id", "צנרת", "uuid"),
                ("stage_id", "מזהה שלב", "uuid"),
                ("stage_name", "שלב", "text"),
                ("owner_id", "נציג", "uuid"),
                ("amount_agorot", "סכום", "money"),
                ("status", "סטטוס", "text"),
                ("created_at", "נפתחה בתאריך", "timestamp"),
                ("won_at", "נסגרה בהצלחה", "timestamp"),
                ("lost_at", "הפסד בתאריך", "timestamp"),
                ("lost_reason", "סיבת הפסד", "text"),
            ),
        ),
        Subject(
            key="customers",
            label="לקוחות",
            table=PARTY,
            pk=("party_id",),
            base_filter=(("is_customer", (True,)),),
            owner_column="owner_id",
            default_time="converted_at",
            fields=_fields(
                ("party_id", "מזהה לקוח", "uuid"),
                ("lead_id", "מזהה ליד", "uuid"),
                ("name", "שם", "text"),
                ("source", "מקור", "text"),
                ("campaign", "קמפיין", "text"),
                ("owner_id", "נציג", "uuid"),
                ("team_id", "צוות", "uuid"),
                ("captured_at", "נקלט בתאריך", "timestamp"),
                ("converted_at", "הפך ללקוח", "timestamp"),
            ),
        ),
        Subject(
            key="invoices",
            label="חשבוניות",
            table=DocumentFact.__table__,  # type: ignore[arg-type]
            pk=("document_id",),
            base_filter=(("document_type", ("invoice", "invoice_receipt", "credit")),),
            default_time="issue_date",
            fields=_fields(
                ("document_id", "מזהה מסמך", "uuid"),
                ("document_type", "סוג מסמך", "text"),
                ("number", "מספר", "int"),
                ("party_id", "מזהה לקוח", "uuid"),
                ("base_document_id", "מסמך בסיס", "uuid"),
                ("issue_date", "תאריך", "date"),
                ("subtotal_agorot", 'סה"כ לפני מע"מ', "money"),
                ("vat_agorot", 'מע"מ', "money"),
                ("total_agorot", 'סה"כ', "money"),
                ("issued_at", "הופק בתאריך", "timestamp"),
            ),
        ),
        Subject(
            key="payments",
            label="תשלומים",
            table=PaymentFact.__table__,  # type: ignore[arg-type]
            pk=("payment_id",),
            default_time="occurred_at",
            fields=_fields(
                ("payment_id", "מזהה תשלום", "uuid"),
                ("party_id", "מזהה לקוח", "uuid"),
                ("method", "אמצעי תשלום", "text"),
                ("amount_agorot", "סכום", "money"),
                ("status", "סטטוס", "text"),
                ("occurred_at", "תאריך", "timestamp"),
                ("reason", "סיבה", "text"),
            ),
        ),
        Subject(
            key="messages",
            label="הודעות",
            table=MessageFact.__table__,  # type: ignore[arg-type]
            pk=("message_id",),
            default_time="sent_at",
            fields=_fields(
                ("message_id", "מזהה הודעה", "uuid"),
                ("party_id", "מזהה איש קשר", "uuid"),
                ("channel", "ערוץ", "text"),
                ("purpose", "מטרה", "text"),
                ("direction", "כיוון", "text"),
                ("campaign_id", "מזהה קמפיין", "uuid"),
                ("queued_at", "נכנס לתור", "timestamp"),
                ("sent_at", "נשלח", "timestamp"),
                ("delivered_at", "נמסר", "timestamp"),
                ("read_at", "נקרא", "timestamp"),
                ("failed_at", "נכשל", "timestamp"),
                ("status", "סטטוס", "text"),
                ("reason", "סיבה", "text"),
                ("segments", "מקטעים", "int"),
                ("cost_agorot", "עלות", "money"),
            ),
        ),
        Subject(
            key="tasks",
            label="משימות",
            table=TaskFact.__table__,  # type: ignore[arg-type]
            pk=("task_id",),
            owner_column="assignee_user_id",
            default_time="created_at",
            fields=_fields(
                ("task_id", "מזהה משימה", "uuid"),
                ("task_type_key", "סוג משימה", "text"),
                ("party_id", "מזהה איש קשר", "uuid"),
                ("assignee_user_id", "אחראי", "uuid"),
                ("creator_user_id", "יוצר", "uuid"),
                ("created_at", "נוצרה", "timestamp"),
                ("due_at", "תאריך יעד", "timestamp"),
                ("sla_due_at", "יעד SLA", "timestamp"),
                ("completed_at", "הושלמה", "timestamp"),
                ("sla_met", "עמדה ב-SLA", "bool"),
                ("sla_breached_at", "חריגת SLA", "timestamp"),
            ),
        ),
    )
}


def attribute_key(name: str) -> str | None:
    """``attributes.<key>`` -> ``<key>`` (None when ``name`` is not a dynamic field)."""
    if not name.startswith(ATTRIBUTE_PREFIX):
        return None
    return name[len(ATTRIBUTE_PREFIX) :]


def as_number(f: Field) -> Field:
    """A dynamic field read as a number (kind ``decimal``): the compiler takes only values
    whose ``jsonb_typeof`` is 'number', the others are NULL. Other fields are unchanged."""
    if attribute_key(f.key) is None or f.kind != "text":
        return f
    return Field(f.key, f.label, "decimal")


def lookup(subject: Subject, name: str) -> Field | None:
    """The field ``name`` of ``subject`` (dynamic fields are text), or None."""
    key = attribute_key(name)
    if key is not None:
        if not ATTRIBUTE_KEY.match(key):
            return None
        return Field(name, key, "text")
    return subject.fields.get(name)
