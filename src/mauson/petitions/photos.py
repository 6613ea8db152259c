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
MAX_BYTES = 800_000
# The form's own body limit: every photo at its largest, and the text and fields besides.
FORM_BYTES = MAX_PHOTOS * MAX_BYTES + 200_000
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


def checked(uploads: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Each upload as (stored name, content), all checked before anything is written: the petition
    is submitted with these names and `write()` runs only once it is accepted, so a refused
    petition (too short, rate-limited) leaves no file behind."""
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
    return named


def write(folder: Path, photos: Sequence[tuple[str, bytes]]) -> None:
    """Keep the checked photos of an accepted petition (named by content: a resend overwrites itself)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stored, content in photos:
        (folder / stored).write_bytes(content)


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
