from crm_common.outbox.writer import add_event, event_type_of

__all__ = ["add_event", "event_type_of"]
