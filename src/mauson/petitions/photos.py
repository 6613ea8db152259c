"""Photos attached to a petition: only real JPEG, PNG or WebP images, small, stored by content hash.

The file's first bytes decide its type, never its name or the browser's word for it, so a script
renamed `.jpg` is refused; the stored name is the SHA-256 of the content, so nothing the sender
wrote reaches the file system. Reading one back (`read()`) takes only a name of that form, and its
media type comes from the type stored at intake.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from mauson.errors import Invalid, NotFound

MAX_PHOTOS = 3
MAX_BYTES = 800_000  # below the request body limit, with room for the text
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
}
MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
STORED_NAME = re.compile(r"[0-9a-f]{64}\.(jpg|png|webp)")


def image_kind(content: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(content.startswith(s) for s in signatures) and (kind != "webp" or content[8:12] == b"WEBP"):
            return kind
    return None


def store(folder: Path, uploads: Sequence[tuple[str, bytes]]) -> list[str]:
    """Check every upload first, then write them: a bad file leaves nothing behind."""
    uploads = [(name, content) for name, content in uploads if content]
    if len(uploads) > MAX_PHOTOS:
        raise Invalid(f"Chỉ gửi được tối đa {MAX_PHOTOS} ảnh.", code="petitions.photos_count")
    named = []
    for name, content in uploads:
        kind = image_kind(content)
        if kind is None:
            raise Invalid(f"Tệp '{name[:80]}' không phải ảnh JPEG, PNG hoặc WebP.", code="petitions.photo_type")
        if len(content) > MAX_BYTES:
            raise Invalid(
                f"Ảnh '{name[:80]}' lớn hơn {MAX_BYTES // 1000} KB: hãy thu nhỏ rồi gửi lại.",
                code="petitions.photo_size",
            )
        named.append((f"{hashlib.sha256(content).hexdigest()}.{kind}", content))
    folder.mkdir(parents=True, exist_ok=True)
    for stored, content in named:
        (folder / stored).write_bytes(content)
    return [stored for stored, _ in named]


def folder_for(data_dir: Path) -> Path:
    return data_dir / "petitions" / "photos"


def media_type(name: str) -> str:
    """The media type of a stored photo, from the type decided at intake (its name's suffix)."""
    return MEDIA_TYPES[name.rsplit(".", 1)[-1]]


def read(folder: Path, name: str) -> bytes:
    """The bytes of a stored photo; `name` must be a stored name (hash and type), nothing else."""
    path = folder / name
    if not STORED_NAME.fullmatch(name) or not path.is_file():
        raise NotFound("Không tìm thấy ảnh này.", code="petition.photo_not_found")
    return path.read_bytes()
