from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA
from crm_contacts.card import extra_models, models  # noqa: F401  (registers the tables)
from crm_contacts.customers import models as customer_models  # noqa: F401
from crm_contacts.models import Base
from crm_contacts.tasks import models as task_models  # noqa: F401
from crm_contacts.timeline import models as timeline_models  # noqa: F401

run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])
