"""Reading text in whatever encoding a citizen's or an agency's file arrives in."""

from __future__ import annotations

import io

import pytest

from mauson.errors import Invalid
from mauson.vntext.encoding import decode, iter_blocks
from tests.factories import windows_1258

SENTENCE = "Làm giấy khai sinh cho con ở xã Tân Liên cần những gì?\n"


@pytest.mark.parametrize(
    "data",
    [
        SENTENCE.encode("utf-8"),
        b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"),
        SENTENCE.encode("utf-16"),
        windows_1258(SENTENCE),
    ],
)
def test_every_usual_encoding_reads_back_as_the_same_text(data: bytes) -> None:
    assert decode(data) == SENTENCE


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "text.empty"),
        (b" \n ", "text.empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text.binary"),
        ("Lµm giÊy khai sinh cho con ë x· T©n Liªn cÇn nh÷ng g×?".encode(), "text.legacy_font"),
        ("Laøm giaáy khai sinh cho con ôû xaõ Taân Lieân caàn nhöõng gì?".encode(), "text.legacy_font"),
    ],
)
def test_unreadable_input_is_refused_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(Invalid) as error:
        decode(data)
    assert error.value.code == code and error.value.message


def test_a_large_stream_is_read_in_blocks_that_end_at_line_breaks() -> None:
    data = (SENTENCE * 20_000).encode("utf-8")
    blocks = list(iter_blocks(io.BytesIO(data), block_size=4096))
    assert len(blocks) > 100 and all(block.endswith("\n") for block in blocks)
    assert "".join(blocks) == SENTENCE * 20_000
