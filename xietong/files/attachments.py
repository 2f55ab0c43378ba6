"""Evidence files attached to task reports: what is accepted, and where the bytes are kept.

Only documents and images a body sends as evidence are accepted: PDF, OFD, Word and Excel
(.docx, .xlsx), PNG and JPEG images, and CSV or plain text; at most :data:`MAX_BYTES` each.
A file's content must be what its name says (its leading bytes are checked: ``%PDF-`` for
PDF, the ZIP signature for OFD/DOCX/XLSX, the PNG and JPEG signatures; text decodes as UTF-8
or GB18030 and holds no NUL byte), so a program renamed ``.pdf`` is refused. The bytes are
kept outside the database, content-addressed (``<folder>/<sha256[:2]>/<sha256>``), written
once and checked against their SHA-256 whenever they are read back; they are only ever
served as downloads (``Content-Disposition: attachment``, ``application/octet-stream``,
``nosniff``), never rendered by the browser.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from xietong.errors import ReportRefused

MAX_BYTES = 10 * 1024 * 1024
"""The largest attachment (bytes)."""

MAX_PER_REPORT = 20
"""The most attachments one task report keeps."""

_ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".ofd": (_ZIP,),
    ".docx": (_ZIP,),
    ".xlsx": (_ZIP,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
"""The leading bytes each binary type must start with."""

TEXT_TYPES = frozenset({".csv", ".txt"})

ALLOWED = tuple(sorted({*SIGNATURES, *TEXT_TYPES}))
"""Every extension accepted."""


def safe_name(filename: str) -> str:
    """The file's own name without any folder, control or path characters (at most 120
    characters, the extension kept), as it is shown and offered for download.

    >>> safe_name("../../etc/报告 2025.PDF")
    '报告 2025.PDF'
    """
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:120]
    return name or "attachment"


def check_attachment(filename: str, data: bytes) -> str:
    """The safe name of an acceptable attachment; ReportRefused (zh/en) naming the file when
    its type is not accepted, its content is not what its name says, it is empty or larger
    than :data:`MAX_BYTES`."""
    name = safe_name(filename)
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED:
        raise ReportRefused(
            f"附件 {name} 的类型不允许;可上传 {'、'.join(ALLOWED)}",
            f"attachment {name}: type not accepted; accepted are {', '.join(ALLOWED)}",
        )
    if not data:
        raise ReportRefused(f"附件 {name} 是空文件", f"attachment {name} is empty")
    if len(data) > MAX_BYTES:
        raise ReportRefused(
            f"附件 {name} 超过 {MAX_BYTES // 2**20} MB 上限",
            f"attachment {name} is larger than {MAX_BYTES // 2**20} MB",
        )
    if ext in TEXT_TYPES:
        if b"\x00" in data or not _decodes(data):
            raise ReportRefused(
                f"附件 {name} 不是文本文件(请用 UTF-8 或 GBK 编码)",
                f"attachment {name} is not a text file (UTF-8 or GBK)",
            )
    elif not data.startswith(SIGNATURES[ext]):
        raise ReportRefused(
            f"附件 {name} 的内容与扩展名 {ext} 不符",
            f"attachment {name}: its content is not a {ext} file",
        )
    return name


def _decodes(data: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def path_of(folder: Path, sha256: str) -> Path:
    """Where the bytes of ``sha256`` are kept under ``folder``."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a SHA-256 digest")
    return folder / sha256[:2] / sha256


def store_attachment(folder: Path, data: bytes) -> str:
    """Keep ``data`` under ``folder`` (written once, atomically: a temporary file renamed);
    its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(folder, digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def read_attachment(folder: Path, sha256: str) -> bytes:
    """The bytes kept for ``sha256``; ReportRefused when they are missing or no longer match
    their checksum."""
    path = path_of(folder, sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportRefused("附件文件缺失", "the attachment's file is missing") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ReportRefused(
            "附件文件已损坏(校验值不符)", "the attachment's file is damaged (checksum)"
        )
    return data
