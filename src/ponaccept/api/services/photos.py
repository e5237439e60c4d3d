"""Photo evidence of service tests: JPEG/PNG only, size-limited, stored by SHA-256.

The type is decided from the file's first bytes (magic numbers), never from the client's
Content-Type or file name, so a renamed executable or HTML page is refused. Files live under
``<data_dir>/photos/<sha256[:2]>/<sha256>``: content-addressed, so the same photo uploaded twice is
stored once and a stored file can never be overwritten with different content.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ponaccept.api.errors import InvalidRequest

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SHA256_HEX_LENGTH = 64


class PayloadTooLarge(InvalidRequest):
    status = 413
    slug = "payload-too-large"
    title = "Payload too large"


def sniff(data: bytes) -> str | None:
    """``image/jpeg`` / ``image/png`` from the magic bytes, else None."""
    if data.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if data.startswith(PNG_MAGIC):
        return "image/png"
    return None


@dataclass(frozen=True)
class StoredPhoto:
    sha256: str
    content_type: str
    filename: str
    size: int

    def as_json(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "content_type": self.content_type,
            "filename": self.filename,
            "size": self.size,
        }


def photo_path(data_dir: Path, sha256: str) -> Path:
    if len(sha256) != SHA256_HEX_LENGTH or any(c not in "0123456789abcdef" for c in sha256):
        raise InvalidRequest("not a photo id", errors=[("path.sha256", "must be 64 lower-case hex digits")])
    return data_dir / "photos" / sha256[:2] / sha256


def validate_photo(data: bytes, filename: str, field: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"{filename or 'photo'} is {len(data)} bytes; the limit is {max_bytes}",
            errors=[(field, f"larger than {max_bytes} bytes")],
        )
    if not data:
        raise InvalidRequest("empty photo", errors=[(field, "the file is empty")])
    content_type = sniff(data)
    if content_type is None:
        raise InvalidRequest(
            f"{filename or 'photo'} is neither JPEG nor PNG",
            errors=[(field, "only JPEG and PNG images are accepted")],
        )
    return content_type


def store_photo(data_dir: Path, data: bytes, filename: str, content_type: str) -> StoredPhoto:
    digest = hashlib.sha256(data).hexdigest()
    target = photo_path(data_dir, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file and rename: a reader never sees half a photo.
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    return StoredPhoto(digest, content_type, filename[:200], len(data))
