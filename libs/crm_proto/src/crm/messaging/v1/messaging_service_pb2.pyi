import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_EMAIL: _ClassVar[Channel]
    CHANNEL_SMS: _ClassVar[Channel]
    CHANNEL_WHATSAPP: _ClassVar[Channel]

class Purpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PURPOSE_UNSPECIFIED: _ClassVar[Purpose]
    PURPOSE_TRANSACTIONAL: _ClassVar[Purpose]
    PURPOSE_MARKETING: _ClassVar[Purpose]

class Provider(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROVIDER_UNSPECIFIED: _ClassVar[Provider]
    PROVIDER_WHATSAPP: _ClassVar[Provider]
    PROVIDER_TWILIO: _ClassVar[Provider]
    PROVIDER_PBX: _ClassVar[Provider]
    PROVIDER_EMAIL: _ClassVar[Provider]
CHANNEL_UNSPECIFIED: Channel
CHANNEL_EMAIL: Channel
CHANNEL_SMS: Channel
CHANNEL_WHATSAPP: Channel
PURPOSE_UNSPECIFIED: Purpose
PURPOSE_TRANSACTIONAL: Purpose
PURPOSE_MARKETING: Purpose
PROVIDER_UNSPECIFIED: Provider
PROVIDER_WHATSAPP: Provider
PROVIDER_TWILIO: Provider
PROVIDER_PBX: Provider
PROVIDER_EMAIL: Provider

class Party(_message.Message):
    __slots__ = ("party_id", "name", "phone", "email", "updated_at")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    name: str
    phone: str
    email: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, party_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetPartyRequest(_message.Message):
    __slots__ = ("party_id",)
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    def __init__(self, party_id: _Optional[str] = ...) -> None: ...

class GetPartyResponse(_message.Message):
    __slots__ = ("party",)
    PARTY_FIELD_NUMBER: _ClassVar[int]
    party: Party
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ...) -> None: ...

class FindPartyByPhoneRequest(_message.Message):
    __slots__ = ("phone",)
    PHONE_FIELD_NUMBER: _ClassVar[int]
    phone: str
    def __init__(self, phone: _Optional[str] = ...) -> None: ...

