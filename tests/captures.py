"""Builders of saved-page captures for tests, written with the standard library's own writers:
MHTML with :mod:`email`, Safari web archives with :mod:`plistlib`, gzip and zip files."""

from __future__ import annotations

import datetime as dt
import gzip
import plistlib
import quopri
import struct
import zipfile
import zlib
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime
from pathlib import Path

CAPTURED = dt.datetime(2023, 12, 17, 8, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=2)))
"""The capture time the builders write (06:30:15 UTC)."""


def tiny_png(red: int = 200, green: int = 30, blue: int = 30) -> bytes:
    """A valid 2×2 PNG image of one colour."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    row = b"\x00" + bytes((red, green, blue)) * 2
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * 2))
        + chunk(b"IEND", b"")
    )


def mhtml(
    html: bytes,
    *,
    url: str,
    charset: str | None = "utf-8",
    captured: dt.datetime = CAPTURED,
    images: dict[str, bytes] | None = None,
    title: str = "Saved page",
) -> bytes:
    """An MHTML file as a browser saves one: the page quoted-printable, images in base64.

    ``images`` maps each image's address (``cid:ID`` for a Content-ID) to PNG bytes.
    """
    message = MIMEMultipart("related", type="text/html")
    message["From"] = "<Saved by Blink>"
    message["Snapshot-Content-Location"] = url
    message["Subject"] = title
    message["Date"] = format_datetime(captured)
    page = MIMENonMultipart("text", "html", **({"charset": charset} if charset else {}))
    page.set_payload(quopri.encodestring(html).decode("ascii"))
    page["Content-Transfer-Encoding"] = "quoted-printable"
    page["Content-Location"] = url
    message.attach(page)
    for location, data in (images or {}).items():
        image = MIMEImage(data, "png")
        if location.startswith("cid:"):
            image["Content-ID"] = f"<{location[4:]}>"
        else:
            image["Content-Location"] = location
        message.attach(image)
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def webarchive(
    html: bytes, *, url: str, charset: str = "UTF-8", images: dict[str, bytes] | None = None
) -> bytes:
    """A Safari web archive (binary property list) of the page and its images."""
    archive = {
        "WebMainResource": {
            "WebResourceData": html,
            "WebResourceFrameName": "",
            "WebResourceMIMEType": "text/html",
            "WebResourceTextEncodingName": charset,
            "WebResourceURL": url,
        },
        "WebSubresources": [
            {"WebResourceData": data, "WebResourceMIMEType": "image/png", "WebResourceURL": where}
            for where, data in (images or {}).items()
        ],
    }
    return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)


def gzipped(data: bytes) -> bytes:
    """``data`` gzip-compressed."""
    return gzip.compress(data, mtime=int(CAPTURED.timestamp()))


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip archive at ``path`` holding ``members`` (name → bytes), deflated."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def page_with_image(text: str, src: str, *, title: str = "Harbour crane returns") -> bytes:
    """A small article page showing one image, with non-ASCII text."""
    paragraphs = "\n".join(
        f"<p>{text} The harbour’s new crane, part {n}, lifts the bridge’s last span — "
        f"café owners on the quay cheered as it rose above the water.</p>"
        for n in range(4)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="author" content="Mara Quill">
<meta property="article:published_time" content="2023-12-16T09:00:00+00:00">
</head><body><nav><a href="/">Home</a></nav>
<article><h1>{title}</h1>
<figure><img src="{src}" alt="The crane at dawn"></figure>
{paragraphs}
</article><footer>Harbour Gazette</footer></body></html>
""".encode()
