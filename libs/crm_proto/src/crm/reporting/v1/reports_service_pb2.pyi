import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReportPeriod(_message.Message):
    __slots__ = ("from_date", "to_date", "time_zone")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    time_zone: str
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., time_zone: _Optional[str] = ...) -> None: ...

class GetMarketingReportRequest(_message.Message):
    __slots__ = ("from_date", "to_date")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ...) -> None: ...

class MarketingRow(_message.Message):
    __slots__ = ("source", "campaign", "leads", "duplicates", "qualified", "converted", "won_deals", "won_value_agorot", "invoiced_agorot", "invoiced_net_agorot", "collected_agorot", "qualified_rate", "converted_rate", "won_rate", "cost_agorot", "cost_per_lead_agorot", "roi")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    LEADS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    QUALIFIED_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_FIELD_NUMBER: _ClassVar[int]
    WON_DEALS_FIELD_NUMBER: _ClassVar[int]
    WON_VALUE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    INVOICED_AGOROT_FIELD_NUMBER: _ClassVar[int]
    INVOICED_NET_AGOROT_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_AGOROT_FIELD_NUMBER: _ClassVar[int]
    QUALIFIED_RATE_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_RATE_FIELD_NUMBER: _ClassVar[int]
    WON_RATE_FIELD_NUMBER: _ClassVar[int]
    COST_AGOROT_FIELD_NUMBER: _ClassVar[int]
    COST_PER_LEAD_AGOROT_FIELD_NUMBER: _ClassVar[int]
    ROI_FIELD_NUMBER: _ClassVar[int]
    source: str
    campaign: str
    leads: int
    duplicates: int
    qualified: int
    converted: int
    won_deals: int
    won_value_agorot: int
    invoiced_agorot: int
    invoiced_net_agorot: int
    collected_agorot: int
    qualified_rate: float
    converted_rate: float
    won_rate: float
    cost_agorot: int
    cost_per_lead_agorot: int
    roi: float
    def __init__(self, source: _Optional[str] = ..., campaign: _Optional[str] = ..., leads: _Optional[int] = ..., duplicates: _Optional[int] = ..., qualified: _Optional[int] = ..., converted: _Optional[int] = ..., won_deals: _Optional[int] = ..., won_value_agorot: _Optional[int] = ..., invoiced_agorot: _Optional[int] = ..., invoiced_net_agorot: _Optional[int] = ..., collected_agorot: _Optional[int] = ..., qualified_rate: _Optional[float] = ..., converted_rate: _Optional[float] = ..., won_rate: _Optional[float] = ..., cost_agorot: _Optional[int] = ..., cost_per_lead_agorot: _Optional[int] = ..., roi: _Optional[float] = ...) -> None: ...

class GetMarketingReportResponse(_message.Message):
    __slots__ = ("period", "rows", "total")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    period: ReportPeriod
    rows: _containers.RepeatedCompositeFieldContainer[MarketingRow]
    total: MarketingRow
    def __init__(self, period: _Optional[_Union[ReportPeriod, _Mapping]] = ..., rows: _Optional[_Iterable[_Union[MarketingRow, _Mapping]]] = ..., total: _Optional[_Union[MarketingRow, _Mapping]] = ...) -> None: ...

class GetTargetsReportRequest(_message.Message):
    __slots__ = ("from_date", "to_date")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ...) -> None: ...

class TargetRow(_message.Message):
    __slots__ = ("target_id", "owner_id", "team_id", "period", "period_start", "period_end", "target_amount_agorot", "target_deal_count", "actual_amount_agorot", "actual_deal_count", "amount_achieved_percent", "deal_count_achieved_percent")
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    TARGET_AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    TARGET_DEAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_DEAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_ACHIEVED_PERCENT_FIELD_NUMBER: _ClassVar[int]
    DEAL_COUNT_ACHIEVED_PERCENT_FIELD_NUMBER: _ClassVar[int]
    target_id: str
    owner_id: str
    team_id: str
    period: str
    period_start: str
    period_end: str
    target_amount_agorot: int
    target_deal_count: int
    actual_amount_agorot: int
    actual_deal_count: int
    amount_achieved_percent: float
    deal_count_achieved_percent: float
    def __init__(self, target_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., period: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., target_amount_agorot: _Optional[int] = ..., target_deal_count: _Optional[int] = ..., actual_amount_agorot: _Optional[int] = ..., actual_deal_count: _Optional[int] = ..., amount_achieved_percent: _Optional[float] = ..., deal_count_achieved_percent: _Optional[float] = ...) -> None: ...

