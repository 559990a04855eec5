"""Draw the QR code that opens a list on a phone (segno): SVG for the page, PNG for the PDF."""

from __future__ import annotations

import io

import segno

#: Error correction "M" survives a crease or a smudge on a printed sheet.
ERROR = "m"
#: The quiet zone around the code, in modules (the standard's minimum).
BORDER = 4


def make(address: str) -> segno.QRCode:
    """Return the QR code for ``address`` (never a Micro QR: phones read only full codes)."""
    return segno.make(address, error=ERROR, micro=False)


def svg(address: str, title: str) -> bytes:
    """Return the code as a standalone SVG document with a title, scaled by its viewBox."""
    out = io.BytesIO()
    make(address).save(
        out, kind="svg", border=BORDER, title=title, svgclass="qr", lineclass=None, omitsize=True
    )
    return out.getvalue()


def png(address: str, scale: int = 8) -> bytes:
    """Return the code as a black-and-white PNG, ``scale`` pixels a module."""
    out = io.BytesIO()
    make(address).save(out, kind="png", scale=scale, border=BORDER)
    return out.getvalue()
