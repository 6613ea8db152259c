"""The home page: what Mẫu Sơn is, its modules, and a few live figures."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from mauson.identity import service as identity
from mauson.web.deps import ActorDep, SessionDep
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [NavItem("/", "Trang chủ")]
FAVICON = "/static/favicon.svg"


@dataclass(frozen=True)
class ModuleCard:
    title: str
    summary: str
    href: str | None


MODULES = [
    ModuleCard("Cơ quan, đơn vị", "Sơ đồ các cơ quan cấp tỉnh và 65 xã, phường của Lạng Sơn.", "/organisations"),
    ModuleCard(
        "Trợ lý thủ tục hành chính",
        "Hỏi bằng tiếng Việt thường ngày: cần giấy tờ gì, lệ phí, thời gian, nộp ở đâu.",
        "/assistant",
    ),
    ModuleCard("Văn bản pháp luật", "Luật chia theo chương, mục, điều, khoản: tìm kiếm, trích dẫn từng điều.", "/laws"),
    ModuleCard("Đọc văn bản", "Đọc văn bản hành chính (cả bản scan), điền số ký hiệu, trích yếu, căn cứ.", None),
    ModuleCard(
        "Phản ánh, kiến nghị",
        "Tiếp nhận, phân loại trong một giây, chuyển đúng nơi xử lý, công khai kết quả.",
        "/petitions",
    ),
    ModuleCard(
        "Kho dữ liệu mở", "Chia sẻ dữ liệu giữa các cơ quan, công bố dữ liệu mở, bảo vệ dữ liệu cá nhân.", "/datasets"
    ),
    ModuleCard("Theo dõi Kế hoạch 105", "Chỉ tiêu, nhiệm vụ và tiến độ ứng dụng trí tuệ nhân tạo của tỉnh.", None),
]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    """The home page: the platform's modules and the directory's counts."""
    stats = identity.directory_summary(session=session)
    return render(request, "home.html", {"modules": MODULES, "stats": stats})


@router.get("/favicon.ico")
def favicon() -> RedirectResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page links: send them to the icon."""
    return RedirectResponse(FAVICON, status_code=301)