class GetTargetsReportResponse(_message.Message):
    __slots__ = ("period", "targets")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    period: ReportPeriod
    targets: _containers.RepeatedCompositeFieldContainer[TargetRow]
    def __init__(self, period: _Optional[_Union[ReportPeriod, _Mapping]] = ..., targets: _Optional[_Iterable[_Union[TargetRow, _Mapping]]] = ...) -> None: ...

class GetPerformanceReportRequest(_message.Message):
    __slots__ = ("from_date", "to_date")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ...) -> None: ...

class RepPerformanceRow(_message.Message):
    __slots__ = ("owner_id", "leads_handled", "leads_responded", "median_response_seconds", "average_response_seconds", "calls", "answered_calls", "messages_sent", "deals_won", "deals_lost", "won_amount_agorot", "revenue_net_agorot", "win_rate")
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    LEADS_HANDLED_FIELD_NUMBER: _ClassVar[int]
    LEADS_RESPONDED_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_RESPONSE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_RESPONSE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    CALLS_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_CALLS_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_SENT_FIELD_NUMBER: _ClassVar[int]
    DEALS_WON_FIELD_NUMBER: _ClassVar[int]
    DEALS_LOST_FIELD_NUMBER: _ClassVar[int]
    WON_AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    REVENUE_NET_AGOROT_FIELD_NUMBER: _ClassVar[int]
    WIN_RATE_FIELD_NUMBER: _ClassVar[int]
    owner_id: str
    leads_handled: int
    leads_responded: int
    median_response_seconds: float
    average_response_seconds: float
    calls: int
    answered_calls: int
    messages_sent: int
    deals_won: int
    deals_lost: int
    won_amount_agorot: int
    revenue_net_agorot: int
    win_rate: float
    def __init__(self, owner_id: _Optional[str] = ..., leads_handled: _Optional[int] = ..., leads_responded: _Optional[int] = ..., median_response_seconds: _Optional[float] = ..., average_response_seconds: _Optional[float] = ..., calls: _Optional[int] = ..., answered_calls: _Optional[int] = ..., messages_sent: _Optional[int] = ..., deals_won: _Optional[int] = ..., deals_lost: _Optional[int] = ..., won_amount_agorot: _Optional[int] = ..., revenue_net_agorot: _Optional[int] = ..., win_rate: _Optional[float] = ...) -> None: ...

class GetPerformanceReportResponse(_message.Message):
    __slots__ = ("period", "reps")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REPS_FIELD_NUMBER: _ClassVar[int]
    period: ReportPeriod
    reps: _containers.RepeatedCompositeFieldContainer[RepPerformanceRow]
    def __init__(self, period: _Optional[_Union[ReportPeriod, _Mapping]] = ..., reps: _Optional[_Iterable[_Union[RepPerformanceRow, _Mapping]]] = ...) -> None: ...

class GetFunnelReportRequest(_message.Message):
    __slots__ = ("from_date", "to_date", "pipeline_id")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    pipeline_id: str
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., pipeline_id: _Optional[str] = ...) -> None: ...

class FunnelStage(_message.Message):
    __slots__ = ("stage_id", "stage_name", "probability", "deals_entered", "deals_in_stage_now", "conversion_to_next", "average_seconds_in_stage", "completed_stays")
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    DEALS_ENTERED_FIELD_NUMBER: _ClassVar[int]
    DEALS_IN_STAGE_NOW_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_TO_NEXT_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_SECONDS_IN_STAGE_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_STAYS_FIELD_NUMBER: _ClassVar[int]
    stage_id: str
    stage_name: str
    probability: int
    deals_entered: int
    deals_in_stage_now: int
    conversion_to_next: float
    average_seconds_in_stage: float
    completed_stays: int
    def __init__(self, stage_id: _Optional[str] = ..., stage_name: _Optional[str] = ..., probability: _Optional[int] = ..., deals_entered: _Optional[int] = ..., deals_in_stage_now: _Optional[int] = ..., conversion_to_next: _Optional[float] = ..., average_seconds_in_stage: _Optional[float] = ..., completed_stays: _Optional[int] = ...) -> None: ...

class GetFunnelReportResponse(_message.Message):
    __slots__ = ("period", "deals_created", "deals_won", "deals_lost", "win_rate", "stages")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    DEALS_CREATED_FIELD_NUMBER: _ClassVar[int]
    DEALS_WON_FIELD_NUMBER: _ClassVar[int]
    DEALS_LOST_FIELD_NUMBER: _ClassVar[int]
    WIN_RATE_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    period: ReportPeriod
    deals_created: int
    deals_won: int
    deals_lost: int
    win_rate: float
    stages: _containers.RepeatedCompositeFieldContainer[FunnelStage]
    def __init__(self, period: _Optional[_Union[ReportPeriod, _Mapping]] = ..., deals_created: _Optional[int] = ..., deals_won: _Optional[int] = ..., deals_lost: _Optional[int] = ..., win_rate: _Optional[float] = ..., stages: _Optional[_Iterable[_Union[FunnelStage, _Mapping]]] = ...) -> None: ...

