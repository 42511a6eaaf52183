from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA
from crm_leads.leads import models  # noqa: F401  (registers the tables)
from crm_leads.models import Base
from crm_leads.pipeline import models as pipeline_models  # noqa: F401

run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])
