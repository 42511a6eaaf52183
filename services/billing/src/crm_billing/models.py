"""The billing service's declarative base (its own metadata and registry)."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from crm_common.db import NAMING_CONVENTION, TYPE_ANNOTATION_MAP


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = TYPE_ANNOTATION_MAP


def load_all_models() -> None:
    """Import every model module so that relationships and migrations see every table."""
    from crm_billing.catalog import models as _catalog  # noqa: F401
    from crm_billing.documents import models as _documents  # noqa: F401
    from crm_billing.handoff import models as _handoff  # noqa: F401
    from crm_billing.parties import models as _parties  # noqa: F401
    from crm_billing.payments import models as _payments  # noqa: F401