class GetFinanceReportRequest(_message.Message):
    __slots__ = ("from_date", "to_date", "customer_limit")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_LIMIT_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    customer_limit: int
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., customer_limit: _Optional[int] = ...) -> None: ...

class Aging(_message.Message):
    __slots__ = ("days_0_30_agorot", "days_31_60_agorot", "days_61_90_agorot", "days_over_90_agorot")
    DAYS_0_30_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DAYS_31_60_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DAYS_61_90_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVER_90_AGOROT_FIELD_NUMBER: _ClassVar[int]
    days_0_30_agorot: int
    days_31_60_agorot: int
    days_61_90_agorot: int
    days_over_90_agorot: int
    def __init__(self, days_0_30_agorot: _Optional[int] = ..., days_31_60_agorot: _Optional[int] = ..., days_61_90_agorot: _Optional[int] = ..., days_over_90_agorot: _Optional[int] = ...) -> None: ...

class FinanceRow(_message.Message):
    __slots__ = ("key", "name", "invoiced_agorot", "revenue_net_agorot", "credited_agorot", "collected_agorot", "open_balance_agorot", "aging")
    KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    INVOICED_AGOROT_FIELD_NUMBER: _ClassVar[int]
    REVENUE_NET_AGOROT_FIELD_NUMBER: _ClassVar[int]
    CREDITED_AGOROT_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_AGOROT_FIELD_NUMBER: _ClassVar[int]
    OPEN_BALANCE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    AGING_FIELD_NUMBER: _ClassVar[int]
    key: str
    name: str
    invoiced_agorot: int
    revenue_net_agorot: int
    credited_agorot: int
    collected_agorot: int
    open_balance_agorot: int
    aging: Aging
    def __init__(self, key: _Optional[str] = ..., name: _Optional[str] = ..., invoiced_agorot: _Optional[int] = ..., revenue_net_agorot: _Optional[int] = ..., credited_agorot: _Optional[int] = ..., collected_agorot: _Optional[int] = ..., open_balance_agorot: _Optional[int] = ..., aging: _Optional[_Union[Aging, _Mapping]] = ...) -> None: ...

class RecencyCustomer(_message.Message):
    __slots__ = ("party_id", "name", "last_invoice_date", "days_since", "bucket")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_INVOICE_DATE_FIELD_NUMBER: _ClassVar[int]
    DAYS_SINCE_FIELD_NUMBER: _ClassVar[int]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    name: str
    last_invoice_date: str
    days_since: int
    bucket: str
    def __init__(self, party_id: _Optional[str] = ..., name: _Optional[str] = ..., last_invoice_date: _Optional[str] = ..., days_since: _Optional[int] = ..., bucket: _Optional[str] = ...) -> None: ...

class RecencyBucket(_message.Message):
    __slots__ = ("bucket", "customers")
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    bucket: str
    customers: int
    def __init__(self, bucket: _Optional[str] = ..., customers: _Optional[int] = ...) -> None: ...

class GetFinanceReportResponse(_message.Message):
    __slots__ = ("period", "customers", "reps", "sources", "total", "recency", "recency_buckets", "customers_total")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    REPS_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    RECENCY_FIELD_NUMBER: _ClassVar[int]
    RECENCY_BUCKETS_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    period: ReportPeriod
    customers: _containers.RepeatedCompositeFieldContainer[FinanceRow]
    reps: _containers.RepeatedCompositeFieldContainer[FinanceRow]
    sources: _containers.RepeatedCompositeFieldContainer[FinanceRow]
    total: FinanceRow
    recency: _containers.RepeatedCompositeFieldContainer[RecencyCustomer]
    recency_buckets: _containers.RepeatedCompositeFieldContainer[RecencyBucket]
    customers_total: int
    def __init__(self, period: _Optional[_Union[ReportPeriod, _Mapping]] = ..., customers: _Optional[_Iterable[_Union[FinanceRow, _Mapping]]] = ..., reps: _Optional[_Iterable[_Union[FinanceRow, _Mapping]]] = ..., sources: _Optional[_Iterable[_Union[FinanceRow, _Mapping]]] = ..., total: _Optional[_Union[FinanceRow, _Mapping]] = ..., recency: _Optional[_Iterable[_Union[RecencyCustomer, _Mapping]]] = ..., recency_buckets: _Optional[_Iterable[_Union[RecencyBucket, _Mapping]]] = ..., customers_total: _Optional[int] = ...) -> None: ...

