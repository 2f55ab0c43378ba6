"""What the printed reports share: a Word document in the reports' font (python-docx), a table
of text cells, pictures, and a PDF from an HTML template in ``data/reports`` (WeasyPrint,
Noto Sans CJK embedded)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, select_autoescape

from xietong.datafiles import data_path

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

FONT = "Noto Sans CJK SC"
"""The reports' font (installed by the set-up; WeasyPrint embeds it in the PDF)."""
ESTIMATE_MARK = "※"
"""The marker of a figure that rests on an estimate or a demo value."""
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
"""The media type of each file format the reports are written in."""


def new_document(size: float = 10) -> DocxDocument:
    """An empty Word document whose normal text is :data:`FONT` at ``size`` points (East
    Asian text included)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.rPr.find(qn("w:rFonts"))
    if fonts is not None:
        fonts.set(qn("w:eastAsia"), FONT)
    return doc


def add_table(doc: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A bordered table with a header row and one row per ``rows`` item."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, headers, strict=True):
        cell.text = label
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value


def add_picture(doc: DocxDocument, png: bytes, width_cm: float = 16) -> None:
    """The PNG image ``png`` as a picture ``width_cm`` wide."""
    from docx.shared import Cm

    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))


def render_html(template: str, **context: Any) -> str:
    """The HTML template ``data/reports/<template>`` rendered with ``context`` (every value
    escaped)."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    text = data_path("reports", template).read_text(encoding="utf-8")
    return env.from_string(text).render(**context)


def write_pdf(html: str, path: Path) -> None:
    """``html`` printed to a PDF at ``path`` (WeasyPrint; the CJK font is embedded)."""
    from weasyprint import HTML

    HTML(string=html).write_pdf(str(path))
