"""The text encoding of an uploaded CSV file: UTF-8 (with or without a byte-order mark),
UTF-16 with its mark, else GB18030 — a superset of GBK, what Chinese Excel saves as "CSV"."""

from __future__ import annotations

import codecs
from pathlib import Path


def detect_encoding(path: Path) -> str:
    """The text encoding of a CSV file: ``utf-8-sig`` when it is UTF-8 (with or without a
    byte-order mark), ``utf-16`` with a UTF-16 mark, else ``gb18030`` (which reads GBK, what
    Chinese Excel saves as "CSV"). The whole file is checked, a block at a time."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := fh.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"
