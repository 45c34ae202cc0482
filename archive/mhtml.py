"""MHTML ("Save as single file" in Chrome and Edge): the page's HTML part and its URL."""

from __future__ import annotations

import email
import email.policy
import re

_MHTML_START = re.compile(rb"^(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){0,30}?"
                          rb"content-type:\s*multipart/related", re.IGNORECASE)


def looks_like_mhtml(data: bytes) -> bool:
    """MIME headers at the top announcing a multipart/related document."""
    return bool(_MHTML_START.match(data[:8192]))


class MhtmlError(Exception):
    """An MHTML file that cannot be read; the message says why."""


def html_part(data: bytes) -> tuple[bytes, str | None, str | None] | None:
    """(HTML bytes, charset, Content-Location) of the first text/html part, or None.
    Quoted-printable and base64 parts are decoded by the standard email package, which
    parses nested multiparts by recursion: a file nested too deep for it is an MhtmlError
    (5,000 levels cost 0.3 s to refuse; browsers write one)."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes) and payload:
                    location = part.get("Content-Location") or message.get("Snapshot-Content-Location")
                    return payload, part.get_content_charset(), str(location) if location else None
    except RecursionError:
        raise MhtmlError("an MHTML file nested too deeply to read (multipart inside multipart)") from None
    return None
