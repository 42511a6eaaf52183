from crm_billing.models import Base, load_all_models
from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA

load_all_models()
run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])
