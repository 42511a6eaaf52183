from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA
from crm_reporting.builder import models as _builder  # noqa: F401  (registers the tables)
from crm_reporting.dashboards import models as _dashboards  # noqa: F401  (registers the tables)
from crm_reporting.facts import models as _facts  # noqa: F401  (registers the tables)
from crm_reporting.lead_sources import models  # noqa: F401  (registers the tables)
from crm_reporting.models import Base
from crm_reporting.schedules import models as _schedules  # noqa: F401  (registers the tables)

run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])