class FindPartyByPhoneResponse(_message.Message):
    __slots__ = ("party",)
    PARTY_FIELD_NUMBER: _ClassVar[int]
    party: Party
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("filename", "content_type", "content")
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    filename: str
    content_type: str
    content: bytes
    def __init__(self, filename: _Optional[str] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ("id", "party_id", "channel", "purpose", "direction", "to_address", "from_address", "subject", "text", "html", "status", "failure_reason", "provider_message_id", "attempts", "segments", "cost_agorot", "campaign_id", "thread_id", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    TO_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    COST_AGOROT_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    channel: Channel
    purpose: Purpose
    direction: str
    to_address: str
    from_address: str
    subject: str
    text: str
    html: str
    status: str
    failure_reason: str
    provider_message_id: str
    attempts: int
    segments: int
    cost_agorot: int
    campaign_id: str
    thread_id: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., purpose: _Optional[_Union[Purpose, str]] = ..., direction: _Optional[str] = ..., to_address: _Optional[str] = ..., from_address: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ..., status: _Optional[str] = ..., failure_reason: _Optional[str] = ..., provider_message_id: _Optional[str] = ..., attempts: _Optional[int] = ..., segments: _Optional[int] = ..., cost_agorot: _Optional[int] = ..., campaign_id: _Optional[str] = ..., thread_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SendMessageRequest(_message.Message):
    __slots__ = ("idempotency_key", "channel", "purpose", "party_id", "to_address", "subject", "text", "html", "template_name", "language", "variables", "attachments")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TO_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_NAME_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    channel: Channel
    purpose: Purpose
    party_id: str
    to_address: str
    subject: str
    text: str
    html: str
    template_name: str
    language: str
    variables: _containers.ScalarMap[str, str]
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    def __init__(self, idempotency_key: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., purpose: _Optional[_Union[Purpose, str]] = ..., party_id: _Optional[str] = ..., to_address: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ..., template_name: _Optional[str] = ..., language: _Optional[str] = ..., variables: _Optional[_Mapping[str, str]] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ...) -> None: ...

class SendMessageResponse(_message.Message):
    __slots__ = ("message", "replayed")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    message: Message
    replayed: bool
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class GetMessageRequest(_message.Message):
    __slots__ = ("message_id",)
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    def __init__(self, message_id: _Optional[str] = ...) -> None: ...

class GetMessageResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class ListMessagesRequest(_message.Message):
    __slots__ = ("party_id", "page_size", "page_token")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    page_size: int
    page_token: str
    def __init__(self, party_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMessagesResponse(_message.Message):
    __slots__ = ("messages", "next_page_token")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    next_page_token: str
    def __init__(self, messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UnsubscribeRequest(_message.Message):
    __slots__ = ("message_id",)
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    def __init__(self, message_id: _Optional[str] = ...) -> None: ...

class UnsubscribeResponse(_message.Message):
    __slots__ = ("channel", "address")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    channel: Channel
    address: str
    def __init__(self, channel: _Optional[_Union[Channel, str]] = ..., address: _Optional[str] = ...) -> None: ...

class Consent(_message.Message):
    __slots__ = ("party_id", "address", "channel", "purpose", "granted", "source", "changed_at")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    address: str
    channel: Channel
    purpose: Purpose
    granted: bool
    source: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, party_id: _Optional[str] = ..., address: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., purpose: _Optional[_Union[Purpose, str]] = ..., granted: _Optional[bool] = ..., source: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SetConsentRequest(_message.Message):
    __slots__ = ("party_id", "address", "channel", "purpose", "granted", "source")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    address: str
    channel: Channel
    purpose: Purpose
    granted: bool
    source: str
    def __init__(self, party_id: _Optional[str] = ..., address: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., purpose: _Optional[_Union[Purpose, str]] = ..., granted: _Optional[bool] = ..., source: _Optional[str] = ...) -> None: ...

class SetConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ...) -> None: ...

class ListConsentsRequest(_message.Message):
    __slots__ = ("party_id", "address")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    address: str
    def __init__(self, party_id: _Optional[str] = ..., address: _Optional[str] = ...) -> None: ...

class ListConsentsResponse(_message.Message):
    __slots__ = ("consents",)
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    def __init__(self, consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ...) -> None: ...

class Template(_message.Message):
    __slots__ = ("name", "channel", "language", "subject", "text", "html", "provider_template", "placeholders")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    PLACEHOLDERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    channel: Channel
    language: str
    subject: str
    text: str
    html: str
    provider_template: str
    placeholders: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., language: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ..., provider_template: _Optional[str] = ..., placeholders: _Optional[_Iterable[str]] = ...) -> None: ...

class PutTemplateRequest(_message.Message):
    __slots__ = ("template",)
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    template: Template
    def __init__(self, template: _Optional[_Union[Template, _Mapping]] = ...) -> None: ...

class PutTemplateResponse(_message.Message):
    __slots__ = ("template",)
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    template: Template
    def __init__(self, template: _Optional[_Union[Template, _Mapping]] = ...) -> None: ...

class PreviewTemplateRequest(_message.Message):
    __slots__ = ("name", "channel", "language", "party_id", "variables")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    name: str
    channel: Channel
    language: str
    party_id: str
    variables: _containers.ScalarMap[str, str]
    def __init__(self, name: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., language: _Optional[str] = ..., party_id: _Optional[str] = ..., variables: _Optional[_Mapping[str, str]] = ...) -> None: ...

class PreviewTemplateResponse(_message.Message):
    __slots__ = ("subject", "text", "html")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    subject: str
    text: str
    html: str
    def __init__(self, subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ...) -> None: ...

class Recipient(_message.Message):
    __slots__ = ("party_id", "address", "variables")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    address: str
    variables: _containers.ScalarMap[str, str]
    def __init__(self, party_id: _Optional[str] = ..., address: _Optional[str] = ..., variables: _Optional[_Mapping[str, str]] = ...) -> None: ...

class CampaignProgress(_message.Message):
    __slots__ = ("total", "pending", "queued", "sent", "delivered", "failed", "opted_out")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    SENT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    OPTED_OUT_FIELD_NUMBER: _ClassVar[int]
    total: int
    pending: int
    queued: int
    sent: int
    delivered: int
    failed: int
    opted_out: int
    def __init__(self, total: _Optional[int] = ..., pending: _Optional[int] = ..., queued: _Optional[int] = ..., sent: _Optional[int] = ..., delivered: _Optional[int] = ..., failed: _Optional[int] = ..., opted_out: _Optional[int] = ...) -> None: ...

class Campaign(_message.Message):
    __slots__ = ("id", "name", "channel", "purpose", "template_name", "language", "status", "rate_per_second", "scheduled_at", "progress", "created_at", "segment_id", "resolved_at", "skipped_no_address", "failure_reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_NAME_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RATE_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_AT_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_NO_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    channel: Channel
    purpose: Purpose
    template_name: str
    language: str
    status: str
    rate_per_second: int
    scheduled_at: _timestamp_pb2.Timestamp
    progress: CampaignProgress
    created_at: _timestamp_pb2.Timestamp
    segment_id: str
    resolved_at: _timestamp_pb2.Timestamp
    skipped_no_address: int
    failure_reason: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., purpose: _Optional[_Union[Purpose, str]] = ..., template_name: _Optional[str] = ..., language: _Optional[str] = ..., status: _Optional[str] = ..., rate_per_second: _Optional[int] = ..., scheduled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., progress: _Optional[_Union[CampaignProgress, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., segment_id: _Optional[str] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., skipped_no_address: _Optional[int] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class CreateCampaignRequest(_message.Message):
    __slots__ = ("idempotency_key", "name", "channel", "purpose", "template_name", "language", "recipients", "rate_per_second", "scheduled_at", "segment_id")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_NAME_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    RATE_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_AT_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    name: str
    channel: Channel
    purpose: Purpose
    template_name: str
    language: str
    recipients: _containers.RepeatedCompositeFieldContainer[Recipient]
    rate_per_second: int
    scheduled_at: _timestamp_pb2.Timestamp
    segment_id: str
    def __init__(self, idempotency_key: _Optional[str] = ..., name: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., purpose: _Optional[_Union[Purpose, str]] = ..., template_name: _Optional[str] = ..., language: _Optional[str] = ..., recipients: _Optional[_Iterable[_Union[Recipient, _Mapping]]] = ..., rate_per_second: _Optional[int] = ..., scheduled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., segment_id: _Optional[str] = ...) -> None: ...

class CreateCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: Campaign
    def __init__(self, campaign: _Optional[_Union[Campaign, _Mapping]] = ...) -> None: ...

class GetCampaignRequest(_message.Message):
    __slots__ = ("campaign_id",)
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    def __init__(self, campaign_id: _Optional[str] = ...) -> None: ...

class GetCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: Campaign
    def __init__(self, campaign: _Optional[_Union[Campaign, _Mapping]] = ...) -> None: ...

class ConfigureChannelRequest(_message.Message):
    __slots__ = ("provider", "webhook_secret", "verify_token", "sender")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_SECRET_FIELD_NUMBER: _ClassVar[int]
    VERIFY_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    webhook_secret: str
    verify_token: str
    sender: str
    def __init__(self, provider: _Optional[_Union[Provider, str]] = ..., webhook_secret: _Optional[str] = ..., verify_token: _Optional[str] = ..., sender: _Optional[str] = ...) -> None: ...

class ConfigureChannelResponse(_message.Message):
    __slots__ = ("provider", "sender")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    sender: str
    def __init__(self, provider: _Optional[_Union[Provider, str]] = ..., sender: _Optional[str] = ...) -> None: ...

class GetChannelSecretsRequest(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, str]] = ...) -> None: ...

class GetChannelSecretsResponse(_message.Message):
    __slots__ = ("webhook_secret", "verify_token")
    WEBHOOK_SECRET_FIELD_NUMBER: _ClassVar[int]
    VERIFY_TOKEN_FIELD_NUMBER: _ClassVar[int]
    webhook_secret: str
    verify_token: str
    def __init__(self, webhook_secret: _Optional[str] = ..., verify_token: _Optional[str] = ...) -> None: ...

class IngestWebhookRequest(_message.Message):
    __slots__ = ("provider", "receipt_key", "content_type", "body")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_KEY_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    receipt_key: str
    content_type: str
    body: bytes
    def __init__(self, provider: _Optional[_Union[Provider, str]] = ..., receipt_key: _Optional[str] = ..., content_type: _Optional[str] = ..., body: _Optional[bytes] = ...) -> None: ...

class ScreenPop(_message.Message):
    __slots__ = ("call_id", "from_number", "agent_extension", "party")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AGENT_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    from_number: str
    agent_extension: str
    party: Party
    def __init__(self, call_id: _Optional[str] = ..., from_number: _Optional[str] = ..., agent_extension: _Optional[str] = ..., party: _Optional[_Union[Party, _Mapping]] = ...) -> None: ...

class IngestWebhookResponse(_message.Message):
    __slots__ = ("items", "screen_pops")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    SCREEN_POPS_FIELD_NUMBER: _ClassVar[int]
    items: int
    screen_pops: _containers.RepeatedCompositeFieldContainer[ScreenPop]
    def __init__(self, items: _Optional[int] = ..., screen_pops: _Optional[_Iterable[_Union[ScreenPop, _Mapping]]] = ...) -> None: ...

class Call(_message.Message):
    __slots__ = ("id", "party_id", "direction", "from_number", "to_number", "agent_extension", "status", "duration_seconds", "recording_url", "provider_call_id", "started_at", "ended_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    FROM_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TO_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AGENT_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    RECORDING_URL_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CALL_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    direction: str
    from_number: str
    to_number: str
    agent_extension: str
    status: str
    duration_seconds: int
    recording_url: str
    provider_call_id: str
    started_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., direction: _Optional[str] = ..., from_number: _Optional[str] = ..., to_number: _Optional[str] = ..., agent_extension: _Optional[str] = ..., status: _Optional[str] = ..., duration_seconds: _Optional[int] = ..., recording_url: _Optional[str] = ..., provider_call_id: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StartCallRequest(_message.Message):
    __slots__ = ("agent_extension", "party_id", "to_number")
    AGENT_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TO_NUMBER_FIELD_NUMBER: _ClassVar[int]
    agent_extension: str
    party_id: str
    to_number: str
    def __init__(self, agent_extension: _Optional[str] = ..., party_id: _Optional[str] = ..., to_number: _Optional[str] = ...) -> None: ...

class StartCallResponse(_message.Message):
    __slots__ = ("call",)
    CALL_FIELD_NUMBER: _ClassVar[int]
    call: Call
    def __init__(self, call: _Optional[_Union[Call, _Mapping]] = ...) -> None: ...

class ListCallsRequest(_message.Message):
    __slots__ = ("party_id", "page_size")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    page_size: int
    def __init__(self, party_id: _Optional[str] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListCallsResponse(_message.Message):
    __slots__ = ("calls",)
    CALLS_FIELD_NUMBER: _ClassVar[int]
    calls: _containers.RepeatedCompositeFieldContainer[Call]
    def __init__(self, calls: _Optional[_Iterable[_Union[Call, _Mapping]]] = ...) -> None: ...

class DialerEntry(_message.Message):
    __slots__ = ("id", "queue", "party_id", "phone", "note", "status", "agent_extension")
    ID_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AGENT_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    queue: str
    party_id: str
    phone: str
    note: str
    status: str
    agent_extension: str
    def __init__(self, id: _Optional[str] = ..., queue: _Optional[str] = ..., party_id: _Optional[str] = ..., phone: _Optional[str] = ..., note: _Optional[str] = ..., status: _Optional[str] = ..., agent_extension: _Optional[str] = ...) -> None: ...

class EnqueueDialerRequest(_message.Message):
    __slots__ = ("queue", "entries", "source", "sku", "days", "as_of", "min_overdue_agorot")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    MIN_OVERDUE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    queue: str
    entries: _containers.RepeatedCompositeFieldContainer[DialerEntry]
    source: str
    sku: str
    days: int
    as_of: str
    min_overdue_agorot: int
    def __init__(self, queue: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[DialerEntry, _Mapping]]] = ..., source: _Optional[str] = ..., sku: _Optional[str] = ..., days: _Optional[int] = ..., as_of: _Optional[str] = ..., min_overdue_agorot: _Optional[int] = ...) -> None: ...

class EnqueueDialerResponse(_message.Message):
    __slots__ = ("added", "skipped")
    ADDED_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    added: int
    skipped: int
    def __init__(self, added: _Optional[int] = ..., skipped: _Optional[int] = ...) -> None: ...

class NextDialerEntryRequest(_message.Message):
    __slots__ = ("queue", "agent_extension")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    AGENT_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    queue: str
    agent_extension: str
    def __init__(self, queue: _Optional[str] = ..., agent_extension: _Optional[str] = ...) -> None: ...

class NextDialerEntryResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: DialerEntry
    def __init__(self, entry: _Optional[_Union[DialerEntry, _Mapping]] = ...) -> None: ...
