"""Dependencies of the identity routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pydantic import AfterValidator

from crm_common.normalize import normalize_email
from crm_gateway.auth import Principal, authenticated, principal
from crm_gateway.db import Database
from crm_gateway.problems import ProblemException


def gateway_db(request: Request) -> Database:
    db = request.app.state.db
    if db is None:
        raise ProblemException(
            503, "the gateway database is not configured (CRM_GATEWAY_DATABASE_URL)"
        )
    return db


def _email(value: str) -> str:
    return normalize_email(value)


Email = Annotated[str, AfterValidator(_email)]
GatewayDb = Annotated[Database, Depends(gateway_db)]
Authorised = Annotated[Principal, Depends(principal)]
Authenticated = Annotated[Principal, Depends(authenticated)]
