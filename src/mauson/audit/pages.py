"""The audit log page for administrators: filter, page through, see the chain's state."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from mauson.audit import service
from mauson.audit.models import AuditFilters
from mauson.db import LOCAL_TZ
from mauson.errors import Invalid
from mauson.web.deps import PageUserDep, SessionDep
from mauson.web.templates import NavItem, render

router = APIRouter(include_in_schema=False)

NAV = [NavItem("/admin/audit", "Nhật ký kiểm toán", "audit-view")]

# What each recorded action is called in Vietnamese; the code stays on the page (filters use it).
ACTION_LABELS: dict[str, str] = {
    "auth.login": "Đăng nhập",
    "auth.logout": "Đăng xuất",
    "audit.list": "Xem nhật ký kiểm toán",
    "user.create": "Tạo tài khoản",
    "user.update": "Sửa tài khoản",
    "user.view": "Xem tài khoản",
    "user.list": "Xem danh sách tài khoản",
    "user.change_password": "Đổi mật khẩu",
    "token.create": "Tạo token API",
    "token.list": "Xem danh sách token API",
    "token.revoke": "Thu hồi token API",
    "organisation.seed": "Nạp danh sách cơ quan, đơn vị",
    "dataset.create": "Tạo bộ dữ liệu",
    "dataset.version": "Tải lên phiên bản mới của bộ dữ liệu",
    "dataset.update": "Sửa thông tin bộ dữ liệu",
    "dataset.dictionary": "Sửa từ điển dữ liệu",
    "dataset.access": "Đổi quyền truy cập bộ dữ liệu",
    "dataset.derive": "Tạo bản ẩn danh",
    "dataset.read": "Đọc bộ dữ liệu không công khai",
    "privacy.scan": "Quét dữ liệu cá nhân",
    "privacy.table_scan": "Quét dữ liệu cá nhân trong bảng",
    "privacy.redact": "Che dữ liệu cá nhân",
    "privacy.decrypt": "Giải mã dữ liệu cá nhân",
    "procedure.import": "Nạp thủ tục hành chính",
    "law.import": "Nạp văn bản pháp luật",
    "petition.submit": "Gửi phản ánh",
    "petition.decide": "Duyệt phân loại phản ánh",
    "petition.transfer": "Chuyển phản ánh",
    "petition.assign": "Giao phản ánh cho cán bộ",
    "petition.reply": "Trả lời phản ánh",
    "petition.close": "Đóng phản ánh",
    "petition.reject": "Từ chối phản ánh",
    "petition.rate": "Đánh giá kết quả xử lý",
    "petition.escalate": "Báo cấp trên phản ánh quá hạn",
    "petition.alert_acknowledge": "Nhận cảnh báo phản ánh",
    "petition.notifier_add": "Thêm người nhận cảnh báo",
    "petition.photo_view": "Xem ảnh phản ánh",
}
OUTCOME_LABELS = {"ok": "thành công", "failed": "thất bại", "locked": "bị khóa"}
# What the details' keys are called on the page; a key not named here is shown as stored.
DETAIL_LABELS: dict[str, str] = {
    "characters": "số ký tự",
    "found": "tìm thấy",
    "count": "số lượng",
    "organisation": "cơ quan",
    "access": "quyền truy cập",
    "username": "tài khoản",
    "role": "vai trò",
    "scopes": "quyền token",
    "reason": "lý do",
    "agency": "cơ quan xử lý",
    "urgency": "mức khẩn",
    "category": "lĩnh vực",
    "to": "chuyển đến",
    "source": "nguồn",
    "plan": "cách xử lý từng cột",
    "columns": "cột",
    "personal_columns": "cột có dữ liệu cá nhân",
    "k_asked": "k yêu cầu",
    "k_reached": "k đạt được",
    "suppressed_rows": "số dòng bị bỏ",
    "replaced_public": "thay bản công khai",
    "versions": "phiên bản",
    "rows": "số dòng",
    "fields": "trường",
    "changed": "đã sửa",
    "photo": "ảnh",
    "photos": "số ảnh",
    "alert": "cảnh báo",
    "channel": "kênh",
    "sessions_ended": "số phiên đăng nhập đã kết thúc",
    "was_locked": "đang bị khóa",
    "purpose": "mục đích",
    "name": "tên",
    "kind": "loại",
    "filters": "bộ lọc",
}


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, LOCAL_TZ) if day else None


def _day(value: str, label: str) -> date | None:
    """A date from the filter form; an empty field means no bound."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        message = f"Ngày '{value}' ở ô '{label}' không hợp lệ; dùng dạng năm-tháng-ngày."
        raise Invalid(message, code="audit.bad_date") from error


def readable_details(details: str) -> str:
    """An entry's details (stored as JSON) as `key: value` text; empty values say nothing, so are left out."""
    try:
        values = json.loads(details)
    except ValueError:
        return details
    if not isinstance(values, dict):
        return _readable(values)
    shown = [(DETAIL_LABELS.get(key, key), value) for key, value in values.items() if value not in (None, "", [], {})]
    return "; ".join(f"{label}: {_readable(value)}" for label, value in shown)


def _readable(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} = {_readable(inner)}" for key, inner in value.items())
    if isinstance(value, list):
        return ", ".join(_readable(item) for item in value)
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(value)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    session: SessionDep,
    actor: PageUserDep,
    actor_name: Annotated[str, Query(alias="actor", max_length=64)] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    outcome: Annotated[str, Query(max_length=16)] = "",
    since_text: Annotated[str, Query(alias="since", max_length=10)] = "",
    until_text: Annotated[str, Query(alias="until", max_length=10)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    since, until = _day(since_text, "Từ ngày"), _day(until_text, "Đến ngày")
    filters = AuditFilters(
        actor=actor_name or None,
        action=action or None,
        outcome=outcome or None,
        since=_start_of(since),
        until=_start_of(until + timedelta(days=1)) if until else None,
    )
    chain = service.verify(session=session)  # before this reading of the log is itself recorded
    result = service.list_entries(session=session, actor=actor, filters=filters, page=page, per_page=50)
    context = {
        "result": result,
        "chain": chain,
        "form": {"actor": actor_name, "action": action, "outcome": outcome, "since": since, "until": until},
        "last_page": max(1, -(-result.total // result.per_page)),
        "action_labels": ACTION_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "readable": readable_details,
    }
    return render(request, "audit.html", context)
