"""Email over SMTP (aiosmtplib): text + HTML alternatives, RTL markup, attachments,
List-Unsubscribe (RFC 2369) and one-click unsubscribe (RFC 8058).
"""

from __future__ import annotations

import html as html_lib
from email.message import EmailMessage
from email.utils import make_msgid

import aiosmtplib

from crm_messaging.providers.base import (
    OutboundMessage,
    PermanentSendError,
    SendResult,
    TransientSendError,
)

RTL_LANGUAGES = {"he", "ar", "yi", "fa"}


def html_document(body: str, language: str) -> str:
    """Wrap an HTML fragment in a document with the right direction.

    Hebrew needs ``dir="rtl"`` on ``<html>`` *and* an explicit right alignment
    on the body, because several mail clients (Gmail web, Outlook) drop the
    ``<html>`` attributes when they inline the message.
    """
    if body.lstrip().lower().startswith(("<!doctype", "<html")):
        return body
    rtl = language in RTL_LANGUAGES
    direction = "rtl" if rtl else "ltr"
    align = "right" if rtl else "left"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}" dir="{direction}">\n'
        '<head><meta charset="utf-8"></head>\n'
        f'<body dir="{direction}" style="direction:{direction};text-align:{align};">\n'
        f'<div dir="{direction}">{body}</div>\n'
        "</body>\n</html>\n"
    )


def text_to_html(text: str) -> str:
    return "<br>\n".join(html_lib.escape(line) for line in text.splitlines())


def build_email(message: OutboundMessage) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = message.from_address
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    domain = message.from_address.rsplit("@", 1)[-1].rstrip(">") or "crm.example"
    mail["Message-ID"] = make_msgid(idstring=str(message.id), domain=domain)
    unsubscribe = [
        f"<{u}>"
        for u in (
            f"mailto:{message.unsubscribe_mailto}?subject=unsubscribe"
            if message.unsubscribe_mailto
            else None,
            message.unsubscribe_url,
        )
        if u
    ]
    if unsubscribe:
        mail["List-Unsubscribe"] = ", ".join(unsubscribe)
        if message.unsubscribe_url:
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in message.headers.items():
        mail[name] = value
    mail.set_content(message.text or " ", subtype="plain", charset="utf-8")
    html = message.html or text_to_html(message.text)
    mail.add_alternative(html_document(html, message.language), subtype="html", charset="utf-8")
    for att in message.attachments:
        maintype, _, subtype = att.content_type.partition("/")
        mail.add_attachment(
            att.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=att.filename,
        )
    # After the body: set_content() drops every Content-* header set before it.
    mail["Content-Language"] = message.language
    return mail


class SmtpEmailAdapter:
    channel = "email"
    # SMTP has no idempotency key: a send cut off by a crash is not retried blindly.
    supports_idempotency = False

    def __init__(
        self,
        *,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout_s: float = 30.0,
    ) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.starttls = starttls
        self.timeout_s = timeout_s

    async def send(self, message: OutboundMessage) -> SendResult:
        mail = build_email(message)
        try:
            await aiosmtplib.send(
                mail,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.starttls,
                timeout=self.timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise PermanentSendError(f"recipient refused: {exc}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            if 400 <= exc.code < 500:
                raise TransientSendError(f"SMTP {exc.code}: {exc.message}") from exc
            raise PermanentSendError(f"SMTP {exc.code}: {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TransientSendError(f"SMTP server unreachable: {exc!r}") from exc
        return SendResult(provider_message_id=str(mail["Message-ID"]))

    async def close(self) -> None:
        return None
