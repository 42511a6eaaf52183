"""Messages in and out: the one outbound pipeline of every channel and inbound threading."""
