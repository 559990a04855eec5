"""Draw the referral sheet as a PDF with reportlab, in the language forced around the call.

reportlab's standard fonts (Helvetica) need no font files and write WinAnsi text, which
covers Spanish (á, ñ, ¿, ¡, ü, the dashes and quotes); their text is extractable. Characters
outside it are written as their nearest Latin letters where Unicode gives one. The sheet is
Letter-sized, about three groups a page, every link printed as its full address, the 988
Lifeline at the top of the first page and in every page's footer.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from xml.sax.saxutils import escape

from flask_babel import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from directory.i18n import current_locale
from directory.referral import qr
from directory.referral.sheet import Entry
from directory.web import words

MARGIN = 0.55 * inch
QR_SIZE = 1.25 * inch
#: The frame's width: the page less its margins and the frame's own 6 pt padding each side.
TEXT_WIDTH = LETTER[0] - 2 * MARGIN - 12
LABEL_WIDTH = 1.6 * inch
#: Spaces babel and the schedule words use that WinAnsi lacks, as a plain space.
_SPACES = dict.fromkeys(map(ord, "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
#: Latin letters WinAnsi lacks that Unicode does not decompose (a stroke, a dotless i), and
#: the plain letter written instead.
_PLAIN = str.maketrans("ŁłĐđĦħıŦŧĿŀȽƚ", "LlDdHhiTtLlLl")

_BASE = ParagraphStyle("sheet", fontName="Helvetica", fontSize=9, leading=11.5)
STYLES = {
    "body": _BASE,
    "crisis": ParagraphStyle(
        "crisis", parent=_BASE, fontSize=10.5, leading=13, borderColor=colors.black,
        borderWidth=1, borderPadding=5, spaceAfter=10,
    ),
    "title": ParagraphStyle("title", parent=_BASE, fontName="Helvetica-Bold", fontSize=16,
                            leading=19, spaceAfter=4),
    "name": ParagraphStyle("name", parent=_BASE, fontName="Helvetica-Bold", fontSize=11.5,
                           leading=14, spaceBefore=6, spaceAfter=1),
    "meta": ParagraphStyle("meta", parent=_BASE, textColor=colors.HexColor("#333333")),
    "notice": ParagraphStyle("notice", parent=_BASE, fontName="Helvetica-Bold", spaceAfter=2),
    "label": ParagraphStyle("label", parent=_BASE, fontName="Helvetica-Bold"),
    "small": ParagraphStyle("small", parent=_BASE, fontSize=8, leading=10),
    "foot": ParagraphStyle("foot", parent=_BASE, fontSize=10, leading=13, spaceBefore=10),
}  # fmt: skip


def pdf_text(value: object) -> str:
    """Return text the standard fonts can write: odd spaces plain, other letters simplified."""
    text = str(value).translate(_SPACES)
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char.translate(_PLAIN))
            simple = plain.encode("cp1252", "ignore").decode("cp1252")
            out.append(simple or char)
    return "".join(out)


def _para(value: object, style: str = "body") -> Paragraph:
    return Paragraph(escape(pdf_text(value)), STYLES[style])


def _link(url: str, text: str | None = None, shown: str | None = None) -> str:
    """Return paragraph markup for a link that prints its full address (or ``text``).

    ``shown`` is markup to print instead (the address broken into lines).
    """
    shown = shown or escape(pdf_text(text or url))
    return f'<a href="{escape(url, {chr(34): "&quot;"})}" color="#1d4f91">{shown}</a>'


def _lines(parts: Iterable[str]) -> Paragraph:
    """Return a paragraph of markup lines joined by line breaks."""
    return Paragraph("<br/>".join(part for part in parts if part), STYLES["body"])


def _when(item) -> Paragraph:
    parts = [escape(pdf_text(text)) for text in item.schedule_texts]
    if item.next_meetings:
        meetings = "; ".join(pdf_text(words.meeting_time(start)) for start in item.next_meetings)
        parts.append(f"<b>{escape(pdf_text(gettext('Next meetings')))}:</b> {escape(meetings)}")
    elif not item.not_meeting:
        no_meetings = "No upcoming meetings are listed. Please contact the group before you go."
        parts.append(escape(pdf_text(gettext(no_meetings))))
    return _lines(parts)


def _join(item) -> Paragraph:
    if not item.has_join:
        shared = "The organiser shares the joining details on request: contact the group below."
        return _para(gettext(shared))
    parts = [_link(item.join.url)] if item.join.url else []
    if item.join.phone:
        parts.append(escape(pdf_text(gettext("Dial in: %(phone)s", phone=item.join.phone))))
    if item.join.instructions:
        parts.append(escape(pdf_text(item.join.instructions)))
    return _lines(parts)


def _contact(item) -> Paragraph:
    parts = [escape(pdf_text(item.contact_name))] if item.contact_name else []
    if item.phone:
        parts.append(_link(words.tel_href(item.phone), item.phone))
    if item.email:
        parts.append(_link(f"mailto:{item.email}", item.email))
    if item.website:
        parts.append(_link(item.website))
    return _lines(parts) if parts else _para(gettext("No public contact is listed."))


def _current(item) -> Paragraph:
    text = item.freshness.text
    if item.verified_at:
        day = words.long_date(item.verified_at)
        text += " (" + gettext("last confirmed on %(day)s", day=day) + ")"
    return _para(text)


def _rows(item) -> list[tuple[str, Paragraph]]:
    """Return the (label, value) rows of one listing, as the HTML sheet's details."""
    rows = [(gettext("When"), _when(item))]
    if item.place:
        where = [escape(pdf_text(", ".join(item.place.lines)))]
        if item.place.directions_url:
            where.append(
                escape(pdf_text(gettext("Directions:"))) + " " + _link(item.place.directions_url)
            )
        rows.append((gettext("Where"), _lines(where)))
    if item.online:
        heading = "How to join by phone" if item.format == "phone" else "How to join online"
        rows.append((gettext(heading), _join(item)))
    rows.append((gettext("Contact"), _contact(item)))
    cost = item.cost_label + (f" ({item.cost_note})" if item.cost_note else "")
    rows.append((gettext("Cost"), _para(cost)))
    if item.languages:
        rows.append((gettext("Languages"), _para(", ".join(name for _, name in item.languages))))
    access = ", ".join(label for _, label in item.accessibility)
    rows.append(
        (gettext("Accessibility"), _para(access or gettext("Not listed: ask the organiser")))
    )
    registration = (
        gettext("Required: contact the group first")
        if item.registration_required
        else gettext("Not needed: just come along")
    )
    rows.append((gettext("Registration"), _para(registration)))
    rows.append((gettext("How current"), _current(item)))
    if item.url:
        rows.append((gettext("Listing"), _lines([_link(item.url)])))
    return rows


