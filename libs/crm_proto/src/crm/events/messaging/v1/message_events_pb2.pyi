import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MessageQueued(_message.Message):
    __slots__ = ("message_id", "party_id", "channel", "purpose", "to_address", "subject", "campaign_id", "queued_at")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    TO_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    QUEUED_AT_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    party_id: str
    channel: str
    purpose: str
    to_address: str
    subject: str
    campaign_id: str
    queued_at: _timestamp_pb2.Timestamp
    def __init__(self, message_id: _Optional[str] = ..., party_id: _Optional[str] = ..., channel: _Optional[str] = ..., purpose: _Optional[str] = ..., to_address: _Optional[str] = ..., subject: _Optional[str] = ..., campaign_id: _Optional[str] = ..., queued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MessageSent(_message.Message):
    __slots__ = ("message_id", "party_id", "channel", "purpose", "to_address", "subject", "preview", "provider_message_id", "campaign_id", "segments", "cost_agorot", "sent_at")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    TO_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PREVIEW_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    COST_AGOROT_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    party_id: str
    channel: str
    purpose: str
    to_address: str
    subject: str
    preview: str
    provider_message_id: str
    campaign_id: str
    segments: int
    cost_agorot: int
    sent_at: _timestamp_pb2.Timestamp
    def __init__(self, message_id: _Optional[str] = ..., party_id: _Optional[str] = ..., channel: _Optional[str] = ..., purpose: _Optional[str] = ..., to_address: _Optional[str] = ..., subject: _Optional[str] = ..., preview: _Optional[str] = ..., provider_message_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., segments: _Optional[int] = ..., cost_agorot: _Optional[int] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MessageStatusChanged(_message.Message):
    __slots__ = ("message_id", "party_id", "channel", "status", "reason", "campaign_id", "changed_at")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    party_id: str
    channel: str
    status: str
    reason: str
    campaign_id: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, message_id: _Optional[str] = ..., party_id: _Optional[str] = ..., channel: _Optional[str] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ..., campaign_id: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MessageReceived(_message.Message):
    __slots__ = ("message_id", "party_id", "channel", "from_address", "subject", "text", "thread_id", "provider_message_id", "received_at")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    party_id: str
    channel: str
    from_address: str
    subject: str
    text: str
    thread_id: str
    provider_message_id: str
    received_at: _timestamp_pb2.Timestamp
    def __init__(self, message_id: _Optional[str] = ..., party_id: _Optional[str] = ..., channel: _Optional[str] = ..., from_address: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., thread_id: _Optional[str] = ..., provider_message_id: _Optional[str] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CallStarted(_message.Message):
    __slots__ = ("call_id", "party_id", "direction", "from_number", "to_number", "agent_extension", "started_at")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    FROM_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TO_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AGENT_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    party_id: str
    direction: str
    from_number: str
    to_number: str
    agent_extension: str
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, call_id: _Optional[str] = ..., party_id: _Optional[str] = ..., direction: _Optional[str] = ..., from_number: _Optional[str] = ..., to_number: _Optional[str] = ..., agent_extension: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CallEnded(_message.Message):
    __slots__ = ("call_id", "party_id", "direction", "from_number", "to_number", "agent_extension", "duration_seconds", "answered", "ended_at")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    FROM_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TO_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AGENT_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    party_id: str
    direction: str
    from_number: str
    to_number: str
    agent_extension: str
    duration_seconds: int
    answered: bool
    ended_at: _timestamp_pb2.Timestamp
    def __init__(self, call_id: _Optional[str] = ..., party_id: _Optional[str] = ..., direction: _Optional[str] = ..., from_number: _Optional[str] = ..., to_number: _Optional[str] = ..., agent_extension: _Optional[str] = ..., duration_seconds: _Optional[int] = ..., answered: _Optional[bool] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CallRecorded(_message.Message):
    __slots__ = ("call_id", "party_id", "recording_url", "recorded_at")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDING_URL_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    party_id: str
    recording_url: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, call_id: _Optional[str] = ..., party_id: _Optional[str] = ..., recording_url: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConsentChanged(_message.Message):
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
    channel: str
    purpose: str
    granted: bool
    source: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, party_id: _Optional[str] = ..., address: _Optional[str] = ..., channel: _Optional[str] = ..., purpose: _Optional[str] = ..., granted: _Optional[bool] = ..., source: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
