"""The assistant's fixtures: a small catalogue, imported and indexed where the app looks for it."""

from __future__ import annotations

import pytest

from mauson.assistant import procedures
from mauson.assistant.service import reindex_procedures
from mauson.db import Database
from mauson.identity.service import SYSTEM
from mauson.search.service import open_index
from mauson.settings import Settings
from tests.assistant import line

MARRIAGE_CHANNELS = (
    "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp3 Ngày làm việcLệ phí : 30.000 ĐồngNộp tại Ủy ban nhân dân cấp xã."
)
CATALOGUE = [
    line("1.001193", "Thủ tục đăng ký khai sinh"),
    line("1.000894", "Thủ tục đăng ký kết hôn", cach_thuc_thuc_hien=MARRIAGE_CHANNELS),
    line("2.001001", "Cấp giấy phép xây dựng nhà ở riêng lẻ", linh_vuc="Xây dựng", cap_thuc_hien="Cấp xã"),
    line("1.009999", "Cấp giấy phép xây dựng nhà ở riêng lẻ", linh_vuc="Xây dựng", cap_thuc_hien="Cấp tỉnh"),
    line("1.002222", "Đăng ký thường trú", linh_vuc="Đăng ký, quản lý cư trú"),
]


@pytest.fixture
def catalogue(database: Database, settings: Settings) -> None:
    """Five procedures imported and indexed where the app under test will look for them."""
    with database.unit_of_work() as session:
        procedures.import_catalogue(session=session, actor=SYSTEM, lines=CATALOGUE)
        with open_index(settings.data_dir / "search") as index:
            reindex_procedures(session=session, index=index)
