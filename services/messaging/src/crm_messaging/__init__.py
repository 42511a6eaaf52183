"""Messaging service: email, WhatsApp, SMS and telephony."""
