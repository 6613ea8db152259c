"""Reading Vietnamese text whatever its encoding: UTF-8 (with or without BOM), UTF-16, and the
legacy Windows-1258; and spotting text typed with the old TCVN3 (ABC) or VNI fonts and pasted as
Latin-1 ("Lµm giÊy", "Laøm giaáy"), which cannot be read back reliably and is refused with a
message that says how to convert it.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from mauson.errors import Invalid
from mauson.vntext.normalize import nfc

# Characters that TCVN3 (ABC) and VNI text shows when pasted as Latin-1; real Vietnamese never
# uses them, so a text dense in them was typed with a legacy font.
_TCVN3_MARKS = re.compile(r"[µ¸¶·¹¨»¾¼½Æ©ÇÊËÌÎÏ×ÒÑÓÔÕÞÝ¬ãåäæ®ø]")
_VNI_MARKS = re.compile(r"[øùõûïåäñöÿ]|[ÑÖÕÙØ]")
# Letters only Vietnamese uses (not in Latin-1), so legacy-font text never contains them.
_VIETNAMESE = re.compile(r"[\u1ea0-\u1ef9ăđơưĩũ]", re.IGNORECASE)
LEGACY_MESSAGE = (
    "Văn bản được gõ bằng bảng mã cũ ({name}), không đọc được chính xác. Hãy chuyển sang Unicode "
    "(ví dụ: công cụ chuyển mã của Unikey, chọn nguồn {name}, đích Unicode) rồi gửi lại."
)


def decode(data: bytes) -> str:
    """Bytes to NFC text, or `Invalid` with a Vietnamese message saying what to do."""
    return "".join(iter_blocks(io.BytesIO(data), block_size=max(1, len(data))))


def _encoding_of(sample: bytes) -> str:
    """UTF-16 (by its BOM), UTF-8 (tolerating a character cut at the sample's end) or Windows-1258."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample[:4096]:
        raise Invalid(
            "Tệp là dữ liệu nhị phân, không phải văn bản. Hãy gửi tệp .txt, .csv hoặc .jsonl.", code="text.binary"
        )
    try:
        sample.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 3:
            _check_windows_1258(sample)
            return "cp1258"
    return "utf-8-sig"


def _check_windows_1258(sample: bytes) -> None:
    try:
        text = sample.decode("cp1258")
    except UnicodeDecodeError as error:
        raise Invalid(
            "Không nhận ra bảng mã của văn bản (không phải UTF-8, UTF-16 hay Windows-1258). "
            "Hãy lưu lại dưới dạng UTF-8 rồi gửi lại.",
            code="text.encoding",
        ) from error
    if not _VIETNAMESE.search(nfc(text)):
        raise Invalid(
            "Văn bản không phải UTF-8 và không đọc được thành tiếng Việt. Hãy lưu lại dưới dạng UTF-8.",
            code="text.encoding",
        )


def iter_blocks(stream: BinaryIO, block_size: int = 1 << 16) -> Iterator[str]:
    """Decode a byte stream of any size in bounded memory, in NFC blocks that end at a line break.

    The encoding is decided on the first block and kept for the rest; a text typed with a
    legacy font, binary data and an empty input are refused with a Vietnamese message.
    """
    chunk = stream.read(block_size)
    if not chunk.strip():
        raise Invalid("Văn bản trống: không có gì để xử lý.", code="text.empty")
    decoder = codecs.getincrementaldecoder(_encoding_of(chunk))(errors="strict")
    pending, checked = "", False
    while chunk:
        try:
            pending += decoder.decode(chunk)
        except UnicodeDecodeError as error:
            raise Invalid(
                "Tệp lẫn nhiều bảng mã khác nhau; hãy lưu lại toàn bộ dưới dạng UTF-8.", code="text.encoding"
            ) from error
        if not checked:
            check_not_legacy_font(pending)
            checked = True
        cut = pending.rfind("\n") + 1
        if cut:
            yield nfc(pending[:cut])
            pending = pending[cut:]
        chunk = stream.read(block_size)
    pending += decoder.decode(b"", final=True)
    if pending:
        yield nfc(pending)


def legacy_font(text: str) -> str | None:
    """'TCVN3' or 'VNI' when the text looks typed with that legacy font, else None."""
    sample = text[:20_000]
    letters = sum(ch.isalpha() for ch in sample)
    if letters < 20 or len(_VIETNAMESE.findall(sample)) > letters * 0.02:
        return None
    tcvn3, vni = len(_TCVN3_MARKS.findall(sample)), len(_VNI_MARKS.findall(sample))
    if max(tcvn3, vni) <= letters * 0.03:
        return None
    return "VNI" if vni >= tcvn3 else "TCVN3 (ABC)"


def check_not_legacy_font(text: str) -> None:
    name = legacy_font(text)
    if name:
        raise Invalid(LEGACY_MESSAGE.format(name=name), code="text.legacy_font")
