"""C9: the import's fast phone/email normalisation gives exactly what crm_common.normalize
gives (same value, or both refuse)."""

from __future__ import annotations

import random

import pytest

from crm_common.normalize import normalize_email, normalize_phone
from crm_contacts.importer.service import import_email, import_phone


def outcome(fn, raw: str) -> str:
    try:
        return fn(raw)
    except ValueError:
        return "refused"


def test_c9_fast_phone_equals_the_full_parse_on_every_mobile_prefix():
    rnd = random.Random(5)
    samples = []
    for prefix in range(50000, 60000):  # every 5-digit prefix of 9-digit mobile numbers
        nsn = f"{prefix}{rnd.randrange(10_000):04d}"
        fmt = rnd.choice(["0{}", "+972{}", "972{}", "0{0}-{1}", "+972 {0} {1}", "(0{0}) {1}"])
        head, tail = f"{nsn[:2]}", nsn[2:]
        raw = fmt.format(head, tail) if "{1}" in fmt else fmt.format(nsn)
        samples.append(raw)
    samples += ["03-6123456", "12", "+1 212 555 0100", "0541234567", "05412345678", ""]
    for raw in samples:
        assert outcome(import_phone, raw) == outcome(normalize_phone, raw), raw


@pytest.mark.parametrize(
    "raw",
    [
        "Dana@Example.com",
        "a.b+tag@mail.co.il",
        "a..b@x.co.il",
        ".a@x.co.il",
        "a@-x.co.il",
        "a@x.test",
        "a@localhost",
        "dana@דוגמה.co.il",
        "דנה@example.com",
        "no-at-sign",
        "a@x.c",
        "x" * 70 + "@x.co.il",
    ],
)
def test_c9_fast_email_equals_the_full_validation(raw):
    assert outcome(import_email, raw) == outcome(normalize_email, raw)