def _entry(entry: Entry) -> Table:
    """Return one group's block: one table that moves to the next page whole, never split.

    One table (name rows spanning both columns, then the details) lays out faster than a
    KeepTogether of paragraphs and tables; the labels are plain strings, drawn without
    paragraph parsing.
    """
    item = entry.listing
    if item is None:
        name = entry.closed_name or gettext("Group number %(number)s", number=entry.id)
        gone = gettext("No longer listed.") + " "
        gone += gettext("This group is no longer in the directory. Please choose another group.")
        head, rows = [_para(name, "name"), _para(gone, "notice")], []
    else:
        meta = item.format_label
        if item.host:
            meta += " · " + gettext("Hosted by %(org)s", org=item.host.name)
        head = [_para(item.name, "name"), _para(meta, "meta")]
        if item.not_meeting:
            head.append(_para(item.not_meeting + ".", "notice"))
        if item.freshness.stale:
            head.append(_para(item.freshness.text + ".", "notice"))
        rows = _rows(item)
    data = [[flowable, ""] for flowable in head] + [[pdf_text(k), v] for k, v in rows]
    table = Table(
        data,
        colWidths=(LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH),
        hAlign="LEFT",
        splitByRow=0,
        splitInRow=0,
    )
    first = len(head)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ("FONT", (0, first), (0, -1), "Helvetica-Bold", _BASE.fontSize, _BASE.leading),
        *[("SPAN", (0, row), (1, row)) for row in range(first)],
    ]
    table.setStyle(TableStyle(commands))
    return table


def _crisis() -> Paragraph:
    text = gettext(
        "Call or text 988 (Suicide & Crisis Lifeline), day and night. In an emergency call 911."
    )
    return Paragraph(
        f"<b>{escape(pdf_text(gettext('In crisis?')))}</b> {escape(pdf_text(text))}",
        STYLES["crisis"],
    )


#: The width of the QR code's column, where the list's address is printed under it.
SCAN_WIDTH = 2.3 * inch


def address_lines(address: str, width: float, font: str, size: float) -> list[str]:
    """Return ``address`` in lines that fit ``width``, broken before a "?" or "&" only.

    So someone typing it from paper never meets a group number split across two lines
    (a single piece too long for a line is left to the paragraph to split).
    """
    lines = [""]
    for piece in re.split(r"(?=[?&])", address):
        if lines[-1] and stringWidth(lines[-1] + piece, font, size) > width:
            lines.append(piece)
        else:
            lines[-1] += piece
    return lines


def _header(address: str, prepared: dt.date) -> Table:
    """Return the first page's heading: title, date and the QR code with the list's link."""
    made = gettext(
        "From the Peer Support Directory, %(day)s. Details can change: please check with a "
        "group before you go.",
        day=words.long_date(prepared),
    )
    left = [_para(gettext("Peer support groups"), "title"), _para(made)]
    code = Image(io.BytesIO(qr.png(address)), width=QR_SIZE, height=QR_SIZE)
    style = STYLES["small"]
    shown = address_lines(address, SCAN_WIDTH, style.fontName, style.fontSize)
    scan = Paragraph(
        f"{escape(pdf_text(gettext('Scan to open this list on a phone:')))}<br/>"
        + _link(address, shown="<br/>".join(escape(pdf_text(line)) for line in shown)),
        style,
    )
    table = Table([[left, [code, scan]]], colWidths=(TEXT_WIDTH - SCAN_WIDTH, SCAN_WIDTH))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _footer(canvas, doc) -> None:
    """Write the 988 line and the page number at the foot of every page."""
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    line = gettext("988 Suicide & Crisis Lifeline: call or text 988, day and night.")
    canvas.drawString(MARGIN, 0.35 * inch, pdf_text(line))
    page = gettext("Page %(number)s", number=doc.page)
    canvas.drawRightString(LETTER[0] - MARGIN, 0.35 * inch, pdf_text(page))
    canvas.restoreState()


def build(entries: list[Entry], address: str, prepared: dt.date) -> bytes:
    """Return the sheet for ``entries`` as PDF bytes, its QR code opening ``address``."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=0.65 * inch,
        title=pdf_text(gettext("Peer support groups")),
        author=pdf_text(gettext("Peer Support Directory")),
        lang=current_locale(),
    )
    story = [_crisis(), _header(address, prepared), Spacer(1, 6)]
    story += [_entry(entry) for entry in entries]
    complement = gettext("Peer support complements professional care; it does not replace it.")
    story.append(_para(complement, "foot"))
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()
