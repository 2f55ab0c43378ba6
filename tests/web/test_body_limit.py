"""Request bodies are refused while they stream in: an announced or streamed body over the
limit gets 413 before it is read whole; ordinary uploads pass."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from xietong.web.limits import MAX_BODY


def test_an_announced_large_body_is_refused_unread(client: TestClient) -> None:
    sent = {"n": 0}

    def body() -> Iterator[bytes]:
        for _ in range(64):
            sent["n"] += 1
            yield b"x" * 2**20

    response = client.post(
        "/api/v1/progress",
        content=body(),
        headers={"content-length": str(64 * 2**20), "content-type": "multipart/form-data"},
    )
    assert response.status_code == 413
    assert "12 MB" in response.json()["detail"] and "上限" in response.json()["detail"]


def test_a_streamed_large_body_is_cut_off(client: TestClient) -> None:
    def body() -> Iterator[bytes]:
        yield b'--b0\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        for _ in range(40):
            yield b"x" * 2**20

    response = client.post(
        "/progress/upload",
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=b0"},
    )
    assert response.status_code == 413
    assert "12 MB" in response.text


def test_an_ordinary_upload_passes(client: TestClient) -> None:
    csv = b"target_id,period,value\ncoal-share-2025,2023,30.5\n"
    response = client.post(
        "/api/v1/progress", files={"file": ("p.csv", csv, "text/csv")}, data={"actor": "t"}
    )
    assert response.status_code < 400, response.text
    assert len(csv) < MAX_BODY
