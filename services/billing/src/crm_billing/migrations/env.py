from crm_billing.models import Base
from crm_billing.parties import models  # noqa: F401  (registers the tables)
from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA

run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])
