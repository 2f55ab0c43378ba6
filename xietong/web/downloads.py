"""A file written on request and sent as a download: written into a folder of its own, which
is removed once the response is sent (or at once when writing fails, so nothing is left)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from fastapi.responses import FileResponse
from starlette.background import BackgroundTask


def written_file(write: Callable[[Path], None], filename: str, media_type: str) -> FileResponse:
    """The file ``write`` puts at the path it is given, sent as ``filename``."""
    folder = Path(tempfile.mkdtemp(prefix="xietong-download-"))
    path = folder / filename
    try:
        write(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        path,
        filename=filename,
        media_type=media_type,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
