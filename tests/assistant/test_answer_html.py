"""The chat page shows an answer's sections as headings and lists, its link as a link, and no markup."""

from __future__ import annotations

from mauson.assistant.answer_html import answer_html

ANSWER = """Thủ tục «Khai báo tạm vắng» (mã 1.003677, Cấp xã):

Trích từ hồ sơ thủ tục, liên quan đến câu hỏi:
- Khai báo tạm vắng qua:
  + Số điện thoại hoặc hộp thư điện tử
  + Ứng dụng trên thiết bị điện tử.

Phí, lệ phí:
- Trực tuyến: <b>Miễn phí</b>

Xem đầy đủ trên Cổng Dịch vụ công quốc gia: https://dichvucong.gov.vn/p/1.003677"""


def test_sections_become_headings_with_lists_and_quoted_lists_nest() -> None:
    html = str(answer_html(ANSWER))
    assert html.startswith("<p>Thủ tục «Khai báo tạm vắng» (mã 1.003677, Cấp xã):</p>")
    assert "<h3>Trích từ hồ sơ thủ tục, liên quan đến câu hỏi</h3><ul><li>Khai báo tạm vắng qua:<ul>" in html
    assert "<li>Số điện thoại hoặc hộp thư điện tử</li><li>Ứng dụng trên thiết bị điện tử.</li></ul></li>" in html
    assert "<h3>Phí, lệ phí</h3>" in html


def test_the_official_page_is_a_link_and_no_text_is_markup() -> None:
    html = str(answer_html(ANSWER))
    url = "https://dichvucong.gov.vn/p/1.003677"
    assert f'<a href="{url}" rel="noopener">{url}</a>' in html
    assert "<b>" not in html and "&lt;b&gt;Miễn phí&lt;/b&gt;" in html
    hostile = str(answer_html('Xem: javascript:alert(1) "><script>x</script>'))
    assert "<script>" not in hostile and 'href="javascript' not in hostile
    article = str(answer_html("Điều 20 Luật Cư trú. Xem: /laws/luat-cu-tru#dieu-20."))
    assert '<a href="/laws/luat-cu-tru#dieu-20" rel="noopener">/laws/luat-cu-tru#dieu-20</a>.' in article


def test_the_sections_not_asked_about_are_folded_and_the_link_stays_in_view() -> None:
    answer = """Thủ tục «Đăng ký kết hôn» (mã 1.000894, Cấp xã):

Phí, lệ phí:
- Trực tiếp: 30.000 Đồng

Thông tin khác về thủ tục này:

Hồ sơ cần chuẩn bị:
- Tờ khai đăng ký kết hôn

Thời gian giải quyết:
- Trực tiếp: 3 Ngày làm việc

Xem đầy đủ trên Cổng Dịch vụ công quốc gia: https://dichvucong.gov.vn/p/1.000894"""
    html = str(answer_html(answer))
    asked, folded = html.split('<details class="more"><summary>Thông tin khác về thủ tục này</summary>')
    assert "<h3>Phí, lệ phí</h3>" in asked and "Hồ sơ cần chuẩn bị" not in asked
    inside, after = folded.split("</details>")
    assert "<h3>Hồ sơ cần chuẩn bị</h3>" in inside and "<h3>Thời gian giải quyết</h3>" in inside
    assert after.startswith("<p>Xem đầy đủ"), "the official page is not folded away"