class GetTasksReportRequest(_message.Message):
    __slots__ = ("from_date", "to_date", "now")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    NOW_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    now: _timestamp_pb2.Timestamp
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TaskRow(_message.Message):
    __slots__ = ("task_type_key", "assignee_user_id", "team_id", "created", "done", "overdue", "sla_breaches", "sla_met")
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_USER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    SLA_BREACHES_FIELD_NUMBER: _ClassVar[int]
    SLA_MET_FIELD_NUMBER: _ClassVar[int]
    task_type_key: str
    assignee_user_id: str
    team_id: str
    created: int
    done: int
    overdue: int
    sla_breaches: int
    sla_met: int
    def __init__(self, task_type_key: _Optional[str] = ..., assignee_user_id: _Optional[str] = ..., team_id: _Optional[str] = ..., created: _Optional[int] = ..., done: _Optional[int] = ..., overdue: _Optional[int] = ..., sla_breaches: _Optional[int] = ..., sla_met: _Optional[int] = ...) -> None: ...

class GetTasksReportResponse(_message.Message):
    __slots__ = ("period", "now", "by_type", "by_assignee", "by_assignee_and_type", "by_team", "total")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    NOW_FIELD_NUMBER: _ClassVar[int]
    BY_TYPE_FIELD_NUMBER: _ClassVar[int]
    BY_ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    BY_ASSIGNEE_AND_TYPE_FIELD_NUMBER: _ClassVar[int]
    BY_TEAM_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    period: ReportPeriod
    now: _timestamp_pb2.Timestamp
    by_type: _containers.RepeatedCompositeFieldContainer[TaskRow]
    by_assignee: _containers.RepeatedCompositeFieldContainer[TaskRow]
    by_assignee_and_type: _containers.RepeatedCompositeFieldContainer[TaskRow]
    by_team: _containers.RepeatedCompositeFieldContainer[TaskRow]
    total: TaskRow
    def __init__(self, period: _Optional[_Union[ReportPeriod, _Mapping]] = ..., now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., by_type: _Optional[_Iterable[_Union[TaskRow, _Mapping]]] = ..., by_assignee: _Optional[_Iterable[_Union[TaskRow, _Mapping]]] = ..., by_assignee_and_type: _Optional[_Iterable[_Union[TaskRow, _Mapping]]] = ..., by_team: _Optional[_Iterable[_Union[TaskRow, _Mapping]]] = ..., total: _Optional[_Union[TaskRow, _Mapping]] = ...) -> None: ...

class CampaignCost(_message.Message):
    __slots__ = ("cost_id", "source", "campaign", "period_start", "period_end", "cost_agorot", "note", "created_at")
    COST_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    COST_AGOROT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    cost_id: str
    source: str
    campaign: str
    period_start: str
    period_end: str
    cost_agorot: int
    note: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, cost_id: _Optional[str] = ..., source: _Optional[str] = ..., campaign: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., cost_agorot: _Optional[int] = ..., note: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateCampaignCostRequest(_message.Message):
    __slots__ = ("source", "campaign", "period_start", "period_end", "cost_agorot", "note")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    COST_AGOROT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    source: str
    campaign: str
    period_start: str
    period_end: str
    cost_agorot: int
    note: str
    def __init__(self, source: _Optional[str] = ..., campaign: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., cost_agorot: _Optional[int] = ..., note: _Optional[str] = ...) -> None: ...

class CreateCampaignCostResponse(_message.Message):
    __slots__ = ("cost",)
    COST_FIELD_NUMBER: _ClassVar[int]
    cost: CampaignCost
    def __init__(self, cost: _Optional[_Union[CampaignCost, _Mapping]] = ...) -> None: ...

class ListCampaignCostsRequest(_message.Message):
    __slots__ = ("source",)
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    source: str
    def __init__(self, source: _Optional[str] = ...) -> None: ...

class ListCampaignCostsResponse(_message.Message):
    __slots__ = ("costs",)
    COSTS_FIELD_NUMBER: _ClassVar[int]
    costs: _containers.RepeatedCompositeFieldContainer[CampaignCost]
    def __init__(self, costs: _Optional[_Iterable[_Union[CampaignCost, _Mapping]]] = ...) -> None: ...

class DeleteCampaignCostRequest(_message.Message):
    __slots__ = ("cost_id",)
    COST_ID_FIELD_NUMBER: _ClassVar[int]
    cost_id: str
    def __init__(self, cost_id: _Optional[str] = ...) -> None: ...

class DeleteCampaignCostResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
