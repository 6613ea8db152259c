"""What the browser tests share: where Debian's Chromium is, how it is started, and signing in.

The `browser` fixture itself is in `tests/conftest.py`; it starts Chromium once per module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def sign_in(page: Any, server: str, username: str) -> None:
    """Sign `page` in as `username` (made with `make_user`, so with the test password)."""
    page.goto(f"{server}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
