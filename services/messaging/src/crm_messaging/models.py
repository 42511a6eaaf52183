"""The messaging service's declarative base (its own metadata and registry)."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from crm_common.db import NAMING_CONVENTION, TYPE_ANNOTATION_MAP


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = TYPE_ANNOTATION_MAP


def load_models() -> None:
    """Import every model module so each table is registered on ``Base.metadata``."""
    from crm_messaging.campaigns import models as _campaigns  # noqa: F401
    from crm_messaging.channels import models as _channels  # noqa: F401
    from crm_messaging.consent import models as _consent  # noqa: F401
    from crm_messaging.messages import models as _messages  # noqa: F401
    from crm_messaging.parties import models as _parties  # noqa: F401
    from crm_messaging.telephony import models as _telephony  # noqa: F401
    from crm_messaging.templates import models as _templates  # noqa: F401
