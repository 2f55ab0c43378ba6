"""Evidence files: only documents and images whose content is what their name says, at most
10 MB; kept content-addressed outside the database and checked when read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.errors import ReportRefused
from xietong.files.attachments import (
    MAX_BYTES,
    check_attachment,
    path_of,
    read_attachment,
    safe_name,
    store_attachment,
)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
XLSX = b"PK\x03\x04" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("报告.pdf", PDF),
        ("photo.PNG", PNG),
        ("表.xlsx", XLSX),
        ("说明.txt", "进展情况".encode("gb18030")),
        ("data.csv", b"a,b\n1,2\n"),
    ],
)
def test_documents_and_images_are_accepted(name: str, data: bytes) -> None:
    assert check_attachment(name, data) == name


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("setup.exe", b"MZ\x90\x00", "类型不允许"),
        ("page.html", b"<html><script>alert(1)</script>", "类型不允许"),
        ("image.svg", b"<svg onload=alert(1)>", "类型不允许"),
        ("fake.pdf", b"MZ\x90\x00 this is a program", "不符"),
        ("fake.png", PDF, "不符"),
        ("binary.txt", b"abc\x00def", "不是文本"),
        ("empty.pdf", b"", "空文件"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_BYTES, "上限"),
    ],
)
def test_anything_else_is_refused_naming_the_file(name: str, data: bytes, why: str) -> None:
    with pytest.raises(ReportRefused) as found:
        check_attachment(name, data)
    assert why in found.value.zh and name.split(".")[0] in found.value.zh
    assert found.value.en


def test_names_lose_folders_and_control_characters() -> None:
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\Users\\a\\证明.pdf") == "证明.pdf"
    assert safe_name("a\x00b\r\n.pdf") == "ab.pdf"
    assert safe_name('x<>:"|?*.pdf') == "x_______.pdf"
    long = safe_name("长" * 300 + ".pdf")
    assert len(long) == 120 and long.endswith(".pdf")
    assert safe_name("...") == "attachment"


def test_bytes_are_kept_once_and_checked_when_read(tmp_path: Path) -> None:
    digest = store_attachment(tmp_path, PDF)
    assert store_attachment(tmp_path, PDF) == digest
    assert read_attachment(tmp_path, digest) == PDF
    assert len(list(tmp_path.rglob("*"))) == 2  # one folder, one file
    path_of(tmp_path, digest).write_bytes(PDF + b"tampered")
    with pytest.raises(ReportRefused, match="损坏"):
        read_attachment(tmp_path, digest)
    with pytest.raises(ReportRefused, match="缺失"):
        read_attachment(tmp_path, "0" * 64)
    with pytest.raises(ValueError):
        path_of(tmp_path, "../../etc/passwd")
