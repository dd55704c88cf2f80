"""Web archives (MHTML) made for tests, laid out as Chromium-based browsers save them."""

from __future__ import annotations

import base64
import quopri

BOUNDARY = "----MultipartBoundary--corpusdesk7Qx"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def web_archive(page: bytes, *, charset: str | None, encoding: str = "quoted-printable") -> bytes:
    """An MHTML file as Chromium saves one: the page first, then an image it shows."""
    body = quopri.encodestring(page) if encoding == "quoted-printable" else base64.encodebytes(page)
    content_type = "text/html" + (f'; charset="{charset}"' if charset else "")
    lines = [
        b"From: <Saved by Blink>",
        b"Snapshot-Content-Location: https://news.example/story",
        b"Subject: A story",
        b"Date: Sat, 16 Dec 2023 10:00:00 -0000",
        b"MIME-Version: 1.0",
        b'Content-Type: multipart/related;\r\n\ttype="text/html";',
        f'\tboundary="{BOUNDARY}"'.encode(),
        b"",
        b"",
        f"--{BOUNDARY}".encode(),
        f"Content-Type: {content_type}".encode(),
        b"Content-ID: <frame-1@mhtml.blink>",
        f"Content-Transfer-Encoding: {encoding}".encode(),
        b"Content-Location: https://news.example/story",
        b"",
        body,
        f"--{BOUNDARY}".encode(),
        b"Content-Type: image/png",
        b"Content-Transfer-Encoding: base64",
        b"Content-Location: https://news.example/photo.png",
        b"",
        base64.encodebytes(PNG),
        f"--{BOUNDARY}--".encode(),
        b"",
    ]
    return b"\r\n".join(lines)
