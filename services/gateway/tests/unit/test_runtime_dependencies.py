"""Foundation (performance): services that make HTTP calls with httpx declare ``sniffio``.

Without it httpx tries ``import sniffio`` on every request; a failed import is not cached,
so each request rescans the whole import path (measured as a large share of CPU in
messaging). The gateway (outbound webhooks, provider calls) and contacts (S3 attachments)
use httpx like messaging does.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("service", ["gateway", "contacts", "messaging"])
def test_foundation_httpx_services_declare_sniffio(service: str) -> None:
    project = tomllib.loads((SERVICES / service / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert "httpx" in names
    assert "sniffio" in names, f"crm-{service} uses httpx but does not declare sniffio"
    assert importlib.util.find_spec("sniffio") is not None
